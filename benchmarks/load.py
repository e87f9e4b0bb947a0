"""Load and fault run of ``moikg serve`` (issue 13): concurrent clients, then kill -9 of the CLI.

Run from the project folder::

    .venv/bin/python benchmarks/load.py                 # 16 clients, 30 s, then the fault run
    .venv/bin/python benchmarks/load.py --seconds 10 --clients 8

1. Starts ``python -m moikg serve`` (read-only, on a free port, build in a temporary folder).
2. **Load**: N SPARQLWrapper clients run the catalogue queries (default parameters) in turn
   for a bounded time; prints requests, requests/s, p50, p99 and errors.
3. **Fault**: the same clients again; half-way through, ``kill -9`` of the *CLI parent* (not
   the oxigraph child). Reports what the clients saw after the kill (their first error), how
   long until the oxigraph child was gone and the port free, and whether a restart on the
   same port serves the same triple count.

Exit status 1 if a check fails (child left, port held, different count, errors under load).
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from SPARQLWrapper import JSON, SPARQLWrapper

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from moikg.sparql.catalogue import catalogue  # noqa: E402 (after the path is set)
from moikg.sparql.prepare import prepare  # noqa: E402

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class Tally:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    """True when a server could bind the port (TIME_WAIT does not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (from /proc)."""
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


def alive(pid: int) -> bool:
    """True when the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_serve(port: int, build: Path) -> tuple[subprocess.Popen[str], str]:
    """Start ``moikg serve`` on ``port``; return the process and its query endpoint."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MOIKG_HOME=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "moikg", "serve", "--port", str(port), "--build-dir", str(build)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(x) for x in process.stdout or []], daemon=True
    ).start()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if process.poll() is not None:
                raise SystemExit(f"moikg serve exited with {process.returncode}") from None
            continue
        if line.startswith("SPARQL endpoint: "):
            return process, line.split(": ", 1)[1].strip()
    process.kill()
    raise SystemExit("moikg serve did not get ready in 300 s")


def ask(endpoint: str, text: str, timeout: float = 10) -> dict[str, object]:
    """Run one query through SPARQLWrapper; return the SPARQL JSON document."""
    client = SPARQLWrapper(endpoint, agent="moikg-load-benchmark")
    client.setQuery(text)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    result = client.query().convert()
    assert isinstance(result, dict)
    return result


def triple_count(endpoint: str) -> int:
    """The number of triples in the named graphs."""
    bindings = ask(endpoint, COUNT)["results"]["bindings"]  # type: ignore[index]
    return int(bindings[0]["n"]["value"])


def client_loop(endpoint: str, texts: list[str], stop: threading.Event, tally: Tally) -> None:
    """One client: run the queries in turn until ``stop``; record latencies and errors."""
    index = 0
    while not stop.is_set():
        text = texts[index % len(texts)]
        index += 1
        started = time.monotonic()
        try:
            ask(endpoint, text)
        except Exception as error:  # a benchmark records every failure, whatever its kind
            with tally.lock:
                tally.errors.append((time.monotonic(), f"{type(error).__name__}: {error}"))
            time.sleep(0.05)
            continue
        with tally.lock:
            tally.latencies.append(time.monotonic() - started)


def run_clients(
    endpoint: str, texts: list[str], clients: int, seconds: float, *, midway: object = None
) -> tuple[Tally, float]:
    """Run ``clients`` clients for ``seconds``; call ``midway`` half-way if given."""
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(target=client_loop, args=(endpoint, texts, stop, tally), daemon=True)
        for _ in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if callable(midway):
        time.sleep(seconds / 2)
        midway()
        time.sleep(seconds / 2)
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return tally, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values lie."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def row(name: str, tally: Tally, elapsed: float) -> str:
    """One Markdown table row of a run."""
    n = len(tally.latencies)
    p50 = statistics.median(tally.latencies) * 1000 if n else float("nan")
    p99 = percentile(tally.latencies, 0.99) * 1000
    return f"| {name} | {n} | {n / elapsed:.0f} | {p50:.0f} | {p99:.0f} | {len(tally.errors)} |"


def main() -> int:
    """Run the load and the fault run; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    texts = [prepare(name).text for name in catalogue()]
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="moikg-load-") as folder:
        build = Path(folder) / "build"
        port = free_port()
        serve, endpoint = start_serve(port, build)
        count = triple_count(endpoint)
        print(f"moikg serve on port {port}: {count} triples; {len(texts)} catalogue queries; "
              f"{args.clients} clients, {args.seconds:g} s per run\n")  # fmt: skip
        print("| run | requests | requests/s | p50 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|")
        tally, elapsed = run_clients(endpoint, texts, args.clients, args.seconds)
        print(row("load", tally, elapsed))
        if tally.errors:
            failures.append(f"{len(tally.errors)} errors under load: {tally.errors[0][1]}")

        oxigraph = children(serve.pid)
        killed_at: list[float] = []
        gone: list[float] = []

        def watch() -> None:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                if not any(alive(pid) for pid in oxigraph) and port_is_free(port):
                    gone.append(time.monotonic() - killed_at[0])
                    return
                time.sleep(0.01)

        def kill_parent() -> None:
            killed_at.append(time.monotonic())
            os.kill(serve.pid, signal.SIGKILL)
            threading.Thread(target=watch, daemon=True).start()

        tally, elapsed = run_clients(
            endpoint, texts, args.clients, args.seconds, midway=kill_parent
        )
        serve.wait(timeout=10)
        print(row("kill -9 of the CLI half-way", tally, elapsed))
        deadline = time.monotonic() + 15
        while not gone and time.monotonic() < deadline:
            time.sleep(0.05)
        gone_after = gone[0] if gone else None
        print()
        after = [e for t, e in tally.errors if t >= killed_at[0]]
        first = after[0] if after else "none"
        kinds = sorted({e.split(":", 1)[0] for e in after})
        print(f"- oxigraph child(ren) {oxigraph} of CLI {serve.pid}: ", end="")
        if gone_after is None:
            left = [pid for pid in oxigraph if alive(pid)]
            print(f"STILL RUNNING after 15 s: {left}; port free: {port_is_free(port)}")
            failures.append("the oxigraph child outlived kill -9 of the CLI")
            for pid in left:
                os.kill(pid, signal.SIGKILL)
        else:
            print(f"gone and port {port} free {gone_after:.2f} s after the kill")
        print(f"- first client error after the kill: {first[:160]}")
        print(f"- kinds of client errors after the kill: {', '.join(kinds) or 'none'}")
        before = [e for t, e in tally.errors if t < killed_at[0]]
        if before:
            failures.append(f"{len(before)} errors before the kill: {before[0]}")
        restart, endpoint = start_serve(port, build)
        try:
            again = triple_count(endpoint)
        finally:
            restart.send_signal(signal.SIGTERM)
            restart.wait(timeout=30)
        verdict = "same" if again == count else "DIFFERENT"
        print(f"- restart on port {port}: {again} triples ({verdict})")
        if again != count:
            failures.append(f"restart serves {again} triples, not {count}")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
