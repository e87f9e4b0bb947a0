"""Summarise a loaded dataset: triple counts, actors by kind, agreements, sources.

Kinds of actor follow the interop profile (docs/ARCHITECTURE.md): an actor is an instance
of ``org:Organization`` or ``foaf:Person`` or of any class below them by the
closure of ``rdfs:subClassOf`` in the ontology (RDFS 1.1 §5.1.2 entailment
pattern rdfs9, applied only to find the classes). Each actor counts under its
most specific asserted types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.counts import GraphCounts, graph_counts
from moikg.ingest.export import oxigraph_store
from moikg.ingest.load import ONTOLOGY_GRAPH, named_graphs, stem_of
from moikg.rdf.namespaces import DCTERMS, FOAF, GRAPH, MOI, ORG, PROV, RDF, SCHEMA
from moikg.rdf.terms import LABEL_PROPERTIES, ancestors, rank_label

__all__ = ["Agreement", "Source", "Summary", "render_markdown", "summarise"]

_ACTOR_ROOTS = (ORG.Organization, FOAF.Person)
_SOURCE_TYPES = (SCHEMA.NewsArticle, SCHEMA.WebPage)
_DATA_PROPERTIES = (
    RDF.type,
    MOI.hasParty,
    DCTERMS.date,
    SCHEMA.startDate,
    DCTERMS.title,
    DCTERMS.issued,
)
_MOIKG = f'FILTER(STRSTARTS(STR(?g), "{GRAPH}"))'
_SOURCES = (
    f'FILTER(STRSTARTS(STR(?g), "{GRAPH}") && ?g NOT IN (<{ONTOLOGY_GRAPH}>, <{CLOSURE_GRAPH}>))'
)


@dataclass(frozen=True)
class Agreement:
    """An agreement: a node with ``moi:hasParty``, or an instance of ``moi:Agreement``."""

    iri: str
    label: str
    date: str
    parties: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A source document: ``schema:NewsArticle`` or ``schema:WebPage``."""

    iri: str
    title: str
    issued: str


@dataclass(frozen=True)
class Summary:
    """Counts and lists that describe a dataset.

    Attributes:
        total_triples: Distinct triples in the union of all named graphs.
        triples_per_graph: Named-graph stem → triple count, sorted by stem.
        actors_by_kind: Class label → number of actors whose most specific type it is.
        agreements: Agreements with label, date and parties, sorted by date.
        sources: Source documents with title and issue date, sorted by date.
        derived_nodes: Number of nodes carrying ``prov:wasDerivedFrom``.
        actors: Class label → the names of the actors of that kind, sorted, in the order of
            ``actors_by_kind``.
    """

    total_triples: int
    triples_per_graph: tuple[tuple[str, int], ...]
    actors_by_kind: tuple[tuple[str, int], ...]
    agreements: tuple[Agreement, ...]
    sources: tuple[Source, ...]
    derived_nodes: int
    actors: tuple[tuple[str, tuple[str, ...]], ...] = ()


def summarise(dataset: Dataset, *, counts: GraphCounts | None = None) -> Summary:
    """Compute the summary of a dataset loaded by :func:`moikg.ingest.load.load_dataset`.

    Args:
        dataset: The dataset; its ontology graph supplies the class hierarchy.
        counts: The dataset's triple counts, if already computed (:func:`graph_counts`).

    Returns:
        The summary.
    """
    store = oxigraph_store(dataset)
    graphs = named_graphs(dataset)
    counted = counts if counts is not None else graph_counts(dataset)
    per_graph = [(stem_of(iri) or str(iri), counted.per_graph.get(str(iri), 0)) for iri in graphs]
    ontology = Graph()
    ontology.addN((s, p, o, ontology) for s, p, o in dataset.graph(ONTOLOGY_GRAPH))
    data = _slice(store, _DATA_PROPERTIES, _SOURCES)
    union = _slice(store, LABEL_PROPERTIES, _MOIKG)
    names = _Labeller(union)
    actors = _actors(data, ontology, names)
    return Summary(
        total_triples=counted.merge,
        triples_per_graph=tuple(per_graph),
        actors_by_kind=tuple((kind, len(members)) for kind, members in actors),
        agreements=_agreements(data, ontology, names),
        sources=_sources(data),
        derived_nodes=_count(
            store,
            f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s <{PROV.wasDerivedFrom}> ?o }} "
            f"{_SOURCES} }}",
        ),
        actors=actors,
    )


