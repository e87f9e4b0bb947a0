"""The actors index as plain strings (:mod:`moikg.cards.actor_index`) gives the rdflib entries.

Read from the graph or from a store, in memory or in a file, updated or built afresh: the same.

Differential: :meth:`Index.from_graph` over the union of the sources is the reference; the index
read from an Oxigraph store (two queries for all nodes, index lookups for a few), its copy in an
SQLite file (:mod:`moikg.cards.actor_db`; read back by sqlite3 too), and a file with some
entries replaced must give the same entries and the same lookups.
The near-duplicate search (:meth:`Index.similar`) must find exactly what ``difflib`` finds when
every name is compared.
"""

from __future__ import annotations

import difflib
import random
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from moikg.cards.actor_db import open_index, update_index, write_index
from moikg.cards.actor_index import Index, Known
from moikg.cards.store_index import index_from_store
from moikg.cards.synthetic import generate
from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.load import ONTOLOGY_GRAPH, load_dataset, sources
from moikg.rdf.terms import fold_name

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = ROOT / "ontology" / "moi.ttl"
ONTOLOGY = Graph().parse(ONTOLOGY_FILE)
ALL = ("org", "person", "place")
EXCLUDE = (str(ONTOLOGY_GRAPH), str(CLOSURE_GRAPH))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's sources beside generated ones (actors shared across sources)."""
    out = tmp_path_factory.mktemp("graph")
    for path in (ROOT / "graph").glob("*.ttl"):
        shutil.copyfile(path, out / path.name)
    generate(triples=4000, seed=7, out_dir=out)
    return out


@pytest.fixture(scope="module")
def reference(folder: Path) -> Index:
    union = Graph()
    for path in sources(folder).values():
        union.parse(path)
    return Index.from_graph(union, ONTOLOGY)


def _entries(index: Index) -> list[Known]:
    return index.entries(ALL)


def _names(index: Index) -> list[str]:
    return sorted({str(n) for k in _entries(index) for n in (*k.labels, *k.names, *k.aliases)})


def test_from_a_store_all_nodes_and_a_few(folder: Path, reference: Index) -> None:
    dataset = load_dataset(files=list(sources(folder).values()), ontology=ONTOLOGY_FILE)
    store = dataset.store._inner  # type: ignore[attr-defined]
    assert len(reference) > 100
    assert _entries(index_from_store(store, ONTOLOGY, exclude=EXCLUDE)) == _entries(reference)
    nodes = sorted({k.iri for k in _entries(reference)})
    few = [*random.Random(3).sample(nodes, 40), URIRef("https://example.org/not-there")]
    looked_up = index_from_store(store, ONTOLOGY, exclude=EXCLUDE, only=few)
    assert _entries(looked_up) == [k for k in _entries(reference) if k.iri in few]


@pytest.fixture()
def stored(reference: Index, tmp_path: Path) -> Iterator[Index]:
    write_index(tmp_path / "actors.sqlite", "token-1", reference)
    index = open_index(tmp_path / "actors.sqlite", "token-1")
    assert index is not None
    yield index
    index.close()


def test_in_a_file_the_same(reference: Index, stored: Index, tmp_path: Path) -> None:
    assert len(stored) == len(reference)
    assert _entries(stored) == _entries(reference)
    for name in [*_names(reference)[::7], "no such name"]:
        for category in ALL:
            assert stored.lookup([category], [name.upper()]) == reference.lookup([category], [name])
    # Read back by a second reader: sqlite3 itself, row for row.
    with closing(sqlite3.connect(tmp_path / "actors.sqlite")) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'token'").fetchone() == ("token-1",)
        keys = {(c, k, i) for c, k, i in db.execute("SELECT category, key, iri FROM name_key")}
    assert keys == {(k.category, key, str(k.iri)) for k in _entries(reference) for key in k.keys}


def test_a_stale_or_broken_file_is_not_used(reference: Index, tmp_path: Path) -> None:
    path = tmp_path / "actors.sqlite"
    assert open_index(path, "token-1") is None  # missing
    write_index(path, "token-1", reference)
    assert open_index(path, "token-2") is None  # another state of the store
    path.write_bytes(b"not a database" * 100)
    assert open_index(path, "token-1") is None


def test_updated_equals_an_index_built_afresh(reference: Index, tmp_path: Path) -> None:
    entries = _entries(reference)
    rng = random.Random(5)
    gone = rng.sample(entries, 30)
    # The replacements: some entries with a name of another (a key shared), some dropped,
    # and one new.
    other = [
        Known(
            k.iri,
            k.category,
            k.types,
            k.labels,
            k.names,
            (*k.aliases, *entries[i].labels),
            k.keys | entries[i].keys,
        )
        for i, k in enumerate(gone[:20])
    ]
    new = Known(URIRef("https://example.org/new"), "org", frozenset(), (), (), (),
                frozenset({"new org", *entries[0].keys}))  # fmt: skip
    path = tmp_path / "actors.sqlite"
    write_index(path, "token-1", reference)
    update_index(path, "token-2", [k.iri for k in gone] + [new.iri], Index([*other, new]))
    assert open_index(path, "token-1") is None
    updated = open_index(path, "token-2")
    assert updated is not None
    fresh = Index([*(k for k in entries if k not in gone), *other, new])
    try:
        assert _entries(updated) == _entries(fresh)
        for name in [*_names(reference), *_names(fresh)]:
            for category in ALL:
                assert updated.lookup([category], [name]) == fresh.lookup([category], [name])
    finally:
        updated.close()


def _brute(index: Index, categories: tuple[str, ...], folded: str) -> set[tuple[str, str]]:
    found = set()
    for known in index.entries(categories):  # type: ignore[arg-type]
        for name in (*known.labels, *known.names, *known.aliases):
            ratio = difflib.SequenceMatcher(None, folded, fold_name(str(name))).ratio()
            if ratio >= 0.85:
                found.add((str(name), str(known.iri)))
    return found


@pytest.mark.parametrize("where", ["memory", "file"])
def test_similar_finds_what_difflib_finds(reference: Index, stored: Index, where: str) -> None:
    index = reference if where == "memory" else stored
    names = _names(reference)
    rng = random.Random(11)
    probes = []
    for name in rng.sample(names, 25):
        chars = list(name)
        for _ in range(rng.randint(0, 3)):  # a few letters changed, dropped or doubled
            at = rng.randrange(len(chars))
            chars[at : at + 1] = rng.choice([[], [chars[at]] * 2, [rng.choice("aeiouxyz ")]])
        probes.append("".join(chars))
        probes.append(" ".join(reversed(name.split())))  # the same letters: quick_ratio 1
    hits = 0
    for probe in [*probes, "Zzzz", "Green"]:
        for categories in (("org",), ("person",), ("org", "person")):
            found = index.similar(categories, fold_name(probe), 0.85)  # type: ignore[arg-type]
            ours = {(n, str(k.iri)) for n, k in found}
            assert ours == _brute(reference, categories, fold_name(probe)), probe
            hits += len(ours)
    assert hits > 20
