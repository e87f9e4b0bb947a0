"""Namespaces of the project and of the standard vocabularies it answers to.

The interop profile (docs/ARCHITECTURE.md, "Interop profile") names the W3C and
schema.org vocabularies every project term maps onto; this module is the one
place their IRIs are spelt out.
"""

from __future__ import annotations

from typing import Final

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "BASE",
    "DCTERMS",
    "FOAF",
    "GRAPH",
    "ID",
    "INSTANCE_PREFIXES",
    "MOI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "WD",
    "XSD",
    "bind_instance_prefixes",
    "bind_prefixes",
    "expand_curie",
    "known_prefixes",
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

INSTANCE_PREFIXES: Final[dict[str, Namespace]] = {
    name: Namespace(f"{ID}{kind}/")
    for name, kind in (
        ("orgs", "org"),
        ("person", "person"),
        ("post", "post"),
        ("membership", "membership"),
        ("agreement", "agreement"),
        ("event", "event"),
        ("place", "place"),
        ("goal", "goal"),
        ("framework", "framework"),
        ("quote", "quote"),
        ("contact", "contact"),
        ("count", "count"),
        ("derivation", "derivation"),
        ("kind", "kind"),
        ("role", "role"),
        ("scheme", "scheme"),
    )
}
"""Prefixes of the instance namespaces, as the graph files use them."""


def known_prefixes() -> dict[str, str]:
    """Every prefix a CURIE given by a user may start with, prefix → namespace IRI.

    :data:`PREFIXES`, then the instance prefixes of :data:`INSTANCE_PREFIXES` (``orgs:``,
    ``person:``…) as the graph files use them.
    """
    return {**PREFIXES, **{name: str(ns) for name, ns in INSTANCE_PREFIXES.items()}}


def expand_curie(text: str) -> str | None:
    """Expand a CURIE whose prefix is one of :func:`known_prefixes`.

    The one expansion of user-given CURIEs: query parameters and the network's ``--focus``
    both use it.

    Args:
        text: E.g. ``id:org/iipp`` or ``orgs:iipp``.

    Returns:
        The full IRI, or None when ``text`` is not a CURIE with a known prefix (a full IRI
        such as ``https://…``, a label, a CURIE with an unknown prefix).

    >>> expand_curie("id:org/iipp"), expand_curie("orgs:iipp")
    ('https://w3id.org/moikg/id/org/iipp', 'https://w3id.org/moikg/id/org/iipp')
    >>> expand_curie("https://w3id.org/moikg/id/org/iipp") is None
    True
    """
    prefix, colon, local = text.strip().partition(":")
    namespace = known_prefixes().get(prefix)
    if not colon or namespace is None or local.startswith("//"):
        return None
    return namespace + local


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


def bind_instance_prefixes(graph: Graph) -> Graph:
    """Bind the project prefixes and the instance prefixes on a graph."""
    bind_prefixes(graph)
    graph.bind("id", ID, override=True, replace=True)
    for prefix, namespace in INSTANCE_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
