"""Validate the encoded sources against the SHACL shapes with pySHACL.

The data graph is the union of the source named graphs (not the ontology
graph); the shapes graph is ``ontology/shapes.ttl``; the ontology
(``ontology/moi.ttl``) is given to pySHACL as ``ont_graph`` so that
``sh:targetClass`` reaches instances of subclasses through ``rdfs:subClassOf``
(SHACL §2.1.3.3, class-based targets; SHACL §3.2, "SHACL instance"). No
further inference is applied (``inference="none"``).

Results are read from the validation report graph (SHACL §3.6, validation
report); each becomes a :class:`Violation` carrying the source files in which
its focus node occurs as a subject.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import to_ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from moikg import _paths
from moikg._paths import display_path
from moikg.errors import ConformanceError, InputError, Violation
from moikg.ingest import shacl_run, shacl_sparql
from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.load import (
    ONTOLOGY_GRAPH,
    StoreName,
    load_dataset,
    merge_is_current,
    named_graphs,
    read_graph,
    refresh_merge,
    source_graphs,
    sources,
    stem_of,
    to_memory,
)
from moikg.rdf.namespaces import SH

__all__ = [
    "FallbackWarning",
    "ValidationReport",
    "data_graph",
    "raise_for_violations",
    "render_term",
    "report_of",
    "validate",
    "validate_files",
    "validate_in_store",
    "validate_sources",
]

Engine = TypingLiteral["auto", "pyshacl", "sparql"]
"""Validation engines: see :func:`validate`."""

_LOG: Final = logging.getLogger(__name__)


class FallbackWarning(UserWarning):
    """The SPARQL engine could not run the shapes; pySHACL (slower) validated instead."""


_UNTRANSLATED: Final = "the SPARQL engine does not translate these shapes"
_SEVERITY_NAMES: Final = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of a validation run (SHACL §3.6.1, ``sh:conforms``).

    Attributes:
        conforms: True when no result of severity ``sh:Violation`` was produced.
        violations: Every validation result, violations first, then by file and focus node.
        text: pySHACL's human-readable report.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    text: str


def data_graph(dataset: Dataset, *, graphs: Iterable[URIRef] | None = None) -> Graph:
    """Copy the source named graphs (not the ontology) into one in-memory graph.

    Args:
        dataset: A dataset from :func:`moikg.ingest.load.load_dataset`.
        graphs: The named graphs to merge; defaults to every source graph.

    Returns:
        The union, as a plain rdflib graph.
    """
    chosen = [g for g in (graphs if graphs is not None else source_graphs(dataset))]
    memory = to_memory(dataset, graphs=[g for g in chosen if g != ONTOLOGY_GRAPH])
    union = Graph()
    for triple in memory.triples((None, None, None)):
        union.add(triple)
    return union


def validate(
    data: Dataset | Sequence[Path | str],
    *,
    shapes: Path | None = None,
    ontology: Path | None = None,
    files: Mapping[URIRef, Path] | None = None,
    store: StoreName = "oxigraph",
    engine: Engine = "auto",
) -> ValidationReport:
    """Validate a dataset, or a list of Turtle files, against the shapes.

    Args:
        data: A dataset from :func:`moikg.ingest.load.load_dataset`, or source files
            (then this is :func:`validate_files`).
        shapes: Shapes file; defaults to the project's ``ontology/shapes.ttl``.
        ontology: Ontology file, used when the dataset has no ontology graph;
            defaults to the project's ``ontology/moi.ttl``.
        files: Source graph IRI → file, for naming files in results; defaults
            to ``<stem>.ttl`` in the project's ``graph/`` folder.
        store: Store used when ``data`` is a list of files.
        engine: ``"pyshacl"`` (the reference), ``"sparql"`` (the shapes as SPARQL on the
            Oxigraph store, :mod:`moikg.ingest.shacl_sparql`; same verdicts, no copy of the
            data) or ``"auto"``: SPARQL when the dataset is on Oxigraph with its ontology graph
            and the shapes use only what that engine translates, else pySHACL.

    Returns:
        The report. Non-conformance is not an error here; see
        :func:`raise_for_violations`.

    Raises:
        InputError: A shapes, ontology or data file is missing or malformed.
    """
    if not isinstance(data, Dataset):
        return validate_files(data, shapes=shapes, ontology=ontology, store=store)
    if engine not in ("auto", "pyshacl", "sparql"):
        raise InputError(
            f"engine: unknown validation engine {engine!r}; use auto, pyshacl or sparql"
        )
    shapes_graph = _read_shapes(shapes)
    graphs = source_graphs(data)
    if engine != "pyshacl":
        fast = _validate_sparql(data, shapes_graph, graphs, _file_names(data, graphs, files))
        if isinstance(fast, ValidationReport):
            return fast
        if engine == "sparql":
            raise InputError(f"engine: the SPARQL engine cannot run here: {fast}; use 'pyshacl'")
        if fast.startswith(_UNTRANSLATED):  # said, never silent: the slow path is taken
            shapes_name = display_path(Path(shapes) if shapes is not None else _paths.shapes_file())
            note = f"{shapes_name}: {fast}; validating with pySHACL (slower: copies the data)"
            _LOG.warning(note)
            warnings.warn(note, FallbackWarning, stacklevel=2)
    ont_graph = _ontology_graph(data, ontology)
    union = data_graph(data, graphs=graphs)
    from pyshacl import validate as _pyshacl_validate  # only here: a second's import

    conforms, results, text = _pyshacl_validate(
        union,
        shacl_graph=shapes_graph,
        ont_graph=ont_graph,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        abort_on_first=False,
    )
    file_names = _file_names(data, graphs, files)
    violations = _violations(results, data, graphs, file_names, shapes_graph)
    return ValidationReport(conforms=bool(conforms), violations=violations, text=str(text))


def _validate_sparql(
    dataset: Dataset,
    shapes_graph: Graph,
    graphs: Sequence[URIRef],
    file_names: Mapping[URIRef, str],
) -> ValidationReport | str:
    """Run the shapes as SPARQL on the dataset's Oxigraph store, or say why that cannot be done."""
    if not isinstance(dataset.store, OxigraphStore):
        return "the dataset is not on Oxigraph"
    if ONTOLOGY_GRAPH not in named_graphs(dataset):
        return "the dataset has no ontology graph"
    try:
        translated = shacl_sparql.translate(shapes_graph)
    except shacl_sparql.Untranslatable as error:
        return f"{_UNTRANSLATED} ({error})"
    # The ontology's closure graph holds consequences of the ontology only (same verdicts, as
    # the differential test checks); with it, the data graph is the whole store: fast indexes.
    return validate_in_store(
        dataset.store._inner,
        shapes_graph=shapes_graph,
        plan=translated,
        graphs=graphs,
        file_names=file_names,
        closure=CLOSURE_GRAPH in named_graphs(dataset),
        merged=merge_is_current(refresh_merge(dataset)),
    )


