"""Run translated SHACL shapes (:mod:`moikg.ingest.shacl_sparql`) on an Oxigraph store.

Each check is one SPARQL query on the data graph (the union of the given graphs, or the store's
default graph when it is their merge); its rows become :class:`Result` s, one per failing
constraint component. A run may be restricted to some focus nodes (an incremental validation):
they are put in a scratch named graph the targets are joined with, removed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox
from rdflib import URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from moikg.ingest.shacl_sparql import Plan, Target, fill
from moikg.rdf.terms import plain_literal, reachable

__all__ = ["Result", "run"]

_SUBCLASS: Final = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_FOCUS_GRAPH: Final = "urn:moikg:validation-focus"
_TRUE: Final = ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))


@dataclass(frozen=True)
class Result:
    """One validation result (SHACL §3.6.2), terms as rdflib nodes."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    component: str
    message: str | None
    severity: URIRef


def _scope(
    store: ox.Store, graphs: Sequence[ox.NamedNode], *, merged: bool, exact: bool = False
) -> dict[str, object]:
    """How to query the union of ``graphs``: the cheapest form that means exactly that."""
    if exact or set(store.named_graphs()) == set(graphs):
        if merged:  # the default graph is their merge: plain indexes
            return {}
        if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
            return {"use_default_graph_as_union": True}
    return {"default_graph": list(graphs)}  # correct, but slow over many graphs


def _subclasses(store: ox.Store, scope: Mapping[str, object]) -> dict[str, set[str]]:
    """Class IRI → itself and every class below it by ``rdfs:subClassOf*`` in the data graph."""
    children: dict[str, set[str]] = {}
    query = f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{_SUBCLASS}> ?b FILTER(isIRI(?a) && isIRI(?b)) }}"
    for row in store.query(query, **scope):  # type: ignore[arg-type, union-attr]
        children.setdefault(row["b"].value, set()).add(row["a"].value)
    return {top: reachable([top], children) for top in children}


def run(
    plan_: Plan,
    store: ox.Store,
    graphs: Sequence[ox.NamedNode],
    *,
    merged: bool = False,
    focus: Sequence[ox.NamedNode | ox.BlankNode | ox.Literal] | None = None,
    exact: bool = False,
) -> list[Result]:
    """Run every check on the union of ``graphs``; return the results (unordered).

    Args:
        plan_: From :func:`translate`.
        store: The Oxigraph store.
        graphs: The graphs that make up the data graph (sources and ontology).
        merged: The store's default graph is the current merge of its named graphs.
        focus: Validate only these focus nodes (of the targets, those listed); None for all.
            Their results are exactly those a full run gives for them.
        exact: ``graphs`` are all the store's named graphs (the caller knows it; listing
            thousands of graphs again to check costs a tenth of a second).

    Returns:
        One result per failing focus node (and value, for value constraints).
    """
    found: list[Result] = []
    scope = _scope(store, graphs, merged=merged, exact=exact)
    below = _subclasses(store, scope)
    scratch = ox.NamedNode(_FOCUS_GRAPH)
    if focus is None:
        patterns = {i: target.pattern for i, target in enumerate(plan_.targets)}
    else:
        patterns = _restricted(plan_, store, graphs, scope, below, focus)
    try:
        for check in plan_.checks:
            if check.target not in patterns:
                continue  # none of the focus nodes given is a target of its shape
            query = fill(check.query, below, patterns)
            solutions = store.query(query, **scope)  # type: ignore[arg-type]
            if not isinstance(solutions, ox.QuerySolutions):
                raise TypeError(f"not a SELECT query: {check.query}")
            for row in solutions:
                value = row["v"] if check.has_value else None
                for i, component in enumerate(check.components):
                    if row[f"c{i}"] != _TRUE:
                        continue
                    found.append(
                        Result(
                            focus=from_ox(row["f"]),  # type: ignore[arg-type]
                            path=check.path,
                            value=plain_literal(from_ox(value)) if value is not None else None,  # type: ignore[arg-type]
                            shape=check.shape,
                            component=component,
                            message=check.message,
                            severity=check.severity,
                        )
                    )
    finally:
        if focus is not None:
            store.remove_graph(scratch)
    return found


Term = ox.NamedNode | ox.BlankNode | ox.Literal
_TYPE: Final = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _quads(
    store: ox.Store,
    pattern: tuple[Term | None, ox.NamedNode, Term | None],
    scope: Mapping[str, object],
) -> Iterator[ox.Quad]:
    """Quads of the data graph matching ``pattern`` (in the default graph or the listed ones)."""
    s, p, o = pattern
    if isinstance(s, ox.Literal):
        return iter(())
    if "default_graph" not in scope:  # the default graph is the merge, or (empty) the union
        graph = ox.DefaultGraph() if not scope else None
        return iter(store.quads_for_pattern(s, p, o, graph))
    allowed = set(scope["default_graph"])  # type: ignore[call-overload]
    return (q for q in store.quads_for_pattern(s, p, o, None) if q.graph_name in allowed)


def _is_target(
    store: ox.Store,
    node: Term,
    target: Target,
    scope: Mapping[str, object],
    given: set[Term],
    classes: set[str],
) -> bool:
    """Whether ``node`` is a focus node of ``target`` (SHACL §2.1.3), by index lookups.

    ``given`` are the target's ``sh:targetNode`` values, ``classes`` its classes and every
    class below them.
    """
    if node in given:
        return True
    if classes and any(
        isinstance(q.object, ox.NamedNode) and q.object.value in classes
        for q in _quads(store, (node, _TYPE, None), scope)
    ):
        return True
    for p in target.subjects_of:
        if next(_quads(store, (node, ox.NamedNode(p), None), scope), None) is not None:
            return True
    return any(
        next(_quads(store, (None, ox.NamedNode(p), node), scope), None) is not None
        for p in target.objects_of
    )


def _restricted(
    plan_: Plan,
    store: ox.Store,
    graphs: Sequence[ox.NamedNode],
    scope: Mapping[str, object],
    below: Mapping[str, set[str]],
    focus: Sequence[Term],
) -> dict[int, str]:
    """Target number → a pattern of the given nodes that are its focus nodes (none: left out).

    IRIs and literals go in a ``VALUES`` block; blank nodes (which SPARQL cannot write) in a
    scratch named graph the caller removes.
    """
    patterns: dict[int, str] = {}
    scratch = ox.NamedNode(_FOCUS_GRAPH)
    for i, target in enumerate(plan_.targets):
        given: set[Term] = {to_ox(n) for n in target.nodes}  # type: ignore[misc]
        classes = {c for cls in target.classes for c in below.get(cls, {cls}) | {cls}}
        members = [n for n in focus if _is_target(store, n, target, scope, given, classes)]
        if not members:
            continue
        named = [n for n in members if not isinstance(n, ox.BlankNode)]
        blank = [n for n in members if isinstance(n, ox.BlankNode)]
        parts = [f"{{ VALUES ?f {{ {' '.join(str(n) for n in named)} }} }}"] if named else []
        if blank:
            key = ox.NamedNode(f"{_FOCUS_GRAPH}#{i}")
            store.extend([ox.Quad(scratch, key, n, scratch) for n in blank])
            parts.append(f"{{ GRAPH {scratch} {{ {scratch} {key} ?f }} }}")
        patterns[i] = " UNION ".join(parts)
    return patterns
