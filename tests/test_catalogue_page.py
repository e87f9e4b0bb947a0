"""The catalogue page on data larger than it shows (issue 10.5): first rows, honest total.

The page is built from generated data where ``timeline`` gives more rows than the page shows.
What it shows is checked against pyoxigraph run independently on a store loaded from the
dataset's TriG (a second writer and reader): the total it states, and that the rows shown are
the query's first rows in the query's order.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset

from moikg.cards.synthetic import generate
from moikg.docs.catalogue_page import ROW_LIMIT, catalogue_html
from moikg.ingest.load import load_dataset
from moikg.rdf.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


class _Cells(HTMLParser):
    """The rows of every table (a cell: its link's title, else its text), and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._title: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag == "td":
            self._cell, self._title = [], None
        elif tag == "a" and self._cell is not None:
            self._title = dict(attrs).get("title")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.tables[-1][-1].append(self._title or "".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    folder = tmp_path_factory.mktemp("generated")
    generate(triples=3000, seed=3, out_dir=folder)
    return load_dataset(folder)


def _section(html: str, name: str) -> _Cells:
    start = html.index(f'id="q-{name}"')
    parsed = _Cells()
    parsed.feed(html[start : html.index("</section>", start)])
    return parsed


def test_a_long_result_shows_its_first_rows_and_its_true_total(generated: Dataset) -> None:
    html = catalogue_html(generated)
    store = pyoxigraph.Store()
    store.load(generated.serialize(format="trig").encode(), format=pyoxigraph.RdfFormat.TRIG)
    store.update(MERGE)
    text = (ROOT / "queries" / "timeline.rq").read_text(encoding="utf-8")
    expected = [
        ["" if term is None else term.value for term in row]
        for row in store.query(text, prefixes=dict(PREFIXES))  # type: ignore[union-attr]
    ]
    assert len(expected) > ROW_LIMIT
    section = _section(html, "timeline")
    shown = [row for row in section.tables[-1] if row]
    assert shown == expected[:ROW_LIMIT]
    words = " ".join("".join(section.text).split())
    match = re.search(
        r"(\d+) row\(s\); only the first (\d+), in the query's order, are shown", words
    )
    assert match, words[:300]
    assert (int(match[1]), int(match[2])) == (len(expected), ROW_LIMIT)


def test_a_short_result_shows_every_row_and_no_truncation_note(generated: Dataset) -> None:
    html = catalogue_html(generated)
    section = _section(html, "schema-overview")
    shown = [row for row in section.tables[-1] if row]
    words = " ".join("".join(section.text).split())
    assert 0 < len(shown) < ROW_LIMIT
    assert f"{len(shown)} row(s)." in words and "only the first" not in words
