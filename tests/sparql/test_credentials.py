"""Push with credentials (issue 11), from the environment or a netrc file, never from flags.

HTTP Digest against a real Virtuoso, HTTP Basic in front of a real ``oxigraph serve``.

The Virtuoso is the session's (``tests/virtuoso_process.py``), whose authenticated Graph Store
endpoint ``/sparql-graph-crud-auth`` asks for Digest and whose administrator is ``dba``/``dba``.
What landed is read back over SPARQL, not from what ``push`` reports.
"""

from __future__ import annotations

import base64
import collections
import http.server
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset

from cli_support import run_cli
from moikg.errors import EndpointError, InputError
from moikg.ingest.export import write_trig
from moikg.sparql.credentials import ENV_PASSWORD, ENV_USER, find_credentials
from moikg.sparql.remote import push_files
from oxigraph_process import Oxigraph
from virtuoso_process import ADMIN, Virtuoso


@pytest.fixture(autouse=True)
def _no_credentials_from_the_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test starts with no credentials: no variables, and a netrc file that is not there."""
    monkeypatch.delenv(ENV_USER, raising=False)
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


@pytest.fixture
def build(sparql_dataset: Dataset, tmp_path: Path) -> Path:
    """A fresh build folder holding the project's ``graph.trig``."""
    folder = tmp_path / "build"
    folder.mkdir()
    trig = write_trig(sparql_dataset, folder / "graph.trig")
    future = time.time() + 3600  # newer than every source: the build counts as fresh
    os.utime(trig, (future, future))
    return folder


def _sizes_in(trig: Path) -> dict[str, int]:
    sizes: collections.Counter[str] = collections.Counter()
    for quad in pyoxigraph.parse(path=str(trig), format=pyoxigraph.RdfFormat.TRIG):
        sizes[str(quad.graph_name.value)] += 1  # type: ignore[union-attr]
    return dict(sizes)


@pytest.fixture
def virtuoso_store(virtuoso: Virtuoso) -> Iterator[Virtuoso]:
    """The session's Virtuoso, emptied of moikg's graphs; what a test pushes the next ``load`` clears."""
    virtuoso.load("nothing", [])
    yield virtuoso
    pushed = tuple(virtuoso.graph_sizes())
    virtuoso.loaded = ("pushed", pushed)


# --- Where credentials come from ----------------------------------------------------------------


def test_variables_win_over_netrc_and_netrc_is_read_per_host(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(
        "machine 127.0.0.1 login ada password lovelace\ndefault login anon password guest\n"
    )
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    found = find_credentials("http://127.0.0.1:8890/sparql-graph-crud-auth")
    assert found is not None and (found.user, found.password) == ("ada", "lovelace")
    assert found.origin == str(netrc) and "lovelace" not in repr(found)
    other = find_credentials("http://example.org/store")
    assert other is not None and other.user == "anon"  # the default entry
    monkeypatch.setenv(ENV_USER, "dba")
    monkeypatch.setenv(ENV_PASSWORD, "secret")
    found = find_credentials("http://127.0.0.1:8890/sparql-graph-crud-auth")
    assert found is not None and (found.user, found.password) == ("dba", "secret")


def test_no_credentials_when_nothing_is_configured() -> None:
    assert find_credentials("http://127.0.0.1:8890/store") is None


def test_half_set_variables_and_a_broken_netrc_are_input_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_USER, "dba")
    with pytest.raises(InputError, match=f"set both {ENV_USER} and {ENV_PASSWORD}"):
        find_credentials("http://127.0.0.1/store")
    monkeypatch.delenv(ENV_USER)
    broken = tmp_path / "netrc"
    broken.write_text("machine 127.0.0.1 login ada password lovelace\nfrobnicate\n")
    monkeypatch.setenv("NETRC", str(broken))
    with pytest.raises(InputError, match=rf"^{broken}:\d+: cannot read this netrc file"):
        find_credentials("http://127.0.0.1/store")


def test_push_has_no_flag_for_a_password() -> None:
    code, out, err = run_cli("push", "--help")
    assert code == 0
    assert "password" not in (out + err).lower() and "--user" not in out


# --- HTTP Digest: Virtuoso's authenticated Graph Store endpoint ---------------------------------


