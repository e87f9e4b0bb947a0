"""Summarise a loaded dataset: triple counts, actors by kind, agreements, sources.

Kinds of actor follow the interop profile (docs/ARCHITECTURE.md): an actor is an instance
of ``org:Organization`` or ``foaf:Person`` or of any class below them by the
closure of ``rdfs:subClassOf`` in the ontology (RDFS 1.1 §5.1.2 entailment
pattern rdfs9, applied only to find the classes). Each actor counts under its
most specific asserted types.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.counts import GraphCounts, graph_counts
from moikg.ingest.export import oxigraph_store
from moikg.ingest.load import ONTOLOGY_GRAPH, named_graphs, stem_of
from moikg.rdf.namespaces import DCTERMS, FOAF, GRAPH, MOI, ORG, PROV, SCHEMA
from moikg.rdf.terms import LABEL_PROPERTIES, ancestors, rank_label

__all__ = ["Agreement", "Source", "Summary", "render_markdown", "summarise"]

_ACTOR_ROOTS = (ORG.Organization, FOAF.Person)
_SOURCE_TYPES = (SCHEMA.NewsArticle, SCHEMA.WebPage)
_DATA_PROPERTIES = (
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

    Oxigraph answers a few narrow queries (the nodes of the classes the summary lists, five
    properties of theirs, the naming properties); only their rows reach Python.

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
    kinds = _subclasses(ontology, _ACTOR_ROOTS)
    agreement_classes = set(_subclasses(ontology, [MOI.Agreement]))
    sources = {f"<{t}>" for t in _SOURCE_TYPES}
    types = _types(store, set(kinds) | agreement_classes | sources)
    data = _Values(_rows(store, "?s ?p ?o", "?s ?p ?o", _DATA_PROPERTIES, _SOURCES))
    actors = {node: kinds_of for node, ts in types.items() if (kinds_of := ts & kinds.keys())}
    agreements = data.subjects(MOI.hasParty) | {
        node for node, ts in types.items() if ts & agreement_classes
    }
    named = set(actors).union(kinds, agreements)
    named.update(str(p) for node in agreements for p in data.objects(node, MOI.hasParty))
    names = _Labeller(store, named)
    listed = _actors(actors, kinds, names)
    return Summary(
        total_triples=counted.merge,
        triples_per_graph=tuple(per_graph),
        actors_by_kind=tuple((kind, len(members)) for kind, members in listed),
        agreements=_agreements(agreements, data, names),
        sources=_sources([node for node, ts in types.items() if ts & sources], data),
        derived_nodes=_count(
            store,
            f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s <{PROV.wasDerivedFrom}> ?o }} "
            f"{_SOURCES} }}",
        ),
        actors=listed,
    )


def _count(store: ox.Store, select: str) -> int:
    """The number of solutions of a SELECT, counted by the store."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {select} }}")
    return int(next(iter(rows))["n"].value)  # type: ignore[arg-type]


_Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _rows(
    store: ox.Store, variables: str, pattern: str, values: Iterable[URIRef | str], graphs: str
) -> Iterator[ox.QuerySolution]:
    """The distinct solutions of ``pattern`` with ``?p`` one of ``values``, in some graphs.

    ``values`` are IRIs (``URIRef``) or N-Triples keys; ``graphs`` is a filter on ``?g``.
    """
    keys = " ".join(f"<{value}>" if isinstance(value, URIRef) else value for value in values)
    where = f"VALUES ?p {{ {keys} }} GRAPH ?g {{ {pattern} }} {graphs}"
    query = f"SELECT DISTINCT {variables} WHERE {{ {where} }}"
    return store.query(query)  # type: ignore[return-value]


def _types(store: ox.Store, classes: Iterable[str]) -> dict[str, set[str]]:
    """Each node of the source graphs typed with one of these classes → those of its types.

    Classes and nodes are N-Triples keys (``str`` of an Oxigraph term).
    """
    found: dict[str, set[str]] = {}
    for node, cls in _rows(store, "?s ?p", "?s a ?p", classes, _SOURCES):
        found.setdefault(str(node), set()).add(str(cls))
    return found


class _Values:
    """Some triples of the source graphs, by subject and property, terms as Oxigraph made them.

    Keys are N-Triples forms (``str`` of an Oxigraph term), so IRIs, blank nodes and
    literals never collide; no rdflib term is made for any of them.
    """

    def __init__(self, rows: Iterable[ox.QuerySolution]) -> None:
        self._out: dict[tuple[str, str], list[_Term]] = {}
        self._subjects: dict[str, set[str]] = {}
        for subject, prop, value in rows:
            key, p = str(subject), prop.value
            self._out.setdefault((key, p), []).append(value)
            self._subjects.setdefault(p, set()).add(key)

    def objects(self, node: str, prop: URIRef) -> list[_Term]:
        """The values of ``prop`` on ``node`` (an N-Triples key)."""
        return self._out.get((node, str(prop)), [])

    def subjects(self, prop: URIRef) -> set[str]:
        """The keys of the nodes with ``prop``."""
        return self._subjects.get(str(prop), set())


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
    """The label of each of some nodes, by the one label rule, over all moikg graphs."""

    def __init__(self, store: ox.Store, nodes: set[str]) -> None:
        best: dict[str, tuple[int, int, str]] = {}
        for node, prop, value in _rows(store, "?s ?p ?o", "?s ?p ?o", LABEL_PROPERTIES, _MOIKG):
            key = str(node)
            if key not in nodes:
                continue
            rank = _label_key(prop.value, value)
            if rank is not None and (key not in best or rank < best[key]):
                best[key] = rank
        self._best = best

    def __call__(self, node: str) -> str:
        rank = self._best.get(node)
        return rank[2] if rank is not None else _qname(node)


def _label_key(prop: str, value: _Term) -> tuple[int, int, str] | None:
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
    actors: dict[str, set[str]], kinds: dict[str, frozenset[str]], names: _Labeller
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Kind → names of its actors, most populous kind first; ``actors``: node → its kinds."""
    members: dict[str, list[str]] = {}
    for actor, types in actors.items():
        specific = {t for t in types if not any(t in kinds[other] for other in types)}
        for cls in specific:
            members.setdefault(names(cls), []).append(names(actor))
    return tuple(
        (kind, tuple(sorted(people, key=lambda name: (name.casefold(), name))))
        for kind, people in sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))
    )


def _agreements(nodes: Iterable[str], data: _Values, names: _Labeller) -> tuple[Agreement, ...]:
    found = [
        Agreement(
            iri=_value(node),
            label=names(node),
            date=_first(data, node, (DCTERMS.date, SCHEMA.startDate)),
            parties=tuple(sorted(names(str(p)) for p in data.objects(node, MOI.hasParty))),
        )
        for node in nodes
    ]
    return tuple(sorted(found, key=lambda a: (a.date, a.label, a.parties, a.iri)))


def _sources(nodes: Iterable[str], data: _Values) -> tuple[Source, ...]:
    found = [
        Source(
            iri=_value(node),
            title=_first(data, node, (DCTERMS.title,)) or _value(node),
            issued=_first(data, node, (DCTERMS.issued,)),
        )
        for node in nodes
    ]
    return tuple(sorted(found, key=lambda s: (s.issued, s.title, s.iri)))


def _first(data: _Values, node: str, props: Iterable[URIRef]) -> str:
    for prop in props:
        values = sorted(v.value for v in data.objects(node, prop))
        if values:
            return values[0]
    return ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
