"""The actors index (:class:`moikg.cards.resolve.Index`) read from an Oxigraph store.

``moikg add`` through the on-disk store (:mod:`moikg.cards.incremental`) resolves a card's
actors without copying the graph into rdflib: two queries over the source graphs (not the
ontology or its closure) give each organisation, person and place with its types and names,
the same entries :meth:`Index.from_graph` builds from the union of the sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from moikg.cards.actor_index import NAME_PROPERTIES, Index, Known, categories
from moikg.rdf.namespaces import FOAF, RDFS, SKOS
from moikg.rdf.terms import fold_name

__all__ = ["index_from_store"]

_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
_TYPE: Final = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def index_from_store(
    store: ox.Store,
    ontology: Graph,
    *,
    exclude: Iterable[str] = (),
    only: Iterable[URIRef] | None = None,
) -> Index:
    """The index :meth:`Index.from_graph` makes, read from an Oxigraph store's source graphs.

    Args:
        store: A store as :func:`moikg.ingest.load.load_dataset` fills it (the default
            graph the merge, the ontology and its closure in their own graphs).
        ontology: As for :meth:`from_graph`.
        exclude: Graph IRIs that are not sources (the ontology, its closure, ...).
        only: Index just these nodes (None: all).

    Returns:
        The index.
    """
    hierarchy = Graph()
    query = f"SELECT ?a ?b WHERE {{ ?a <{RDFS.subClassOf}> ?b }}"
    for row in store.query(query):  # type: ignore[union-attr]
        hierarchy.add((URIRef(row["a"].value), RDFS.subClassOf, URIRef(row["b"].value)))
    category_of = categories(ontology, hierarchy)
    if only is None:
        types, names = _queried(store, category_of, exclude)
    else:
        types, names = _looked_up(store, category_of, exclude, only)
    known: list[Known] = []
    for node, node_types in types.items():
        found = {category_of[t] for t in node_types if t in category_of}
        if len(found) != 1:
            continue
        (category,) = found
        values = {
            p: tuple(sorted(names.get((node, p), []), key=lambda x: (str(x), x.language or "")))
            for p in NAME_PROPERTIES
        }
        keys = frozenset(fold_name(str(v)) for vs in values.values() for v in vs)
        known.append(
            Known(
                iri=node,
                category=category,
                types=frozenset(node_types),
                labels=values[RDFS.label],
                names=values[FOAF.name],
                aliases=values[SKOS.altLabel],
                keys=keys,
            )
        )
    return Index(known)


_Types = dict[URIRef, set[URIRef]]
_Names = dict[tuple[URIRef, URIRef], list[RdfLiteral]]


def _literal(n: ox.Literal) -> RdfLiteral:
    datatype = n.datatype.value
    if n.language:
        return RdfLiteral(n.value, lang=n.language)
    if datatype == _XSD_STRING:
        return RdfLiteral(n.value)
    return RdfLiteral(n.value, datatype=URIRef(datatype))


def _queried(
    store: ox.Store, category_of: Mapping[URIRef, object], exclude: Iterable[str]
) -> tuple[_Types, _Names]:
    """Types and names of every typed node of the source graphs, by two queries."""
    kinds = " ".join(f"<{c}>" for c in category_of)
    skip = ", ".join(f"<{g}>" for g in exclude) or "<urn:moikg:none>"
    typed = (
        f"VALUES ?c {{ {kinds} }} GRAPH ?g {{ ?s a ?c }} FILTER(isIRI(?s) && ?g NOT IN ({skip}))"
    )
    types: _Types = {}
    rows = store.query(
        f"SELECT DISTINCT ?s ?t WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ {typed} }} }} "
        f"GRAPH ?h {{ ?s a ?t }} FILTER(isIRI(?t) && ?h NOT IN ({skip})) }}"
    )
    for row in rows:  # type: ignore[union-attr]
        types.setdefault(URIRef(row["s"].value), set()).add(URIRef(row["t"].value))
    names: _Names = {}
    props = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    rows = store.query(
        f"SELECT DISTINCT ?s ?p ?n WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ {typed} }} }} "
        f"VALUES ?p {{ {props} }} GRAPH ?h {{ ?s ?p ?n }} "
        f"FILTER(isLiteral(?n) && ?h NOT IN ({skip})) }}"
    )
    for row in rows:  # type: ignore[union-attr]
        key = (URIRef(row["s"].value), URIRef(row["p"].value))
        names.setdefault(key, []).append(_literal(row["n"]))
    return types, names


def _looked_up(
    store: ox.Store,
    category_of: Mapping[URIRef, object],
    exclude: Iterable[str],
    only: Iterable[URIRef],
) -> tuple[_Types, _Names]:
    """The same as :func:`_queried` for a few nodes, by index lookups (no query plan)."""
    skip: set[object] = {ox.DefaultGraph(), *(ox.NamedNode(g) for g in exclude)}
    types: _Types = {}
    names: _Names = {}
    for node in only:
        subject = ox.NamedNode(str(node))
        found = {
            URIRef(q.object.value)
            for q in store.quads_for_pattern(subject, _TYPE, None, None)
            if q.graph_name not in skip and isinstance(q.object, ox.NamedNode)
        }
        if not any(t in category_of for t in found):
            continue
        types[node] = found
        for p in NAME_PROPERTIES:
            values = {
                q.object
                for q in store.quads_for_pattern(subject, ox.NamedNode(str(p)), None, None)
                if q.graph_name not in skip and isinstance(q.object, ox.Literal)
            }
            if values:
                names[(node, p)] = [_literal(v) for v in values]
    return types, names
