"""Real ``oxigraph serve`` processes on 127.0.0.1 for the SPARQL tests (issue 3).

Started directly from the ``oxigraph`` command (not through moikg.serve), so
the tests of moikg's client and server code run against an independent server.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from moikg.service.server import Addresses

OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    """Return a TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Oxigraph(Addresses):
    """A running server: its addresses (query, update, store, as moikg.serve names them) and process."""

    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_until_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Poll ``url?query=ASK{}`` until it answers 200; fail if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "oxigraph exited before answering"
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise AssertionError(f"oxigraph at {url} did not answer within {timeout} s")


def start_oxigraph(
    *, location: Path | None = None, files: Sequence[Path] = (), read_only: bool = True
) -> Oxigraph:
    """Load ``files`` into ``location`` (if any) and serve it with the union default graph."""
    if files:
        assert location is not None
        command = [OXIGRAPH, "load", "--location", str(location)]
        for path in files:
            command += ["--file", str(path)]
        subprocess.run(command, check=True, capture_output=True)
    port = free_port()
    command = [OXIGRAPH, "serve-read-only" if read_only else "serve"]
    if location is not None:
        command += ["--location", str(location)]
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Oxigraph(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_answering(server.query, process)
    except BaseException:
        server.stop()
        raise
    return server
