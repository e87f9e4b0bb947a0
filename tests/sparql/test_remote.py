"""Tests for moikg.remote: SPARQLWrapper queries and Graph Store uploads against real servers.

Requests go to a real ``oxigraph serve``; where a behaviour needs an answer
Oxigraph never gives (HTTP 429, silence), a small real HTTP server on
127.0.0.1 stands in front of it or in its place.
"""

from __future__ import annotations

import collections
import http.server
import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset
from typer.testing import CliRunner

from moikg.cli import app
from moikg.errors import EndpointError
from moikg.ingest.export import write_trig
from moikg.sparql.dispatch import query
from moikg.sparql.remote import RemoteOptions, push_files
from oxigraph_process import Oxigraph, free_port

runner = CliRunner()


class _Proxy(http.server.ThreadingHTTPServer):
    """Forwards to an upstream endpoint; answers 429 to the first ``refuse`` requests."""

    def __init__(self, upstream: str, *, refuse: int, retry_after: str | None) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream = upstream
        self.refuse = refuse
        self.retry_after = retry_after
        self.seen: list[tuple[str, str, float]] = []  # method, User-Agent, time

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/query"


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self) -> None:
        proxy = self.server
        proxy.seen.append((self.command, self.headers.get("User-Agent", ""), time.monotonic()))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if len(proxy.seen) <= proxy.refuse:
            self.send_response(429, "Too Many Requests")
            if proxy.retry_after is not None:
                self.send_header("Retry-After", proxy.retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        query = urllib.parse.urlsplit(self.path).query
        target = proxy.upstream + (f"?{query}" if query else "")
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
        request = urllib.request.Request(
            target, data=body or None, method=self.command, headers=headers
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
            self.send_response(response.status)
            self.send_header("Content-Type", response.headers["Content-Type"])
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    do_GET = _handle
    do_POST = _handle


@pytest.fixture
def proxy_factory(catalogue_server: Oxigraph) -> Iterator[Callable[..., _Proxy]]:
    started: list[_Proxy] = []

    def make(*, refuse: int = 0, retry_after: str | None = "1") -> _Proxy:
        proxy = _Proxy(catalogue_server.query, refuse=refuse, retry_after=retry_after)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.shutdown()
        proxy.server_close()


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    listener.close()


# --- Queries ----------------------------------------------------------------------------------


def test_user_agent_names_moikg_with_a_contact_url(
    proxy_factory: Callable[..., _Proxy], sparql_dataset: Dataset
) -> None:
    proxy = proxy_factory()
    result = query("partners-of", endpoint=proxy.url)
    assert result.columns == ("partner", "partnerLabel", "via", "viaLabel")
    ((method, agent, _),) = proxy.seen
    assert method == "GET"
    assert agent.startswith("moikg/") and "(+https://" in agent


def test_long_queries_are_sent_by_post(proxy_factory: Callable[..., _Proxy]) -> None:
    proxy = proxy_factory()
    padding = "# " + "x" * 3000 + "\n"
    short = query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=proxy.url)
    long = query(padding + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=proxy.url)
    assert [m for m, _, _ in proxy.seen] == ["GET", "POST"]
    assert long.rows == short.rows


def test_429_retry_after_is_honoured(
    proxy_factory: Callable[..., _Proxy], sparql_dataset: Dataset
) -> None:
    proxy = proxy_factory(refuse=2, retry_after="1")
    result = query("partners-of", endpoint=proxy.url, options=RemoteOptions(retries=3))
    assert len(proxy.seen) == 3
    gaps = [b[2] - a[2] for a, b in zip(proxy.seen, proxy.seen[1:], strict=False)]
    assert all(gap >= 0.9 for gap in gaps)  # waited the second the server asked for
    local = query("partners-of", dataset=sparql_dataset)
    assert sorted(map(str, result.rows)) == sorted(map(str, local.rows))


def test_429_gives_up_after_the_bounded_number_of_retries(
    proxy_factory: Callable[..., _Proxy],
) -> None:
    proxy = proxy_factory(refuse=10, retry_after="0")
    with pytest.raises(EndpointError, match=r"HTTP 429 Too Many Requests, still after 2 retries"):
        query("partners-of", endpoint=proxy.url, options=RemoteOptions(retries=2))
    assert len(proxy.seen) == 3


def test_429_asking_for_too_long_a_wait_fails_at_once(proxy_factory: Callable[..., _Proxy]) -> None:
    proxy = proxy_factory(refuse=1, retry_after="3600")
    with pytest.raises(EndpointError, match=r"asks to wait 3600 s, more than 60 s"):
        query("partners-of", endpoint=proxy.url, options=RemoteOptions(max_wait=60))
    assert len(proxy.seen) == 1


def test_unreachable_endpoint_is_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError) as caught:
        query("partners-of", endpoint=url)
    message = str(caught.value)
    assert message.startswith(f"query queries/partners-of.rq at {url}: cannot connect")
    assert "\n" not in message and caught.value.exit_code == 2


