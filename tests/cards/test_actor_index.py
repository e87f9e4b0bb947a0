"""The actors index as plain strings (:mod:`moikg.cards.actor_index`) gives the rdflib entries.

Read from the graph or from a store, pickled or not, updated or built afresh, the same entries.

Differential: :meth:`Index.from_graph` over the union of the sources is the reference; the index
read from an Oxigraph store (two queries for all nodes, index lookups for a few), its pickled
copy, and an index with some entries replaced must give the same entries and the same lookups.
The near-duplicate search (:meth:`Index.similar`) must find exactly what ``difflib`` finds when
every name is compared.
"""

from __future__ import annotations

import difflib
import pickle
import random
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

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


def test_pickled_the_same(reference: Index) -> None:
    copy = pickle.loads(pickle.dumps(reference, protocol=pickle.HIGHEST_PROTOCOL))
    assert len(copy) == len(reference)
    assert _entries(copy) == _entries(reference)
    for name in [*_names(reference)[::7], "no such name"]:
        for category in ALL:
            assert copy.lookup([category], [name.upper()]) == reference.lookup([category], [name])


def test_replaced_equals_an_index_built_afresh(reference: Index) -> None:
    entries = _entries(reference)
    rng = random.Random(5)
    gone = rng.sample(entries, 30)
    # The replacements: some entries with a name of another (a key shared), some dropped.
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
    before = _entries(reference)
    replaced = reference.replaced([k.iri for k in gone], Index(other))
    fresh = Index([*(k for k in entries if k not in gone), *other])
    assert _entries(replaced) == _entries(fresh)
    assert _entries(reference) == before  # the original is left as it was
    for name in [*_names(reference), *_names(fresh)]:
        for category in ALL:
            assert replaced.lookup([category], [name]) == fresh.lookup([category], [name])
            assert reference.lookup([category], [name]) == Index(entries).lookup([category], [name])


def _brute(index: Index, categories: tuple[str, ...], folded: str) -> set[tuple[str, str]]:
    found = set()
    for known in index.entries(categories):  # type: ignore[arg-type]
        for name in (*known.labels, *known.names, *known.aliases):
            ratio = difflib.SequenceMatcher(None, folded, fold_name(str(name))).ratio()
            if ratio >= 0.85:
                found.add((str(name), str(known.iri)))
    return found


def test_similar_finds_what_difflib_finds(reference: Index) -> None:
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
            ours = {
                (n, str(k.iri)) for n, k in reference.similar(categories, fold_name(probe), 0.85)
            }  # type: ignore[arg-type]
            assert ours == _brute(reference, categories, fold_name(probe)), probe
            hits += len(ours)
    assert hits > 20
