"""Run a query, from the catalogue or as text, on the embedded store or an endpoint.

:func:`query` prepares the text once (:mod:`moikg.sparql.prepare`) and sends the
same prepared text to the embedded store (:mod:`moikg.sparql.local`) or to a
SPARQL endpoint (:mod:`moikg.sparql.remote`), so a catalogue query gives the same
rows locally and remotely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from rdflib import Dataset

from moikg.errors import QueryError
from moikg.sparql.binding import ParamValue
from moikg.sparql.local import DEFAULT_TIME_LIMIT, default_dataset, run_embedded
from moikg.sparql.prepare import prepare
from moikg.sparql.remote import RemoteOptions, select
from moikg.sparql.results import QueryResult

__all__ = ["query"]


def query(
    name_or_text: str | Path,
    params: Mapping[str, ParamValue] | None = None,
    endpoint: str | None = None,
    *,
    dataset: Dataset | None = None,
    options: RemoteOptions | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    allow_service: bool = False,
    keep: int | None = None,
) -> QueryResult:
    """Run a catalogue query, a query file or SPARQL text.

    Args:
        name_or_text: A catalogue name (``partners-of``), a ``.rq`` file, or SPARQL text.
        params: Parameter values (rdflib terms, or text read by each parameter's type).
        endpoint: A SPARQL endpoint URL; None runs on the embedded store.
        dataset: The embedded dataset to use; defaults to :func:`default_dataset`.
        options: Timeout, retries and User-Agent for the endpoint.
        time_limit: Seconds a query on the embedded store may take (None or 0: no limit);
            an endpoint's time is bounded by ``options.timeout``.
        allow_service: Let a query on the embedded store run ``SERVICE`` clauses (requests
            to other endpoints); refused by default.
        keep: Keep only the first ``keep`` rows; the result's ``total`` says how many the
            query gave. The embedded store counts the others without converting them; an
            endpoint sends them all and they are cut here.

    Returns:
        The result: ``.to_dataframe()``, ``.to_dicts()``, ``.rows``, ``.columns``.

    Raises:
        QueryError: See :func:`prepare`; also a failure while evaluating.
        EndpointError: The endpoint cannot be reached, timed out or answered an HTTP error.
    """
    prepared = prepare(name_or_text, params)
    if keep is not None and keep < 0:
        raise QueryError(f"keep={keep}: give a number of rows, 0 or more", parameter="keep")
    if endpoint is not None:
        result = select(endpoint, prepared, options=options)
        if keep is None:
            return result
        return replace(result, rows=result.rows[:keep], total=len(result.rows))
    return run_embedded(
        prepared,
        dataset if dataset is not None else default_dataset(),
        time_limit=time_limit,
        allow_service=allow_service,
        keep=keep,
    )