def validate_in_store(
    store: ox.Store,
    *,
    shapes_graph: Graph,
    plan: shacl_sparql.Plan,
    graphs: Sequence[URIRef],
    file_names: Mapping[URIRef, str] | Callable[[URIRef], str],
    closure: bool = True,
    merged: bool = True,
    focus: Sequence[ox.NamedNode | ox.BlankNode | ox.Literal] | None = None,
    exact: bool = False,
) -> ValidationReport:
    """Run translated shapes on an Oxigraph store holding the sources and the ontology graph.

    Args:
        store: The store (sources, ``…/graph/ontology`` and, with ``closure``, its closure).
        shapes_graph: The shapes (to name shapes and paths).
        plan: ``shacl_sparql.translate(shapes_graph)``.
        graphs: The source graphs.
        file_names: Source graph → file name shown in results (a mapping or a function).
        closure: The store has the ontology's closure graph.
        merged: The store's default graph is the current merge of its named graphs.
        focus: Validate only these focus nodes; their results are exactly a full run's.
        exact: The store's named graphs are exactly ``graphs``, the ontology's and (with
            ``closure``) its closure (the caller knows; not checked again).

    Returns:
        The report (of the focus nodes given, or of all).
    """
    extra = [CLOSURE_GRAPH] if closure else []
    data_graphs = [ox.NamedNode(str(iri)) for iri in [*graphs, ONTOLOGY_GRAPH, *extra]]
    wanted = {str(iri) for iri in graphs}
    name_of = file_names if callable(file_names) else file_names.__getitem__
    found: list[Violation] = []
    for result in shacl_run.run(plan, store, data_graphs, merged=merged, focus=focus, exact=exact):
        in_graphs = {
            q.graph_name.value
            for q in store.quads_for_pattern(to_ox(result.focus), None, None, None)  # type: ignore[arg-type]
            if isinstance(q.graph_name, ox.NamedNode)
        } if not isinstance(result.focus, Literal) else set()  # fmt: skip
        found.append(
            Violation(
                focus_node=_render(result.focus) or "?",
                result_path=_path_name(shapes_graph, result.shape, result.path),
                message=result.message or _fallback_message(SH[result.component], result.path),
                source_shape=_shape_name(shapes_graph, result.shape),
                severity=_SEVERITY_NAMES.get(result.severity, str(result.severity)),
                value=_render(result.value),
                source_files=tuple(name_of(URIRef(g)) for g in sorted(in_graphs & wanted)),
            )
        )
    return report_of(found)


