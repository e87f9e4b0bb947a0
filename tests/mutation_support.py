"""Seeded mutations of a source that touch nodes other sources define (differential tests)."""

from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef

MOI = "https://w3id.org/moikg/ontology#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


def another_sources_node(graph: Graph, rest: Graph, rng: random.Random) -> str:
    """Mutate ``graph`` (the new source) so it touches a node that ``rest`` defines."""
    kind = rng.choice(("count", "retype", "member", "signatory", "contact", "drop-type"))
    orgs = sorted(s for s in rest.subjects(RDF_TYPE, URIRef(ORG + "Organization")))
    if kind == "count":  # a second value on another source's member count
        count = rng.choice(sorted(rest.subjects(RDF_TYPE, URIRef(MOI + "MemberCount"))))
        graph.add((count, URIRef(SCHEMA + "value"), Literal(99, datatype=XSD_INTEGER)))
    elif kind == "retype":  # another source's organisation becomes a chapter without a network
        loose = [o for o in orgs if (o, URIRef(ORG + "subOrganizationOf"), None) not in rest]
        graph.add((rng.choice(loose), RDF_TYPE, URIRef(MOI + "NetworkChapter")))
    elif kind == "member":  # a second member on another source's membership
        membership = rng.choice(sorted(rest.subjects(RDF_TYPE, URIRef(ORG + "Membership"))))
        graph.add((membership, URIRef(ORG + "member"), rng.choice(orgs)))
    elif kind == "signatory":  # another source's person signs, for no organisation
        people = sorted(rest.subjects(RDF_TYPE, URIRef("http://xmlns.com/foaf/0.1/Person")))
        acting = URIRef("http://www.w3.org/ns/prov#actedOnBehalfOf")
        signing = URIRef("https://w3id.org/moikg/id/event/mutated-signing")
        person = rng.choice([p for p in people if (p, acting, None) not in rest])
        graph.add((signing, URIRef(MOI + "signatory"), person))
    elif kind == "contact":  # a contact point of another source's person (the inverse path)
        people = sorted(rest.subjects(RDF_TYPE, URIRef("http://xmlns.com/foaf/0.1/Person")))
        point = URIRef("https://w3id.org/moikg/id/contact/mutated")
        graph.add((point, RDF_TYPE, URIRef(SCHEMA + "ContactPoint")))
        graph.add((rng.choice(people), URIRef(SCHEMA + "contactPoint"), point))
    else:  # an organisation of another source is pointed at as a collaboration's purpose
        collaboration = URIRef("https://w3id.org/moikg/id/org/mutated-network")
        graph.add((collaboration, RDF_TYPE, URIRef(ORG + "OrganizationalCollaboration")))
        graph.add((collaboration, URIRef(ORG + "purpose"), rng.choice(orgs)))
    return kind
