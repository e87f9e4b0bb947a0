"""SHACL Core on Oxigraph: the shapes translated to SPARQL, run in the store.

pySHACL is the reference (:mod:`moikg.ingest.validation` falls back to it); it needs the whole
data graph copied into rdflib memory, which at a million triples takes minutes. This engine
reads the shapes graph (small, rdflib) and runs one SPARQL query per constraint on the dataset's
Oxigraph store, with the source graphs and the ontology graph as the default graph (pySHACL's
data graph with the ontology mixed in, ``inference="none"``). ``tests/ingest/test_shacl_sparql.py``
compares its verdicts with pySHACL's on every fixture and on mutations.

Supported (SHACL 1.0 sections): targets ``sh:targetClass`` (§2.1.3.3, SHACL instances through
``rdf:type/rdfs:subClassOf*``), ``sh:targetNode`` (§2.1.3.1), ``sh:targetSubjectsOf`` /
``sh:targetObjectsOf`` (§2.1.3.4-5); node and property shapes (§2.2, §2.3) with any SHACL
property path (§2.3.1: predicate, sequence, alternative, inverse, zero-or-more, one-or-more,
zero-or-one, written as the SPARQL 1.1 property path they mean); ``sh:class`` (§4.1.1),
``sh:datatype`` (§4.1.2, ill-formed literals fail), ``sh:nodeKind`` (§4.1.3), ``sh:minCount`` /
``sh:maxCount`` (§4.2), ``sh:minLength`` / ``sh:maxLength`` / ``sh:pattern`` (§4.4),
``sh:not`` / ``sh:and`` / ``sh:or`` / ``sh:xone`` (§4.6), ``sh:node`` / ``sh:property`` (§4.7),
``sh:hasValue`` / ``sh:in`` (§4.8); ``sh:message``, ``sh:severity``. A shape using anything else
makes :func:`translate` raise :class:`Untranslatable` naming the shape and the parameter, and
the caller uses pySHACL (and says so).

A logical constraint or ``sh:node`` needs to know which value nodes conform to another shape:
that shape's checks run with the value nodes as their focus nodes, and a value conforms when
no check returns it (one ``OPTIONAL`` subquery per member shape, the conforming members counted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Final

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

__all__ = [
    "FOCUS_MARK",
    "Check",
    "Plan",
    "Target",
    "Untranslatable",
    "fill",
    "path_text",
    "plan",
    "translate",
]

_TARGETS: Final = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_VALUE_TYPES: Final = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH.minLength, SH.maxLength,
    SH["in"],
}  # fmt: skip
_SUPPORTED: Final = {
    *_TARGETS, *_VALUE_TYPES, SH.path, SH.minCount, SH.maxCount, SH.hasValue, SH.node,
    SH["not"], SH["and"], SH["or"], SH.xone, SH.property, SH.message, SH.severity, SH.name,
    SH.description, SH.order, SH.group, SH.defaultValue, SH.declare, SH.prefixes,
}  # fmt: skip
_SHAPE_TYPES: Final = {SH.NodeShape, SH.PropertyShape}
_KIND_TEST: Final = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_CASTS: Final = {XSD.date, XSD.integer, XSD.decimal, XSD.double, XSD.boolean, XSD.dateTime}
_PATH_MODS: Final[dict[Node, str]] = {
    SH.zeroOrMorePath: "*",
    SH.oneOrMorePath: "+",
    SH.zeroOrOnePath: "?",
}
_MARK: Final = "@@classes:"  # replaced at run time by the class and its subclasses
_LIST_MARK: Final = "@@in-classes:"  # the same, comma-separated
FOCUS_MARK: Final = "@@focus:"  # @@focus:<n>@@: replaced at run time by target n's focus nodes
_MAX_DEPTH: Final = 8


class Untranslatable(ValueError):
    """The shapes use something this engine does not translate (the message says what)."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as the SPARQL that finds its violations.

    Attributes:
        shape: The shape (node in the shapes graph) the results are reported on.
        components: The constraint components' local names (``MinCountConstraintComponent``);
            the query's ``?c<i>`` is true where the value fails component ``i``.
        path: The shape's ``sh:path`` node, or None for a node shape.
        message: Its ``sh:message`` values joined, or None.
        severity: Its ``sh:severity`` (``sh:Violation`` by default).
        query: Selects ``?f`` (focus), the flags and, when ``has_value``, ``?v`` (value).
        has_value: The results carry ``sh:value``.
        target: The number of its shape's target in :attr:`Plan.targets` (-1 when nested).
    """

    shape: Node
    components: tuple[str, ...]
    path: Node | None
    message: str | None
    severity: URIRef
    query: str
    has_value: bool
    target: int = -1


@dataclass(frozen=True)
class Plan:
    """The shapes graph translated: one check per constraint of each targeted shape.

    Attributes:
        checks: The checks; each names its shape's target by number.
        targets: The targets, numbered.
    """

    checks: tuple[Check, ...]
    targets: tuple[Target, ...] = ()


def _n3(node: Node) -> str:
    if isinstance(node, URIRef | Literal):
        return str(node.n3())
    raise Untranslatable(f"cannot write the blank node {node} into a query")


def _distinct(focus: str) -> str:
    """``focus`` as a subquery that exposes only ``?f``."""
    return f"{{ SELECT DISTINCT ?f WHERE {{ {focus} }} }}"


def _classes(cls: Node) -> str:
    """A placeholder for ``cls`` and every class below it (filled in by :func:`run`)."""
    if not isinstance(cls, URIRef):
        raise Untranslatable(f"sh:class {cls}: not an IRI")
    return f"{_MARK}{cls}@@"


def _class_test(cls: Node, v: str) -> str:
    """SHACL instance (§3.2): ``v rdf:type/rdfs:subClassOf* cls``, the closure precomputed."""
    if not isinstance(cls, URIRef):
        raise Untranslatable(f"sh:class {cls}: not an IRI")
    return f"EXISTS {{ {v} a ?ct FILTER(?ct IN ({_LIST_MARK}{cls}@@)) }}"


def _datatype_test(datatype: Node, v: str) -> str:
    test = f"(isLiteral({v}) && DATATYPE({v}) = {_n3(datatype)})"
    if datatype in _CASTS:  # SHACL §4.1.2: an ill-formed literal does not conform
        test = f"COALESCE({test} && ({_n3(datatype)}(STR({v})) = {_n3(datatype)}(STR({v}))), false)"
    return test


def path_text(graph: Graph, path: Node, name: Callable[[URIRef], str]) -> str:
    """A SHACL property path (§2.3.1) as the SPARQL 1.1 property path it means.

    Args:
        graph: The shapes graph holding the path.
        path: An IRI or the blank node of a path expression.
        name: How to write an IRI (``<…>`` in queries, a prefixed name in messages).

    Raises:
        Untranslatable: The node is not a well-formed SHACL path.
    """
    if isinstance(path, URIRef):
        return name(path)
    if (path, RDF.first, None) in graph:
        steps = [path_text(graph, step, name) for step in Collection(graph, path)]
        if len(steps) < 2:
            raise Untranslatable("a sequence path needs two members or more")
        return "(" + "/".join(steps) + ")"
    keys = set(graph.predicates(path, None))
    if len(keys) == 1:
        (key,) = keys
        inner = graph.value(path, key)
        if key == SH.inversePath and inner is not None:
            return f"^{path_text(graph, inner, name)}"
        if key == SH.alternativePath and inner is not None:
            members = [path_text(graph, m, name) for m in Collection(graph, inner)]
            if len(members) < 2:
                raise Untranslatable("an alternative path needs two members or more")
            return "(" + "|".join(members) + ")"
        if key in _PATH_MODS and inner is not None:
            return f"({path_text(graph, inner, name)}){_PATH_MODS[key]}"
    raise Untranslatable(f"not a SHACL path: {path}")


class _Translator:
    """Builds the checks of shapes over a focus pattern (a group pattern binding ``?f``)."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes

    def one(self, node: Node, prop: URIRef) -> Node | None:
        values = list(self.graph.objects(node, prop))
        if len(values) > 1:
            raise Untranslatable(f"{self.label(node)}: several values of {prop}")
        return values[0] if values else None

    def label(self, node: Node) -> str:
        return f"shape {node}" if isinstance(node, URIRef) else "a blank-node shape"

    def members(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node))

    def checks(self, shape: Node, focus: str, depth: int) -> Iterator[Check]:
        """Every check of ``shape`` (and its property shapes) over the focus nodes ``focus``.

        The constraints of one shape on its value nodes share one query (the focus and value
        nodes are found once), with one flag per constraint; the counts share another.
        """
        graph = self.graph
        if depth > _MAX_DEPTH:
            raise Untranslatable(f"{self.label(shape)}: shapes nested deeper than {_MAX_DEPTH}")
        used = {p for p in graph.predicates(shape, None) if str(p).startswith(str(SH))}
        if unknown := sorted(str(p) for p in used - _SUPPORTED):
            raise Untranslatable(f"{self.label(shape)}: uses {', '.join(unknown)}")
        if types := set(graph.objects(shape, RDF.type)) - _SHAPE_TYPES:
            raise Untranslatable(f"{self.label(shape)}: also typed {sorted(map(str, types))}")
        path = self.one(shape, SH.path)
        sparql_path = path_text(graph, path, _n3) if path is not None else None
        message = _message(graph, shape)
        severity = _severity(graph, shape)
        base = _distinct(focus)
        values = f"{base} ?f {sparql_path} ?v ." if sparql_path else f"{base} BIND(?f AS ?v)"

        def check(components: list[str], query: str, has_value: bool) -> Check:
            return Check(shape, tuple(components), path, message, severity, query, has_value)

        if sparql_path is not None:
            yield from self.counts(shape, base, sparql_path, check)
        for value in graph.objects(shape, SH.hasValue):  # §4.8.1: no sh:value in the result
            test = (
                f"FILTER NOT EXISTS {{ ?f {sparql_path} {_n3(value)} }}"
                if sparql_path
                else f"FILTER(!sameTerm(?f, {_n3(value)}))"
            )
            query = f"SELECT DISTINCT ?f (true AS ?c0) WHERE {{ {base} {test} }}"
            yield check(["HasValueConstraintComponent"], query, has_value=False)
        tests = list(self.value_tests(shape, "?v"))
        joins: list[str] = []
        tests += self.logical(shape, values, joins, depth)
        if tests:
            flags = [f"(COALESCE(!({test}), false) AS ?c{i})" for i, (_, test) in enumerate(tests)]
            any_flag = " || ".join(f"?c{i}" for i in range(len(tests)))
            query = (
                f"SELECT DISTINCT ?f ?v {' '.join(f'?c{i}' for i in range(len(tests)))} WHERE "
                f"{{ {{ SELECT ?f ?v {' '.join(flags)} WHERE {{ {values} {' '.join(joins)} }} }} "
                f"FILTER({any_flag}) }}"
            )
            yield check([name for name, _ in tests], query, has_value=True)
        for prop in graph.objects(shape, SH.property):
            if path is not None:
                raise Untranslatable(f"{self.label(shape)}: sh:property on a property shape")
            yield from self.checks(prop, focus, depth + 1)

    def counts(
        self, shape: Node, base: str, path: str, check: Callable[..., Check]
    ) -> Iterator[Check]:
        """``sh:minCount`` and ``sh:maxCount`` (SHACL §4.2) in one query."""
        low_node, high_node = self.one(shape, SH.minCount), self.one(shape, SH.maxCount)
        low = int(low_node) if low_node is not None else 0  # type: ignore[call-overload]
        high = int(high_node) if high_node is not None else None  # type: ignore[call-overload]
        if low == 1 and high is None:  # the common case: no counting
            query = (
                f"SELECT ?f (true AS ?c0) WHERE {{ {base} FILTER NOT EXISTS {{ ?f {path} ?v }} }}"
            )
            yield check(["MinCountConstraintComponent"], query, has_value=False)
            return
        names, flags = [], []
        if low > 0:
            names.append("MinCountConstraintComponent")
            flags.append(f"(?n < {low})")
        if high is not None:
            names.append("MaxCountConstraintComponent")
            flags.append(f"(?n > {high})")
        if not flags:
            return
        values = f"OPTIONAL {{ ?f {path} ?v }}" if low > 0 else f"?f {path} ?v ."
        projected = " ".join(f"({flag} AS ?c{i})" for i, flag in enumerate(flags))
        query = (
            f"SELECT ?f {projected} WHERE {{ {{ SELECT ?f (COUNT(DISTINCT ?v) AS ?n) WHERE "
            f"{{ {base} {values} }} GROUP BY ?f }} FILTER({' || '.join(flags)}) }}"
        )
        yield check(names, query, has_value=False)

    def value_tests(self, shape: Node, v: str) -> Iterator[tuple[str, str]]:
        """(component, SPARQL test true when ``v`` conforms) for each value-type constraint."""
        graph = self.graph
        for cls in graph.objects(shape, SH["class"]):
            yield "ClassConstraintComponent", _class_test(cls, v)
        for datatype in graph.objects(shape, SH.datatype):
            yield "DatatypeConstraintComponent", _datatype_test(datatype, v)
        for kind in graph.objects(shape, SH.nodeKind):
            if kind not in _KIND_TEST:
                raise Untranslatable(f"{self.label(shape)}: sh:nodeKind {kind}")
            yield "NodeKindConstraintComponent", _KIND_TEST[kind].format(v=v)  # type: ignore[index]
        flags = self.one(shape, SH.flags)
        for pattern in graph.objects(shape, SH.pattern):
            extra = f", {_n3(Literal(str(flags)))}" if flags is not None else ""
            regex = f"REGEX(STR({v}), {_n3(Literal(str(pattern)))}{extra})"
            yield "PatternConstraintComponent", f"(!isBlank({v}) && {regex})"
        for bound, op, name in ((SH.minLength, ">=", "Min"), (SH.maxLength, "<=", "Max")):
            for length in graph.objects(shape, bound):
                test = f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(length)})"  # type: ignore[call-overload]
                yield f"{name}LengthConstraintComponent", test
        for members in graph.objects(shape, SH["in"]):
            tests = [f"sameTerm({v}, {_n3(m)})" for m in self.members(members)]
            yield "InConstraintComponent", "(" + (" || ".join(tests) or "false") + ")"

    def inline(self, shape: Node, v: str, depth: int) -> str | None:
        """A SPARQL test of conformance to a simple shape (no counting but ``sh:minCount 1``).

        Value-type constraints on the node itself, or on the values of one path (each value
        passes, and with ``sh:minCount 1`` there is one): written straight into the query.
        """
        graph = self.graph
        keys = {p for p in graph.predicates(shape, None) if str(p).startswith(str(SH))}
        simple = _VALUE_TYPES | {SH.message, SH.severity, SH.name, SH.description}
        path = self.one(shape, SH.path)
        if path is not None:
            simple |= {SH.path, SH.minCount}
            low = self.one(shape, SH.minCount)
            if low is not None and int(low) not in (0, 1):  # type: ignore[call-overload]
                return None
        if not keys <= simple or set(graph.objects(shape, RDF.type)) - _SHAPE_TYPES:
            return None
        if path is None:
            tests = [test for _, test in self.value_tests(shape, v)]
            return "(" + " && ".join(tests) + ")" if tests else "true"
        x = f"?x{depth}"
        sparql_path = path_text(graph, path, _n3)
        tests = [test for _, test in self.value_tests(shape, x)]
        parts = [f"NOT EXISTS {{ {v} {sparql_path} {x} FILTER(!({' && '.join(tests)})) }}"]
        parts = parts if tests else []
        if (shape, SH.minCount, None) in graph and int(self.one(shape, SH.minCount)) == 1:  # type: ignore[call-overload]
            parts.append(f"EXISTS {{ {v} {sparql_path} {x} }}")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def logical(
        self, shape: Node, values: str, joins: list[str], depth: int
    ) -> list[tuple[str, str]]:
        """``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` on the value nodes.

        Returns (component, SPARQL test true when ``?v`` conforms); appends to ``joins`` the
        ``OPTIONAL`` subqueries the tests read (``?n<i>`` bound: the value fails member ``i``).
        """
        graph = self.graph
        lists = [([n], "Node", "{c} >= 1") for n in graph.objects(shape, SH.node)]
        lists += [([n], "Not", "{c} = 0") for n in graph.objects(shape, SH["not"])]
        for key, name, passes in (("and", "And", "{c} = {k}"), ("or", "Or", "{c} >= 1")):
            lists += [(self.members(m), name, passes) for m in graph.objects(shape, SH[key])]
        lists += [(self.members(m), "Xone", "{c} = 1") for m in graph.objects(shape, SH.xone)]
        renamed = f"{{ SELECT DISTINCT (?v AS ?v0) WHERE {{ {values} }} }}"
        inner = f"{{ SELECT DISTINCT (?v0 AS ?f) WHERE {{ {renamed} }} }}"
        tests: list[tuple[str, str]] = []
        for members, name, passes in lists:
            counts: list[str] = []
            for member in members:
                test = self.inline(member, "?v", depth + 1)
                if test is not None:
                    counts.append(f"IF({test}, 1, 0)")
                    continue
                bad = [f"{{ {c.query} }}" for c in self.checks(member, inner, depth + 1)]
                if not bad:
                    counts.append("1")
                    continue
                n = f"?n{depth}_{len(joins)}"
                joins.append(
                    f"OPTIONAL {{ SELECT (?f AS ?v) (1 AS {n}) WHERE "
                    f"{{ SELECT DISTINCT ?f WHERE {{ {' UNION '.join(bad)} }} }} }}"
                )
                counts.append(f"IF(BOUND({n}), 0, 1)")
            conforming = "(" + (" + ".join(counts) or "0") + ")"
            tests.append(
                (f"{name}ConstraintComponent", passes.format(c=conforming, k=len(members)))
            )
        return tests


