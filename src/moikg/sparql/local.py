"""Run a prepared query on the embedded store (rdflib over Oxigraph).

The embedded dataset's default graph is the union of its named graphs, as
``oxigraph serve --union-default-graph`` does.
"""

from __future__ import annotations

from rdflib import Dataset

from moikg import _paths
from moikg._paths import ENRICHMENT_FILE
from moikg.errors import QueryError
from moikg.ingest.load import load_dataset
from moikg.rdf.namespaces import PREFIXES
from moikg.rdf.terms import plain_literal
from moikg.sparql.prepare import PreparedQuery
from moikg.sparql.results import QueryResult

__all__ = ["default_dataset", "run_embedded"]


def default_dataset() -> Dataset:
    """Load the embedded dataset: the sources, the ontology and, if present, the enrichment."""
    dataset = load_dataset()
    enrichment = _paths.build_dir() / ENRICHMENT_FILE
    if enrichment.is_file():
        dataset.parse(str(enrichment), format="trig")
    return dataset


def run_embedded(prepared: PreparedQuery, dataset: Dataset) -> QueryResult:
    """Run a prepared query on an rdflib dataset (its default graph the union of named graphs).

    Raises:
        QueryError: The query is not SELECT or ASK, or the store failed to evaluate it.
    """
    try:
        result = dataset.query(prepared.text, initNs=dict(PREFIXES))
        if result.type == "ASK":
            return QueryResult((), (), boolean=bool(result.askAnswer), ordered=prepared.ordered)
        if result.type != "SELECT":
            raise QueryError(f"{prepared.origin}: only SELECT and ASK queries give rows")
        columns = tuple(str(v) for v in result.vars or ())
        rows = tuple(
            tuple(None if v is None else plain_literal(v) for v in row)  # type: ignore[union-attr]
            for row in result
        )
    except QueryError:
        raise
    except (OSError, ValueError, TypeError) as error:
        raise QueryError(f"{prepared.origin}: the query failed: {error}") from None
    return QueryResult(columns, rows, ordered=prepared.ordered)
