"""The catalogue reference page: every query with its header, its SPARQL and its result.

For each ``queries/*.rq``: title, question, parameters, columns, the SPARQL text and the
current result (run on the embedded store with each parameter's default): how many rows it
gives, and the first :data:`ROW_LIMIT` of them. Only the rows shown are converted into
terms, so the page costs about what the store's own evaluation costs, at any size.
"""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef

from moikg.docs.html import curie, esc, page, table
from moikg.errors import InputError, MoikgError
from moikg.sparql.catalogue import QueryEntry, catalogue
from moikg.sparql.dispatch import query
from moikg.sparql.lexing import is_ordered

__all__ = ["ROW_LIMIT", "catalogue_html"]

ROW_LIMIT = 200
"""Rows shown per query; the page says how many more there are."""


def _cell(node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        return f'<a href="{esc(text)}" title="{esc(text)}"><code>{esc(curie(text))}</code></a>'
    if isinstance(node, Literal):
        return esc(str(node))
    return esc(str(node))


def _result(entry: QueryEntry, dataset: Dataset) -> str:
    # An ordered query: only the rows shown are converted, the rest counted (the store still
    # evaluates the whole query: its ORDER BY needs every row). Without ORDER BY, every row is
    # read and sorted, so that builds are reproducible.
    ordered = is_ordered(entry.text)
    try:
        result = query(entry.path, dataset=dataset, keep=ROW_LIMIT if ordered else None)
    except MoikgError as error:
        return f'<p class="muted">Not run here: {esc(error)}</p>'
    if result.boolean is not None:
        return f"<p>Answer: <strong>{'yes' if result.boolean else 'no'}</strong></p>"
    rows = list(result.rows)
    if not result.ordered:  # no ORDER BY: a stable order, so builds are reproducible
        rows.sort(key=lambda row: tuple("" if n is None else str(n) for n in row))
    shown = rows[:ROW_LIMIT]
    total = len(rows) if result.total is None else result.total
    order = "in the query's order" if result.ordered else "sorted by their text"
    note = f'<p class="muted">{total} row(s)' + (
        f"; only the first {len(shown)}, {order}, are shown here: run the query for all of "
        "them.</p>"
        if total > len(shown)
        else ".</p>"
    )
    return note + table(result.columns, ([_cell(n) for n in row] for row in shown))


def _entry(entry: QueryEntry, dataset: Dataset) -> str:
    parameters = (
        table(
            ("name", "type", "default", "meaning"),
            (
                (
                    f"<code>{esc(p.name)}</code>",
                    esc(p.type),
                    f"<code>{esc(p.default)}</code>" if p.default else "optional",
                    esc(p.description),
                )
                for p in entry.parameters
            ),
        )
        if entry.parameters
        else '<p class="muted">No parameters.</p>'
    )
    return (
        f'<section id="q-{esc(entry.name)}"><h2>{esc(entry.title)}</h2>'
        f"<p><code>moikg query {esc(entry.name)}</code></p>"
        f"<p><strong>Question.</strong> {esc(entry.question)}</p>"
        f"<h3>Parameters</h3>{parameters}"
        f"<h3>Columns</h3><p>{', '.join(f'<code>{esc(c)}</code>' for c in entry.columns)}</p>"
        f"<h3>SPARQL</h3><pre>{esc(entry.text)}</pre>"
        f"<h3>Current result</h3>{_result(entry, dataset)}</section>"
    )


def catalogue_html(dataset: Dataset) -> str:
    """Write the catalogue reference page.

    Args:
        dataset: The graph the current results are computed on.

    Returns:
        The HTML text.
    """
    try:
        entries = list(catalogue().values())
    except InputError as error:  # a project of its own, without queries/: say so
        body = f"<h1>moikg: the SPARQL catalogue</h1><p>No catalogue: {esc(error)}</p>"
        return page("moikg: the SPARQL catalogue", body, meta={"generator": "moikg docs"})
    contents = "".join(
        f'<li><a href="#q-{esc(e.name)}">{esc(e.title)}</a> <code class="muted">{esc(e.name)}'
        "</code></li>"
        for e in entries
    )
    body = (
        "<h1>moikg: the SPARQL catalogue</h1>"
        "<p>Each question below is a file in <code>queries/</code>; run it with "
        "<code>moikg query NAME -p name=value</code>, <code>moikg.query(NAME, params)</code> "
        "in Python, or paste the SPARQL into the page of <code>moikg serve</code>. Results "
        "are those of the graph this page was built from, with each parameter's default.</p>"
        f"<nav><ul>{contents}</ul></nav>" + "".join(_entry(e, dataset) for e in entries)
    )
    return page("moikg: the SPARQL catalogue", body, meta={"generator": "moikg docs"})
