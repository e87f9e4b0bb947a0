"""The embedded store's limits: a time limit and no SERVICE requests unless allowed (issue 13).

The CLI cases run the real ``moikg query`` command in a subprocess on a copy of
the project; the SERVICE target is a real HTTP server on 127.0.0.1 that counts
the requests it gets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from http_faults import Behaviour, misbehaving_server
from moikg.errors import QueryError
from moikg.ingest.load import new_dataset
from moikg.sparql.lexing import service_targets
from moikg.sparql.local import run_embedded
from moikg.sparql.prepare import prepare
from project_support import one_source_project

ROOT = Path(__file__).resolve().parents[2]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return one_source_project(tmp_path / "project", "2019-02-11-iipp-oecd-mou.ttl")


def _moikg(project: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MOIKG_HOME=str(project))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "moikg", *args],
        capture_output=True, text=True, env=env, cwd=project, timeout=timeout, check=False,
    )  # fmt: skip
    assert "Traceback" not in done.stderr
    return done


@pytest.mark.timeout(120)
def test_runaway_query_stops_at_the_time_limit(project: Path) -> None:
    started = time.monotonic()
    done = _moikg(project, "query", RUNAWAY, "--timeout", "3", timeout=90)
    elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: <query>: the query ran longer than 3 s, the time limit; narrow it (a LIMIT, "
        "more specific patterns) or pass --timeout <seconds> (0 for none)"
    ]
    assert elapsed < 60  # start-up and loading take seconds; the query alone would never end


def _three_hundred_triples() -> Dataset:
    """One graph of 300 triples: joins of three or four patterns give millions of rows."""
    dataset = new_dataset()
    graph = dataset.graph(URIRef("https://w3id.org/moikg/graph/t"))
    for i in range(300):
        graph.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
    return dataset


@pytest.mark.timeout(60)
def test_time_limit_in_the_library_and_rows_stop_being_read() -> None:
    dataset = _three_hundred_triples()
    streamed = prepare("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")  # 27 million rows
    counted = prepare("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    for prepared in (streamed, counted):
        started = time.monotonic()
        with pytest.raises(QueryError, match=r"ran longer than 1 s, the time limit") as caught:
            run_embedded(prepared, dataset, time_limit=1)
        assert caught.value.parameter == "time_limit"
        assert time.monotonic() - started < 5


def test_small_queries_run_under_the_limit() -> None:
    dataset = new_dataset()
    dataset.graph(URIRef("https://w3id.org/moikg/graph/t")).add(
        (URIRef("urn:s"), URIRef("urn:p"), Literal("o"))
    )
    result = run_embedded(prepare("SELECT ?o WHERE { ?s ?p ?o }"), dataset, time_limit=30)
    assert [str(row[0]) for row in result.rows] == ["o"]


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("SELECT * { SERVICE <http://x/s> { ?s ?p ?o } }", ["<http://x/s>"]),
        ("SELECT * { service silent <http://x/s> { ?s ?p ?o } }", ["<http://x/s>"]),
        ("SELECT * { ?service ?p ?o } # SERVICE <http://x/s>", []),
        ('SELECT * { ?s ?p "SERVICE <http://x/s>" }', []),
        ("SELECT * { ?s ex:SERVICE ?o }", []),
    ],
    ids=["iri", "silent-lowercase", "variable-and-comment", "string", "prefixed-name"],
)
def test_service_targets_are_found_outside_comments_and_strings(
    text: str, targets: list[str]
) -> None:
    assert service_targets(text) == targets


@pytest.mark.timeout(120)
def test_service_clause_sends_nothing_unless_allowed(project: Path) -> None:
    behaviour = Behaviour("body")
    with misbehaving_server(behaviour) as base:
        text = f"SELECT ?x WHERE {{ SERVICE <{base}/sparql> {{ ?x ?p ?o }} }}"
        refused = _moikg(project, "query", text, timeout=60)
        assert behaviour.hits == []
        allowed = _moikg(project, "query", text, "--allow-service", timeout=60)
        hits = list(behaviour.hits)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"error: <query>: the query has a SERVICE clause (<{base}/sparql>), which sends "
        "requests to another endpoint; pass --allow-service to run it"
    ]
    assert allowed.returncode == 0, allowed.stderr
    assert hits == ["/sparql"]


@pytest.mark.timeout(60)
def test_preparing_a_query_sends_no_service_request() -> None:
    """The syntax check (also before a query goes to an endpoint) must not evaluate SERVICE."""
    behaviour = Behaviour("body")
    with misbehaving_server(behaviour) as base:
        prepared = prepare(f"SELECT ?x WHERE {{ SERVICE SILENT <{base}/sparql> {{ ?x ?p ?o }} }}")
        time.sleep(0.5)
    assert behaviour.hits == []
    assert f"SERVICE SILENT <{base}/sparql>" in prepared.text


@pytest.mark.timeout(60)
def test_the_evaluation_stops_when_the_caller_stops_waiting() -> None:
    dataset = _three_hundred_triples()
    # 8.1 billion rows: the worker ends only if writing them stops.
    streamed = prepare("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    before = set(threading.enumerate())
    with pytest.raises(QueryError, match="time limit"):
        run_embedded(streamed, dataset, time_limit=0.5)
    deadline = time.monotonic() + 10
    while any(t.name.startswith("moikg query") for t in set(threading.enumerate()) - before):
        assert time.monotonic() < deadline, "the query's worker went on writing rows"
        time.sleep(0.05)


@pytest.mark.parametrize("keep", [0, 1, 999, 2999, 3000, 5000])
def test_keep_gives_the_first_rows_and_counts_them_all(keep: int) -> None:
    dataset = new_dataset()
    graph = dataset.graph(URIRef("https://w3id.org/moikg/graph/t"))
    for i in range(3000):  # about 190 kB of TSV: many chunks, cut inside multi-byte characters
        graph.add((URIRef(f"urn:s{i:04d}"), URIRef("urn:p"), Literal(f"東京 Zürich {i} " * 3)))
    text = prepare("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s")
    every = run_embedded(text, dataset)
    kept = run_embedded(text, dataset, keep=keep)
    assert len(every) == 3000 and every.total is None
    assert kept.total == 3000
    assert list(kept.rows) == list(every.rows)[:keep]
    assert [str(row[0]) for row in every.rows[:2]] == ["urn:s0000", "urn:s0001"]