def _count(store: ox.Store, select: str) -> int:
    """The number of solutions of a SELECT, counted by the store."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {select} }}")
    return int(next(iter(rows))["n"].value)  # type: ignore[arg-type]


class _Slice:
    """Some triples of the store, indexed both ways, with terms kept as Oxigraph made them.

    Keys are N-Triples forms (``str`` of an Oxigraph term), so IRIs, blank nodes and
    literals never collide; no rdflib term is made for any of them.
    """

    def __init__(self, rows: Iterable[ox.QuerySolution]) -> None:
        self._out: dict[tuple[str, str], list[ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
        self._in: dict[tuple[str, str | None], set[str]] = {}
        for row in rows:
            subject, prop, value = row["s"], row["p"], row["o"]
            key, p, o = str(subject), prop.value, str(value)
            self._out.setdefault((key, p), []).append(value)
            self._in.setdefault((p, o), set()).add(key)
            self._in.setdefault((p, None), set()).add(key)

    def objects(self, node: str, prop: URIRef) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        """The values of ``prop`` on ``node`` (an N-Triples key)."""
        return self._out.get((node, str(prop)), [])

    def subjects(self, prop: URIRef, value: URIRef | None = None) -> set[str]:
        """The keys of the nodes with ``prop`` (set to the IRI ``value``, when given)."""
        return self._in.get((str(prop), f"<{value}>" if value is not None else None), set())


def _slice(store: ox.Store, properties: Iterable[URIRef], graphs: str) -> _Slice:
    """The triples with these properties in these graphs."""
    values = " ".join(f"<{p}>" for p in properties)
    found = store.query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} {graphs} }}"
    )
    return _Slice(found)  # type: ignore[arg-type]


def render_markdown(summary: Summary) -> str:
    """Render the summary as a Markdown page (``summary.md``)."""
    out = ["# moikg build summary", "", f"Total triples: {summary.total_triples}", ""]
    out += ["## Triples per named graph", "", "| graph | triples |", "|---|---:|"]
    out += [f"| {stem} | {count} |" for stem, count in summary.triples_per_graph]
    out += ["", "## Actors by kind", "", "| kind | actors |", "|---|---:|"]
    out += [f"| {kind} | {count} |" for kind, count in summary.actors_by_kind]
    if summary.actors:
        out += ["", "## Actors", ""]
        for kind, members in summary.actors:
            out += [f"- **{_cell(kind)}** ({len(members)}): {_cell('; '.join(members))}"]
    out += ["", "## Agreements", "", "| agreement | date | parties |", "|---|---|---|"]
    out += [
        f"| {_cell(a.label)} | {a.date} | {_cell('; '.join(a.parties))} |"
        for a in summary.agreements
    ]
    out += ["", "## Sources", "", "| title | issued | address |", "|---|---|---|"]
    out += [f"| {_cell(s.title)} | {s.issued or 'undated'} | <{s.iri}> |" for s in summary.sources]
    out += [
        "",
        "## Provenance",
        "",
        f"Nodes carrying `prov:wasDerivedFrom`: {summary.derived_nodes}",
        "",
    ]
    return "\n".join(out)


_NAMESPACES: Final = Graph().namespace_manager
"""rdflib's own prefixes (rdf, rdfs, owl, xsd, xml): how a node without a label is shown."""


class _Labeller:
    def __init__(self, names: _Slice) -> None:
        self._names = names

    def __call__(self, node: str) -> str:
        keys = [
            key
            for prop in LABEL_PROPERTIES
            for value in self._names.objects(node, prop)
            if (key := _label_key(prop, value)) is not None
        ]
        return min(keys)[2] if keys else _qname(node)


def _label_key(
    prop: URIRef, value: ox.NamedNode | ox.BlankNode | ox.Literal
) -> tuple[int, int, str] | None:
    language = value.language if isinstance(value, ox.Literal) else None
    return rank_label(prop, language, value.value)


def _qname(node: str) -> str:
    if node.startswith("<"):
        try:
            return _NAMESPACES.normalizeUri(URIRef(node[1:-1]))
        except (ValueError, KeyError):
            return node[1:-1]
    return node.removeprefix("_:")


def _value(node: str) -> str:
    """The IRI or blank node label of an N-Triples key, as ``str`` of an rdflib term reads."""
    return node[1:-1] if node.startswith("<") else node.removeprefix("_:")


def _subclasses(ontology: Graph, roots: Iterable[URIRef]) -> dict[str, frozenset[str]]:
    """Map each class below (or equal to) a root to its superclasses, as N-Triples keys."""
    closure = ancestors(ontology)
    root_set = set(roots)
    return {
        f"<{cls}>": frozenset(f"<{c}>" for c in closure.get(cls, frozenset()))
        for cls in set(closure) | root_set
        if cls in root_set or closure.get(cls, frozenset()) & root_set
    }


def _actors(
    data: _Slice, ontology: Graph, names: _Labeller
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Kind → names of its actors, most populous kind first."""
    kinds = _subclasses(ontology, _ACTOR_ROOTS)
    members: dict[str, list[str]] = {}
    for actor in data.subjects(RDF.type):
        types = {key for t in data.objects(actor, RDF.type) if (key := str(t)) in kinds}
        specific = {t for t in types if not any(t in kinds[other] for other in types)}
        for cls in specific:
            members.setdefault(names(cls), []).append(names(actor))
    return tuple(
        (kind, tuple(sorted(people, key=str.casefold)))
        for kind, people in sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))
    )


def _agreements(data: _Slice, ontology: Graph, names: _Labeller) -> tuple[Agreement, ...]:
    agreement_classes = set(_subclasses(ontology, [MOI.Agreement]))
    nodes = set(data.subjects(MOI.hasParty))
    for cls in agreement_classes:
        nodes |= data.subjects(RDF.type, URIRef(cls[1:-1]))
    found = [
        Agreement(
            iri=_value(node),
            label=names(node),
            date=_first(data, node, (DCTERMS.date, SCHEMA.startDate)),
            parties=tuple(sorted(names(str(p)) for p in data.objects(node, MOI.hasParty))),
        )
        for node in nodes
    ]
    return tuple(sorted(found, key=lambda a: (a.date, a.label)))


def _sources(data: _Slice) -> tuple[Source, ...]:
    nodes = {n for t in _SOURCE_TYPES for n in data.subjects(RDF.type, t)}
    found = [
        Source(
            iri=_value(node),
            title=_first(data, node, (DCTERMS.title,)) or _value(node),
            issued=_first(data, node, (DCTERMS.issued,)),
        )
        for node in nodes
    ]
    return tuple(sorted(found, key=lambda s: (s.issued, s.title)))


def _first(data: _Slice, node: str, props: Iterable[URIRef]) -> str:
    for prop in props:
        values = sorted(v.value for v in data.objects(node, prop))
        if values:
            return values[0]
    return ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
