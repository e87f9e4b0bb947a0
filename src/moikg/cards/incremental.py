"""Add a card's graph through the graph folder's on-disk store, validating only what it affects.

:func:`moikg.cards.add.add_card` uses this for a new source when the store is Oxigraph and the
shapes translate to SPARQL. The store (:mod:`moikg.ingest.graph_store`) already holds every
other source, the ontology, its closure and the merge, and the results of the last full
validation; the shapes and ontology come parsed and translated from beside it
(:mod:`moikg.ingest.prepared`). The card's actors are resolved against the actors index kept
beside the store (:mod:`moikg.cards.actor_db`, read entry by entry; built from the store by
:func:`moikg.cards.store_index.index_from_store` when missing or stale), its graph goes into
the store and the merge, and only the focus nodes the new triples can affect
(:func:`moikg.ingest.shacl_reach.affected`: the card's own subjects, the nodes the new triples
are read from, and every node whose shapes walk to those) are validated again. Their fresh
results replace theirs in the last full results: the report is the one a full validation gives
(``tests/cards/test_add_incremental.py`` checks that on fixtures). Refused, or a dry run: the
graph leaves the store again. Accepted: the caller's ``write`` commits the files, then the
store records the new file and the new results, and the index the entries of the card's
subjects.
"""

from __future__ import annotations

import shutil
import tempfile
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final

from rdflib import Graph, URIRef

from moikg import _paths
from moikg._paths import display_path
from moikg.cards.actor_db import open_index, update_index, write_index
from moikg.cards.actor_index import Index
from moikg.cards.read import Card
from moikg.cards.resolve import Resolved
from moikg.cards.store_index import index_from_store
from moikg.cards.to_rdf import convert_card, to_turtle
from moikg.errors import ConformanceError, Violation
from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.graph_store import GraphStore, default_location, open_graph_store, store_lock
from moikg.ingest.load import ONTOLOGY_GRAPH, graph_iri
from moikg.ingest.prepared import Prepared, prepare
from moikg.ingest.revalidate import refocus
from moikg.ingest.shacl_reach import Reach, affected, reach
from moikg.ingest.shacl_sparql import Plan
from moikg.ingest.validation import (
    ValidationReport,
    raise_for_violations,
    validate_in_store,
)

__all__ = ["Added", "add_through_store", "check_added", "full_results"]


@dataclass(frozen=True)
class Added:
    """What the card became.

    Attributes:
        graph: Its triples.
        turtle: Its Turtle text.
        actors: Its actors, resolved.
        new_triples: Triples no other source states.
        report: The validation report of the whole graph with it.
        validated: Focus nodes validated again (None: all of them).
    """

    graph: Graph
    turtle: str
    actors: Mapping[str, Resolved]
    new_triples: int
    report: ValidationReport
    validated: int | None


def add_through_store(
    card: Card,
    *,
    folder: Path,
    target: Path,
    card_name: str,
    dry_run: bool,
    ontology: Path | None,
    shapes: Path | None,
    location: Path | None,
    write: Callable[[str], None],
    lock_timeout: float,
) -> Added | None:
    """Convert, validate (incrementally) and, unless refused or a dry run, commit one card.

    Args:
        card: The card.
        folder: The graph folder (locked by the caller unless a dry run).
        target: ``<folder>/<stem>.ttl``, which must not exist yet.
        card_name: How the Turtle's header names the card.
        dry_run: Validate but leave everything as it was.
        ontology: Ontology file; defaults to ``ontology/moi.ttl``.
        shapes: Shapes file; defaults to ``ontology/shapes.ttl``.
        location: The store's folder; defaults to the graph folder's.
        write: Writes the files (given the Turtle) once the card is accepted.
        lock_timeout: Seconds to wait for the store's lock.

    Returns:
        What was added, or None when the shapes do not translate to SPARQL (the caller then
        validates the whole graph its own way).

    Raises:
        CardError: The card's actors do not resolve.
        ConformanceError: With the card, the graph would not conform.
    """
    shapes_file = Path(shapes) if shapes is not None else _paths.shapes_file()
    ontology_file = Path(ontology) if ontology is not None else _paths.ontology_file()
    where = Path(location) if location is not None else default_location(folder)
    ready = prepare(shapes_file, ontology_file, where if where.is_dir() else None)
    if ready.plan is None:
        return None
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a read-only place: the whole graph is validated instead
        warnings.warn(
            f"{display_path(where)}: cannot keep the graph's store there ({error.strerror}); "
            "validating the whole graph instead (slower)",
            stacklevel=3,
        )
        return None
    with store_lock(where, timeout=lock_timeout):
        graph_store = open_graph_store(
            folder, ontology=ontology_file, location=where, shapes=shapes_file,
            ontology_graph=ready.ontology,
        )  # fmt: skip
        try:
            return _add(graph_store, card, target, card_name, dry_run, ready, write)
        except BaseException as error:
            # The frames an error carries would keep the on-disk store open (and its lock
            # held) for as long as the caller keeps the error: let go of their locals.
            traceback.clear_frames(error.__traceback__)
            raise
        finally:
            graph_store.close()


def _names(files: Mapping[URIRef, Path]) -> Callable[[URIRef], str]:
    shown: dict[URIRef, str] = {}

    def name_of(iri: URIRef) -> str:
        if iri not in shown:
            shown[iri] = display_path(files[iri])
        return shown[iri]

    return name_of


