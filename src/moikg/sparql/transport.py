"""HTTP exchanges with one deadline for the whole request and a cap on the answer's size.

``urllib`` (and SPARQLWrapper on top of it) applies its timeout to each socket
operation: a server that sends one byte every two seconds keeps a request with
``timeout=5`` alive for as long as it likes. Here a timer shuts the
connection's socket down when the deadline passes, whatever phase the exchange
is in (connecting, waiting for the status line, reading the body), and the body
is read in chunks that stop at :attr:`Limits.max_bytes`.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Any

__all__ = ["Answer", "DeadlineExceeded", "Limits", "TooLarge", "fetch"]

_CHUNK = 1 << 16
_ERROR_BODY = 4096


@dataclass(frozen=True)
class Limits:
    """Bounds of one exchange.

    Attributes:
        timeout: Seconds for the whole exchange: connect, send, headers and body.
        max_bytes: The largest body read; a longer one fails.
    """

    timeout: float
    max_bytes: int


@dataclass(frozen=True)
class Answer:
    """A successful (2xx) answer.

    Attributes:
        status: HTTP status.
        headers: Response headers.
        body: The whole body (at most ``max_bytes``).
    """

    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, without parameters (``""`` when absent)."""
        return (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()


class DeadlineExceeded(TimeoutError):
    """The exchange did not end within :attr:`Limits.timeout` seconds."""


class TooLarge(ValueError):
    """The body is longer than :attr:`Limits.max_bytes`."""


class _Watch:
    """Sockets of one exchange; all shut down when the deadline passes."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded
        return left

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                sock.close()
                raise DeadlineExceeded
            self._sockets.append(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _connection_class(base: type[http.client.HTTPConnection], watch: _Watch) -> Any:
    class Watched(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            self.timeout = watch.remaining()
            super().connect()
            watch.register(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection_class(http.client.HTTPConnection, self._watch), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            _connection_class(http.client.HTTPSConnection, self._watch),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


def fetch(
    request: urllib.request.Request,
    limits: Limits,
    *,
    handlers: Sequence[urllib.request.BaseHandler] = (),
) -> Answer:
    """Send a request; return the answer, bounded in time and size.

    Args:
        request: The request (method, URL, headers, body).
        limits: The deadline of the whole exchange and the largest body.
        handlers: More ``urllib`` handlers (Basic or Digest authentication).

    Returns:
        The status, headers and body of a 2xx answer (redirects followed).

    Raises:
        DeadlineExceeded: The deadline passed.
        TooLarge: The body is longer than ``limits.max_bytes``.
        urllib.error.HTTPError: A 4xx or 5xx answer (its body readable, also bounded).
        urllib.error.URLError, OSError, http.client.HTTPException: Any other failure.
    """
    watch = _Watch(limits.timeout)
    opener = urllib.request.build_opener(_HTTPHandler(watch), _HTTPSHandler(watch), *handlers)
    timer = threading.Timer(limits.timeout, watch.expire)
    timer.daemon = True
    timer.start()
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise TooLarge(int(declared))
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise TooLarge(size)
                chunks.append(chunk)
                if watch.expired:
                    raise DeadlineExceeded
            if watch.expired:
                raise DeadlineExceeded
            return Answer(int(response.status), response.headers, b"".join(chunks))
    except urllib.error.HTTPError as error:
        # Read (a bounded part of) the error's body while the deadline still holds.
        try:
            head = error.read(_ERROR_BODY) if error.fp else b""
        except (OSError, http.client.HTTPException):
            head = b""
        raise urllib.error.HTTPError(
            error.url, error.code, error.reason, error.headers, io.BytesIO(head)
        ) from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        if watch.expired and not isinstance(error, TooLarge):
            raise DeadlineExceeded from None
        raise
    finally:
        timer.cancel()