def test_push_to_virtuoso_with_digest_from_the_environment(
    virtuoso_store: Virtuoso, build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_USER, ADMIN[0])
    monkeypatch.setenv(ENV_PASSWORD, ADMIN[1])
    code, out, err = run_cli(
        "push", "--endpoint", virtuoso_store.crud_auth, "--build-dir", str(build)
    )
    assert code == 0, out + err
    expected = _sizes_in(build / "graph.trig")
    assert f"pushed {len(expected)} graph(s)" in out
    assert virtuoso_store.graph_sizes() == expected


def test_push_to_virtuoso_with_credentials_from_netrc(
    virtuoso_store: Virtuoso, build: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {ADMIN[0]} password {ADMIN[1]}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    result = push_files(virtuoso_store.crud_auth, [build / "graph.trig"])
    assert dict(result.graphs) == virtuoso_store.graph_sizes() == _sizes_in(build / "graph.trig")


def test_push_to_virtuoso_without_credentials_says_which_to_set(
    virtuoso_store: Virtuoso, build: Path
) -> None:
    code, _, err = run_cli(
        "push", "--endpoint", virtuoso_store.crud_auth, "--build-dir", str(build)
    )
    assert code == 2
    message = err.strip()
    assert "\n" not in message and "HTTP 401" in message
    assert ENV_USER in message and ENV_PASSWORD in message and "netrc" in message


def test_push_to_virtuoso_with_a_wrong_password_names_the_user_and_where_it_came_from(
    virtuoso_store: Virtuoso, build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_USER, ADMIN[0])
    monkeypatch.setenv(ENV_PASSWORD, "not-the-password")
    with pytest.raises(EndpointError) as caught:
        push_files(virtuoso_store.crud_auth, [build / "graph.trig"])
    message = str(caught.value)
    assert "HTTP 401" in message and "refused user 'dba'" in message and ENV_USER in message
    assert "not-the-password" not in message


# --- HTTP Basic: a real gate in front of a real oxigraph serve ----------------------------------


class _BasicGate(http.server.ThreadingHTTPServer):
    """Asks for HTTP Basic (RFC 7617), then forwards each request to an upstream Graph Store."""

    def __init__(self, upstream: str, user: str, password: str) -> None:
        super().__init__(("127.0.0.1", 0), _GateHandler)
        self.upstream = upstream
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.seen: list[str | None] = []  # the Authorization header of each request

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"


class _GateHandler(http.server.BaseHTTPRequestHandler):
    server: _BasicGate

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        given = self.headers.get("Authorization")
        self.server.seen.append(given)
        if given != self.server.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="moikg test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        query = self.path.partition("?")[2]
        request = urllib.request.Request(
            f"{self.server.upstream}?{query}", data=body, method="PUT",
            headers={"Content-Type": self.headers.get("Content-Type", "")},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as answer:
            status = answer.status
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def basic_gate(writable_server: Oxigraph) -> Iterator[_BasicGate]:
    gate = _BasicGate(writable_server.store, "ada", "lovelace")
    threading.Thread(target=gate.serve_forever, daemon=True).start()
    yield gate
    gate.shutdown()


def test_push_with_basic_sends_credentials_only_when_asked(
    basic_gate: _BasicGate, writable_server: Oxigraph, build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_USER, "ada")
    monkeypatch.setenv(ENV_PASSWORD, "lovelace")
    result = push_files(basic_gate.url, [build / "graph.trig"])
    expected = _sizes_in(build / "graph.trig")
    assert dict(result.graphs) == expected
    assert basic_gate.seen[0] is None  # the first request carries no password
    assert basic_gate.seen[1] == basic_gate.expected
    # What landed, asked of the server itself.
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(
        writable_server.query + "?query=" + urllib.parse.quote(text),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        rows = json.load(response)["results"]["bindings"]
    assert {r["g"]["value"]: int(r["n"]["value"]) for r in rows} == expected


def test_push_with_basic_and_no_credentials_is_one_line_exit_2(
    basic_gate: _BasicGate, build: Path
) -> None:
    code, _, err = run_cli("push", "--endpoint", basic_gate.url, "--build-dir", str(build))
    assert code == 2 and "HTTP 401" in err and ENV_USER in err
    assert basic_gate.seen == [None]


def test_credentials_are_not_sent_to_an_oxigraph_that_does_not_ask(
    writable_server: Oxigraph, build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_USER, "ada")
    monkeypatch.setenv(ENV_PASSWORD, "lovelace")
    result = push_files(writable_server.store, [build / "graph.trig"])
    assert dict(result.graphs) == _sizes_in(build / "graph.trig")
