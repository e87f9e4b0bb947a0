"""Run a prepared query on the embedded store (rdflib over Oxigraph).

The embedded dataset's default graph is the RDF merge of its named graphs: each triple once,
however many sources state it (:func:`moikg.ingest.load.merge_default_graph`; ``moikg serve``
serves the same). A query has a time limit (60 s unless told otherwise) and may not run
``SERVICE`` clauses unless allowed.
"""

from __future__ import annotations

import gc
import threading
from typing import IO, Final, cast

import pyoxigraph as ox
from rdflib import Dataset

from moikg import _paths
from moikg._paths import ENRICHMENT_FILE
from moikg.errors import QueryError
from moikg.ingest.load import load_dataset, merge_default_graph, refresh_merge
from moikg.rdf.namespaces import PREFIXES
from moikg.rdf.store import oxigraph_store
from moikg.rdf.terms import plain_literal
from moikg.sparql.lexing import service_targets
from moikg.sparql.prepare import PreparedQuery
from moikg.sparql.results import QueryResult
from moikg.sparql.terms import Cancelled, TsvSink, tsv_rows

__all__ = ["DEFAULT_TIME_LIMIT", "default_dataset", "run_embedded"]

DEFAULT_TIME_LIMIT: Final = 60.0
"""Seconds a query on the embedded store may take unless told otherwise."""


def default_dataset() -> Dataset:
    """Load the embedded dataset: the sources, the ontology and, if present, the enrichment."""
    dataset = load_dataset()
    enrichment = _paths.build_dir() / ENRICHMENT_FILE
    if enrichment.is_file():
        dataset.parse(str(enrichment), format="trig")
        merge_default_graph(dataset)
    return dataset


def run_embedded(
    prepared: PreparedQuery,
    dataset: Dataset,
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    allow_service: bool = False,
    keep: int | None = None,
) -> QueryResult:
    """Run a prepared query on an rdflib dataset (its default graph the merge of named graphs).

    The evaluation runs in a worker thread that the caller waits for at most ``time_limit``
    seconds. Past it, the caller gets a :class:`QueryError`; rows stop being read at once, but
    work inside the store's own evaluation (an aggregate over a cartesian product) cannot be
    interrupted and goes on in the background until it ends or the process exits (the CLI
    exits at once).

    Args:
        prepared: The query.
        dataset: The dataset.
        time_limit: Seconds the query may take; None or 0 for no limit.
        allow_service: Run ``SERVICE`` clauses (SPARQL 1.1 Federated Query), which send
            requests to other endpoints; refused by default, so that a query file cannot
            make network requests by itself.
        keep: Keep only the first ``keep`` rows (the others are counted, not converted to
            rdflib terms); the result's ``total`` says how many rows there were.

    Raises:
        QueryError: The query is not SELECT or ASK, has a SERVICE clause that is not allowed,
            ran past the time limit, or the store failed to evaluate it.
    """
    targets = service_targets(prepared.text)
    if targets and not allow_service:
        raise QueryError(
            f"{prepared.origin}: the query has a SERVICE clause ({targets[0]}), which sends "
            "requests to another endpoint; pass allow_service=True to run it",
            parameter="allow_service",
        )
    refresh_merge(dataset)
    if not time_limit:
        return _evaluate(prepared, dataset, threading.Event(), keep)
    cancel = threading.Event()
    outcome: list[QueryResult | BaseException] = []

    def work() -> None:
        try:
            outcome.append(_evaluate(prepared, dataset, cancel, keep))
        except Cancelled:
            pass
        except BaseException as error:  # handed to the caller's thread, raised there
            error.__traceback__ = error.__context__ = error.__cause__ = None
            outcome.append(error)
        if cancel.is_set():
            # Oxigraph's result objects must be freed in the thread that made them, not later
            # by whichever thread runs the cycle collector.
            gc.collect()

    worker = threading.Thread(target=work, name=f"moikg query {prepared.origin}", daemon=True)
    worker.start()
    worker.join(time_limit)
    if worker.is_alive():
        cancel.set()
        raise QueryError(
            f"{prepared.origin}: the query ran longer than {time_limit:g} s, the time limit; "
            "narrow it (a LIMIT, more specific patterns) or pass time_limit=<seconds> "
            "(0 for none)",
            parameter="time_limit",
        )
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _evaluate(
    prepared: PreparedQuery, dataset: Dataset, cancel: threading.Event, keep: int | None
) -> QueryResult:
    inner = oxigraph_store(dataset)
    if inner is not None:
        return _evaluate_oxigraph(prepared, inner, dataset.default_union, cancel, keep)
    try:
        result = dataset.query(prepared.text, initNs=dict(PREFIXES))
        if result.type == "ASK":
            return QueryResult((), (), boolean=bool(result.askAnswer), ordered=prepared.ordered)
        if result.type != "SELECT":
            raise QueryError(f"{prepared.origin}: only SELECT and ASK queries give rows")
        columns = tuple(str(v) for v in result.vars or ())
        rows = []
        for row in result:
            if cancel.is_set():
                raise Cancelled
            rows.append(tuple(None if v is None else plain_literal(v) for v in row))  # type: ignore[union-attr]
    except QueryError:
        raise
    except (OSError, ValueError, TypeError) as error:
        raise QueryError(f"{prepared.origin}: the query failed: {error}") from None
    if keep is not None:
        return QueryResult(columns, tuple(rows[:keep]), ordered=prepared.ordered, total=len(rows))
    return QueryResult(columns, tuple(rows), ordered=prepared.ordered)


def _evaluate_oxigraph(
    prepared: PreparedQuery,
    store: ox.Store,
    union: bool,
    cancel: threading.Event,
    keep: int | None,
) -> QueryResult:
    """Run the text on Oxigraph itself; each distinct term converted to rdflib once.

    The same call rdflib's Oxigraph store makes, without its per-row dictionaries and
    per-term conversions: Oxigraph writes the solutions as TSV, read back as rdflib terms
    (:mod:`moikg.sparql.terms`). With ``keep``, only the text of the first rows is kept; the
    others are counted.
    """
    try:
        result = store.query(
            prepared.text, use_default_graph_as_union=union, prefixes=dict(PREFIXES)
        )
        if isinstance(result, ox.QueryBoolean):
            return QueryResult((), (), boolean=bool(result), ordered=prepared.ordered)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(f"{prepared.origin}: only SELECT and ASK queries give rows")
        columns = tuple(v.value for v in result.variables)
        sink = TsvSink(cancel, keep)
        try:
            result.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.TSV)
        except Cancelled:
            raise
        except Exception:
            if cancel.is_set():
                raise Cancelled from None
            raise
        rows = tsv_rows(sink.text(), len(columns), keep)
    except QueryError:
        raise
    except (OSError, ValueError, TypeError) as error:
        raise QueryError(f"{prepared.origin}: the query failed: {error}") from None
    return QueryResult(
        columns, tuple(rows), ordered=prepared.ordered, total=None if keep is None else sink.rows
    )
