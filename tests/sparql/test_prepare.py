"""Tests for moikg.sparql.prepare, binding and lexing: checked parameters, user files, query text.

Regressions of issue 8: A1 (an impossible date ran the query and answered "0 rows"), A7
(project CURIEs in query text, partial headers, a missing ``.rq`` file taken for a name).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import moikg
from cli_support import run_cli
from moikg.errors import InputError, ParameterError, QueryError
from moikg.rdf.namespaces import PREFIXES
from moikg.sparql.binding import sparql_term, to_term
from moikg.sparql.lexing import skeleton, where_brace
from moikg.sparql.prepare import PREDECLARED, prepare, query_form

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("from", "2019-02-30"),
        ("from", "2019-13-01"),
        ("to", "2021-02-29"),
        ("from", "20190211"),
        ("from", "2019-2-1"),
    ],
    ids=["30-february", "month-13", "29-february-2021", "basic-format", "unpadded"],
)
def test_impossible_dates_are_refused_before_the_query_runs(name: str, value: str) -> None:
    with pytest.raises(ParameterError) as caught:
        moikg.query("agreements-in-range", {name: value})
    error = caught.value
    assert isinstance(error, InputError) and isinstance(error, QueryError)
    assert error.parameter == name and error.exit_code == 2
    message = str(error)
    assert "\n" not in message
    assert f"parameter {name}: {value!r} is not a date" in message


def test_the_cli_says_one_line_and_exits_2_for_an_impossible_date() -> None:
    code, output, errors = run_cli("query", "agreements-in-range", "-p", "from=2019-02-30")
    assert code == 2 and output == ""
    assert errors.strip().splitlines() == [
        "error: queries/agreements-in-range.rq: parameter from: '2019-02-30' is not a date; "
        "write YYYY-MM-DD (there is no such day)"
    ]


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("12a", "integer", "is not an integer"),
        ("١٢", "integer", "is not an integer"),  # Python's int() reads Arabic-Indic digits
        ("1_000", "integer", "is not an integer"),
        ("id:org/has space", "IRI", "is not an IRI"),
        ("relative/path", "IRI", "is not an IRI"),
    ],
    ids=["letters", "arabic-digits", "underscore", "curie-with-space", "relative"],
)
def test_numbers_and_iris_are_checked_by_their_type(value: str, kind: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        to_term(value, kind)


def test_good_values_still_become_terms() -> None:
    assert to_term("2020-02-29", "date") == Literal("2020-02-29", datatype=XSD_DATE)
    assert to_term("-7", "integer") == Literal(-7)
    assert to_term("id:org/moin", "IRI") == URIRef("https://w3id.org/moikg/id/org/moin")


def test_terms_are_written_escaped_and_checked() -> None:
    assert sparql_term(Literal('a"b\nc', lang="en")) == '"a\\"b\\nc"@en'
    with pytest.raises(QueryError, match="cannot be written"):
        sparql_term(Literal("x", lang="abcdefghijk"))  # rdflib accepts it; BCP 47 does not
    with pytest.raises(QueryError, match="cannot be written"):
        sparql_term(URIRef("https://example.org/a b"))


def test_a_project_curie_with_a_slash_in_query_text_says_how_to_write_it() -> None:
    with pytest.raises(QueryError) as caught:
        prepare("SELECT ?p WHERE { id:org/moin ?p ?o }")
    assert (
        "id:org/moin is not a prefixed name in SPARQL: write "
        "<https://w3id.org/moikg/id/org/moin> or id:org\\/moin" in str(caught.value)
    )
    # Both spellings the message offers are accepted.
    prepare("SELECT ?p WHERE { <https://w3id.org/moikg/id/org/moin> ?p ?o }")
    prepare("SELECT ?p WHERE { id:org\\/moin ?p ?o }")


def test_predeclared_prefixes_are_the_project_prefixes_with_https_schema_org() -> None:
    assert PREDECLARED == PREFIXES
    assert PREDECLARED["schema"] == "https://schema.org/"
    text = prepare("SELECT ?n WHERE { ?x schema:name ?n }").text
    assert "PREFIX schema: <https://schema.org/>" in text


def test_a_user_query_file_with_only_a_title_runs(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# Title: My question\nSELECT ?s WHERE { ?s a org:Organization } LIMIT 1\n")
    result = moikg.query(path)
    assert result.columns == ("s",) and len(result) == 1
    code, output, _ = run_cli("query", str(path), "--format", "csv")
    assert code == 0 and output.splitlines()[0] == "s"


def test_a_missing_query_file_is_named_as_missing_not_as_a_typo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, errors = run_cli("query", "missing.rq")
    assert code == 2
    assert errors.strip() == "error: missing.rq: query file not found"


def test_query_form_is_read_by_the_parser_not_from_comments() -> None:
    assert query_form("# created\nSELECT * WHERE { ?s ?p ?o }") == "SELECT"
    assert query_form("# SELECT in a comment\nASK { ?s ?p ?o }") == "ASK"
    assert query_form("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_the_where_group_is_found_past_braces_in_comments_strings_and_iris() -> None:
    text = '# { a comment\nSELECT ?s WHERE {\n  ?s <urn:p#{> """}\n{""" .\n}'
    assert text[where_brace(text)] == "{" and text[: where_brace(text)].endswith("WHERE ")
    assert len(skeleton(text)) == len(text) and skeleton(text).count("\n") == text.count("\n")


def test_the_catalogue_readme_lists_exactly_the_predeclared_prefixes() -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "queries" / "README.md").read_text()
    table = dict(re.findall(r"^\| `(\w+):` \| `([^`]+)`", readme, flags=re.M))
    assert table == PREDECLARED


def test_a_curie_with_an_unknown_prefix_is_refused_before_the_query_runs() -> None:
    """Regression: ``-p org=typo:iipp`` ran with the IRI ``typo:iipp`` and answered 0 rows."""
    code, output, errors = run_cli("query", "partners-of", "-p", "org=typo:iipp")
    assert code == 2 and output == ""
    (line,) = errors.strip().splitlines()
    assert line.startswith(
        "error: queries/partners-of.rq: parameter org: 'typo:iipp' has an unknown prefix 'typo:'"
    )
    assert "known prefixes: moi:, id:, org:" in line and "orgs:, person:" in line
    with pytest.raises(ParameterError, match="unknown prefix"):
        moikg.query("partners-of", params={"org": "typo:iipp"})


def test_the_graph_files_instance_prefixes_are_accepted_as_parameter_values() -> None:
    assert to_term("orgs:iipp", "IRI") == URIRef("https://w3id.org/moikg/id/org/iipp")
    assert to_term("person:x") == URIRef("https://w3id.org/moikg/id/person/x")
    assert to_term("urn:isbn:0451450523", "IRI") == URIRef("urn:isbn:0451450523")
    by_id = run_cli("query", "partners-of", "-p", "org=id:org/iipp", "--format", "csv")
    by_orgs = run_cli("query", "partners-of", "-p", "org=orgs:iipp", "--format", "csv")
    assert by_id[0] == 0 and by_orgs == by_id
    assert len(by_id[1].splitlines()) > 1
