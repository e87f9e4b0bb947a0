"""Tests for moikg.query and moikg.results, and for ``moikg query`` / ``moikg queries``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from typer.testing import CliRunner

from cli_support import run_cli
from moikg.errors import QueryError
from moikg.sparql.binding import bind_values, sparql_term, to_term
from moikg.sparql.dispatch import query
from moikg.sparql.prepare import prepare
from oxigraph_process import Oxigraph

IIPP = URIRef("https://w3id.org/moikg/id/org/iipp")
OECD = URIRef("https://w3id.org/moikg/id/org/oecd")
EVIL = 'x" } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> "c" } #\'\n{"}}\\'
runner = CliRunner()


def _count(endpoint: str) -> int:
    url = (
        endpoint
        + "?query="
        + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    )
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def _load(server: Oxigraph, turtle: str, graph: str) -> None:
    request = urllib.request.Request(
        f"{server.store}?graph={urllib.parse.quote(graph)}",
        data=turtle.encode(),
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    urllib.request.urlopen(request, timeout=10).close()


# --- Parameters are terms, never text ----------------------------------------------------------


def test_injection_is_one_literal_that_matches_nothing(
    sparql_dataset: Dataset, writable_server: Oxigraph
) -> None:
    _load(writable_server, '<urn:s> <http://www.w3.org/2000/01/rdf-schema#label> "IIPP" .', "urn:g")
    before = _count(writable_server.query)
    assert len(query("find-actors", {"text": EVIL}, dataset=sparql_dataset)) == 0
    assert len(query("find-actors", {"text": EVIL}, endpoint=writable_server.query)) == 0
    assert _count(writable_server.query) == before == 1  # nothing dropped, nothing inserted


@pytest.mark.parametrize("where", ["embedded", "served"])
def test_injected_value_comes_back_exactly_as_given(
    where: str, sparql_dataset: Dataset, writable_server: Oxigraph
) -> None:
    text = "SELECT ?value WHERE { BIND(1 AS ?one) }"
    if where == "embedded":
        result = query(text, {"value": EVIL}, dataset=sparql_dataset)
    else:
        result = query(text, {"value": EVIL}, endpoint=writable_server.query)
    assert result.rows == ((Literal(EVIL),),)


def test_binding_is_a_values_block_that_parses_to_the_term() -> None:
    text = bind_values("SELECT ?v WHERE { ?s ?p ?v }", {"v": Literal(EVIL)})
    parsed = prepareQuery(text)  # rdflib's SPARQL 1.1 parser reads exactly one VALUES row
    assert "DROP" not in text.replace(sparql_term(Literal(EVIL)), "")
    values = [
        node
        for node in _walk(parsed.algebra)
        if isinstance(node, list) and node and isinstance(node[0], dict)
    ]
    assert values and list(values[0][0].values()) == [Literal(EVIL)]


def _walk(node: object) -> list[object]:
    found: list[object] = [node]
    if isinstance(node, dict):
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("id:org/iipp", "IRI", IIPP),
        ("<https://w3id.org/moikg/id/org/iipp>", "IRI", IIPP),
        ("https://w3id.org/moikg/id/org/iipp", None, IIPP),
        ("moi:Network", "IRI", URIRef("https://w3id.org/moikg/ontology#Network")),
        ("2019-02-10", "date", Literal(dt.date(2019, 2, 10))),
        ("30", "integer", Literal(30)),
        ("Mazzucato", "string", Literal("Mazzucato")),
        ("plain words", None, Literal("plain words")),
    ],
    ids=[
        "curie",
        "angle-brackets",
        "guessed-iri",
        "ontology-term",
        "date",
        "integer",
        "string",
        "guessed-literal",
    ],
)
def test_values_become_terms_by_type(value: str, kind: str | None, expected: object) -> None:
    assert to_term(value, kind) == expected


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("not an iri", "IRI", "is not an IRI"),
        ('https://x.org/a"b', "IRI", "is not an IRI"),
        ("10/02/2019", "date", "is not a date; write YYYY-MM-DD"),
        ("many", "integer", "is not an integer"),
    ],
    ids=["words", "quote-in-iri", "date-format", "integer"],
)
def test_values_that_do_not_fit_their_type_are_refused(value: str, kind: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        to_term(value, kind)


def test_unknown_parameter_lists_the_declared_ones() -> None:
    with pytest.raises(
        QueryError, match=r"partners-of\.rq: no parameter 'organisation'; its parameters: org"
    ):
        prepare("partners-of", {"organisation": "id:org/oecd"})


def test_parameter_for_a_missing_variable_is_refused() -> None:
    with pytest.raises(QueryError, match=r"<query>: the query has no variable \?x"):
        prepare("SELECT ?s WHERE { ?s ?p ?o }", {"x": "1"})


def test_bound_query_keeps_its_other_braces_and_comments() -> None:
    text = '# a { comment }\nSELECT ?s WHERE {\n  ?s <urn:p#x> "}" .\n}'
    bound = bind_values(text, {"s": IIPP})
    assert bound.index("VALUES") > bound.index("WHERE {")
    prepareQuery(bound)


# --- Syntax errors and names ------------------------------------------------------------------


def test_syntax_error_names_the_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    lines = [
        "# Title: Bad",
        "# Question: Broken?",
        "# Columns: s",
        "SELECT ?s",
        "WHERE {",
        "  ?s ?p ?o",
        "  FILTER (?s = }",
        "}",
    ]
    bad.write_text("\n".join(lines) + "\n")
    column = lines[6].index("FILTER") + 1  # the clause that is broken
    with pytest.raises(QueryError) as caught:
        prepare(bad)
    message = str(caught.value)
    assert message.startswith(f"{bad}:7:{column}: SPARQL syntax error")
    assert "\n" not in message


def test_undeclared_prefix_is_a_syntax_error_but_project_prefixes_need_no_declaration(
    sparql_dataset: Dataset,
) -> None:
    with pytest.raises(QueryError, match=r"<query>:1:\d+: SPARQL syntax error"):
        prepare("SELECT ?s WHERE { ?s a nope:Thing }")
    rows = query(
        "SELECT DISTINCT ?s WHERE { ?s a moi:Institute ; skos:altLabel 'IIPP'@en }",
        dataset=sparql_dataset,
    )
    assert rows.column("s") == [IIPP]


def test_unknown_name_and_missing_file() -> None:
    with pytest.raises(QueryError, match=r"did you mean partners-of"):
        prepare("partners")
    with pytest.raises(Exception, match=r"nowhere/q\.rq: query file not found"):
        prepare("nowhere/q.rq")


# --- Results ----------------------------------------------------------------------------------


def test_result_converts_to_dataframe_and_dicts(sparql_dataset: Dataset) -> None:
    result = query(
        "agreements-in-range", {"from": "2019-02-10", "to": "2019-02-10"}, dataset=sparql_dataset
    )
    frame = result.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["date", "agreement", "label", "party", "partyLabel"]
    assert set(frame["party"]) == {str(IIPP), str(OECD)}
    assert set(frame["date"]) == {dt.date(2019, 2, 10)}
    dicts = result.to_dicts()
    assert {d["party"] for d in dicts} == {str(IIPP), str(OECD)}
    assert {d["partyLabel"] for d in dicts} == {
        "UCL Institute for Innovation and Public Purpose",
        "Organisation for Economic Co-operation and Development",
    }


def test_ask_query(sparql_dataset: Dataset) -> None:
    assert query("ASK { ?s a moi:Institute }", dataset=sparql_dataset).boolean is True


# --- CLI --------------------------------------------------------------------------------------


def test_cli_queries_lists_the_catalogue() -> None:
    code, out, _ = run_cli("queries")
    assert code == 0
    assert "partners-of" in out and "Partners of an organisation" in out


def test_cli_query_formats() -> None:
    code, out, _ = run_cli("query", "partners-of", "--param", "org=id:org/oecd", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert str(IIPP) in {r["partner"] for r in rows}
    code, out, _ = run_cli("query", "partners-of", "-p", "org=id:org/oecd", "--format", "json")
    document = json.loads(out)
    assert document["head"]["vars"] == ["partner", "partnerLabel", "via", "viaLabel"]
    assert {"type": "uri", "value": str(IIPP)} in [
        b["partner"] for b in document["results"]["bindings"]
    ]
    code, out, _ = run_cli("query", "partners-of", "-p", "org=id:org/oecd", "--format", "tsv")
    assert out.splitlines()[0] == "?partner\t?partnerLabel\t?via\t?viaLabel"
    assert f"<{IIPP}>" in out
    code, out, err = run_cli("query", "partners-of")
    assert code == 0 and "id:org/oecd" in out and "row(s)" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "partner-of"], "did you mean partners-of"),
        (["query", "SELECT * WHERE { ?s ?p }"], "<query>:1:"),
        (["query", "partners-of", "--param", "org"], "write key=value"),
        (["query", "partners-of", "--param", "org=not an iri"], "is not an IRI"),
    ],
    ids=["unknown-name", "syntax-error", "param-without-value", "bad-iri"],
)
def test_cli_query_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    code, _, err = run_cli(*args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_public_api_query_is_the_function() -> None:
    import moikg
    import moikg.sparql.prepare  # importing the submodule must not shadow the function

    result = moikg.query("partners-of", {"org": "id:org/oecd"})
    assert isinstance(result, moikg.QueryResult)
    assert str(IIPP) in set(result.to_dataframe()["partner"])
