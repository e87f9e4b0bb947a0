"""Validate again only what a change can affect; keep a full validation's other results.

A full validation's results (the baseline) stay true for every focus node whose verdict the
change cannot reach (:func:`moikg.ingest.shacl_reach.affected`); those nodes are validated
again on the store as it is now, and their fresh results replace theirs in the baseline. The
report is then the one a full validation gives (``tests/ingest/test_revalidate.py`` and
``tests/cards/test_add_incremental.py`` compare them on fixtures and mutations).

``moikg add`` (:mod:`moikg.cards.incremental`) adds one graph; a second build
(:func:`revalidate`) changes, adds or removes any number of graphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Graph, URIRef

from moikg.errors import Violation
from moikg.ingest.shacl_reach import Reach, Term, affected
from moikg.ingest.shacl_sparql import Plan
from moikg.ingest.validation import ValidationReport, render_term, report_of, validate_in_store

__all__ = ["refocus", "revalidate"]


def refocus(
    store: ox.Store,
    nodes: Iterable[Term],
    baseline: Iterable[Violation],
    *,
    shapes_graph: Graph,
    plan: Plan,
    graphs: Sequence[URIRef],
    file_names: Mapping[URIRef, str] | Callable[[URIRef], str],
) -> ValidationReport:
    """The baseline with the results of ``nodes`` made again on the store as it is now.

    Args:
        store: The store; its named graphs exactly ``graphs``, the ontology's and its closure,
            its default graph their merge.
        nodes: The focus nodes to validate again.
        baseline: A full validation's results before the change.
        shapes_graph: The shapes.
        plan: The shapes translated.
        graphs: The source graphs.
        file_names: Source graph → file name shown in results.

    Returns:
        The report a full validation of the store gives.
    """
    focus = sorted(nodes, key=str)
    fresh = validate_in_store(
        store, shapes_graph=shapes_graph, plan=plan, graphs=graphs, file_names=file_names,
        focus=focus, exact=True,
    )  # fmt: skip
    again = {render_term(from_ox(n)) for n in focus}  # type: ignore[arg-type]
    kept = [v for v in baseline if v.focus_node not in again]
    return report_of([*kept, *fresh.violations])


def revalidate(
    store: ox.Store,
    baseline: Sequence[Violation],
    *,
    added: Iterable[ox.Triple],
    removed: Iterable[ox.Triple],
    subjects: Iterable[Term],
    shapes_graph: Graph,
    plan: Plan,
    reached: Reach,
    graphs: Sequence[URIRef],
    file_names: Mapping[URIRef, str] | Callable[[URIRef], str],
) -> tuple[ValidationReport, int] | None:
    """Validate again what some graphs' changes can affect, the store holding the new state.

    The focus nodes found by walking back from the changed triples in the old state and in
    the new (:func:`~moikg.ingest.shacl_reach.affected`) are those found in their union: the
    triples that left the merge are put back into the default graph for the walk only. The
    union can find more nodes than either state (each is validated again: same results).

    Args:
        store: The store in the new state (as in :func:`refocus`).
        baseline: A full validation's results in the old state.
        added: Triples the changed graphs state now and did not before.
        removed: Triples the changed graphs stated before and do not now (those another
            graph states are still in the merge; as changes they only widen the walk).
        subjects: Nodes to validate again whatever changed: the changed graphs' subjects,
            before and after (the files a result names can change).
        shapes_graph: The shapes.
        plan: The shapes translated.
        reached: ``reach(shapes_graph)``.
        graphs: The source graphs now.
        file_names: Source graph → file name shown in results.

    Returns:
        The report and how many focus nodes were validated again, or None when the change
        can affect every node (the class hierarchy changed, or a path has no bound): validate
        everything instead.
    """
    default = ox.DefaultGraph()
    gone = [ox.Quad(t.subject, t.predicate, t.object, default) for t in removed]
    back = [q for q in gone if q not in store]
    store.extend(back)
    try:
        nodes = affected(store, reached, [*added, *(q.triple for q in gone)], subjects)
    finally:
        for quad in back:
            store.remove(quad)
    if nodes is None:
        return None
    report = refocus(
        store, nodes, baseline, shapes_graph=shapes_graph, plan=plan, graphs=graphs,
        file_names=file_names,
    )  # fmt: skip
    return report, len(nodes)
