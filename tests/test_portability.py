"""Every catalogue query gives the same rows on every store (issue 11).

Three stores hold the same named graphs: the embedded store (rdflib over
Oxigraph), ``moikg serve`` (a real ``oxigraph serve`` started by the CLI from a
build) and a real Virtuoso 7 (Debian ``virtuoso-opensource``, loaded with its
own bulk loader). Each catalogue query, with its default parameters and with
explicit ones, must give the same rows on each, compared as multisets: IRIs by
IRI, numbers by value, booleans by truth value, other literals by lexical form,
language and datatype. The outcome of every comparison is the table in
``docs/sparql-compatibility.md``; the last test checks the committed table is
the one this run produces (``MOIKG_WRITE_DOCS=1`` rewrites it).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD as _XSD
from rdflib.term import Node

from moikg.errors import MoikgError
from moikg.sparql.catalogue import catalogue
from moikg.sparql.dispatch import query
from moikg.sparql.lexing import skeleton
from moikg.sparql.results import QueryResult
from oxigraph_process import free_port, wait_until_answering
from virtuoso_process import Virtuoso

ROOT = Path(__file__).resolve().parents[1]
NETWORK_SAMPLE = ROOT / "tests" / "data" / "catalogue" / "network-sample.ttl"
TABLE = ROOT / "docs" / "sparql-compatibility.md"
NAMES = sorted(catalogue())
STORES = ("embedded", "moikg serve", "virtuoso")
EX = "https://example.org/sample/"

Params = dict[str, str]
# (data set, query, parameters): every query with its defaults, then explicit values.
CASES: list[tuple[str, str, Params]] = [("project", name, {}) for name in NAMES] + [
    ("project", "partners-of", {"org": "id:org/oecd"}),
    ("project", "actors-by-kind", {"kind": "moi:Network"}),
    ("project", "agreements-in-range", {"from": "2019-02-10", "to": "2019-02-10"}),
    ("project", "agreements-signatories", {"agreement": "id:agreement/iipp-oecd-mou-2019"}),
    ("project", "collaboration-goals", {"collaboration": "id:org/iipp-oecd-partnership"}),
    ("project", "collaboration-supporters", {"collaboration": "id:org/moin"}),
    ("project", "events-participants", {"event": "id:event/world-government-summit-2019"}),
    ("project", "find-actors", {"text": "gurria"}),
    ("project", "network-members", {"network": "id:org/iipp-oecd-partnership"}),
    ("project", "organisation-people", {"org": "id:org/oecd"}),
    ("project", "organisation-structure", {"org": "id:org/oecd"}),
    ("project", "people-posts", {"person": "id:person/mariana-mazzucato"}),
    ("project", "quotations-by-speaker", {"speaker": "id:person/angel-gurria"}),
    ("project", "shared-affiliations", {"org": "id:org/oecd"}),
    ("project", "sources-of", {"node": "id:org/iipp", "property": "org:unitOf", "value": "id:org/ucl"}),
    ("project", "sources-of", {"node": "id:org/iipp", "property": "org:unitOf"}),
    ("project", "timeline", {"from": "2019-02-11"}),
    ("project", "timeline", {"from": "2019-01-01", "to": "2021-12-31"}),
    ("sample", "network-members", {"network": EX + "network"}),
    ("sample", "shared-affiliations", {"org": EX + "bank"}),
    ("sample", "events-participants", {}),
    ("sample", "people-posts", {}),
    ("sample", "organisation-structure", {"org": EX + "chapter"}),
]  # fmt: skip


def case_id(case: tuple[str, str, Params]) -> str:
    data, name, params = case
    words = [name, *(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in params.items())]
    return ("sample:" if data == "sample" else "") + " ".join(words)


# Known differences, each with the reason; the table says "differs" for them. Emptied as the
# queries are made portable (issue 11): a case listed here that passes fails (strict xfail).
VIRTUOSO_DIFFERS: frozenset[str] = frozenset()
KNOWN: dict[tuple[str, str], str] = {
    ("virtuoso", case): "Virtuoso 7 answers this query shape differently (issue 11)"
    for case in VIRTUOSO_DIFFERS
}


# --- Comparing rows ------------------------------------------------------------------------------

_NUMERIC = {
    _XSD.integer, _XSD.decimal, _XSD.double, _XSD.float, _XSD.int, _XSD.long, _XSD.short, _XSD.byte,
    _XSD.nonNegativeInteger, _XSD.positiveInteger, _XSD.unsignedInt, _XSD.unsignedLong,
}  # fmt: skip


def comparable(term: Node | None) -> object:
    """A key that is equal for terms the comparison treats as the same value."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("blank node",)  # labels are local to a result
    if isinstance(term, URIRef):
        return ("iri", str(term))
    assert isinstance(term, Literal)
    if term.datatype == _XSD.boolean:
        return ("boolean", str(term).strip() in ("true", "1"))
    if term.datatype in _NUMERIC:
        return ("number", term.toPython())  # 2 == 2.0 == Decimal(2), and they hash alike
    language = term.language.lower() if term.language else None
    return ("literal", str(term), language, str(term.datatype or _XSD.string))


def multiset(result: QueryResult) -> Counter[tuple[object, ...]]:
    return Counter(tuple(comparable(term) for term in row) for row in result.rows)


def difference(reference: QueryResult, other: QueryResult) -> str:
    """Empty when the two results hold the same rows; else what differs, briefly."""
    if other.columns != reference.columns:
        return f"columns {other.columns} instead of {reference.columns}"
    ref, got = multiset(reference), multiset(other)
    if ref == got:
        return ""
    missing, extra = ref - got, got - ref
    return (
        f"{sum(got.values())} rows instead of {sum(ref.values())}; "
        f"missing {list(missing.elements())[:3]}; extra {list(extra.elements())[:3]}"
    )


def test_comparison_treats_equal_values_alike_and_different_ones_apart() -> None:
    one = Literal("1", datatype=_XSD.integer)
    assert comparable(one) == comparable(Literal("1.0", datatype=_XSD.decimal))
    assert comparable(Literal("1", datatype=_XSD.boolean)) == comparable(Literal(True))
    assert comparable(Literal(True)) != comparable(one)
    assert comparable(Literal("x")) == comparable(Literal("x", datatype=_XSD.string))
    assert comparable(Literal("x", lang="en")) != comparable(Literal("x"))
    assert comparable(Literal("2019-02-11", datatype=_XSD.date)) != comparable(
        Literal("2019-02-11")
    )
    a = QueryResult(("x",), ((one,), (one,)))
    assert difference(a, QueryResult(("x",), ((one,),))).startswith("1 rows instead of 2")
    assert difference(a, QueryResult(("x",), ((one,), (Literal(1),)))) == ""


# --- The stores ----------------------------------------------------------------------------------


@dataclass
class MoikgServe:
    """A ``python -m moikg serve`` process serving a build of the project."""

    process: subprocess.Popen[str]
    endpoint: str

    def stop(self) -> None:
        """Terminate the server by its PID and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def moikg_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MoikgServe]:
    """``moikg serve`` on a free port, building the project into a temporary folder."""
    build = tmp_path_factory.mktemp("serve") / "build"
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    log = build.parent / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moikg", "serve", "--port", str(port), "--build-dir", str(build)],
            stdout=out, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
    server = MoikgServe(process, f"http://127.0.0.1:{port}/query")
    try:
        wait_until_answering(server.endpoint, process, timeout=120)  # type: ignore[arg-type]
    except BaseException:
        server.stop()
        raise AssertionError(log.read_text()) from None
    yield server
    server.stop()


def _quads(dataset: Dataset) -> list[pyoxigraph.Quad]:
    """The dataset's named graphs as pyoxigraph quads (through TriG, a second writer/reader)."""
    text = dataset.serialize(format="trig")
    return list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TRIG))


Runner = Callable[[str, str, str, Params], QueryResult]


@pytest.fixture(scope="module")
def run(
    sparql_dataset: Dataset,
    sample_dataset: Dataset,
    moikg_serve: MoikgServe,
    virtuoso: Virtuoso,
) -> Runner:
    """Run a case on a store (results kept, so the table test asks nothing twice)."""
    datasets = {"project": sparql_dataset, "sample": sample_dataset}
    quads = {name: _quads(dataset) for name, dataset in datasets.items()}
    memo: dict[tuple[str, str, str, str], QueryResult] = {}

    def run_case(store: str, data: str, name: str, params: Params) -> QueryResult:
        key = (store, data, name, repr(sorted(params.items())))
        if key not in memo:
            if store == "embedded":
                memo[key] = query(name, params, dataset=datasets[data])
            elif store == "moikg serve":
                assert data == "project", "moikg serve serves the project's build"
                memo[key] = query(name, params, endpoint=moikg_serve.endpoint)
            else:
                virtuoso.load(data, quads[data])
                memo[key] = query(name, params, endpoint=virtuoso.sparql)
        return memo[key]

    return run_case


def outcome(run: Runner, store: str, case: tuple[str, str, Params]) -> str:
    """Empty when ``store`` gives the embedded store's rows for the case; else why not."""
    data, name, params = case
    reference = run("embedded", data, name, params)
    try:
        other = run(store, data, name, params)
    except MoikgError as error:
        return f"error: {error}"
    return difference(reference, other)


def _marks(store: str, case: tuple[str, str, Params]) -> list[pytest.MarkDecorator]:
    reason = KNOWN.get((store, case_id(case)))
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.mark.parametrize(
    ("store", "case"),
    [
        pytest.param(store, case, id=f"{store}: {case_id(case)}", marks=_marks(store, case))
        for store in STORES[1:]
        for case in CASES
        if not (store == "moikg serve" and case[0] == "sample")
    ],
)
def test_same_rows_as_the_embedded_store(
    run: Runner, store: str, case: tuple[str, str, Params]
) -> None:
    data, name, params = case
    assert len(run("embedded", data, name, params)) > 0, "a case with no rows proves little"
    found = outcome(run, store, case)
    assert not found, found


# --- The compatibility table ---------------------------------------------------------------------

TABLE_HEAD = """\
# SPARQL compatibility of the catalogue

Generated by `tests/test_portability.py` (run `MOIKG_WRITE_DOCS=1 .venv/bin/python -m pytest
tests/test_portability.py` to rewrite it; the test fails when this page is not what the run
finds). Each catalogue query, with its default parameters and with explicit ones, on each store
holding the same named graphs, compared with the embedded store as multisets of rows (IRIs by
IRI, numbers by value, booleans by truth value, other literals by lexical form, language and
datatype). `sample:` cases run on `tests/data/catalogue/network-sample.ttl`; `moikg serve` serves
the project's build only. Which SPARQL constructs the catalogue avoids, and why:
[sparql-portability.md](sparql-portability.md).

Virtuoso: {version}.

| case | rows | embedded (Oxigraph) | moikg serve | Virtuoso |
|---|---|---|---|---|
"""


def _cell(run: Runner, store: str, case: tuple[str, str, Params]) -> str:
    if store == "moikg serve" and case[0] == "sample":
        return "–"
    return "same" if not outcome(run, store, case) else "**differs**"


def render_table(run: Runner, version: str) -> str:
    lines = [TABLE_HEAD.format(version=version)]
    for case in CASES:
        rows = len(run("embedded", *case))
        cells = " | ".join(_cell(run, store, case) for store in STORES[1:])
        lines.append(f"| `{case_id(case)}` | {rows} | reference | {cells} |\n")
    return "".join(lines)


def test_the_compatibility_table_is_what_this_run_finds(run: Runner, virtuoso: Virtuoso) -> None:
    table = render_table(run, virtuoso.version)
    if os.environ.get("MOIKG_WRITE_DOCS") == "1":
        TABLE.write_text(table, encoding="utf-8")
    assert TABLE.read_text(encoding="utf-8") == table, (
        f"{TABLE.relative_to(ROOT)} is out of date: rerun with MOIKG_WRITE_DOCS=1"
    )


# --- What the catalogue avoids (docs/sparql-portability.md) --------------------------------------

_HIERARCHY_PATH = re.compile(r"rdfs:sub(?:Class|Property)Of(?:\s*[*+]|\?(?![A-Za-z_]))")


NETWORK_QUERIES = sorted((ROOT / "src" / "moikg" / "network" / "queries").glob("*.rq"))


@pytest.mark.parametrize("name", NAMES + [f"network/{p.stem}" for p in NETWORK_QUERIES])
def test_no_catalogue_query_walks_the_ontology_with_a_property_path(name: str) -> None:
    if name.startswith("network/"):
        text = (ROOT / "src" / "moikg" / "network" / "queries" / f"{name[8:]}.rq").read_text()
    else:
        text = catalogue()[name].text
    text = skeleton(text)  # comments, strings and IRIs blanked out
    assert not _HIERARCHY_PATH.search(text), (
        f"{name}: use the closed hierarchy (?x a ?c . ?c rdfs:subClassOf <root>), not a path"
    )
    assert "a/rdfs:" not in text.replace(" ", "")


# --- DISTINCT, enforced on what a store returns ----------------------------------------------


class _Duplicating(http.server.BaseHTTPRequestHandler):
    """A stand-in for a store that returns a row of a DISTINCT query twice (as Virtuoso 7 may)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        row = {"x": {"type": "uri", "value": "https://example.org/a"}}
        unbound: dict[str, object] = {}
        body = json.dumps(
            {"head": {"vars": ["x"]}, "results": {"bindings": [row, unbound, row, unbound]}}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_distinct_query_gets_each_row_once_even_from_a_store_that_repeats_rows() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Duplicating)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        distinct = query("SELECT DISTINCT ?x WHERE { OPTIONAL { ?x ?p ?o } }", endpoint=url)
        plain = query("SELECT ?x WHERE { OPTIONAL { ?x ?p ?o } }", endpoint=url)
    finally:
        server.shutdown()
    assert distinct.rows == ((URIRef("https://example.org/a"),), (None,))
    assert len(plain) == 4  # only DISTINCT promises each row once
