"""A time limit that holds: moikg's front door to ``oxigraph serve``.

Oxigraph 0.5 accepts ``--timeout-s`` but does not stop a query's evaluation when it
passes (an aggregate over a cartesian product runs for ever; a streaming one sends
hundreds of megabytes). So ``moikg serve`` listens on the public port itself, forwards
every request to the Oxigraph child on a private loopback port, and keeps the limit:

* a request to ``/query`` gets the whole answer within ``time_limit`` seconds, or an
  HTTP 503 saying the limit was reached (if the answer had started, the connection is
  cut, so the client sees an incomplete answer, never a truncated one that parses);
* the query cannot be stopped inside Oxigraph, so the child is restarted (:attr:`
  QueryGuard.recycle` is set; the thread that started the child restarts it, see
  :meth:`moikg.service.server.OxigraphServer.restart`). Requests in flight then get an
  HTTP 502 saying why; requests that arrive meanwhile wait for the new child.

Everything else (updates, the Graph Store protocol, the YASGUI page) is forwarded
unchanged and without a limit. Answers are passed on as they come (not read whole).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Final, NoReturn

__all__ = ["QueryGuard"]

_CHUNK: Final = 64 * 1024
_HOP_BY_HOP: Final = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
     "trailer", "transfer-encoding", "upgrade", "host", "content-length"}
)  # fmt: skip
_WAIT_FOR_CHILD: Final = 30.0
"""Seconds a request waits for the Oxigraph child while it restarts."""


class _Overtime(Exception):
    """The query passed its time limit before its answer started."""


class _Cut(Exception):
    """The query passed its time limit while answering; the connection was cut."""


class QueryGuard(ThreadingHTTPServer):
    """A threaded HTTP server that forwards to Oxigraph and enforces the query time limit.

    Args:
        address: ``(host, port)`` to listen on.
        upstream: Returns the child's current ``(host, port)``.
        time_limit: Seconds a query may take, whole answer included; None for no limit.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        upstream: Callable[[], tuple[str, int]],
        time_limit: float | None,
    ) -> None:
        super().__init__(address, _Forward)
        self.upstream = upstream
        self.time_limit = time_limit
        self.recycle = threading.Event()
        """Set when a query passed the limit: the child must be restarted to stop it."""
        self.child_ready = threading.Event()
        self.child_ready.set()
        self.overtime = 0
        """How many queries passed the limit since the start."""
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="moikg-guard", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the port."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()


class _Forward(BaseHTTPRequestHandler):
    """Forward one request, then close the connection.

    An answer of unknown length goes to an HTTP/1.1 client in chunks, so that one cut short
    at the time limit reads as incomplete (an HTTP/1.0 client can only see it end).
    """

    server: QueryGuard
    protocol_version = "HTTP/1.1"
    started = False
    """True once the answer's status line was sent."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: Oxigraph's own log records the requests."""

    def do_GET(self) -> None:
        self._forward()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def _forward(self) -> None:
        self.started = False
        limited = self.path.split("?", 1)[0].rstrip("/") == "/query"
        limit = self.server.time_limit if limited else None
        deadline = time.monotonic() + limit if limit else None
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "send the request body with a Content-Length")
            return
        if not self.server.child_ready.wait(_WAIT_FOR_CHILD):
            self._refuse(503, "the SPARQL server is restarting; try again in a few seconds")
            return
        connection = http.client.HTTPConnection(*self.server.upstream())
        try:
            connection.timeout = _remaining(deadline)
            self._exchange(connection, deadline)
        except _Overtime:
            self._overtime(limit)
        except _Cut:
            pass
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            if deadline is not None and time.monotonic() >= deadline:
                self._overtime(limit)
            elif not self.server.child_ready.is_set() or self.server.recycle.is_set():
                self._refuse(502, "the SPARQL server was restarted to stop a query that passed "
                                  "the time limit; try again")  # fmt: skip
            else:
                self._refuse(502, f"the SPARQL server did not answer: {error}")
        finally:
            connection.close()

    def _exchange(self, connection: http.client.HTTPConnection, deadline: float | None) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        if length:
            headers["Content-Length"] = str(length)
        body = _body(self.rfile, length) if length else None
        connection.request(self.command, self.path, body=body, headers=headers)
        try:
            answer = connection.getresponse()
        except TimeoutError as error:
            raise _Overtime from error
        self.send_response(answer.status, answer.reason)
        self.started = True
        sized = answer.getheader("Content-Length") is not None
        chunked = not sized and self.request_version == "HTTP/1.1"
        for key, value in answer.getheaders():
            if key.lower() not in _HOP_BY_HOP or key.lower() == "content-length":
                self.send_header(key, value)
        if chunked:  # so that a client can tell an answer cut short from a whole one
            self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        while True:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._cut()
                if connection.sock is not None:
                    connection.sock.settimeout(left)
            try:
                chunk = answer.read1(_CHUNK)
            except TimeoutError:
                self._cut()
            if not chunk:
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _cut(self) -> NoReturn:
        """Past the limit with the answer started: cut the connection (an incomplete answer)."""
        self.server.overtime += 1
        self.server.recycle.set()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        raise _Cut

    def _overtime(self, limit: float | None) -> None:
        self.server.overtime += 1
        self.server.recycle.set()
        self._refuse(
            503,
            f"query time limit of {limit:g} s reached; the query was stopped (moikg serve "
            "--timeout). Narrow the query (more specific patterns, LIMIT) or ask the person "
            "who runs the server for a longer limit",
        )

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True
        if self.started:  # the answer had begun: only cutting it short is left
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            body = (message + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client went away


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Overtime
    return left


def _body(stream: object, length: int) -> Iterator[bytes]:
    read = stream.read  # type: ignore[attr-defined]
    left = length
    while left > 0:
        chunk = read(min(_CHUNK, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk
