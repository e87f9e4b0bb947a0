"""Incremental validation (``moikg add`` through the on-disk store) gives a full validation's verdicts.

Differential: a new source is put into the graph folder's store and only the focus nodes it can
affect are validated again (:func:`moikg.cards.incremental.check_added`); the report must equal,
result for result, a full validation of the same files loaded afresh: by the SPARQL engine
always, and by pySHACL (the reference) on the project's graph. New sources: every Turtle
fixture under ``tests/data``, each project source taken out and put back, seeded mutations of
them (some aimed at nodes that other sources define: a second value on another source's member
count, a type or link added to another source's organisation, a signatory's organisation
dropped), on the project's graph and on generated data. End to end: ``add_card`` of cards, one
of which breaks a shape through a node another source defines, compared with a full
validation; and the store kept in step as files change behind its back.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from moikg.cards.add import add_card
from moikg.cards.incremental import check_added, full_results
from moikg.cards.synthetic import generate
from moikg.errors import ConformanceError, Violation
from moikg.ingest.graph_store import file_digest, open_graph_store
from moikg.ingest.load import graph_iri, load_dataset
from moikg.ingest.shacl_sparql import translate
from moikg.ingest.validation import _read_shapes, validate
from mutation_support import MOI, ORG, RDF_TYPE, another_sources_node

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GRAPH_FILES = sorted((ROOT / "graph").glob("*.ttl"))
FIXTURES = sorted(p for p in DATA.rglob("*.ttl") if p.parent.name != "shacl")
ONTOLOGY = ROOT / "ontology" / "moi.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
CARD = DATA / "cards" / "2024-05-01-example-agency-joins-moin.yaml"


def _key(v: Violation) -> tuple[object, ...]:
    return (v.severity, v.focus_node, v.result_path or "", v.value or "", v.source_shape,
            v.message, v.source_files)  # fmt: skip


def _folder(tmp_path: Path, files: list[Path]) -> Path:
    folder = tmp_path / "graph"
    folder.mkdir()
    for path in files:
        shutil.copyfile(path, folder / path.name)
    return folder


def _incremental(folder: Path, new: Path, name: str) -> tuple[list[object], int | None]:
    """Add ``new`` as ``<folder>/<name>`` through the store; the results, and nodes re-validated."""
    shapes = _read_shapes(SHAPES)
    plan = translate(shapes)
    store = open_graph_store(folder, ontology=ONTOLOGY, location=folder.parent / "store")
    try:
        baseline = full_results(store, shapes, plan, file_digest(SHAPES))
        target = folder / name
        report, validated, _ = check_added(
            store, graph_iri(target.stem), new.read_bytes(), target,
            shapes_graph=shapes, plan=plan, baseline=baseline,
        )  # fmt: skip
        store.remove_graph(graph_iri(target.stem))
        store.commit()
    finally:
        store.close()
    return sorted(map(_key, report.violations)), validated


def _full(folder: Path, new: Path, name: str, engine: str = "sparql") -> list[object]:
    files = sorted(folder.glob("*.ttl"))
    staged = folder.parent / "staged"
    staged.mkdir(exist_ok=True)
    shutil.copyfile(new, staged / name)
    mapping = {graph_iri(p.stem): p for p in files} | {graph_iri(Path(name).stem): folder / name}
    dataset = load_dataset(files=[*files, staged / name])
    report = validate(dataset, engine=engine, files=mapping)  # type: ignore[arg-type]
    return sorted(map(_key, report.violations))


def _compare(folder: Path, new: Path, name: str, *, reference: bool = False) -> list[object]:
    ours, validated = _incremental(folder, new, name)
    assert validated is not None  # incremental indeed, not a full run
    assert ours == _full(folder, new, name), new
    if reference:
        assert ours == _full(folder, new, name, engine="pyshacl"), new
    return ours


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_fixture_added_to_the_graph(path: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, GRAPH_FILES)
    _compare(folder, path, f"added-{path.stem}.ttl", reference=True)


@pytest.mark.parametrize("path", GRAPH_FILES, ids=lambda p: p.stem)
def test_each_source_taken_out_and_put_back(path: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, [p for p in GRAPH_FILES if p != path])
    assert _compare(folder, path, path.name, reference=True) == []


@pytest.mark.parametrize("seed", range(12))
def test_mutated_sources_touching_other_sources_nodes(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    path = rng.choice(GRAPH_FILES)
    folder = _folder(tmp_path, [p for p in GRAPH_FILES if p != path])
    rest = Graph()
    for other in folder.glob("*.ttl"):
        rest.parse(other, format="turtle")
    graph = Graph().parse(path, format="turtle")
    for _ in range(rng.randint(1, 3)):
        another_sources_node(graph, rest, rng)
    new = tmp_path / path.name
    graph.serialize(new, format="turtle")
    assert _compare(folder, new, path.name, reference=seed % 3 == 0)


@pytest.mark.parametrize("seed", range(3))
def test_generated_sources_added(seed: int, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate(triples=3000, seed=seed + 1, out_dir=out)
    files = sorted(out.glob("*.ttl"))
    rng = random.Random(seed)
    path = rng.choice(files)
    folder = _folder(tmp_path, [p for p in files if p != path])
    rest = Graph()
    for other in rng.sample(files, 5):
        rest.parse(other, format="turtle")
    graph = Graph().parse(path, format="turtle")
    if rest.value(None, RDF_TYPE, URIRef(MOI + "MemberCount")) is None:
        graph.add((rng.choice(sorted(rest.subjects(RDF_TYPE, URIRef(ORG + "Membership")))),
                   URIRef(ORG + "member"), URIRef("https://w3id.org/moikg/id/org/x")))  # fmt: skip
    else:
        another_sources_node(graph, rest, rng)
    new = tmp_path / path.name
    graph.serialize(new, format="turtle")
    assert _compare(folder, new, path.name)
    assert _compare(folder, path, path.name) == []


COUNT_CLASH = """
source:
  url: https://example.org/news/2019/moin-count
  type: news-article
  title: MOIN has more than forty members
  issued: 2019-02-11
