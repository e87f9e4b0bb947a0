"""The interop profile (docs/ARCHITECTURE.md): a client that knows only W3C and schema.org vocabularies.

The client loads the release's graph and the ontology from the build, applies RDFS entailment (owlrl's
RDFS semantics: subclass and subproperty closure, RDF Semantics §9.2) and asks its questions
with standard terms only: no ``moi:`` term appears in any query below.
"""

from __future__ import annotations

from collections.abc import Callable

import owlrl
import pytest
from rdflib import Graph

from sparql_support import STANDARD_PREFIXES


@pytest.fixture(scope="module")
def plain(source_graph: Callable[[str], Graph]) -> Graph:
    return source_graph("2019-02-11-iipp-oecd-mou")


@pytest.fixture(scope="module")
def entailed(plain: Graph) -> Graph:
    g = Graph()
    for triple in plain:
        g.add(triple)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(g)
    return g


def _rows(g: Graph, query: str) -> set[tuple[str, ...]]:
    assert "moi:" not in query and "moikg/ontology" not in query
    return {tuple(str(v) for v in row) for row in g.query(STANDARD_PREFIXES + query)}


def test_organisations_by_name(entailed: Graph) -> None:
    names = {r[0] for r in _rows(entailed, "SELECT ?n { ?o a org:Organization ; rdfs:label ?n }")}
    assert {
        "University College London",
        "UCL Institute for Innovation and Public Purpose",
        "Organisation for Economic Co-operation and Development",
        "Observatory of Public Sector Innovation",
        "Mission-Oriented Innovation Network",
    } <= names


def test_parents(entailed: Graph) -> None:
    rows = _rows(
        entailed,
        "SELECT ?a ?b { ?u org:subOrganizationOf ?p . ?u skos:altLabel ?a . ?p skos:altLabel ?b }",
    )
    assert rows == {("IIPP", "UCL"), ("OPSI", "OECD")}


def test_collaboration_members_and_purposes(entailed: Graph) -> None:
    members = _rows(
        entailed,
        "SELECT ?m { ?c a org:OrganizationalCollaboration ; org:hasMember ?x . ?x skos:altLabel ?m }",
    )
    # OPSI is the partnership's operational partner, not a member (issue 8, B2).
    assert members == {("IIPP",), ("OECD",)}
    purposes = _rows(
        entailed,
        "SELECT ?g { ?c a org:OrganizationalCollaboration ; org:purpose ?p . "
        "?p a skos:Concept ; skos:prefLabel ?g ; skos:inScheme ?s . ?s a skos:ConceptScheme }",
    )
    assert len(purposes) == 5


def test_agreement_signing_in_prov_and_schema(entailed: Graph) -> None:
    q = """SELECT ?label ?date ?who ?for ?place ?event {
        ?a a prov:Entity ; rdfs:label ?label ; dcterms:date ?date ; prov:wasGeneratedBy ?s ;
           prov:wasAttributedTo ?party .
        ?s a prov:Activity , schema:Event ; prov:wasAssociatedWith ?p ; schema:startDate ?date ;
           prov:atLocation ?pl ; schema:location ?pl ; schema:superEvent ?e .
        ?p foaf:name ?who ; prov:actedOnBehalfOf ?party . ?party skos:altLabel ?for .
        ?pl rdfs:label ?place . ?e schema:name ?event }"""
    assert _rows(entailed, q) == {
        ("Memorandum of Understanding between IIPP and the OECD", "2019-02-10", "Mariana Mazzucato",
         "IIPP", "Dubai", "World Government Summit"),
        ("Memorandum of Understanding between IIPP and the OECD", "2019-02-10", "Angel Gurria",
         "OECD", "Dubai", "World Government Summit"),
    }  # fmt: skip


def test_posts_as_org_posts(entailed: Graph) -> None:
    """W3C ORG §5.3 posts (issue 8, B1); no person is an org:Membership's member."""
    q = """SELECT ?name ?role ?org { ?m a org:Post ; org:heldBy ?p ; org:role ?r ;
        org:postIn ?o . ?p foaf:name ?name ; org:holds ?m . ?r a org:Role ; rdfs:label ?role .
        ?o skos:altLabel ?org }"""
    assert _rows(entailed, q) == {
        ("Mariana Mazzucato", "Director", "IIPP"),
        ("Angel Gurria", "Secretary-General", "OECD"),
        ("Rainer Kattel", "Deputy Director", "IIPP"),
    }
    assert _rows(entailed, "SELECT ?m { ?m a org:Membership }") == set()


def test_evidence_as_prov_qualified_derivations(entailed: Graph) -> None:
    """Issue 8, B8: the quote hangs off a prov:Derivation of the node from its source."""
    q = """SELECT ?quote { ?n prov:qualifiedDerivation ?d ; foaf:name "Angel Gurria" .
        ?d a prov:Derivation ; prov:entity ?s ; prov:value ?quote . ?s a schema:NewsArticle }"""
    assert _rows(entailed, q) == {("Angel Gurria, OECD Secretary-General, says:",)}
    # and it is no longer a description of the node
    assert not _rows(
        entailed,
        'SELECT ?n { ?n dcterms:description "Angel Gurria, OECD Secretary-General, says:"@en }',
    )


def test_events_and_performers(entailed: Graph) -> None:
    q = """SELECT ?event ?who { ?e a schema:Event ; schema:name ?event ; schema:performer ?p .
        ?p foaf:name ?who }"""
    assert _rows(entailed, q) == {
        (
            "Transforming the Future: Creating value through government innovation",
            "Mariana Mazzucato",
        )
    }


def test_quotations_by_speaker(entailed: Graph) -> None:
    q = "SELECT ?who { ?q a schema:Quotation ; schema:text ?t ; schema:creator ?p . ?p foaf:name ?who }"
    assert _rows(entailed, q) == {("Mariana Mazzucato",), ("Angel Gurria",), ("Rainer Kattel",)}


def test_sources(entailed: Graph) -> None:
    q = """SELECT ?title ?issued ?pub { ?s a schema:NewsArticle ; dcterms:title ?title ;
        dcterms:issued ?issued ; dcterms:publisher ?p . ?p skos:altLabel ?pub }"""
    assert (
        "IIPP and OECD partner to rethink and drive innovation in the public sector",
        "2019-02-11",
        "IIPP",
    ) in _rows(entailed, q)


def test_entailment_is_what_finds_them(plain: Graph) -> None:
    """Without RDFS entailment the standard-only questions find less: the test above is not vacuous."""
    assert _rows(plain, "SELECT ?o { ?o a org:OrganizationalCollaboration }") == set()
    assert _rows(plain, "SELECT ?s { ?s prov:wasAssociatedWith ?p }") == set()
