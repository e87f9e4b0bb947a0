"""A second build validates only what changed and reuses the rest: the same report, the same bytes.

Differential: the graph folder goes through a chain of changes (a source edited so it touches
nodes other sources define, a source removed, a fixture added, a source fixed again); after
each, :func:`moikg.ingest.rebuild.check` with the previous state's record must give the report
a full validation of the same files gives, result for result (pySHACL, the reference, on some),
and the snapshot a fresh one gives, graph by graph and for the merge; and it must really have
been incremental. Changes the record cannot vouch for (the class hierarchy, a blank node, a
record made under other shapes, a damaged record) give a full run, with the same answers. End
to end, a second ``build`` writes the bytes a build into an empty folder writes.
"""

from __future__ import annotations

import filecmp
import json
import random
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from moikg.errors import Violation
from moikg.ingest.build_cache import CACHE_DIR, DATA_OUTPUTS, read_previous
from moikg.ingest.export import snapshot, write_jsonld, write_trig, write_turtle
from moikg.ingest.load import load_dataset, sources
from moikg.ingest.rebuild import Checked, check
from moikg.ingest.store_files import file_digest
from moikg.ingest.validation import validate
from moikg.pipeline import OUTPUTS, build
from mutation_support import MOI, ORG, RDF_TYPE, another_sources_node

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GRAPH_FILES = sorted((ROOT / "graph").glob("*.ttl"))
FIXTURES = sorted(p for p in DATA.rglob("*.ttl") if p.parent.name != "shacl")
SHAPES = ROOT / "ontology" / "shapes.ttl"
CODE = "test-code"


def _key(v: Violation) -> tuple[object, ...]:
    return (v.severity, v.focus_node, v.result_path or "", v.value or "", v.source_shape,
            v.message, v.source_files)  # fmt: skip


def _folder(tmp_path: Path, files: list[Path]) -> Path:
    folder = tmp_path / "graph"
    folder.mkdir(exist_ok=True)
    for path in files:
        shutil.copyfile(path, folder / path.name)
    return folder


def _check(folder: Path, out: Path, *, shapes: Path = SHAPES) -> Checked:
    """What a build of ``folder`` into ``out`` validates and writes; its record kept after."""
    mapping = sources(folder)
    digests = {iri: file_digest(path) for iri, path in mapping.items()}
    dataset = load_dataset(files=list(mapping.values()))
    checked = check(dataset, files=mapping, digests=digests, out_dir=out, code=CODE, shapes=shapes)
    out.mkdir(exist_ok=True)
    checked.write_data({name: out / name for name in DATA_OUTPUTS})
    return checked


def _expect_full_answers(
    folder: Path, checked: Checked, *, reference: bool = False, out: Path | None = None
) -> None:
    """The report, snapshot (and outputs in ``out``) equal a full validation's and fresh ones."""
    mapping = sources(folder)
    dataset = load_dataset(files=list(mapping.values()))
    ours = sorted(map(_key, checked.report.violations))
    assert ours == sorted(map(_key, validate(dataset, files=mapping).violations))
    if reference:
        pyshacl = validate(dataset, files=mapping, engine="pyshacl")
        assert ours == sorted(map(_key, pyshacl.violations))
    assert checked.report.conforms == (not any(k[0] == "Violation" for k in ours))
    fresh = snapshot(dataset)
    assert [(iri, list(lines)) for iri, lines in checked.snapshot.graphs] == [
        (iri, list(lines)) for iri, lines in fresh.graphs
    ]
    assert list(checked.snapshot.merge) == list(fresh.merge)
    if out is not None:  # the pieces, some copied from the last build, make the same bytes
        fresh_dir = out.parent / "fresh-writers"
        fresh_dir.mkdir(exist_ok=True)
        for name, writer in zip(
            DATA_OUTPUTS, (write_trig, write_turtle, write_jsonld), strict=True
        ):
            writer(fresh, fresh_dir / name)
            assert (out / name).read_bytes() == (fresh_dir / name).read_bytes(), name


def _mutate(path: Path, rest_files: list[Path], rng: random.Random, target: Path) -> None:
    rest = Graph()
    for other in rest_files:
        rest.parse(other, format="turtle")
    graph = Graph().parse(path, format="turtle")
    for _ in range(rng.randint(1, 3)):
        another_sources_node(graph, rest, rng)
    graph.serialize(target, format="turtle")


