"""Rows of the projection queries as text, read straight from the store when it is Oxigraph.

Each projection query (``moikg/network/queries/*.rq``) gives rows of plain text: an IRI or a
blank node as its identifier, a literal as its lexical form; an unbound column is None. On
the embedded store (rdflib over Oxigraph) the query runs on the pyoxigraph store itself, its
results are read as SPARQL TSV, and each distinct cell is converted once; any other dataset, and any
SPARQL endpoint, goes through :func:`moikg.sparql.dispatch.query`. Both give the same text:
a literal of a datatype other than ``xsd:string`` and ``rdf:langString`` is written as
rdflib writes it (rdflib normalises some lexical forms, such as ``xsd:dateTime`` in UTC), once
per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from moikg.errors import QueryError
from moikg.ingest.load import refresh_merge
from moikg.rdf.namespaces import PREFIXES, RDF, XSD
from moikg.sparql.dispatch import query
from moikg.sparql.terms import cell_term

__all__ = ["Row", "Source", "query_file", "reader"]

Source = Dataset | str
"""Where facts come from: a loaded dataset, or the URL of a SPARQL endpoint."""

Row = dict[str, str | None]
"""One solution: column → text, None when unbound."""

_QUERY_DIR: Final = "queries"
_PLAIN: Final = frozenset({str(XSD.string), str(RDF.langString)})


def query_file(name: str) -> Path:
    """The file of the projection query ``name`` (``labels``, ``relations``…)."""
    return Path(str(resources.files("moikg.network") / _QUERY_DIR / f"{name}.rq"))


def reader(source: Source) -> Callable[[str], list[Row]]:
    """A function that runs projection queries by name on ``source``; rows of text.

    A dataset's merged default graph is brought up to date once, here
    (:func:`moikg.ingest.load.refresh_merge`; counting an Oxigraph store's quads reads them
    all), not once per query.

    Raises (from the function returned):
        QueryError: The store failed to evaluate the query.
        EndpointError: The endpoint cannot be reached or answered an error.
    """
    if isinstance(source, str):
        endpoint = source

        def remote(name: str) -> list[Row]:
            return _as_text(query(query_file(name), endpoint=endpoint).to_dicts(terms=True))

        return remote
    refresh_merge(source)
    store = source.store
    if isinstance(store, OxigraphStore):
        inner = store._inner
        return lambda name: _from_oxigraph(inner, query_file(name))
    dataset = source

    def generic(name: str) -> list[Row]:
        result = query(query_file(name), dataset=dataset, time_limit=None)
        return _as_text(result.to_dicts(terms=True))

    return generic


def _as_text(rows: list[dict[str, object]]) -> list[Row]:
    return [{k: None if v is None else str(v) for k, v in row.items()} for row in rows]


def _from_oxigraph(store: ox.Store, path: Path) -> list[Row]:
    """Run the query on the pyoxigraph store; read its SPARQL TSV results (one Rust call).

    Writing the solutions as TSV in Oxigraph and splitting them in Python is about twice as
    fast as reading each term of each solution as a Python object.
    """
    try:
        solutions = store.query(path.read_text(encoding="utf-8"), prefixes=dict(PREFIXES))
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError(f"{path}: a projection query must be a SELECT")
        data = solutions.serialize(format=ox.QueryResultsFormat.TSV) or b""
    except (OSError, SyntaxError, ValueError) as error:
        raise QueryError(f"{path}: the query failed: {error}") from None
    lines = data.decode("utf-8").split("\n")
    names = [name[1:] for name in lines[0].split("\t")]
    if lines[-1] == "":  # the newline after the last row
        lines.pop()
    cells = _Cells()
    value = cells.__getitem__
    return [dict(zip(names, map(value, line.split("\t")), strict=True)) for line in lines[1:]]


class _Cells(dict[str, str | None]):
    """Cell of SPARQL 1.1 TSV results (§4: RDF terms in Turtle syntax) → its text, memoised.

    The text is ``str`` of the cell's rdflib term (:func:`moikg.sparql.terms.cell_term`): an
    IRI or a blank node's label, a literal's lexical form (rdflib's normal form for typed
    literals), the same text an endpoint's rows give.
    """

    def __init__(self) -> None:
        super().__init__({"": None})

    def __missing__(self, cell: str) -> str | None:
        text = cell[1:-1] if cell[0] == "<" and cell[1] != "<" else str(cell_term(cell))
        self[cell] = text
        return text
