"""Which focus nodes a change of the data can affect, from what the shapes read.

A shape's verdict on a focus node depends only on the triples its paths walk from that node
(SHACL §2.3.1: each value node is reached by the path), on the ``rdf:type`` triples of the
nodes reached (``sh:class``, §4.1.1; ``sh:targetClass``, §2.1.3.3), on the triples that make
it a target (§2.1.3.4-5) and on the class hierarchy. :func:`reach` lists every sequence of
steps (predicate, forwards or inverse) that any shape walks from a focus node, through
``sh:property``, ``sh:node`` and the logical constraints' members. :func:`affected` walks those
sequences backwards from the changed triples: a focus node whose verdict can differ reads a
changed triple (or finds it missing) along a path present in the new data (an addition) or the
old (a removal), so walking back in both states finds it. A change to ``rdfs:subClassOf`` or
a path of unbounded length (``sh:zeroOrMorePath``, ``sh:oneOrMorePath``) gives None: validate
everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

__all__ = ["Reach", "affected", "reach"]

Step = tuple[str, bool]  # (predicate IRI, inverse)
Term = ox.NamedNode | ox.BlankNode | ox.Literal
_TYPE: Final = str(RDF.type)
_HIERARCHY: Final = {str(RDFS.subClassOf)}
_NESTED: Final = (SH.node, SH["not"])
_LISTS: Final = (SH["and"], SH["or"], SH.xone)
_MAX_DEPTH: Final = 8


@dataclass
class Reach:
    """What the shapes read from a focus node.

    Attributes:
        sequences: Every step sequence walked from a focus node (with all its prefixes).
        subjects_of: Predicates of ``sh:targetSubjectsOf``.
        objects_of: Predicates of ``sh:targetObjectsOf``.
        bounded: False when a path has no length bound.
    """

    sequences: set[tuple[Step, ...]] = field(default_factory=lambda: {()})
    subjects_of: set[str] = field(default_factory=set)
    objects_of: set[str] = field(default_factory=set)
    bounded: bool = True


def _paths(graph: Graph, path: Node, reach: Reach) -> list[tuple[Step, ...]]:
    """The step sequences a SHACL path can walk (alternatives expanded)."""
    if isinstance(path, URIRef):
        return [((str(path), False),)]
    if (path, RDF.first, None) in graph:
        sequences: list[tuple[Step, ...]] = [()]
        for part in Collection(graph, path):
            sequences = [s + t for s in sequences for t in _paths(graph, part, reach)]
        return sequences
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return [
            tuple((p, not inv) for p, inv in reversed(s)) for s in _paths(graph, inverse, reach)
        ]
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return [s for a in Collection(graph, alternatives) for s in _paths(graph, a, reach)]
    for key in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = graph.value(path, key)
        if inner is not None:
            if key != SH.zeroOrOnePath:
                reach.bounded = False
            return [(), *_paths(graph, inner, reach)]
    return []


def _walk(graph: Graph, shape: Node, prefix: tuple[Step, ...], reach: Reach, depth: int) -> None:
    if depth > _MAX_DEPTH:
        reach.bounded = False
        return
    path = graph.value(shape, SH.path)
    ends = [prefix + s for s in _paths(graph, path, reach)] if path is not None else [prefix]
    for end in ends:
        reach.sequences.update(end[:i] for i in range(len(end) + 1))
        for key in _NESTED:
            for inner in graph.objects(shape, key):
                _walk(graph, inner, end, reach, depth + 1)
        for key in _LISTS:
            for members in graph.objects(shape, key):
                for member in Collection(graph, members):
                    _walk(graph, member, end, reach, depth + 1)
    for prop in graph.objects(shape, SH.property):
        _walk(graph, prop, prefix, reach, depth + 1)


def reach(shapes: Graph) -> Reach:
    """Every step sequence the targeted shapes of ``shapes`` walk from their focus nodes."""
    found = Reach()
    found.subjects_of = {str(p) for p in shapes.objects(None, SH.targetSubjectsOf)}
    found.objects_of = {str(p) for p in shapes.objects(None, SH.targetObjectsOf)}
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    for shape in {s for t in targets for s in shapes.subjects(t, None)}:
        _walk(shapes, shape, (), found, 0)
    return found


def _back(store: ox.Store, nodes: set[Term], step: Step) -> set[Term]:
    """The nodes one step before ``nodes`` along ``step``, in the store's default graph."""
    predicate = ox.NamedNode(step[0])
    graph = ox.DefaultGraph()
    found: set[Term] = set()
    for node in nodes:
        if step[1]:  # inverse step x ^p y: the triple is (y p x)
            if not isinstance(node, ox.Literal):
                quads = store.quads_for_pattern(node, predicate, None, graph)
                found.update(q.object for q in quads if not isinstance(q.object, ox.Triple))
        else:
            quads = store.quads_for_pattern(None, predicate, node, graph)
            found.update(q.subject for q in quads if not isinstance(q.subject, ox.Triple))
    return found


def affected(
    store: ox.Store, plan: Reach, changed: Iterable[ox.Triple], subjects: Iterable[Term] = ()
) -> set[Term] | None:
    """The focus nodes whose results can differ after ``changed`` triples came or went.

    Args:
        store: The store, its default graph the merge, in one state (call once per state).
        plan: From :func:`reach`.
        changed: Triples added to (or removed from) the merge.
        subjects: Nodes to include whatever changed (a new graph's subjects: the files a
            result names can change).

    Returns:
        The nodes, or None when everything must be validated again.
    """
    if not plan.bounded:
        return None
    before: dict[Step, list[tuple[Step, ...]]] = {}
    for sequence in plan.sequences:
        if sequence:
            before.setdefault(sequence[-1], []).append(sequence[:-1])
    seeds: dict[tuple[Step, ...], set[Term]] = {(): set(subjects)}
    for triple in changed:
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if p in _HIERARCHY:
            return None
        if p == _TYPE:
            for sequence in plan.sequences:
                seeds.setdefault(sequence, set()).add(s)  # type: ignore[arg-type]
        for prefix in before.get((p, False), ()):
            seeds.setdefault(prefix, set()).add(s)  # type: ignore[arg-type]
        for prefix in before.get((p, True), ()):
            seeds.setdefault(prefix, set()).add(o)  # type: ignore[arg-type]
        if p in plan.subjects_of:
            seeds[()].add(s)  # type: ignore[arg-type]
        if p in plan.objects_of:
            seeds[()].add(o)  # type: ignore[arg-type]
    found: set[Term] = set()
    for prefix, nodes in seeds.items():
        for step in reversed(prefix):
            nodes = _back(store, nodes, step)
        found |= nodes
    return found