@pytest.mark.parametrize("seed", range(8))
def test_a_chain_of_changes_gives_a_full_validations_answers(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    folder = _folder(tmp_path, GRAPH_FILES)
    out = tmp_path / "out"
    first = _check(folder, out)
    assert first.revalidated is None and first.reused == 0  # no record yet: a full run
    _expect_full_answers(folder, first)
    # 1. A source edited so it touches nodes other sources define.
    edited = rng.choice(GRAPH_FILES)
    others = [folder / p.name for p in GRAPH_FILES if p != edited]
    _mutate(edited, others, rng, folder / edited.name)
    second = _check(folder, out)
    assert second.revalidated is not None and second.reused >= len(GRAPH_FILES) - 1
    _expect_full_answers(folder, second, reference=seed % 4 == 0, out=out)
    # 2. Another source removed.
    removed = rng.choice([p for p in GRAPH_FILES if p != edited])
    (folder / removed.name).unlink()
    third = _check(folder, out)
    assert third.revalidated is not None
    _expect_full_answers(folder, third, out=out)
    # 3. A fixture added (some break shapes on their own).
    fixture = rng.choice(FIXTURES)
    shutil.copyfile(fixture, folder / f"added-{fixture.stem}.ttl")
    fourth = _check(folder, out)
    assert fourth.revalidated is not None
    _expect_full_answers(folder, fourth, reference=seed % 4 == 1, out=out)
    # 4. Everything put back as it was: the original report again.
    (folder / f"added-{fixture.stem}.ttl").unlink()
    for path in (edited, removed):
        shutil.copyfile(path, folder / path.name)
    fifth = _check(folder, out)
    assert fifth.revalidated is not None
    _expect_full_answers(folder, fifth, out=out)
    assert sorted(map(_key, fifth.report.violations)) == sorted(map(_key, first.report.violations))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_fixture_added_then_taken_out(path: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, GRAPH_FILES)
    out = tmp_path / "out"
    _check(folder, out)
    shutil.copyfile(path, folder / f"added-{path.stem}.ttl")
    added = _check(folder, out)
    _expect_full_answers(folder, added, out=out)
    (folder / f"added-{path.stem}.ttl").unlink()
    taken_out = _check(folder, out)
    _expect_full_answers(folder, taken_out, out=out)
    assert taken_out.report.conforms


def test_a_change_to_the_class_hierarchy_validates_everything(tmp_path: Path) -> None:
    folder = _folder(tmp_path, GRAPH_FILES)
    out = tmp_path / "out"
    _check(folder, out)
    graph = Graph().parse(GRAPH_FILES[0], format="turtle")
    graph.add((URIRef(MOI + "MutatedKind"), RDFS.subClassOf, URIRef(ORG + "Organization")))
    network = next(graph.subjects(RDF_TYPE, None))
    graph.add((network, RDF_TYPE, URIRef(MOI + "MutatedKind")))
    graph.serialize(folder / GRAPH_FILES[0].name, format="turtle")
    checked = _check(folder, out)
    assert checked.revalidated is None  # the hierarchy changed: a full validation
    _expect_full_answers(folder, checked, out=out)


def test_a_changed_source_with_a_blank_node_is_taken_afresh(tmp_path: Path) -> None:
    folder = _folder(tmp_path, GRAPH_FILES)
    out = tmp_path / "out"
    _check(folder, out)
    path = folder / GRAPH_FILES[1].name
    subject = next(Graph().parse(path, format="turtle").subjects(RDF_TYPE, None))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f'\n<{subject}> <{RDFS.seeAlso}> [ <{RDFS.label}> "a blank node" ] .\n')
    checked = _check(folder, out)
    assert checked.revalidated is None and checked.reused == 0
    _expect_full_answers(folder, checked, out=out)
    # The next change, to a source without one, is incremental again; the labels still fit.
    other = folder / GRAPH_FILES[2].name
    graph = Graph().parse(other, format="turtle")
    graph.add((next(graph.subjects(RDF_TYPE, None)), RDFS.comment, Literal("edited")))
    graph.serialize(other, format="turtle")
    again = _check(folder, out)
    assert again.revalidated is not None
    _expect_full_answers(folder, again, out=out)


def test_a_record_it_cannot_vouch_for_gives_a_full_run(tmp_path: Path) -> None:
    folder = _folder(tmp_path, GRAPH_FILES)
    out = tmp_path / "out"
    first = _check(folder, out)
    cache = out / CACHE_DIR
    assert read_previous(out, "another key") is None
    # Other shapes: another key.
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _check(folder, out, shapes=shapes).reused == 0
    assert _check(folder, out).reused == 0  # and back: the record is the other shapes' now
    assert _check(folder, out).reused == len(first.snapshot.graphs) - 1  # not the closure
    # A lines file gone, or the manifest damaged: a full run, the same answers.
    next((cache / "lines").glob("*.nt")).unlink()
    damaged = _check(folder, out)
    assert damaged.reused == 0
    _expect_full_answers(folder, damaged, out=out)
    (cache / "manifest.json").write_text("{not json", encoding="utf-8")
    assert _check(folder, out).reused == 0
    manifest = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
    manifest["baseline"] = [{"focus_node": "x"}]  # not a result: no record
    (cache / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _check(folder, out).reused == 0


def test_the_record_holds_each_graphs_triples_as_another_parser_reads_them(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, GRAPH_FILES)
    out = tmp_path / "out"
    _check(folder, out)
    previous = read_previous(
        out, json.loads((out / CACHE_DIR / "manifest.json").read_text())["key"]
    )
    assert previous is not None
    for path in GRAPH_FILES:
        iri = next(i for i, p in sources(folder).items() if p.name == path.name)
        kept = Graph().parse(data=b"".join(previous.lines(str(iri))), format="nt")
        assert kept.isomorphic(Graph().parse(path, format="turtle")), path.name
    assert len(list((out / CACHE_DIR / "lines").glob("*.nt"))) == len(previous.digests)


def test_a_second_build_writes_what_a_first_build_writes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, GRAPH_FILES)
    out = tmp_path / "out"
    first = build(folder, out)
    assert first.revalidated is None
    path = folder / GRAPH_FILES[0].name
    path.write_text(
        path.read_text(encoding="utf-8").replace("Memorandum", "Memorandum (revised)", 1),
        encoding="utf-8",
    )
    second = build(folder, out)
    # Every graph but the edited one and the ontology's closure (made afresh each time).
    assert second.revalidated is not None and second.reused == len(GRAPH_FILES)
    fresh = build(folder, tmp_path / "fresh")
    assert fresh.revalidated is None
    for name in OUTPUTS:
        assert filecmp.cmp(out / name, tmp_path / "fresh" / name, shallow=False), name
