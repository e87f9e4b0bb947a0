"""Real HTTP servers on 127.0.0.1 that misbehave, for the reliability tests (issue 13).

Each server runs in a thread of the test process and answers every request the
same way: drip a valid answer one byte at a time, answer HTML or text that is
not JSON with status 200, stream a huge body, or answer valid SPARQL JSON while
counting the requests it gets (to see whether a ``SERVICE`` clause was run).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY_RESULTS = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()


@dataclass
class Behaviour:
    """How the server answers.

    Attributes:
        kind: ``drip``, ``body`` (status 200 with ``body`` and ``content_type``) or ``huge``.
        body: The body for ``body`` and ``drip``.
        content_type: Its Content-Type.
        interval: Seconds between two bytes for ``drip``.
        size: Bytes for ``huge``.
        hits: Requests received so far (paths).
    """

    kind: str
    body: bytes = EMPTY_RESULTS
    content_type: str = "application/sparql-results+json"
    interval: float = 2.0
    size: int = 0
    hits: list[str] = field(default_factory=list)


def _handler(behaviour: Behaviour) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self._answer()

        def do_PUT(self) -> None:
            self.do_POST()

        def _answer(self) -> None:
            behaviour.hits.append(self.path)
            try:
                if behaviour.kind == "drip":
                    self._drip()
                elif behaviour.kind == "huge":
                    self._huge()
                else:
                    self._plain(behaviour.body, behaviour.content_type)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _plain(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drip(self) -> None:
            head = (
                "HTTP/1.1 200 OK\r\n"
                f"Content-Type: {behaviour.content_type}\r\n"
                f"Content-Length: {len(behaviour.body)}\r\n\r\n"
            ).encode()
            for byte in head + behaviour.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(behaviour.interval)

        def _huge(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", behaviour.content_type)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b" " * 65000
            sent = 0
            while sent < behaviour.size:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
            self.wfile.write(b"0\r\n\r\n")

    return Handler


@contextmanager
def misbehaving_server(behaviour: Behaviour) -> Iterator[str]:
    """Serve ``behaviour`` on 127.0.0.1; yield the base URL ``http://127.0.0.1:PORT``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