def report_of(violations: Iterable[Violation]) -> ValidationReport:
    """A report of these results (ordered; conforms when none is a ``Violation``)."""
    ordered = _ordered(list(violations))
    conforms = not any(v.severity == "Violation" for v in ordered)
    lines = ["Validation Report (SHACL as SPARQL on Oxigraph)", f"Conforms: {conforms}"]
    lines += [f"Results ({len(ordered)}):"] if ordered else []
    lines += [f"  {v}" for v in ordered]
    return ValidationReport(conforms=conforms, violations=ordered, text="\n".join(lines))


def render_term(node: Node | None) -> str | None:
    """A term as results show it (``Violation.focus_node``): an IRI, ``_:id``, a literal's N3."""
    return _render(node)


def validate_files(
    paths: Iterable[Path | str],
    *,
    shapes: Path | None = None,
    ontology: Path | None = None,
    store: StoreName = "oxigraph",
) -> ValidationReport:
    """Load just these Turtle files (plus the ontology) and validate them.

    Args:
        paths: Source files, each becoming a named graph.
        shapes: Shapes file; defaults to the project's ``ontology/shapes.ttl``.
        ontology: Ontology file; defaults to the project's ``ontology/moi.ttl``.
        store: ``"oxigraph"`` or ``"memory"``.

    Returns:
        The report.

    Raises:
        InputError: A file is missing or malformed.
    """
    return validate_sources(
        files=[Path(p) for p in paths], shapes=shapes, ontology=ontology, store=store
    )


def validate_sources(
    graph_dir: Path | None = None,
    *,
    files: Iterable[Path] | None = None,
    shapes: Path | None = None,
    ontology: Path | None = None,
    store: StoreName = "oxigraph",
) -> ValidationReport:
    """Load a folder of sources (or the given files) plus the ontology, and validate.

    Args:
        graph_dir: Folder of sources; defaults to the project's ``graph/``.
        files: Explicit source files; when given, ``graph_dir`` is ignored.
        shapes: Shapes file; defaults to the project's ``ontology/shapes.ttl``.
        ontology: Ontology file; defaults to the project's ``ontology/moi.ttl``.
        store: ``"oxigraph"`` or ``"memory"``.

    Returns:
        The report.

    Raises:
        InputError: A file is missing or malformed.
    """
    mapping = sources(graph_dir, files=files)
    dataset = load_dataset(files=list(mapping.values()), store=store, ontology=ontology)
    return validate(dataset, shapes=shapes, ontology=ontology, files=mapping)


def raise_for_violations(report: ValidationReport) -> None:
    """Raise :class:`ConformanceError` when the report does not conform.

    Raises:
        ConformanceError: With the results of severity ``Violation`` first.
    """
    if report.conforms:
        return
    failing = [v for v in report.violations if v.severity == "Violation"]
    count = len(failing)
    noun = "violation" if count == 1 else "violations"
    lines = [f"data does not conform to the shapes: {count} {noun}"]
    lines += [f"  {v}" for v in failing]
    lines.append("fix the listed files, then run `moikg validate` again")
    raise ConformanceError("\n".join(lines), violations=report.violations)


def _read_shapes(shapes: Path | None) -> Graph:
    return read_graph(Path(shapes) if shapes is not None else _paths.shapes_file())


