"""Issue 8 A5: the default graph that queries see is the RDF merge, each triple once.

Oxigraph's union default graph repeats a triple once per named graph that states it, so a
plain ``SELECT ?s ?t WHERE { ?s dcterms:title ?t }`` returned more rows than there are facts.
Here a source is stated twice (a second file with the same triples, as two sources repeating
a title); the expected rows are the distinct (subject, title) pairs read from the files by
pyoxigraph's parser, independently of the code under test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from moikg.ingest.load import load_dataset
from moikg.sparql.dispatch import query

ROOT = Path(__file__).resolve().parents[2]
TITLE = "http://purl.org/dc/terms/title"
TEXT = "SELECT ?s ?t WHERE { ?s dcterms:title ?t }"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("merge") / "project"
    (root / "ontology").mkdir(parents=True)
    (root / "graph").mkdir()
    for name in ("moi.ttl", "shapes.ttl"):
        shutil.copy(ROOT / "ontology" / name, root / "ontology" / name)
    source = ROOT / "graph" / "2019-02-11-iipp-oecd-mou.ttl"
    shutil.copy(source, root / "graph")
    shutil.copy(source, root / "graph" / "2019-02-11-iipp-oecd-mou-repeated.ttl")
    return root


def _titles(project: Path) -> tuple[set[tuple[str, str]], int]:
    """The merge's (subject, title) pairs, and how many times the files state them in all."""
    pairs: list[tuple[str, str]] = []
    for path in [project / "ontology" / "moi.ttl", *sorted((project / "graph").glob("*.ttl"))]:
        for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            if t.predicate.value == TITLE:
                pairs.append((t.subject.value, t.object.value))  # type: ignore[union-attr]
    return set(pairs), len(pairs)


def test_the_fixture_states_titles_twice(project: Path) -> None:
    merge, stated = _titles(project)
    assert merge
    assert stated > len(merge)


def test_moikg_query_returns_each_fact_once(project: Path) -> None:
    merge, _ = _titles(project)
    dataset = load_dataset(project / "graph", ontology=project / "ontology" / "moi.ttl")
    result = query(TEXT, dataset=dataset)
    rows = [(str(s), str(t)) for s, t in result.rows]
    assert sorted(rows) == sorted(merge)


def test_moikg_query_cli_returns_each_fact_once(project: Path) -> None:
    merge, _ = _titles(project)
    env = dict(os.environ, MOIKG_HOME=str(project))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "moikg", "query", TEXT, "--format", "json"],
        capture_output=True, text=True, env=env, cwd=project, timeout=120, check=True,
    )  # fmt: skip
    bindings = json.loads(done.stdout)["results"]["bindings"]
    rows = [(b["s"]["value"], b["t"]["value"]) for b in bindings]
    assert sorted(rows) == sorted(merge)


def test_named_graphs_still_say_which_source_states_what(project: Path) -> None:
    dataset = load_dataset(project / "graph", ontology=project / "ontology" / "moi.ttl")
    result = query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s dcterms:title ?t } }", dataset=dataset)
    assert sorted(str(g) for (g,) in result.rows) == [
        "https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou",
        "https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou-repeated",
        "https://w3id.org/moikg/graph/ontology",
    ]