actors:
  moin:
    name: Mission-Oriented Innovation Network
    member_count: {more_than: 40, date: 2019-02-11}
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "graph", root / "graph")
    return root / "graph"


def test_a_card_that_breaks_another_sources_node_is_refused_like_a_full_validation(
    tmp_path: Path,
) -> None:
    """A card that breaks a shape through a node another source defines is refused alike.

    The card gives MOIN's 2019-02-11 count another value: the count node, which the 2019
    release defines, then has two (MemberCountShape: sh:maxCount 1 on moi:moreThan |
    schema:value). Refused with exactly the results a full validation gives.
    """
    graph = _project(tmp_path)
    card = tmp_path / "2019-02-11-moin-count.yaml"
    card.write_text(COUNT_CLASH, encoding="utf-8")
    with pytest.raises(ConformanceError) as incremental:
        add_card(card, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES)
    with pytest.raises(ConformanceError) as full:
        add_card(card, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES, store="memory")
    ours = sorted(map(_key, incremental.value.violations))
    assert ours == sorted(map(_key, full.value.violations))
    assert any(
        v[1] == "https://w3id.org/moikg/id/count/moin-members-2019-02-11"
        and "(moi:moreThan|schema:value)" in str(v[2])
        for v in ours
    ), ours
    assert not (graph / "2019-02-11-moin-count.ttl").exists()
    # The store gave the refused graph back: the sample card still adds, incrementally.
    result = add_card(CARD, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES)
    assert result.written and (graph / f"{CARD.stem}.ttl").is_file()


def test_added_cards_match_the_memory_path_and_the_store_follows_the_files(
    tmp_path: Path,
) -> None:
    graph = _project(tmp_path)
    dry = add_card(CARD, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES, dry_run=True)
    memory = add_card(
        CARD, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES, dry_run=True, store="memory"
    )
    assert (dry.turtle, dry.triples, dry.new_triples, dry.existing_actors) == (
        memory.turtle, memory.triples, memory.new_triples, memory.existing_actors,
    )  # fmt: skip
    assert not (graph / f"{CARD.stem}.ttl").exists()
    added = add_card(CARD, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES)
    assert (graph / f"{CARD.stem}.ttl").read_text(encoding="utf-8") == memory.turtle
    # A source edited, one removed, behind the store's back: the next open catches up.
    victim = sorted(graph.glob("2019-*.ttl"))[0]
    victim.unlink()
    edited = graph / f"{CARD.stem}.ttl"
    edited.write_text(added.turtle.replace("Example City", "Sample City"), encoding="utf-8")
    store = open_graph_store(graph, ontology=ONTOLOGY)
    try:
        fresh = load_dataset(files=sorted(graph.glob("*.ttl")))
        ours = {str(q) for q in store.store.quads_for_pattern(None, None, None, None)
                if "Example City" in str(q) or "Sample City" in str(q)}  # fmt: skip
        theirs = {str(q) for q in fresh.store._inner.quads_for_pattern(None, None, None, None)
                  if "Example City" in str(q) or "Sample City" in str(q)}  # fmt: skip
        assert ours == theirs and any("Sample City" in q for q in ours)
        named = {g.value for g in store.store.named_graphs()}
        assert str(graph_iri(victim.stem)) not in named
        assert len(store.store) == len(fresh.store._inner)
    finally:
        store.close()


def _data_files(location: Path) -> tuple[dict[str, int], int]:
    """The store's tables (SST files) with their sizes, and the bytes of its write-ahead log.

    (Each open starts a new, empty log file.)
    """
    files = list((location / "oxigraph").iterdir())
    tables = {p.name: p.stat().st_size for p in files if p.suffix == ".sst"}
    return tables, sum(p.stat().st_size for p in files if p.suffix == ".log")


def test_a_dry_run_leaves_the_store_as_it_was_and_judges_alike(tmp_path: Path) -> None:
    """A dry run validates on a throw-away checkpoint: the store's files do not change."""
    graph = _project(tmp_path)
    location = graph.parent / "build" / "store" / "graph"
    card = tmp_path / "2019-02-11-moin-count.yaml"
    card.write_text(COUNT_CLASH, encoding="utf-8")
    first = add_card(CARD, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES, dry_run=True)
    before = _data_files(location)
    assert before[0] and before[1] == 0
    again = add_card(CARD, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES, dry_run=True)
    with pytest.raises(ConformanceError) as dry:
        add_card(card, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES, dry_run=True)
    assert _data_files(location) == before
    assert not [p for p in location.iterdir() if p.name.startswith(".dry-run-")]
    assert (again.turtle, again.new_triples) == (first.turtle, first.new_triples)
    with pytest.raises(ConformanceError) as real:
        add_card(card, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES)
    assert sorted(map(_key, dry.value.violations)) == sorted(map(_key, real.value.violations))
    added = add_card(CARD, graph_dir=graph, ontology=ONTOLOGY, shapes=SHAPES)
    assert (added.turtle, added.new_triples, added.written) == (
        first.turtle,
        first.new_triples,
        True,
    )
