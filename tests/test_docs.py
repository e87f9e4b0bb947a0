"""Tests for moikg.docs: the reference pages the build writes (issue 12, point 3).

The pages are read back by Python's own HTML parser; what they must hold is read from the
ontology and the query files by pyoxigraph and by plain text, not by moikg.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph
import pytest

from cli_support import run_cli

ROOT = Path(__file__).resolve().parents[1]
MOI = "https://w3id.org/moikg/ontology#"
TERMS_QUERY = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?definition WHERE {{
  VALUES ?type {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
  ?term a ?type .
  OPTIONAL {{ ?term skos:definition|<http://www.w3.org/2000/01/rdf-schema#comment> ?definition }}
  FILTER(STRSTARTS(STR(?term), "{MOI}"))
}}
"""
CONCEPTS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?scheme ?concept ?label WHERE {
  ?concept skos:inScheme ?scheme ; skos:prefLabel ?label .
}
"""


class _Page(HTMLParser):
    """Section ids, visible text, and table rows (cell: a link's title, else its text)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._title: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell, self._title = [], None
        elif tag == "a" and self._cell is not None and values.get("title"):
            self._title = values["title"]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(self._title or "".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _read(path: Path) -> _Page:
    parsed = _Page()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def _curie_id(iri: str) -> str:
    for prefix, namespace in (
        ("moi", MOI),
        ("kind", "https://w3id.org/moikg/id/kind/"),
        ("role", "https://w3id.org/moikg/id/role/"),
        ("goal", "https://w3id.org/moikg/id/goal/"),
    ):
        if iri.startswith(namespace):
            return "t-" + re.sub(r"[^0-9A-Za-z]", "-", f"{prefix}:{iri[len(namespace) :]}")
    return "t-" + re.sub(r"[^0-9A-Za-z]", "-", iri)


@pytest.fixture(scope="module")
def ontology_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(ROOT / "ontology" / "moi.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def test_build_writes_both_reference_pages(project_build: Path) -> None:
    for name in ("ontology.html", "queries.html"):
        text = (project_build / "docs" / name).read_text(encoding="utf-8")
        assert "<script" not in text
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//[^"']*\.(js|css)""", text)


def test_ontology_page_documents_every_class_and_property(
    project_build: Path, ontology_store: pyoxigraph.Store
) -> None:
    page = _read(project_build / "docs" / "ontology.html")
    text = " ".join(" ".join(page.text).split())
    terms = {
        row["term"].value: row["definition"].value if row["definition"] else None
        for row in ontology_store.query(TERMS_QUERY)  # type: ignore[union-attr]
    }
    assert len(terms) > 40
    for term, definition in terms.items():
        assert _curie_id(term) in page.ids, term
        if definition:
            assert " ".join(definition.split()) in text, term


def test_ontology_page_names_the_standard_super_terms(project_build: Path) -> None:
    text = (project_build / "docs" / "ontology.html").read_text(encoding="utf-8")
    section = text[text.index('id="t-moi-University"') :]
    section = section[: section.index("</section>")]
    assert "org:FormalOrganization" in section and "schema:CollegeOrUniversity" in section


def test_ontology_page_lists_the_kinds_roles_and_goals_schemes(
    project_build: Path, ontology_store: pyoxigraph.Store
) -> None:
    page = _read(project_build / "docs" / "ontology.html")
    concepts = {
        (row["scheme"].value, row["concept"].value, row["label"].value)
        for row in ontology_store.query(CONCEPTS_QUERY)  # type: ignore[union-attr]
    }
    schemes = {scheme.rsplit("/", 1)[-1] for scheme, _, _ in concepts}
    assert {"actor-kinds", "roles"} <= schemes
    cells = {cell for table in page.tables for row in table for cell in row}
    for _, concept, label in concepts:
        assert _curie_id(concept) in page.ids, concept
        assert label in cells, label


def _headers() -> dict[str, dict[str, str]]:
    """Title, Question and Columns of each query file, read as plain text."""
    found = {}
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        fields = {}
        for key in ("Title", "Question", "Columns"):
            match = re.search(rf"^# {key}: (.*(?:\n#\s{{2,}}.*)*)", text, re.MULTILINE)
            assert match, (path, key)
            fields[key] = " ".join(re.sub(r"\n#\s+", " ", match[1]).split())
        fields["text"] = text
        found[path.stem] = fields
    return found


def test_catalogue_page_shows_each_query_whole(project_build: Path) -> None:
    page = _read(project_build / "docs" / "queries.html")
    text = " ".join(" ".join(page.text).split())
    raw = "".join(page.text)
    headers = _headers()
    assert len(headers) >= 15
    for name, fields in headers.items():
        assert f"q-{name}" in page.ids
        assert fields["Title"] in text and fields["Question"] in text, name
        for column in fields["Columns"].split(","):
            assert column.strip() in text, (name, column)
        assert fields["text"] in raw, name


def test_catalogue_page_shows_the_current_result(project_build: Path) -> None:
    from moikg.rdf.namespaces import PREFIXES

    store = pyoxigraph.Store()
    store.bulk_load(path=str(project_build / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    text = (project_build / "docs" / "queries.html").read_text(encoding="utf-8")
    section = text[text.index('id="q-actors-by-kind"') :]
    section = section[: section.index("</section>")]
    page = _Page()
    page.feed(section)
    shown = {tuple(row) for row in page.tables[-1][1:]}
    sparql = (ROOT / "queries" / "actors-by-kind.rq").read_text(encoding="utf-8")
    expected = {
        tuple("" if term is None else term.value for term in row)
        for row in store.query(sparql, prefixes=dict(PREFIXES), use_default_graph_as_union=True)  # type: ignore[union-attr]
    }
    assert shown and shown == expected


def test_docs_command_writes_the_pages(tmp_path: Path) -> None:
    code, out, err = run_cli("docs", "--out", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "ontology.html").is_file() and (tmp_path / "queries.html").is_file()
    assert f"wrote {tmp_path / 'ontology.html'}" in out
