"""Serve the build as a SPARQL 1.1 endpoint with ``oxigraph serve`` on loopback.

``moikg serve`` builds if the build is missing or stale, loads ``graph.trig``
(and the enrichment graph, if any) into a store directory that persists between
runs (``build/oxigraph``; reloaded only when the build changes), and starts
the Oxigraph server (PyPI package ``oxigraph``) on 127.0.0.1:

* read-only by default (``oxigraph serve-read-only``: updates get HTTP 403);
  ``--writable`` runs ``oxigraph serve`` instead, and updates persist in the store;
* a default graph that is the RDF merge of the named graphs (each triple once, as the
  embedded store answers; refreshed at each start); ``--writable`` serves the union
  instead (``--union-default-graph``), so a write into a named graph is seen at once;
* query endpoint ``/query`` (SPARQL 1.1 Protocol), update ``/update``, Graph
  Store ``/store`` (Graph Store HTTP Protocol), and Oxigraph's YASGUI query page ``/``,
  served by Oxigraph itself, so it works offline (only its list of well-known prefixes,
  for autocompletion, is fetched from the internet). Oxigraph has no option to preload
  prefixes; YASGUI reads a query from the page address (``?query=``), so
  :attr:`Addresses.yasgui_with_prefixes` opens the page with the project's prefixes
  declared and a first query.

It stops cleanly on Ctrl-C or SIGTERM: the server is terminated and awaited.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import Final
from urllib.parse import quote

from moikg.errors import EndpointError
from moikg.pipeline import build_files, ensure_build
from moikg.rdf.namespaces import PREFIXES
from moikg.service.guard import QueryGuard
from moikg.service.processes import die_with_parent, holders
from moikg.service.stores import load_store, oxigraph_binary, prepare_default_graph, seed_writable

__all__ = [
    "Addresses",
    "OxigraphServer",
    "ServeOptions",
    "Started",
    "serve",
]

STORE_DIR: Final = "oxigraph"
"""The read-only store: always exactly the build (reloaded when the build changes)."""
STAMP_FILE: Final = "oxigraph.loaded.json"
WRITABLE_STORE_DIR: Final = "oxigraph-writable"
"""The writable store: seeded from the build once, then changed by updates (kept apart)."""
WRITABLE_STAMP_FILE: Final = "oxigraph-writable.seeded.json"
LOG_FILE: Final = "oxigraph.log"
DEFAULT_QUERY_TIMEOUT: Final = 60
"""Seconds a query may run on the server unless told otherwise."""
_START_TIMEOUT: Final = 30.0
_STOP_TIMEOUT: Final = 10.0


@dataclass(frozen=True)
class ServeOptions:
    """How to serve.

    Attributes:
        port: TCP port on 127.0.0.1.
        writable: Accept SPARQL updates and Graph Store writes (they persist in the store).
        host: Interface to bind; loopback unless you know why not.
        timeout_s: Oxigraph's per-query time limit in seconds (``--timeout-s``); None or 0
            for none. A query that runs longer gets an error answer.
    """

    port: int = 7878
    writable: bool = False
    host: str = "127.0.0.1"
    timeout_s: int | None = DEFAULT_QUERY_TIMEOUT


@dataclass(frozen=True)
class Addresses:
    """The URLs of a running server."""

    base: str

    @property
    def query(self) -> str:
        """SPARQL 1.1 Protocol query endpoint."""
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        """SPARQL 1.1 Protocol update endpoint."""
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        """SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return f"{self.base}/store"

    @property
    def yasgui(self) -> str:
        """Oxigraph's YASGUI page."""
        return f"{self.base}/"

    @property
    def yasgui_with_prefixes(self) -> str:
        """The YASGUI page opened on a query that declares every project prefix."""
        lines = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items()]
        text = "\n".join([*lines, "", "SELECT ?actor ?label WHERE {",
                           "  ?actor a/rdfs:subClassOf* org:Organization ; rdfs:label ?label .",
                           "} LIMIT 20"])  # fmt: skip
        return f"{self.base}/?endpoint={quote(self.query, safe='')}&query={quote(text)}"


