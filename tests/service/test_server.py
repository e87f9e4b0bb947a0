"""Tests for ``moikg serve``: a real oxigraph server, asked with curl, stopped by signals.

Each test runs ``python -m moikg serve`` on a throwaway copy of the project
(ontology plus the 2019 release), so the build and the store directory live
in ``tmp_path``.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from moikg.service.stores import load_store
from oxigraph_process import free_port

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
CURL = shutil.which("curl")
ASK_RELEASE = (
    "PREFIX org: <http://www.w3.org/ns/org#> "
    "SELECT ?parent WHERE { <https://w3id.org/moikg/id/org/iipp> org:unitOf ?parent }"
)
INSERT = 'INSERT DATA { GRAPH <urn:test> { <urn:s> <urn:p> "written while writable" } }'
ASK_INSERTED = 'ASK { <urn:s> <urn:p> "written while writable" }'
DROP_RELEASE = "DROP GRAPH <https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou>"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "ontology").mkdir(parents=True)
    (root / "graph").mkdir()
    for name in ("moi.ttl", "shapes.ttl"):
        shutil.copy(ROOT / "ontology" / name, root / "ontology" / name)
    shutil.copy(ROOT / "graph" / "2019-02-11-iipp-oecd-mou.ttl", root / "graph")
    return root


@dataclass
class Running:
    """A ``moikg serve`` process, the lines it printed until ready, and its output queue."""

    process: subprocess.Popen[str]
    lines: list[str]
    endpoint: str
    output: queue.Queue[str]


def _start(project: Path, *args: str) -> Running:
    env = dict(os.environ, MOIKG_HOME=str(project))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "moikg", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=project,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True
    ).start()
    seen: list[str] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1).rstrip("\n")
        except queue.Empty:
            assert process.poll() is None, "\n".join(seen)
            continue
        seen.append(line)
        if line.startswith("Press Ctrl-C"):
            endpoint = next(x for x in seen if x.startswith("SPARQL endpoint: ")).split(": ", 1)[1]
            return Running(process, seen, endpoint, lines)
    process.kill()
    raise AssertionError("moikg serve did not get ready:\n" + "\n".join(seen))


def _stop(running: Running, signum: int) -> str:
    running.process.send_signal(signum)
    running.process.wait(timeout=20)
    rest: list[str] = []
    time.sleep(0.2)  # let the reader thread take the last lines
    while not running.output.empty():
        rest.append(running.output.get().rstrip("\n"))
    return "\n".join(rest)


def _curl_query(endpoint: str, text: str) -> dict[str, object]:
    if CURL:  # a real curl call, as a researcher would make it
        done = subprocess.run(
            [CURL, "-sS", "--fail", "-H", "Accept: application/sparql-results+json", "--data-urlencode", f"query={text}", endpoint],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        return dict(json.loads(done.stdout))
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": text}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        return dict(json.load(response))


def _curl_update(update_endpoint: str, text: str) -> int:
    if CURL:
        done = subprocess.run(
            [CURL, "-s", "-o", "/dev/null", "-w", "%{http_code}", "--data-urlencode", f"update={text}", update_endpoint],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        return int(done.stdout)
    request = urllib.request.Request(
        update_endpoint, data=urllib.parse.urlencode({"update": text}).encode()
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_answers_curl_refuses_updates_and_stops_on_sigterm(project: Path) -> None:
    port = free_port()
    running = _start(project, "--port", str(port))
    try:
        assert running.endpoint == f"http://127.0.0.1:{port}/query"
        assert f"YASGUI (works offline): http://127.0.0.1:{port}/" in running.lines
        assert any("read-only" in line for line in running.lines)
        answer = _curl_query(running.endpoint, ASK_RELEASE)
        parents = [b["parent"]["value"] for b in answer["results"]["bindings"]]  # type: ignore[index]
        assert parents == ["https://w3id.org/moikg/id/org/ucl"]
        assert _curl_update(f"http://127.0.0.1:{port}/update", INSERT) == 403
    finally:
        tail = _stop(running, signal.SIGTERM)
    assert running.process.returncode == 0
    assert "stopped" in tail
    assert (project / "build" / "graph.trig").is_file()
    assert (project / "build" / "oxigraph").is_dir()


@pytest.mark.timeout(300)
def test_read_only_serves_the_build_after_writes_and_writes_persist_apart(project: Path) -> None:
    """Issue 13, point 8: a read-only server always serves exactly the build."""
    port = free_port()
    first = _start(project, "--port", str(port), "--writable")
    try:
        assert any("oxigraph-writable: a writable copy of the current build, seeded now" in line
                   for line in first.lines)  # fmt: skip
        assert _curl_update(f"http://127.0.0.1:{port}/update", INSERT) == 204
        assert _curl_update(f"http://127.0.0.1:{port}/update", DROP_RELEASE) == 204
        assert _curl_query(first.endpoint, ASK_INSERTED)["boolean"] is True
    finally:
        _stop(first, signal.SIGINT)  # what Ctrl-C sends
    assert first.process.returncode == 0
    second = _start(project, "--port", str(port))  # read-only: the build's own store
    try:
        assert any(line.endswith("oxigraph: the current build, read-only; loaded from the build")
                   for line in second.lines)  # fmt: skip
        assert _curl_query(second.endpoint, ASK_INSERTED)["boolean"] is False
        answer = _curl_query(second.endpoint, ASK_RELEASE)
        assert len(answer["results"]["bindings"]) == 1  # type: ignore[index]
        assert _curl_update(f"http://127.0.0.1:{port}/update", INSERT) == 403
    finally:
        _stop(second, signal.SIGTERM)
    assert second.process.returncode == 0
    third = _start(project, "--port", str(port), "--writable")  # the writes are still there
    try:
        assert any("earlier updates kept" in line for line in third.lines)
        assert _curl_query(third.endpoint, ASK_INSERTED)["boolean"] is True
    finally:
        _stop(third, signal.SIGTERM)


def test_port_in_use_is_one_line_exit_2(project: Path) -> None:
    port = free_port()
    running = _start(project, "--port", str(port))
    try:
        env = dict(os.environ, MOIKG_HOME=str(project), PYTHONPATH=str(SRC))
        done = subprocess.run(
            [sys.executable, "-m", "moikg", "serve", "--port", str(port)],
            capture_output=True, text=True, env=env, cwd=project, timeout=60, check=False,
        )  # fmt: skip
    finally:
        _stop(running, signal.SIGTERM)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"port {port}" in done.stderr and "pass --port" in done.stderr


def test_load_store_reloads_only_when_the_build_changes(tmp_path: Path) -> None:
    trig = tmp_path / "graph.trig"
    trig.write_text('<urn:g> { <urn:s> <urn:p> "one" . }\n', encoding="utf-8")
    store, stamp = tmp_path / "oxigraph", tmp_path / "stamp.json"
    assert load_store([trig], store, stamp=stamp) is True
    assert load_store([trig], store, stamp=stamp) is False
    trig.write_text('<urn:g> { <urn:s> <urn:p> "two" . }\n', encoding="utf-8")
    assert load_store([trig], store, stamp=stamp) is True


def test_yasgui_page_works_offline_with_the_project_prefixes(project: Path) -> None:
    """The served query page (Oxigraph's own) runs a query with every outside request blocked."""
    from playwright.sync_api import sync_playwright

    from moikg.rdf.namespaces import PREFIXES

    port = free_port()
    running = _start(project, "--port", str(port))
    blocked: list[str] = []
    try:
        (line,) = [x for x in running.lines if x.startswith("YASGUI with the project prefixes: ")]
        url = line.split(": ", 1)[1]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
            )
            page = browser.new_page()

            def route(handle: Any) -> None:
                if handle.request.url.startswith(f"http://127.0.0.1:{port}/"):
                    handle.continue_()
                else:
                    blocked.append(handle.request.url)
                    handle.abort()

            page.route("**/*", route)
            page.goto(url)
            page.wait_for_selector(".CodeMirror", timeout=15_000)
            text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
            for name, iri in PREFIXES.items():
                assert f"PREFIX {name}: <{iri}>" in text
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".yasr_results td", timeout=15_000)
            cells = page.locator(".yasr_results").inner_text()
            browser.close()
        assert "UCL Institute for Innovation and Public Purpose" in cells
        # Only YASGUI's list of well-known prefixes (autocompletion) is asked of the internet.
        assert all("prefix.cc" in u for u in blocked), blocked
    finally:
        _stop(running, signal.SIGTERM)