@dataclass(frozen=True)
class Target:
    """The focus nodes of one shape (SHACL §2.1.3), as a pattern and as parts.

    Attributes:
        classes: ``sh:targetClass`` IRIs (their SHACL instances).
        nodes: ``sh:targetNode`` terms.
        subjects_of: ``sh:targetSubjectsOf`` predicates.
        objects_of: ``sh:targetObjectsOf`` predicates.
        pattern: A group pattern binding ``?f`` to every focus node.
    """

    classes: tuple[str, ...]
    nodes: tuple[Node, ...]
    subjects_of: tuple[str, ...]
    objects_of: tuple[str, ...]
    pattern: str


def _targets(graph: Graph, shape: Node) -> Target | None:
    classes = sorted(str(c) for c in graph.objects(shape, SH.targetClass) if _classes(c))
    nodes = sorted(graph.objects(shape, SH.targetNode), key=str)
    subjects = sorted(str(p) for p in graph.objects(shape, SH.targetSubjectsOf))
    objects = sorted(str(p) for p in graph.objects(shape, SH.targetObjectsOf))
    parts = [f"{{ VALUES ?tc {{ {_MARK}{c}@@ }} ?f a ?tc }}" for c in classes]
    parts += [f"{{ VALUES ?f {{ {' '.join(_n3(n) for n in nodes)} }} }}"] if nodes else []
    parts += [f"{{ ?f <{p}> [] }}" for p in subjects]
    parts += [f"{{ [] <{p}> ?f }}" for p in objects]
    if not parts:
        return None
    pattern = " UNION ".join(parts)
    return Target(tuple(classes), tuple(nodes), tuple(subjects), tuple(objects), pattern)