def check_added(
    graph_store: GraphStore,
    iri: URIRef,
    data: bytes,
    target: Path,
    *,
    shapes_graph: Graph,
    plan: Plan,
    baseline: Sequence[Violation],
    reached: Reach | None = None,
) -> tuple[ValidationReport, int | None, int]:
    """Put one source's Turtle into the store as graph ``iri``; validate what it can affect.

    The graph stays in the store (:meth:`GraphStore.remove_graph` takes it out again).

    Args:
        graph_store: The open store, the graph folder's sources in it, ``iri`` not yet.
        iri: The new source's graph.
        data: Its Turtle.
        target: Its file (named in results).
        shapes_graph: The shapes.
        plan: The shapes translated.
        baseline: A full validation's results before the graph came.
        reached: ``reach(shapes_graph)``, if the caller has it.

    Returns:
        The report a full validation would give, how many focus nodes were validated again
        (None: all), and how many of the triples no other source states.
    """
    store = graph_store.store
    files = {**graph_store.files, iri: target}
    changed, subjects, new = graph_store.add_graph(iri, data)
    reached = reach(shapes_graph) if reached is None else reached
    nodes = affected(store, reached, changed, subjects)
    names = _names(files)
    if nodes is None:
        report = validate_in_store(
            store, shapes_graph=shapes_graph, plan=plan, graphs=sorted(files), file_names=names,
            exact=True,
        )  # fmt: skip
        return report, None, new
    report = refocus(
        store, nodes, baseline, shapes_graph=shapes_graph, plan=plan, graphs=sorted(files),
        file_names=names,
    )  # fmt: skip
    return report, len(nodes), new


def full_results(
    graph_store: GraphStore, shapes_graph: Graph, plan: Plan, digest: str
) -> tuple[Violation, ...]:
    """The last full validation's results with these shapes; run and remembered when missing."""
    baseline = graph_store.baseline(digest)
    if baseline is None:
        full = validate_in_store(
            graph_store.store, shapes_graph=shapes_graph, plan=plan,
            graphs=sorted(graph_store.files), file_names=_names(graph_store.files), exact=True,
        )  # fmt: skip
        baseline = full.violations
        graph_store.set_baseline(digest, baseline)
        graph_store.commit()
    return baseline


def _add(
    graph_store: GraphStore,
    card: Card,
    target: Path,
    card_name: str,
    dry_run: bool,
    ready: Prepared,
    write: Callable[[str], None],
) -> Added:
    shapes_graph, ontology_graph, plan = ready.shapes, ready.ontology, ready.plan
    assert plan is not None
    baseline = full_results(graph_store, shapes_graph, plan, ready.shapes_digest)
    index = _index(graph_store, ontology_graph)
    try:
        graph, actors = convert_card(card, index, ontology_graph)
    finally:
        index.close()
    turtle = to_turtle(graph, card, card_name=card_name)
    iri = graph_iri(card.stem)
    data = turtle.encode("utf-8")
    check = partial(check_added, iri=iri, data=data, target=target, shapes_graph=shapes_graph,
                    plan=plan, baseline=baseline, reached=ready.reach)  # fmt: skip
    if dry_run:  # on a throw-away checkpoint: the store itself is not written at all
        report, validated, new = _on_checkpoint(graph_store, check)
        refuse_unless_conforms(card, report)
        return Added(graph, turtle, actors, new, report, validated)
    graph_store.begin()
    committed = False
    try:
        report, validated, new = check(graph_store)
        refuse_unless_conforms(card, report)
        write(turtle)
        graph_store.record(iri, target)
        graph_store.set_baseline(ready.shapes_digest, report.violations)
        subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)})
        touched = index_from_store(
            graph_store.store, ontology_graph, exclude=_NOT_SOURCES, only=subjects
        )
        update_index(graph_store.location / _INDEX, graph_store.token, subjects, touched)
        committed = True
    finally:
        if not committed:
            graph_store.remove_graph(iri)
        graph_store.commit()
    return Added(graph, turtle, actors, new, report, validated)


def refuse_unless_conforms(card: Card, report: ValidationReport) -> None:
    """Raise ConformanceError naming the card when the graph with it would not conform."""
    try:
        raise_for_violations(report)
    except ConformanceError as error:
        raise ConformanceError(
            f"{display_path(card.path)}: not added: with it, the graph would not conform\n{error}",
            violations=error.violations,
        ) from None


_SCRATCH: Final = ".dry-run-"


def _on_checkpoint(
    graph_store: GraphStore, check: Callable[[GraphStore], tuple[ValidationReport, int | None, int]]
) -> tuple[ValidationReport, int | None, int]:
    """Run ``check`` on a checkpoint of the store (removed after; and any a crash left)."""
    for stale in graph_store.location.glob(f"{_SCRATCH}*"):  # we hold the store's lock
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=_SCRATCH, dir=graph_store.location))
    try:
        copy = graph_store.checkpoint(scratch)
        try:
            return check(copy)
        finally:
            copy.close()
            del copy
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


_NOT_SOURCES: Final = (str(ONTOLOGY_GRAPH), str(CLOSURE_GRAPH))
_INDEX: Final = "actors.sqlite"
_OLD_INDEX: Final = "actors.pickle"  # before: the whole index, loaded and rewritten each time


def _index(graph_store: GraphStore, ontology: Graph) -> Index:
    """The actors index of the store's sources: in a file beside the store, for its token."""
    stored = open_index(graph_store.location / _INDEX, graph_store.token)
    if stored is not None:
        return stored
    source = graph_store.memory if graph_store.memory is not None else graph_store.store
    index = index_from_store(source, ontology, exclude=_NOT_SOURCES)
    write_index(graph_store.location / _INDEX, graph_store.token, index)
    (graph_store.location / _OLD_INDEX).unlink(missing_ok=True)
    return index