def test_read_only_serve_answers_the_merge_each_triple_once(project: Path) -> None:
    """Issue 8 A5: a triple two sources state is one row (no --union-default-graph repeats)."""
    source = project / "graph" / "2019-02-11-iipp-oecd-mou.ttl"
    shutil.copy(source, project / "graph" / "2019-02-11-iipp-oecd-mou-repeated.ttl")
    text = "SELECT ?s ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
    expected: set[tuple[str, str]] = set()
    for path in (project / "ontology" / "moi.ttl", source):  # read by pyoxigraph, not moikg
        for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            if t.predicate.value == "http://purl.org/dc/terms/title":
                expected.add((t.subject.value, t.object.value))  # type: ignore[union-attr]
    port = free_port()
    running = _start(project, "--port", str(port))
    try:
        answer = _curl_query(running.endpoint, text)
        bindings = answer["results"]["bindings"]  # type: ignore[index]
        rows = [(b["s"]["value"], b["t"]["value"]) for b in bindings]  # type: ignore[attr-defined]
        assert sorted(rows) == sorted(expected)
        named = _curl_query(running.endpoint, "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g {} }")
        assert named["results"]["bindings"][0]["n"]["value"] != "0"  # type: ignore[index]
    finally:
        _stop(running, signal.SIGTERM)


