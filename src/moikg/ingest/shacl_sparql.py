"""SHACL Core on Oxigraph: the shapes the project uses, translated to SPARQL, run in the store.

pySHACL is the reference (:mod:`moikg.ingest.validation` falls back to it); it needs the whole
data graph copied into rdflib memory, which at a million triples takes minutes. This engine
reads the shapes graph (small, rdflib) and runs one SPARQL query per constraint on the dataset's
Oxigraph store, with the source graphs and the ontology graph as the default graph (pySHACL's
data graph with the ontology mixed in, ``inference="none"``). ``tests/test_shacl_sparql.py``
compares its verdicts with pySHACL's on every fixture and on mutations of the real graph.

Supported (SHACL 1.0 sections): targets ``sh:targetClass`` (§2.1.3.3, SHACL instances through
``rdf:type/rdfs:subClassOf*``), ``sh:targetSubjectsOf`` / ``sh:targetObjectsOf`` (§2.1.3.4-5);
property shapes with a predicate path (§2.3.1); ``sh:class`` (§4.1.1), ``sh:datatype`` (§4.1.2,
ill-formed literals fail), ``sh:nodeKind`` (§4.1.3), ``sh:minCount`` / ``sh:maxCount`` (§4.2),
``sh:pattern`` (§4.4.1), ``sh:or`` of such shapes (§4.6.3) and ``sh:node`` (§4.7.1) on values;
``sh:nodeKind`` on the focus node; ``sh:message``, ``sh:severity``. A shapes graph with anything
else makes :func:`plan` return None, and the caller uses pySHACL.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

__all__ = ["Plan", "Result", "plan", "run"]

_PROPERTY_KEYS: Final = {
    SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.pattern,
    SH.flags, SH["or"], SH.node, SH.message, SH.severity, SH.name, SH.description,
    RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}  # fmt: skip
_NODE_KEYS: Final = {
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.nodeKind,
    SH.message, SH.severity, SH.name, SH.description, RDF.type,
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}  # fmt: skip
_VALUE_KEYS: Final = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, RDF.type}
_KIND_TEST: Final = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_CASTS: Final = {XSD.date, XSD.integer, XSD.decimal, XSD.double, XSD.boolean, XSD.dateTime}
_SUBCLASS: Final = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_MARK: Final = "@@classes:"  # replaced at run time by the class and its subclasses


@dataclass(frozen=True)
class _Check:
    """One constraint of one shape, as the SPARQL that finds its violations."""

    shape: Node
    component: str
    path: URIRef | None
    message: str | None
    severity: URIRef
    query: str  # selects ?f (focus) and, for value constraints, ?v


@dataclass(frozen=True)
class Plan:
    """The shapes graph translated: one check per constraint."""

    checks: tuple[_Check, ...]


@dataclass(frozen=True)
class Result:
    """One validation result (SHACL §3.6.2), terms as rdflib nodes."""

    focus: Node
    path: URIRef | None
    value: Node | None
    shape: Node
    component: str
    message: str | None
    severity: URIRef


@dataclass
class _Builder:
    shapes: Graph
    checks: list[_Check] = field(default_factory=list)


def _n3(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return str(node.n3())
    raise ValueError(f"cannot write {node!r} into a query")


def _keys(graph: Graph, node: Node) -> set[Node]:
    return set(graph.predicates(node, None))


def _one(graph: Graph, node: Node, prop: URIRef) -> Node | None:
    values = list(graph.objects(node, prop))
    if len(values) > 1:
        raise ValueError("several values")
    return values[0] if values else None


def _value_test(graph: Graph, node: Node, v: str) -> str:
    """A SPARQL expression true when value ``v`` meets the value constraints of ``node``."""
    if not _keys(graph, node) <= _VALUE_KEYS:
        raise ValueError("unsupported")
    tests = [_class_test(c, v) for c in graph.objects(node, SH["class"])]
    tests += [_datatype_test(d, v) for d in graph.objects(node, SH.datatype)]
    tests += [_KIND_TEST[k].format(v=v) for k in graph.objects(node, SH.nodeKind)]  # type: ignore[index]
    flags = _one(graph, node, SH.flags)
    for pattern in graph.objects(node, SH.pattern):
        extra = f", {_n3(Literal(str(flags)))}" if flags is not None else ""
        tests.append(f"(!isBlank({v}) && REGEX(STR({v}), {_n3(Literal(str(pattern)))}{extra}))")
    return " && ".join(tests) if tests else "true"


def _classes(cls: Node) -> str:
    """A placeholder for ``cls`` and every class below it (filled in by :func:`run`)."""
    return f"{_MARK}{cls}@@"


def _class_test(cls: Node, v: str) -> str:
    """SHACL instance (§3.2): ``v rdf:type/rdfs:subClassOf* cls``, the closure precomputed."""
    return f"EXISTS {{ {v} a ?ct . VALUES ?ct {{ {_classes(cls)} }} }}"


def _datatype_test(datatype: Node, v: str) -> str:
    test = f"(isLiteral({v}) && DATATYPE({v}) = {_n3(datatype)})"
    if datatype in _CASTS:  # SHACL §4.1.2: an ill-formed literal does not conform
        test = f"COALESCE({test} && ({_n3(datatype)}(STR({v})) = {_n3(datatype)}(STR({v}))), false)"
    return test


def _targets(graph: Graph, shape: Node, f: str = "?f") -> str | None:
    parts = [
        f"{{ VALUES ?tc {{ {_classes(c)} }} {f} a ?tc }}"
        for c in graph.objects(shape, SH.targetClass)
    ]
    parts += [f"{{ {f} {_n3(p)} [] }}" for p in graph.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ [] {_n3(p)} {f} }}" for p in graph.objects(shape, SH.targetObjectsOf)]
    return " UNION ".join(parts) if parts else None


def _severity(graph: Graph, shape: Node) -> URIRef:
    found = _one(graph, shape, SH.severity)
    return found if isinstance(found, URIRef) else SH.Violation


def _message(graph: Graph, shape: Node) -> str | None:
    messages = sorted(str(m) for m in graph.objects(shape, SH.message))
    return "; ".join(messages) if messages else None


def _node_checks(b: _Builder, shape: Node, focus: str, depth: int) -> Iterator[_Check]:
    """Checks of node shape ``shape`` whose focus nodes are those ``focus`` (a pattern) binds."""
    graph = b.shapes
    if not _keys(graph, shape) <= _NODE_KEYS or depth > 3:
        raise ValueError("unsupported")
    severity = _severity(graph, shape)
    for kind in graph.objects(shape, SH.nodeKind):
        test = _KIND_TEST[kind].format(v="?f")  # type: ignore[index]
        query = f"SELECT DISTINCT ?f (?f AS ?v) WHERE {{ {focus} FILTER(!({test})) }}"
        yield _Check(
            shape, "NodeKindConstraintComponent", None, _message(graph, shape), severity, query
        )
    for prop in graph.objects(shape, SH.property):
        yield from _property_checks(b, prop, focus, depth)


def _property_checks(b: _Builder, prop: Node, focus: str, depth: int) -> Iterator[_Check]:
    graph = b.shapes
    path = _one(graph, prop, SH.path)
    if not isinstance(path, URIRef) or not _keys(graph, prop) <= _PROPERTY_KEYS:
        raise ValueError("unsupported")
    p = _n3(path)
    message = _message(graph, prop)
    severity = _severity(graph, prop)

    def check(component: str, query: str) -> _Check:
        return _Check(prop, component, path, message, severity, query)

    low = _one(graph, prop, SH.minCount)
    if low is not None and int(low) > 0:  # type: ignore[call-overload]
        yield check(
            "MinCountConstraintComponent",
            f"SELECT ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {focus} }} }} "
            f"OPTIONAL {{ ?f {p} ?v }} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {int(low)})",  # type: ignore[call-overload]
        )
    high = _one(graph, prop, SH.maxCount)
    if high is not None:
        yield check(
            "MaxCountConstraintComponent",
            f"SELECT ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {focus} }} }} ?f {p} ?v }} "
            f"GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {int(high)})",  # type: ignore[call-overload]
        )
    values = f"{{ SELECT DISTINCT ?f WHERE {{ {focus} }} }} ?f {p} ?v ."
    for cls in graph.objects(prop, SH["class"]):
        yield check("ClassConstraintComponent", _failing(values, _class_test(cls, "?v")))
    for datatype in graph.objects(prop, SH.datatype):
        yield check("DatatypeConstraintComponent", _failing(values, _datatype_test(datatype, "?v")))
    for kind in graph.objects(prop, SH.nodeKind):
        test = _KIND_TEST[kind].format(v="?v")  # type: ignore[index]
        yield check("NodeKindConstraintComponent", _failing(values, test))
    flags = _one(graph, prop, SH.flags)
    for pattern in graph.objects(prop, SH.pattern):
        extra = f", {_n3(Literal(str(flags)))}" if flags is not None else ""
        test = f"(!isBlank(?v) && REGEX(STR(?v), {_n3(Literal(str(pattern)))}{extra}))"
        yield check("PatternConstraintComponent", _failing(values, test))
    for members in graph.objects(prop, SH["or"]):
        tests = [f"({_value_test(graph, m, '?v')})" for m in Collection(graph, members)]
        yield check("OrConstraintComponent", _failing(values, " || ".join(tests) or "false"))
    for node in graph.objects(prop, SH.node):
        yield from _nested(b, prop, path, node, values, message, severity, depth)


def _nested(
    b: _Builder, prop: Node, path: URIRef, node: Node, values: str, message: str | None,
    severity: URIRef, depth: int,
) -> Iterator[_Check]:  # fmt: skip
    """``sh:node``: a value fails when it fails any check of ``node`` with itself as focus."""
    inner = values.replace("?f", "?f0").replace("?v", "?f")
    for sub in _node_checks(b, node, inner, depth + 1):
        query = (
            f"SELECT DISTINCT ?f ?v WHERE {{ {values} {{ SELECT DISTINCT (?bad AS ?v) WHERE {{ "
            f"{{ SELECT (?f AS ?bad) WHERE {{ {{ {sub.query} }} }} }} }} }} }}"
        )
        yield _Check(prop, "NodeConstraintComponent", path, message, severity, query)


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


def _fill(query: str, below: Mapping[str, set[str]]) -> str:
    """Replace each class placeholder by the class and its subclasses, as IRIs."""
    while _MARK in query:
        start = query.index(_MARK)
        end = query.index("@@", start + len(_MARK))
        cls = query[start + len(_MARK) : end]
        iris = " ".join(f"<{c}>" for c in sorted(below.get(cls, {cls}) | {cls}))
        query = query[:start] + iris + query[end + 2 :]
    return query


def _plain(node: Node) -> Node:
    """``xsd:string`` literals as simple literals (the same term, RDF 1.1 Concepts §3.3)."""
    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node))
    return node


def _failing(values: str, test: str) -> str:
    return f"SELECT DISTINCT ?f ?v WHERE {{ {values} FILTER(!({test})) }}"


def plan(shapes: Graph) -> Plan | None:
    """Translate a shapes graph, or return None when it uses anything this engine lacks."""
    builder = _Builder(shapes)
    try:
        for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
            focus = _targets(shapes, shape)
            if focus is not None:
                builder.checks.extend(_node_checks(builder, shape, focus, 0))
    except (ValueError, KeyError, TypeError):
        return None
    return Plan(tuple(builder.checks))


def run(
    plan_: Plan, store: ox.Store, graphs: Sequence[ox.NamedNode], *, merged: bool = False
) -> list[Result]:
    """Run every check on the union of ``graphs``; return the results (unordered).

    Args:
        plan_: From :func:`plan`.
        store: The Oxigraph store.
        graphs: The graphs that make up the data graph (sources and ontology).
        merged: The store's default graph is the current merge of its named graphs.

    Returns:
        One result per failing focus node (and value, for value constraints).
    """
    found: list[Result] = []
    scope = _scope(store, graphs, merged=merged)
    below = _subclasses(store, scope)
    for check in plan_.checks:
        has_value = "?v" in check.query.split("WHERE", 1)[0]
        text = _fill(check.query, below)
        solutions = store.query(text, **scope)  # type: ignore[arg-type]
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError(f"not a SELECT query: {check.query}")
        for row in solutions:
            value = row["v"] if has_value else None
            found.append(
                Result(
                    focus=from_ox(row["f"]),  # type: ignore[arg-type]
                    path=check.path,
                    value=_plain(from_ox(value)) if value is not None else None,  # type: ignore[arg-type]
                    shape=check.shape,
                    component=check.component,
                    message=check.message,
                    severity=check.severity,
                )
            )
    return found
