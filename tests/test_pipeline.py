"""Tests for moikg.build, moikg.export and moikg._atomic: outputs, re-parsing, atomicity."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import BROKEN, NONCONFORMING, MiniProject
from moikg import _paths
from moikg._atomic import atomic_outputs, write_text_atomic
from moikg.errors import ConformanceError, InputError
from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.load import ONTOLOGY_GRAPH, graph_iri, load_dataset, named_graphs, to_memory
from moikg.pipeline import OUTPUTS, build


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_build_writes_four_outputs_that_reparse(mini_project: MiniProject, store: str) -> None:
    result = build(mini_project.graph_dir, mini_project.build_dir, store=store)  # type: ignore[arg-type]
    out = mini_project.build_dir
    assert [p.relative_to(out).as_posix() for p in result.outputs] == list(OUTPUTS)
    written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    # Besides the outputs, only the record the next build starts from (the embedded store's).
    assert sorted(w for w in written if not w.startswith(".moikg-cache/")) == sorted(OUTPUTS)
    assert (out / ".moikg-cache" / "manifest.json").is_file() == (store == "oxigraph")

    trig = Dataset()
    trig.parse(mini_project.build_dir / "graph.trig", format="trig")
    named = {g.identifier for g in trig.graphs() if len(g)}
    assert named == {ONTOLOGY_GRAPH, CLOSURE_GRAPH, graph_iri("a"), graph_iri("b")}

    turtle = Graph().parse(mini_project.build_dir / "graph.ttl", format="turtle")
    jsonld = Graph().parse(mini_project.build_dir / "graph.jsonld", format="json-ld")
    assert len(turtle) == len(jsonld) == result.summary.total_triples
    assert "@prefix moi: <https://w3id.org/moikg/ontology#>" in (
        mini_project.build_dir / "graph.ttl"
    ).read_text(encoding="utf-8")
    assert '"moi": "https://w3id.org/moikg/ontology#"' in (
        mini_project.build_dir / "graph.jsonld"
    ).read_text(encoding="utf-8")


def test_summary_counts_actors_agreements_and_sources(mini_project: MiniProject) -> None:
    summary = build(mini_project.graph_dir, mini_project.build_dir).summary
    assert dict(summary.triples_per_graph).keys() == {"a", "b", "ontology", "ontology-closure"}
    # org-a is an Institute; org-b is typed org:Organization and ResearchBody: the latter wins.
    assert dict(summary.actors_by_kind) == {"Institute": 1, "Research body": 1, "foaf:Person": 1}
    (agreement,) = summary.agreements
    assert (agreement.label, agreement.date) == ("MoU A–B", "2019-02-10")
    assert agreement.parties == ("Body B", "Institute A")
    assert [s.title for s in summary.sources] == ["Two institutes agree", "About Ada"]
    assert summary.derived_nodes == 4
    text = (mini_project.build_dir / "summary.md").read_text(encoding="utf-8")
    assert f"Total triples: {summary.total_triples}" in text
    assert "| MoU A–B | 2019-02-10 | Body B; Institute A |" in text


def test_default_out_dir_is_project_build(mini_project: MiniProject) -> None:
    result = build()
    assert result.out_dir == _paths.build_dir() == mini_project.build_dir.resolve()


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [("broken.ttl", BROKEN, InputError), ("c.ttl", NONCONFORMING, ConformanceError)],
    ids=["syntax-error", "nonconforming"],
)
def test_failed_build_leaves_earlier_build_untouched(
    mini_project: MiniProject, tmp_path: Path, name: str, text: str, error: type[Exception]
) -> None:
    out = tmp_path / "out"
    build(mini_project.graph_dir, out)
    before = _snapshot(out)
    copy = tmp_path / "graph-copy"
    shutil.copytree(mini_project.graph_dir, copy)
    (copy / name).write_text(text, encoding="utf-8")
    with pytest.raises(error):
        build(copy, out)
    assert _snapshot(out) == before


def test_failed_build_writes_nothing_into_a_fresh_folder(
    mini_project: MiniProject, tmp_path: Path
) -> None:
    mini_project.write_source("c.ttl", NONCONFORMING)
    with pytest.raises(ConformanceError):
        build(mini_project.graph_dir, tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()


def test_atomic_batch_discards_everything_on_failure(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "one.txt", "old one")
    with pytest.raises(RuntimeError), atomic_outputs(tmp_path) as batch:
        batch.write_text("one.txt", "new one")
        batch.write_text("two.txt", "new two")
        raise RuntimeError("the third output failed")
    assert [p.name for p in tmp_path.iterdir()] == ["one.txt"]
    assert (tmp_path / "one.txt").read_text(encoding="utf-8") == "old one"


def test_real_project_builds_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("MOIKG_HOME", str(repo))
    result = build(out_dir=tmp_path / "build")
    assert result.report.conforms
    assert result.summary.total_triples > 0
    assert all(p.is_file() for p in result.outputs)


def test_outputs_are_reproducible_byte_for_byte(tmp_path: Path) -> None:
    """Regression: rdflib wrote TriG graphs and JSON-LD nodes in hash order, which changes per run.

    Two builds in processes with different hash seeds must write identical files, and the TriG
    must still hold exactly the loaded named graphs.
    """
    repo = Path(__file__).resolve().parents[1]
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"build-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "MOIKG_HOME": str(repo)}
        env["SOURCE_DATE_EPOCH"] = "1796000000"  # dataset.ttl's date of issue, fixed
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(repo / "src"), env.get("PYTHONPATH")])
        )
        subprocess.run(
            [sys.executable, "-m", "moikg", "build", "--out", str(out)],
            env=env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        outputs.append(_snapshot(out))
    assert outputs[0] == outputs[1]

    written = Dataset()
    written.parse(data=outputs[0]["graph.trig"].decode("utf-8"), format="trig")
    loaded = load_dataset(graph_dir=repo / "graph", ontology=repo / "ontology" / "moi.ttl")
    for iri in named_graphs(loaded):
        assert isomorphic(to_memory(loaded, graphs=[iri]).graph(iri), written.graph(iri)), iri


def test_a_build_is_stale_when_a_source_goes_or_the_code_differs(
    mini_project: MiniProject,
) -> None:
    """Regression: only newer files made a build stale.

    A removed source was still served, and a build made by older moikg code (an older
    closure graph, older page) was taken as current because no source had changed.
    """
    from moikg.pipeline import ensure_build, is_stale

    graph_dir, out = mini_project.graph_dir, mini_project.build_dir
    build(graph_dir, out)
    assert not is_stale(out, graph_dir)
    assert ensure_build(build_dir=out, graph_dir=graph_dir) == (out, False)

    removed = sorted(graph_dir.glob("*.ttl"))[-1]
    text = removed.read_text(encoding="utf-8")
    removed.unlink()
    assert is_stale(out, graph_dir)
    removed.write_text(text, encoding="utf-8")
    assert not is_stale(out, graph_dir)  # contents decide, not times

    stamp = out / "build-inputs.json"
    recorded = json.loads(stamp.read_text(encoding="utf-8"))
    stamp.write_text(json.dumps({**recorded, "code": "0" * 64}), encoding="utf-8")
    assert is_stale(out, graph_dir)
    assert ensure_build(build_dir=out, graph_dir=graph_dir) == (out, True)
    assert not is_stale(out, graph_dir)
