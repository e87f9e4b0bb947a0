"""Namespaces of the project and of the standard vocabularies it answers to.

The interop profile (DESIGN.md, "Interop profile") names the W3C and
schema.org vocabularies every project term maps onto; this module is the one
place their IRIs are spelt out.
"""

from __future__ import annotations

from typing import Final

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BASE",
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "MOI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "WD",
    "XSD",
    "bind_prefixes",
]

BASE: Final = "https://w3id.org/moikg/"
"""The one base every project IRI starts with."""

MOI: Final = Namespace(BASE + "ontology#")
"""Terms of the moikg ontology (``ontology/moi.ttl``)."""

ID: Final = Namespace(BASE + "id/")
"""Instances: ``<ID>/<kind>/<slug>``, e.g. ``https://w3id.org/moikg/id/org/iipp``."""

GRAPH: Final = Namespace(BASE + "graph/")
"""Named graphs: one per source file, ``<GRAPH><stem>``, plus ``<GRAPH>ontology``."""

# Note: schema.org's canonical namespace is https; rdflib's SDO agrees.
SCHEMA: Final = Namespace("https://schema.org/")
WD: Final = Namespace("http://www.wikidata.org/entity/")

PREFIXES: Final[dict[str, str]] = {
    "moi": str(MOI),
    "id": str(ID),
    "org": str(ORG),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}
"""Prefix → namespace IRI, the order used in serialisations and JSON-LD contexts."""


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project prefixes on a graph or dataset, replacing clashing bindings.

    Args:
        graph: Any rdflib graph, including a ``Dataset``.

    Returns:
        The same graph, for chaining.
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph
