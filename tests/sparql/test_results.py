"""Tests for moikg.sparql.results: every W3C results format reads back with a second parser.

The writers are pyoxigraph's (JSON, XML, TSV) and Python's ``csv`` (CSV); the readers here
are rdflib's results parsers and Python's ``csv``, so no format is read by the code that
wrote it. Regression (issue 8, A6): JSON dropped bound ``""``, ``0``, ``0.0`` and ``false``;
TSV wrote raw tabs and newlines inside literals.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result

from cli_support import run_cli
from moikg.errors import QueryError
from moikg.sparql.results import QueryResult, from_sparql_json

XSD = "http://www.w3.org/2001/XMLSchema#"
TRICKY = 'tab\there, "quoted", comma\nnew line\\backslash'
VALUES = (
    Literal(""),
    Literal("0", datatype=URIRef(XSD + "integer")),
    Literal("0.0", datatype=URIRef(XSD + "decimal")),
    Literal("0.0E0", datatype=URIRef(XSD + "double")),
    Literal("false", datatype=URIRef(XSD + "boolean")),
    Literal(TRICKY),
    Literal("Ünïcode ✓ 東京", lang="de"),
    Literal("2019-02-11", datatype=URIRef(XSD + "date")),
    URIRef("https://example.org/a?b=c,d"),
    URIRef("https://example.org/ü"),
    BNode("b0"),
)
RESULT = QueryResult(
    ("x", "y"),
    (*((v, None) for v in VALUES), (None, Literal("only y")), (VALUES[0], VALUES[1])),
)


def _read(text: str, fmt: str) -> list[tuple[object, object]]:
    parsed = Result.parse(io.BytesIO(text.encode("utf-8")), format=fmt)
    return [(b.get(Variable("x")), b.get(Variable("y"))) for b in parsed.bindings]


@pytest.mark.parametrize("fmt", ["json", "tsv", "xml"])
def test_json_tsv_and_xml_read_back_exactly_with_rdflib(fmt: str) -> None:
    assert _read(RESULT.serialize(fmt), fmt) == list(RESULT.rows)  # type: ignore[arg-type]


def test_json_keeps_bound_empty_zero_and_false_values() -> None:
    bindings = json.loads(RESULT.to_json())["results"]["bindings"]
    # rdflib normalises "0.0E0"^^xsd:double to "0.0"; each value is bound and kept as it is.
    assert [b["x"]["value"] for b in bindings[:5]] == ["", "0", "0.0", str(VALUES[3]), "false"]
    assert bindings[5]["x"] == {"type": "literal", "value": TRICKY}
    assert bindings[6]["x"] == {"type": "literal", "value": "Ünïcode ✓ 東京", "xml:lang": "de"}


def test_tsv_escapes_tabs_and_newlines_inside_literals() -> None:
    lines = RESULT.to_tsv().splitlines()
    assert lines[0] == "?x\t?y"
    assert len(lines) == 1 + len(RESULT.rows)  # no literal spills onto a line of its own
    assert all(line.count("\t") == 1 for line in lines)


def test_csv_reads_back_as_lexical_forms_with_pythons_csv() -> None:
    text = RESULT.to_csv()
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["x", "y"]
    expected = [
        [f"_:{v}" if isinstance(v, BNode) else ("" if v is None else str(v)) for v in row]
        for row in RESULT.rows
    ]
    assert rows[1:] == expected


def test_ask_results_in_every_format() -> None:
    answer = QueryResult((), (), boolean=False)
    assert Result.parse(io.BytesIO(answer.to_json().encode()), format="json").askAnswer is False
    assert Result.parse(io.BytesIO(answer.to_xml().encode()), format="xml").askAnswer is False
    assert list(csv.reader(io.StringIO(answer.to_csv()))) == [["_askResult"], ["false"]]


def test_sparql_json_from_an_endpoint_reads_back_with_its_terms() -> None:
    document = json.loads(RESULT.to_json())
    assert from_sparql_json(document).rows == RESULT.rows
    typed_string = {
        "head": {"vars": ["s"]},
        "results": {
            "bindings": [{"s": {"type": "typed-literal", "value": "a", "datatype": XSD + "string"}}]
        },
    }
    assert from_sparql_json(typed_string).rows == (
        (Literal("a"),),
    )  # xsd:string is a simple literal
    with pytest.raises(QueryError, match="not SPARQL JSON"):
        from_sparql_json({"head": {"vars": ["s"]}})


def test_unknown_format_names_the_parameter() -> None:
    with pytest.raises(QueryError, match=r"^fmt='yaml': use one of csv, json, xml, tsv$"):
        RESULT.serialize("yaml")  # type: ignore[arg-type]


QUERY = (
    'SELECT ?x WHERE { VALUES ?x { "" 0 false "a\\tb, \\"c\\"\\nd" "Ünïcode"@de '
    "<https://example.org/a?b=c,d> } }"
)
EXPECTED = [
    Literal(""),
    Literal("0", datatype=URIRef(XSD + "integer")),
    Literal("false", datatype=URIRef(XSD + "boolean")),
    Literal('a\tb, "c"\nd'),
    Literal("Ünïcode", lang="de"),
    URIRef("https://example.org/a?b=c,d"),
]


@pytest.mark.parametrize("fmt", ["json", "tsv", "xml"])
def test_moikg_query_output_reads_back_with_rdflib(fmt: str) -> None:
    code, output, errors = run_cli("query", QUERY, "--format", fmt)
    assert code == 0, errors
    assert sorted(x for x, _ in _read(output, fmt)) == sorted(EXPECTED)
