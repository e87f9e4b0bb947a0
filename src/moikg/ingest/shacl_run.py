"""Run translated SHACL shapes (:mod:`moikg.ingest.shacl_sparql`) on an Oxigraph store.

Each check is one SPARQL query on the data graph (the union of the given graphs, or the store's
default graph when it is their merge); its rows become :class:`Result` s, one per failing
constraint component. A run may be restricted to some focus nodes (an incremental validation):
they are put in a scratch named graph the targets are joined with, removed afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from moikg.ingest.shacl_sparql import Plan, fill

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


def _scope(store: ox.Store, graphs: Sequence[ox.NamedNode], *, merged: bool) -> dict[str, object]:
    """How to query the union of ``graphs``: the cheapest form that means exactly that."""
    if set(store.named_graphs()) == set(graphs):
        if merged:  # the default graph is their merge: plain indexes
            return {}
        if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
            return {"use_default_graph_as_union": True}
    return {"default_graph": list(graphs)}  # correct, but slow over many graphs


def _subclasses(store: ox.Store, scope: Mapping[str, object]) -> dict[str, set[str]]:
    """Class IRI → itself and every class below it by ``rdfs:subClassOf*`` in the data graph."""
    parents: dict[str, set[str]] = {}
    query = f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{_SUBCLASS}> ?b FILTER(isIRI(?a) && isIRI(?b)) }}"
    for row in store.query(query, **scope):  # type: ignore[arg-type, union-attr]
        parents.setdefault(row["b"].value, set()).add(row["a"].value)
    below: dict[str, set[str]] = {}
    for top in parents:
        seen = {top}
        stack = [top]
        while stack:
            for child in parents.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        below[top] = seen
    return below


def _plain(node: Node) -> Node:
    """``xsd:string`` literals as simple literals (the same term, RDF 1.1 Concepts §3.3)."""
    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node))
    return node


def run(
    plan_: Plan,
    store: ox.Store,
    graphs: Sequence[ox.NamedNode],
    *,
    merged: bool = False,
    focus: Sequence[ox.NamedNode | ox.BlankNode | ox.Literal] | None = None,
) -> list[Result]:
    """Run every check on the union of ``graphs``; return the results (unordered).

    Args:
        plan_: From :func:`translate`.
        store: The Oxigraph store.
        graphs: The graphs that make up the data graph (sources and ontology).
        merged: The store's default graph is the current merge of its named graphs.
        focus: Validate only these focus nodes (of the targets, those listed); None for all.
            Their results are exactly those a full run gives for them.

    Returns:
        One result per failing focus node (and value, for value constraints).
    """
    found: list[Result] = []
    scope = _scope(store, graphs, merged=merged)
    below = _subclasses(store, scope)
    restrict = ""
    scratch = ox.NamedNode(_FOCUS_GRAPH)
    if focus is not None:
        anchor = ox.NamedNode(_FOCUS_GRAPH)
        store.extend([ox.Quad(anchor, anchor, node, scratch) for node in focus])
        restrict = f"GRAPH <{_FOCUS_GRAPH}> {{ <{_FOCUS_GRAPH}> <{_FOCUS_GRAPH}> ?f }}"
    try:
        for check in plan_.checks:
            solutions = store.query(fill(check.query, below, restrict), **scope)  # type: ignore[arg-type]
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
                            value=_plain(from_ox(value)) if value is not None else None,  # type: ignore[arg-type]
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
