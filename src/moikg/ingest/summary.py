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

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.export import oxigraph_store
from moikg.ingest.load import ONTOLOGY_GRAPH, named_graphs, stem_of
from moikg.rdf.namespaces import DCTERMS, FOAF, GRAPH, MOI, ORG, PROV, RDF, SCHEMA
from moikg.rdf.terms import LABEL_PROPERTIES, ancestors, label_key

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


def summarise(dataset: Dataset) -> Summary:
    """Compute the summary of a dataset loaded by :func:`moikg.ingest.load.load_dataset`.

    Args:
        dataset: The dataset; its ontology graph supplies the class hierarchy.

    Returns:
        The summary.
    """
    store = oxigraph_store(dataset)
    graphs = named_graphs(dataset)
    counts = {
        row["g"].value: int(row["n"].value)
        for row in store.query(  # type: ignore[union-attr]
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    per_graph = [(stem_of(iri) or str(iri), counts.get(str(iri), 0)) for iri in graphs]
    ontology = Graph()
    ontology.addN((s, p, o, ontology) for s, p, o in dataset.graph(ONTOLOGY_GRAPH))
    data = _slice(store, _DATA_PROPERTIES, _SOURCES)
    union = _slice(store, LABEL_PROPERTIES, _MOIKG)
    names = _Labeller(union)
    actors = _actors(data, ontology, names)
    return Summary(
        total_triples=_count(
            store, f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_MOIKG} }}"
        ),
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


def _slice(store: ox.Store, properties: Iterable[URIRef], graphs: str) -> Graph:
    """The triples with these properties in these graphs, as a small rdflib graph."""
    values = " ".join(f"<{p}>" for p in properties)
    found = store.query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} {graphs} }}"
    )
    graph = Graph()
    graph.addN(
        (from_ox(r["s"]), from_ox(r["p"]), from_ox(r["o"]), graph)  # type: ignore[misc]
        for r in found  # type: ignore[union-attr]
    )
    return graph


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


class _Labeller:
    def __init__(self, graph: Graph) -> None:
        self._graph = graph

    def __call__(self, node: Node) -> str:
        keys = [
            key
            for prop in LABEL_PROPERTIES
            for value in self._graph.objects(node, prop)
            if (key := label_key(prop, value)) is not None
        ]
        return min(keys)[2] if keys else _qname(self._graph, node)


def _qname(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except (ValueError, KeyError):
            return str(node)
    return str(node)


def _subclasses(ontology: Graph, roots: Iterable[URIRef]) -> dict[URIRef, frozenset[URIRef]]:
    """Map each class below (or equal to) a root to its superclasses."""
    closure = ancestors(ontology)
    root_set = set(roots)
    return {
        cls: closure.get(cls, frozenset())
        for cls in set(closure) | root_set
        if cls in root_set or closure.get(cls, frozenset()) & root_set
    }


def _actors(
    data: Graph, ontology: Graph, names: _Labeller
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Kind → names of its actors, most populous kind first."""
    kinds = _subclasses(ontology, _ACTOR_ROOTS)
    members: dict[str, list[str]] = {}
    for actor in set(data.subjects(RDF.type, None)):
        types = {t for t in data.objects(actor, RDF.type) if isinstance(t, URIRef) and t in kinds}
        specific = {t for t in types if not any(t in kinds[other] for other in types)}
        for cls in specific:
            members.setdefault(names(cls), []).append(names(actor))
    return tuple(
        (kind, tuple(sorted(people, key=str.casefold)))
        for kind, people in sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))
    )


def _agreements(data: Graph, ontology: Graph, names: _Labeller) -> tuple[Agreement, ...]:
    agreement_classes = set(_subclasses(ontology, [MOI.Agreement]))
    nodes = set(data.subjects(MOI.hasParty, None))
    for cls in agreement_classes:
        nodes |= set(data.subjects(RDF.type, cls))
    found = [
        Agreement(
            iri=str(node),
            label=names(node),
            date=_first(data, node, (DCTERMS.date, SCHEMA.startDate)),
            parties=tuple(sorted(names(p) for p in data.objects(node, MOI.hasParty))),
        )
        for node in nodes
    ]
    return tuple(sorted(found, key=lambda a: (a.date, a.label)))


def _sources(data: Graph) -> tuple[Source, ...]:
    nodes = {n for t in _SOURCE_TYPES for n in data.subjects(RDF.type, t)}
    found = [
        Source(
            iri=str(node),
            title=_first(data, node, (DCTERMS.title,)) or str(node),
            issued=_first(data, node, (DCTERMS.issued,)),
        )
        for node in nodes
    ]
    return tuple(sorted(found, key=lambda s: (s.issued, s.title)))


def _first(graph: Graph, node: Node, props: Iterable[URIRef]) -> str:
    for prop in props:
        values = sorted(str(v) for v in graph.objects(node, prop))
        if values:
            return values[0]
    return ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