def _severity(graph: Graph, shape: Node) -> URIRef:
    found = list(graph.objects(shape, SH.severity))
    if len(found) > 1:
        raise Untranslatable(f"{shape}: several values of sh:severity")
    return found[0] if found and isinstance(found[0], URIRef) else SH.Violation


def _message(graph: Graph, shape: Node) -> str | None:
    messages = sorted(str(m) for m in graph.objects(shape, SH.message))
    return "; ".join(messages) if messages else None


def translate(shapes: Graph) -> Plan:
    """Translate a shapes graph: the checks of every shape with a target.

    Raises:
        Untranslatable: A shape uses something this engine lacks; the message names it.
    """
    translator = _Translator(shapes)
    checks: list[Check] = []
    targeted = {s for t in _TARGETS for s in shapes.subjects(t, None)}
    implicit = set(shapes.subjects(RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")))
    if implicit & (set(shapes.subjects(RDF.type, SH.NodeShape)) | targeted):
        raise Untranslatable("a shape that is also a class (implicit class target, §2.1.3.3)")
    targets: list[Target] = []
    for shape in sorted(targeted, key=lambda s: (isinstance(s, BNode), str(s))):
        target = _targets(shapes, shape)
        if target is not None:
            mark = f"{FOCUS_MARK}{len(targets)}@@"
            found = translator.checks(shape, mark, 0)
            checks.extend(replace(c, target=len(targets)) for c in found)
            targets.append(target)
    return Plan(tuple(checks), tuple(targets))


def plan(shapes: Graph) -> Plan | None:
    """Translate a shapes graph, or return None when it uses anything this engine lacks."""
    try:
        return translate(shapes)
    except (Untranslatable, ValueError, TypeError):
        return None


def fill(query: str, below: Mapping[str, set[str]], focus: Mapping[int, str]) -> str:
    """Replace each focus mark by a pattern of its focus nodes, each class by its subclasses.

    Args:
        query: A check's query.
        below: Class IRI → it and every class below it.
        focus: Target number → a group pattern binding ``?f`` (``Target.pattern`` for all).
    """
    while FOCUS_MARK in query:
        start = query.index(FOCUS_MARK)
        end = query.index("@@", start + len(FOCUS_MARK))
        number = int(query[start + len(FOCUS_MARK) : end])
        query = query[:start] + focus[number] + query[end + 2 :]
    for mark, separator in ((_MARK, " "), (_LIST_MARK, ", ")):
        while mark in query:
            start = query.index(mark)
            end = query.index("@@", start + len(mark))
            cls = query[start + len(mark) : end]
            iris = separator.join(f"<{c}>" for c in sorted(below.get(cls, {cls}) | {cls}))
            query = query[:start] + iris + query[end + 2 :]
    return query