# --- Faults (issue 13, point 7 and the server's time limit) ---------------------------------------


def _children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid``, read from /proc (not through moikg)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(240)
def test_kill_9_of_the_cli_takes_the_server_with_it(project: Path) -> None:
    port = free_port()
    running = _start(project, "--port", str(port))
    servers = [pid for pid in _children(running.process.pid) if _alive(pid)]
    assert len(servers) == 1
    try:
        running.process.kill()  # SIGKILL: no handler of moikg runs
        running.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (_alive(servers[0]) or not _port_free(port)):
            time.sleep(0.05)
        assert not _alive(servers[0]), "the oxigraph child outlived kill -9 of moikg serve"
        assert _port_free(port)
    finally:
        if _alive(servers[0]):
            os.kill(servers[0], signal.SIGKILL)
    again = _start(project, "--port", str(port))  # the same port, at once
    try:
        answer = _curl_query(again.endpoint, ASK_RELEASE)
        assert len(answer["results"]["bindings"]) == 1  # type: ignore[index]
    finally:
        _stop(again, signal.SIGTERM)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(240)
def test_a_server_left_from_an_earlier_run_is_named_by_pid(project: Path) -> None:
    port = free_port()
    _stop(_start(project, "--port", str(port)), signal.SIGTERM)  # builds and loads the store
    stale_port = free_port()
    stale = subprocess.Popen(
        [str(Path(sys.executable).parent / "oxigraph"), "serve-read-only", "--location",
         str(project / "build" / "oxigraph"), "--bind", f"127.0.0.1:{stale_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while _port_free(stale_port) and time.monotonic() < deadline:
            time.sleep(0.1)
        env = dict(os.environ, MOIKG_HOME=str(project), PYTHONPATH=str(SRC))
        for args in (["--port", str(port)], ["--port", str(stale_port)]):
            done = subprocess.run(
                [sys.executable, "-m", "moikg", "serve", *args],
                capture_output=True, text=True, env=env, cwd=project, timeout=60, check=False,
            )  # fmt: skip
            assert done.returncode == 2, done.stdout + done.stderr
            assert "Traceback" not in done.stderr
            assert f"PID {stale.pid} (oxigraph serve-read-only" in done.stderr
            assert f"kill {stale.pid}" in done.stderr
    finally:
        stale.kill()
        stale.wait(timeout=10)


def _command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(120)
def test_server_has_a_time_limit_by_default_and_on_request(project: Path) -> None:
    for args, seconds in (([], "60"), (["--timeout", "2"], "2")):
        running = _start(project, "--port", str(free_port()), *args)
        try:
            assert f"time limit: {seconds} s per query (--timeout)" in running.lines
            (server,) = _children(running.process.pid)
            command = _command_line(server)
            assert command[command.index("--timeout-s") + 1] == seconds
        finally:
            _stop(running, signal.SIGTERM)


def _post(endpoint: str, text: str) -> urllib.request.Request:
    return urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": text}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )  # fmt: skip


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(120)
def test_server_time_limit_ends_a_runaway_query(project: Path) -> None:
    """Oxigraph 0.5 takes --timeout-s but never stops a query; moikg serve keeps the limit."""
    running = _start(project, "--port", str(free_port()), "--timeout", "2")
    (first,) = _children(running.process.pid)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    streaming = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    try:
        began = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(_post(running.endpoint, runaway), timeout=30).read()
        assert time.monotonic() - began < 15  # 2 s limit; generous for a loaded machine
        assert caught.value.code == 503
        message = caught.value.read().decode()
        assert "query time limit of 2 s reached" in message and "--timeout" in message
        # The query cannot be stopped inside oxigraph: the child is replaced, the old one gone.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _alive(first):
            time.sleep(0.1)
        assert not _alive(first), "the oxigraph child that ran the runaway query still runs"
        answer = _curl_query(running.endpoint, ASK_RELEASE)  # served again, same data
        assert len(answer["results"]["bindings"]) == 1  # type: ignore[index]
        # A streaming answer past the limit is cut short: never a complete, parseable answer.
        began = time.monotonic()
        with pytest.raises((urllib.error.HTTPError, http.client.IncompleteRead, ConnectionError)):
            body = urllib.request.urlopen(_post(running.endpoint, streaming), timeout=30).read()
            json.loads(body)  # reached only if the whole answer came: it must not parse
            pytest.fail(f"a complete answer of {len(body)} bytes past the time limit")
        assert time.monotonic() - began < 15
        answer = _curl_query(running.endpoint, ASK_RELEASE)
        assert len(answer["results"]["bindings"]) == 1  # type: ignore[index]
    finally:
        _stop(running, signal.SIGKILL)  # oxigraph dies with it (the previous test's guarantee)


@pytest.mark.timeout(240)
def test_sigterm_right_after_start_up_stops_the_server_every_time(project: Path) -> None:
    """Ten starts, each stopped by SIGTERM as soon as it is ready.

    The handler once set the stop event while the main thread waited on it holding its lock:
    one stop in 8 to 30 hung for ever (with that handler put back, 30 cycles here failed
    once in two runs); ten cycles keep the cost at about 30 s and still catch it at times.
    """
    for cycle in range(11):  # the first also builds the store
        running = _start(project, "--port", str(free_port()))
        running.process.send_signal(signal.SIGTERM)
        try:
            running.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"start {cycle + 1}: moikg serve ignored SIGTERM for 15 s")
        finally:
            running.process.kill()  # a no-op once it has exited
            running.process.wait(timeout=15)
        assert running.process.returncode == 0, cycle