def _check_port_free(options: ServeOptions) -> None:
    """Refuse a port in use, naming the process that listens on it (another server?).

    Raises:
        EndpointError: The port is in use.
    """
    if _port_is_free(options.host, options.port):
        return
    held = holders(port=options.port)
    by = f" by {', '.join(map(str, held))}" if held else " (another server?)"
    stop = f" or stop it: kill {held[0].pid}" if held else ""
    raise EndpointError(
        f"port {options.port} on {options.host} is in use{by}; pass port=<a free port>{stop}",
        parameter="port",
    )


def _check_store_free(location: Path) -> None:
    """Refuse a store another server holds (still running, or left over from an earlier run).

    Raises:
        EndpointError: Naming each holder's PID.
    """
    held = [h for h in holders(directory=location) if "oxigraph" in h.command]
    if held:
        raise EndpointError(
            f"{location} is already served by {', '.join(map(str, held))}; use that server, "
            f"or stop it (kill {held[0].pid}) and start again"
        )


def _free_port() -> int:
    """A free loopback port for the Oxigraph child (only moikg talks to it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _open_guard(options: ServeOptions, server: OxigraphServer) -> QueryGuard:
    """Listen on the public port, forwarding to the child and keeping the time limit.

    Raises:
        EndpointError: The port was taken meanwhile.
    """
    try:
        guard = QueryGuard(
            (options.host, options.port),
            upstream=lambda: (server.options.host, server.options.port),
            time_limit=float(options.timeout_s) if options.timeout_s else None,
        )
    except OSError as error:
        raise EndpointError(
            f"port {options.port} on {options.host} could not be opened: {error.strerror}; "
            "pass port=<a free port>",
            parameter="port",
        ) from error
    guard.start()
    return guard


def _recycle(server: OxigraphServer, guard: QueryGuard) -> None:
    """Restart the child to stop a query past the time limit; requests wait meanwhile."""
    guard.child_ready.clear()
    try:
        server.restart(_free_port())
    finally:
        guard.recycle.clear()
        guard.child_ready.set()


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        # As servers do: connections of an earlier run in TIME_WAIT do not make the port busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class OxigraphServer:
    """An ``oxigraph serve`` process on loopback, as a context manager.

    Args:
        location: The store directory.
        options: Port, writability, host, timeout.
        log: File that receives the server's output.
    """

    def __init__(self, location: Path, *, options: ServeOptions, log: Path) -> None:
        self.location = Path(location)
        self.options = options
        self.log = Path(log)
        self.addresses = Addresses(f"http://{options.host}:{options.port}")
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        """The command line that starts the server."""
        mode = "serve" if self.options.writable else "serve-read-only"
        command = [
            oxigraph_binary(),
            mode,
            "--location",
            str(self.location),
            "--bind",
            f"{self.options.host}:{self.options.port}",
        ]
        if self.options.writable:  # writes to a named graph show at once; triples may repeat
            command.append("--union-default-graph")
        if self.options.timeout_s:
            command += ["--timeout-s", str(self.options.timeout_s)]
        return command

    def start(self, *, prepare: bool = True) -> Addresses:
        """Start the server and wait until it answers a query.

        Args:
            prepare: Set the store's default graph first (not needed on a restart).

        Raises:
            EndpointError: It exited (port in use, store locked) or did not answer in time.
        """
        _check_port_free(self.options)
        _check_store_free(self.location)
        if prepare:
            prepare_default_graph(self.location, writable=self.options.writable)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab" if not prepare else "wb") as sink:
            # A session of its own: Ctrl-C reaches moikg, which then stops the server cleanly.
            # And it dies with the thread that started it, even on kill -9 of moikg
            # (processes.die_with_parent); so only the serving thread (re)starts it.
            parent = os.getpid()
            self.process = subprocess.Popen(
                self.command(),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lambda: die_with_parent(parent),
            )
        deadline = time.monotonic() + _START_TIMEOUT
        probe = f"{self.addresses.query}?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EndpointError(
                    f"oxigraph {self.command()[1]} on port {self.options.port} stopped at "
                    f"start: {self._last_log_line()}; is the port in use? pass port=<a free port>",
                    parameter="port",
                )
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return self.addresses
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise EndpointError(
            f"oxigraph on port {self.options.port} did not answer within {_START_TIMEOUT:g} s"
        )

    def restart(self, port: int) -> Addresses:
        """Kill the server (a query inside it cannot be stopped otherwise) and start it again.

        Args:
            port: The loopback port to start on (a fresh one: the old may linger).

        Raises:
            EndpointError: It did not start again.
        """
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.options = replace(self.options, port=port)
        self.addresses = Addresses(f"http://{self.options.host}:{port}")
        return self.start(prepare=False)

    def _last_log_line(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            lines = []
        errors = [line.strip() for line in lines if "rror" in line]
        return errors[0] if errors else lines[-1].strip() if lines else "no output"

    def stop(self) -> None:
        """Terminate the server and wait for it (kill it if it does not stop in time)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> OxigraphServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass(frozen=True)