def test_timeout_is_one_line(silent_endpoint: str) -> None:
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"no answer within 1 s \(timeout\)$"):
        query("partners-of", endpoint=silent_endpoint, options=RemoteOptions(timeout=1))
    assert time.monotonic() - started < 10


def test_http_error_is_one_line(catalogue_server: Oxigraph) -> None:
    with pytest.raises(EndpointError, match=r"HTTP 404 Not Found") as caught:
        query("partners-of", endpoint=catalogue_server.base + "/nowhere")
    assert "\n" not in str(caught.value)


def test_update_words_in_a_comment_block_do_not_make_it_an_update(
    catalogue_server: Oxigraph,
) -> None:
    """Regression: SPARQLWrapper read "created" on a comment's second line as CREATE (HTTP 400)."""
    text = (
        "# Which organisations are there?\n"
        "# The date each was created, and its addressCountry, are not asked for.\n"
        "# Nor is anything to ADD or DROP.\n"
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }"
    )
    remote = query(text, endpoint=catalogue_server.query).to_dicts()
    local = query(text).to_dicts()
    assert remote == local
    assert remote[0]["n"] > 0


@pytest.mark.parametrize("failure", ["unreachable", "timeout", "http-error"])
def test_cli_endpoint_failures_exit_2(
    failure: str, silent_endpoint: str, catalogue_server: Oxigraph
) -> None:
    url = {
        "unreachable": f"http://127.0.0.1:{free_port()}/query",
        "timeout": silent_endpoint,
        "http-error": catalogue_server.base + "/nowhere",
    }[failure]
    result = runner.invoke(app, ["query", "partners-of", "--endpoint", url, "--timeout", "1"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: query queries/partners-of.rq at ")


# --- Graph Store Protocol push ----------------------------------------------------------------


def _graph_sizes_on_server(server: Oxigraph) -> dict[str, int]:
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(
        server.query + "?query=" + urllib.parse.quote(text),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        bindings = json.load(response)["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in bindings}


def _graph_sizes_in_file(trig: Path) -> dict[str, int]:
    sizes: collections.Counter[str] = collections.Counter()
    for quad in pyoxigraph.parse(path=str(trig), format=pyoxigraph.RdfFormat.TRIG):
        sizes[str(quad.graph_name.value)] += 1
    return dict(sizes)


def test_push_uploads_every_named_graph(
    sparql_dataset: Dataset, writable_server: Oxigraph, tmp_path: Path
) -> None:
    trig = write_trig(sparql_dataset, tmp_path / "graph.trig")
    expected = _graph_sizes_in_file(trig)
    assert "https://w3id.org/moikg/graph/ontology" in expected
    result = push_files(writable_server.store, [trig])
    assert dict(result.graphs) == expected
    assert _graph_sizes_on_server(writable_server) == expected
    push_files(writable_server.store, [trig])  # PUT replaces: pushing again changes nothing
    assert _graph_sizes_on_server(writable_server) == expected


def test_push_to_a_read_only_server_is_refused_with_one_line(
    sparql_dataset: Dataset, catalogue_server: Oxigraph, tmp_path: Path
) -> None:
    trig = write_trig(sparql_dataset, tmp_path / "graph.trig")
    with pytest.raises(EndpointError, match=r"^upload of graph <[^>]+> at .*: HTTP 403") as caught:
        push_files(catalogue_server.store, [trig])
    assert caught.value.exit_code == 2 and "\n" not in str(caught.value)


def test_cli_push_uses_the_build(
    sparql_dataset: Dataset, writable_server: Oxigraph, tmp_path: Path
) -> None:
    build = tmp_path / "build"
    build.mkdir()
    trig = write_trig(sparql_dataset, build / "graph.trig")
    future = time.time() + 3600  # newer than every source: the build counts as fresh
    os.utime(trig, (future, future))
    result = runner.invoke(
        app, ["push", "--endpoint", writable_server.store, "--build-dir", str(build)]
    )
    assert result.exit_code == 0, result.output
    assert f"pushed {len(_graph_sizes_in_file(trig))} graph(s)" in result.stdout
    assert _graph_sizes_on_server(writable_server) == _graph_sizes_in_file(trig)