def _ontology_graph(dataset: Dataset, ontology: Path | None) -> Graph:
    if ontology is not None or ONTOLOGY_GRAPH not in named_graphs(dataset):
        return read_graph(Path(ontology) if ontology is not None else _paths.ontology_file())
    graph = Graph()
    for triple in to_memory(dataset, graphs=[ONTOLOGY_GRAPH]).graph(ONTOLOGY_GRAPH):
        graph.add(triple)
    return graph


def _file_names(
    dataset: Dataset, graphs: Sequence[URIRef], files: Mapping[URIRef, Path] | None
) -> dict[URIRef, str]:
    names: dict[URIRef, str] = {}
    default_dir = _paths.graph_dir()
    for iri in graphs:
        if files is not None and iri in files:
            names[iri] = display_path(files[iri])
        else:
            names[iri] = display_path(default_dir / f"{stem_of(iri)}.ttl")
    return names


def _render(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return str(node.n3())
    return str(node)


def _violations(
    results: Graph,
    dataset: Dataset,
    graphs: Sequence[URIRef],
    file_names: Mapping[URIRef, str],
    shapes_graph: Graph,
) -> tuple[Violation, ...]:
    found: list[Violation] = []
    # The report's own results (SHACL §3.6.1, sh:result), not those pySHACL nests under a
    # sh:node result as sh:detail: the SPARQL engine reports what the spec requires.
    tops = [
        r
        for report in results.subjects(SH.conforms, None)
        for r in results.objects(report, SH.result)
    ]
    for result in tops:
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        path = results.value(result, SH.resultPath)
        # The shape's own sh:message, or the same fallback the SPARQL engine gives (not
        # pySHACL's generated text), so that both engines word a result alike.
        messages = sorted(str(m) for m in shapes_graph.objects(shape, SH.message))
        message = "; ".join(messages) or _fallback_message(component, path)
        in_files = tuple(
            file_names[iri]
            for iri in graphs
            if focus is not None and (focus, None, None) in dataset.graph(iri)
        )
        found.append(
            Violation(
                focus_node=_render(focus) or "?",
                result_path=_path_name(shapes_graph, shape, path),
                message=message,
                source_shape=_shape_name(shapes_graph, shape),
                severity=_SEVERITY_NAMES.get(severity, str(severity)),  # type: ignore[call-overload]
                value=_render(results.value(result, SH.value)),
                source_files=in_files,
            )
        )
    return _ordered(found)


def _ordered(found: list[Violation]) -> tuple[Violation, ...]:
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    found.sort(
        key=lambda v: (
            order.get(v.severity, 3), v.source_files, v.focus_node, v.result_path or "",
            v.source_shape, v.value or "", v.message,
        )
    )  # fmt: skip
    return tuple(found)


def _path_name(shapes_graph: Graph, shape: Node | None, path: Node | None) -> str | None:
    """A predicate path as its IRI; any other path as SPARQL property path text (prefixed names)."""
    if path is None or isinstance(path, URIRef):
        return None if path is None else str(path)
    declared = shapes_graph.value(shape, SH.path) if shape is not None else None
    try:
        return shacl_sparql.path_text(
            shapes_graph, declared if declared is not None else path,
            lambda iri: _qname(shapes_graph, iri),
        )  # fmt: skip
    except shacl_sparql.Untranslatable:
        return _render(path)


def _fallback_message(component: Node | None, path: Node | None) -> str:
    name = str(component).rsplit("#", 1)[-1] if component is not None else "constraint"
    on = f" on {path}" if isinstance(path, URIRef) else " on its path" if path is not None else ""
    return f"{name} not satisfied{on} (the shape declares no sh:message)"


def _shape_name(shapes_graph: Graph, shape: Node | None) -> str:
    """Name a shape; a blank-node property shape is named after its node shape and path."""
    if shape is None:
        return "?"
    if not isinstance(shape, BNode):
        return _qname(shapes_graph, shape)
    parent = shapes_graph.value(None, SH.property, shape)
    path = shapes_graph.value(shape, SH.path)
    if parent is None:
        return f"_:{shape}"
    shown = (
        _qname(shapes_graph, path)
        if isinstance(path, URIRef)
        else _path_name(shapes_graph, shape, path)
    )
    on = f" sh:path {shown}" if path is not None else ""
    return f"{_qname(shapes_graph, parent)} → sh:property [{on.strip()}]"


def _qname(graph: Graph, node: Node | None) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except (ValueError, KeyError):
            return str(node)
    return _render(node) or "?"