class Started:
    """What ``serve`` reports once the server answers.

    Attributes:
        addresses: Its URLs.
        options: How it runs.
        store: The store directory.
        built: True if a build ran first.
        reloaded: True if the store was (re)loaded from the build.
        description: Which content the store holds, in words.
    """

    addresses: Addresses
    options: ServeOptions
    store: Path
    built: bool
    reloaded: bool
    description: str = ""


def serve(
    options: ServeOptions,
    *,
    build_dir: Path | None = None,
    graph_dir: Path | None = None,
    on_ready: Callable[[Started], None] | None = None,
    stop: threading.Event | None = None,
) -> Started:
    """Build if needed, load the store, serve until Ctrl-C, SIGTERM or ``stop`` is set.

    Args:
        options: Port, writability, host, timeout.
        build_dir: The build folder; defaults to the project's ``build/``.
        graph_dir: The sources, for a build that is missing or stale.
        on_ready: Called once the server answers (the CLI prints the addresses).
        stop: An event that stops the server when set (for callers in other threads).

    Returns:
        What was started, after the server has stopped.

    Raises:
        EndpointError: The server could not start or stopped on its own.
        InputError, ConformanceError: The build failed.
    """
    out, built = ensure_build(build_dir=build_dir, graph_dir=graph_dir)
    _check_port_free(options)
    if options.writable:
        location = out / WRITABLE_STORE_DIR
        _check_store_free(location)
        description = seed_writable(build_files(out), location, stamp=out / WRITABLE_STAMP_FILE)
        reloaded = description.endswith("seeded now")
    else:
        location = out / STORE_DIR
        _check_store_free(location)
        reloaded = load_store(build_files(out), location, stamp=out / STAMP_FILE)
        description = "the current build, read-only; " + (
            "loaded from the build" if reloaded else "unchanged since the last run"
        )
    halt = stop or threading.Event()
    in_main = threading.current_thread() is threading.main_thread()

    signalled: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # Only a flag: the handler runs in the main thread, possibly inside halt.wait(), which
        # holds the event's lock; halt.set() here would wait for that lock for ever.
        signalled.append(signum)

    previous = signal.signal(signal.SIGTERM, on_signal) if in_main else None
    child = replace(options, host="127.0.0.1", port=_free_port())
    server = OxigraphServer(location, options=child, log=out / LOG_FILE)
    guard: QueryGuard | None = None
    addresses = Addresses(f"http://{options.host}:{options.port}")
    started = Started(addresses, options, location, built, reloaded, description)
    ready = False
    try:
        server.start()
        guard = _open_guard(options, server)
        ready = True
        if on_ready is not None:
            on_ready(started)
        while not signalled and not halt.wait(0.25):
            if guard.recycle.is_set():
                _recycle(server, guard)
            elif server.process is not None and server.process.poll() is not None:
                raise EndpointError(
                    f"oxigraph stopped unexpectedly (exit {server.process.returncode}): "
                    f"{server._last_log_line()}"
                )
    except KeyboardInterrupt:
        if not ready:  # Ctrl-C while starting: an interruption, not the usual way to stop
            raise
    finally:
        if guard is not None:
            guard.stop()
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return started
