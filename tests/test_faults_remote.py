"""Remote endpoints that misbehave: bounded time and size, one clear line (issue 13, 3, 5, 10).

The endpoints are real HTTP servers on 127.0.0.1 started by the test
(:mod:`http_faults`); the client is the real ``moikg query`` command.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from http_faults import Behaviour, misbehaving_server
from moikg.errors import EndpointError
from moikg.sparql.prepare import prepare
from moikg.sparql.remote import RemoteOptions, push_files, select
from test_faults_input import moikg, project  # noqa: F401 (the fixture)

HTML = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>Hi</body></html>"
BROKEN_JSON = b'{"head": {"vars": ["x"]}, "results": {"bindings": [ nonsense ]}}'


@pytest.mark.timeout(40)
def test_drip_endpoint_fails_after_the_timeout_not_per_byte(project: Path) -> None:  # noqa: F811
    with misbehaving_server(Behaviour("drip", interval=2.0)) as base:
        started = time.monotonic()
        done = moikg(
            project, "query", "partners-of", "--endpoint", f"{base}/query", "--timeout", "5"
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: query queries/partners-of.rq at {base}/query: no answer within 5 s (timeout)"
    ]
    assert elapsed < 20  # the process starts in ~1-3 s; a per-read timeout took 121 s


@pytest.mark.timeout(30)
def test_drip_upload_is_bounded_too(tmp_path: Path) -> None:
    trig = tmp_path / "g.trig"
    trig.write_text('<urn:g> { <urn:s> <urn:p> "o" . }\n', encoding="utf-8")
    started = time.monotonic()
    with (
        misbehaving_server(Behaviour("drip", interval=1.0)) as base,
        pytest.raises(EndpointError, match=r"no answer within 2 s \(timeout\)$"),
    ):
        push_files(f"{base}/store", [trig], options=RemoteOptions(timeout=2))
    assert time.monotonic() - started < 8


@pytest.mark.timeout(60)
def test_html_200_is_not_sparql_json_and_no_warning(project: Path) -> None:  # noqa: F811
    with misbehaving_server(Behaviour("body", body=HTML, content_type="text/html")) as base:
        done = moikg(project, "query", "partners-of", "--endpoint", f"{base}/query")
    assert done.returncode == 2
    assert "Warning" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"error: query queries/partners-of.rq at {base}/query: the endpoint's answer was not "
        f"SPARQL JSON (text/html, {len(HTML)} bytes, starting {HTML[:60].decode()}…); "
        "check that the URL is the query endpoint"
    ]


@pytest.mark.timeout(60)
def test_invalid_json_names_the_problem_and_first_bytes(project: Path) -> None:  # noqa: F811
    with misbehaving_server(Behaviour("body", body=BROKEN_JSON)) as base:
        done = moikg(project, "query", "partners-of", "--endpoint", f"{base}/query")
    assert done.returncode == 2
    line = done.stderr.strip()
    assert "Expecting value" not in line
    assert "the endpoint's answer was not SPARQL JSON (application/sparql-results+json, 64 " in line
    assert 'starting {"head": {"vars": ["x"]}, "results": {"bindings": [ nonsense' in line


@pytest.mark.timeout(60)
def test_answer_body_is_capped(tmp_path: Path) -> None:
    prepared = prepare("SELECT ?x WHERE { ?x ?p ?o }")
    with (
        misbehaving_server(Behaviour("huge", size=50_000_000)) as base,
        pytest.raises(EndpointError, match=r"larger than 1,000,000 bytes, the limit"),
    ):
        select(f"{base}/query", prepared, options=RemoteOptions(max_bytes=1_000_000))


@pytest.mark.timeout(60)
def test_cli_max_bytes_bounds_the_answer(project: Path) -> None:  # noqa: F811
    with misbehaving_server(Behaviour("huge", size=20_000_000)) as base:
        done = moikg(
            project, "query", "partners-of", "--endpoint", f"{base}/query", "--max-bytes", "100000"
        )
    assert done.returncode == 2
    assert "the answer is larger than 100,000 bytes, the limit" in done.stderr
