"""The ontology's class and property hierarchy, closed, in a named graph of its own.

A catalogue query that asks for "an organisation of any kind" would say
``?actor a/rdfs:subClassOf* org:Organization``. Several stores answer such
property paths wrongly when they are joined with other patterns (Virtuoso 7
keeps only the zero-length match, or nothing; see ``docs/sparql-portability.md``).
So the dataset carries the reflexive-transitive closure of ``rdfs:subClassOf``
and ``rdfs:subPropertyOf`` (RDFS 1.1 Semantics §9.2.1, entailment patterns
rdfs5, rdfs6, rdfs10 and rdfs11), and a query says instead
``?actor a ?class . ?class rdfs:subClassOf org:Organization``: a plain join
every SPARQL 1.1 store gets right.

The closure covers every class and property the ontology declares or relates,
every class used with ``rdf:type`` and every property used in the data; it is
the ontology's (and the RDFS vocabulary's) consequence only, so it lives in its
own graph, :data:`CLOSURE_GRAPH`, which names the ontology graph as its ``dcterms:source``
(not ``prov:wasDerivedFrom``, which the queries read as "the document a fact rests on"). Nothing
is added about any instance: each source's graph still holds only what the
source says, and the asserted types and properties stay apart from entailed ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from moikg.rdf.namespaces import GRAPH
from moikg.rdf.terms import reachable

__all__ = ["CLOSURE_GRAPH", "closure_triples"]

CLOSURE_GRAPH: Final = URIRef(str(GRAPH) + "ontology-closure")
"""Named graph holding the closed class and property hierarchy."""

_CLASS_TYPES: Final = (OWL.Class, RDFS.Class)
_PROPERTY_TYPES: Final = (
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
)
_COMMENT: Final = (
    "The reflexive-transitive closure of rdfs:subClassOf and rdfs:subPropertyOf over the "
    "ontology graph, for every class and property the ontology declares or relates and every "
    "class and property the sources use (RDFS 1.1 Semantics, patterns rdfs5, rdfs6, rdfs10, "
    "rdfs11). Computed by moikg when it loads the graph; it adds nothing about any instance."
)

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def _closed(
    ontology: Graph, relation: URIRef, declared: Iterable[URIRef], used: set[URIRef]
) -> list[Triple]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    nodes = set(used)
    for child, parent in ontology.subject_objects(relation):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            parents[child].add(parent)
            nodes |= {child, parent}
    for kind in declared:
        nodes |= {s for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return [(node, relation, above) for node in nodes for above in reachable([node], parents)]


def closure_triples(
    ontology: Graph, data: Iterable[tuple[object, object, object]], *, derived_from: URIRef
) -> list[Triple]:
    """The closed hierarchy, sorted, with a description of where it comes from.

    Args:
        ontology: The ontology graph.
        data: Every triple of the sources (to find the classes and properties they use).
        derived_from: The ontology graph's IRI, named as what the closure was derived from.

    Returns:
        Triples for :data:`CLOSURE_GRAPH`.
    """
    classes: set[URIRef] = set()
    properties: set[URIRef] = set()
    for _, predicate, value in data:
        if isinstance(predicate, URIRef):
            properties.add(predicate)
            if predicate == RDF.type and isinstance(value, URIRef):
                classes.add(value)
    triples = _closed(ontology, RDFS.subClassOf, _CLASS_TYPES, classes)
    triples += _closed(ontology, RDFS.subPropertyOf, _PROPERTY_TYPES, properties)
    triples += [
        (CLOSURE_GRAPH, DCTERMS.source, derived_from),
        (CLOSURE_GRAPH, RDFS.comment, Literal(_COMMENT, lang="en")),
    ]
    return sorted(triples)
