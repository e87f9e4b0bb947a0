"""A real Virtuoso (Debian ``virtuoso-opensource``) on 127.0.0.1 for the portability tests (issue 11).

Each session starts its own ``virtuoso-t`` in the foreground, with its own
``virtuoso.ini`` and database in a temporary folder and free ports, never the
system service; it is stopped by its PID (and dies with the test process,
through ``PR_SET_PDEATHSIG``, if pytest itself is killed).

Data is loaded with Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``,
run through ``isql-vt``) from N-Quads that pyoxigraph writes, so the tests of
``moikg push`` and of the catalogue do not depend on each other.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from oxigraph_process import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
INSTALL_HINT = "Virtuoso is not installed: run scripts/install as root (Debian virtuoso-opensource)"
ADMIN = ("dba", "dba")
"""The administrator a fresh Virtuoso database has (user, password)."""

_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {data}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 4
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to send SIGTERM to the server when the test process dies (prctl 1)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


@dataclass
class Virtuoso:
    """A running ``virtuoso-t``: its folder, ports and process.

    Attributes:
        folder: Holds ``virtuoso.ini``, ``db/`` (database and log) and ``data/`` (files to load).
        sql_port: The ISQL (ODBC) port on 127.0.0.1.
        http_port: The HTTP port on 127.0.0.1.
        process: The server process.
        loaded: The name of the data set loaded now, and the graphs it put there.
    """

    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen[bytes]
    loaded: tuple[str, tuple[str, ...]] = ("", ())
    _loads: int = field(default=0, repr=False)

    @property
    def base(self) -> str:
        """The HTTP server's address."""
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return f"{self.base}/sparql"

    @property
    def crud(self) -> str:
        """The Graph Store endpoint without authentication (needs grants to write)."""
        return f"{self.base}/sparql-graph-crud"

    @property
    def crud_auth(self) -> str:
        """The Graph Store endpoint behind HTTP Digest authentication."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def version(self) -> str:
        """What the binary says it is, e.g. ``Virtuoso Open Source 7.2.5.3229``."""
        assert VIRTUOSO, INSTALL_HINT
        done = subprocess.run([VIRTUOSO, "-?"], capture_output=True, text=True, timeout=10)
        match = re.search(r"Version (\d+(?:\.\d+)+)", done.stdout + done.stderr)
        return f"Virtuoso Open Source {match[1] if match else 'version unknown'}"

    @property
    def log(self) -> str:
        """The server's log so far (for failure messages)."""
        path = self.folder / "db" / "virtuoso.log"
        return path.read_text(errors="replace") if path.is_file() else ""

    def isql(self, sql: str, *, timeout: float = 120) -> str:
        """Run SQL statements through ``isql-vt`` as ``dba``; fail on any error."""
        assert ISQL, INSTALL_HINT
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", *ADMIN, "VERBOSE=OFF", "BANNER=OFF",
             "PROMPT=OFF", "ECHO=OFF", f"exec={sql}"],
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        output = done.stdout + done.stderr
        assert done.returncode == 0 and "*** Error" not in output, f"isql failed: {output}"
        return output

    def load(self, name: str, quads: Iterable[pyoxigraph.Quad]) -> None:
        """Make the store hold exactly ``quads`` (named graphs only), unless ``name`` is loaded.

        The graphs of the data set loaded before are cleared first; Virtuoso's own
        graphs stay (they are part of any Virtuoso).
        """
        if self.loaded[0] == name:
            return
        for graph in self.loaded[1]:
            self.isql(f"SPARQL CLEAR GRAPH <{graph}>;")
        kept = [q for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)]
        self._loads += 1
        data = self.folder / "data"
        data.mkdir(exist_ok=True)
        target = data / f"load-{self._loads}.nq"
        target.write_bytes(pyoxigraph.serialize(kept, format=pyoxigraph.RdfFormat.N_QUADS) or b"")
        self.isql(
            f"ld_dir('{data}', '{target.name}', 'urn:moikg:test:unused'); "
            "rdf_loader_run(); checkpoint;"
        )
        errors = self.isql(
            f"SELECT ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file = '{target}' "
            "AND ll_error IS NOT NULL;"
        )
        assert "0 Rows" in errors or not errors.strip(), f"bulk load failed: {errors}"
        expected = Counter(q.graph_name.value for q in kept)  # type: ignore[union-attr]
        assert self.graph_sizes() == dict(expected), "the store does not hold what was loaded"
        self.loaded = (name, tuple(sorted(expected)))

    def graph_sizes(self, prefix: str = "https://w3id.org/moikg/") -> dict[str, int]:
        """Triples per named graph whose IRI starts with ``prefix``, asked over HTTP."""
        text = (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER (STRSTARTS(STR(?g), "{prefix}")) }} GROUP BY ?g'
        )
        url = f"{self.sparql}?{urllib.parse.urlencode({'query': text})}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            rows = json.load(response)["results"]["bindings"]
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}

    def stop(self) -> None:
        """Terminate the server by its PID and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_until_answering(server: Virtuoso, timeout: float) -> None:
    """Poll ``/sparql?query=ASK{}`` until it answers 200; fail if the process exits."""
    deadline = time.monotonic() + timeout
    url = f"{server.sparql}?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"virtuoso-t exited before answering:\n{server.log[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise AssertionError(f"Virtuoso did not answer within {timeout} s:\n{server.log[-2000:]}")


def start_virtuoso(folder: Path, *, timeout: float = 180) -> Virtuoso:
    """Create a database in ``folder`` and start ``virtuoso-t`` on it (about 20 s)."""
    assert VIRTUOSO and ISQL, INSTALL_HINT
    (folder / "db").mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _INI.format(db=folder / "db", data=folder / "data", folder=folder,
                    sql_port=sql_port, http_port=http_port)
    )  # fmt: skip
    with (folder / "db" / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+configfile", str(ini), "+foreground"],
            cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
    server = Virtuoso(folder, sql_port, http_port, process)
    try:
        _wait_until_answering(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server
