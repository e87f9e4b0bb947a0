"""Tests for moikg.ingest.closure: the closed class and property hierarchy (issue 11).

The expected pairs come from rdflib's own evaluation of ``rdfs:subClassOf*`` and
``rdfs:subPropertyOf*`` over ``ontology/moi.ttl`` read by rdflib's Turtle parser,
not from the module under test.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.load import ONTOLOGY_GRAPH, graph_iri, load_dataset, source_graphs
from moikg.rdf.namespaces import FOAF, MOI, ORG, SCHEMA

ROOT = Path(__file__).resolve().parents[2]


def _pairs(graph: Graph, path: str) -> set[tuple[URIRef, URIRef]]:
    rows = graph.query(f"SELECT ?a ?b WHERE {{ ?a {path} ?b }}")
    return {(a, b) for a, b in rows if isinstance(a, URIRef) and isinstance(b, URIRef)}  # type: ignore[misc]


def test_closure_is_rdflibs_reflexive_transitive_hierarchy_over_the_ontology() -> None:
    dataset = load_dataset()
    closure = dataset.graph(CLOSURE_GRAPH)
    ontology = Graph().parse(ROOT / "ontology" / "moi.ttl", format="turtle")
    for relation, path in (
        (RDFS.subClassOf, "rdfs:subClassOf+"),
        (RDFS.subPropertyOf, "rdfs:subPropertyOf+"),
    ):
        stated = set(closure.subject_objects(relation))
        expected = _pairs(ontology, path)
        assert expected <= stated, sorted(expected - stated)[:5]
        nodes = {n for pair in expected for n in pair}
        assert {(n, n) for n in nodes} <= stated  # reflexive (rdfs6, rdfs10)
        # Nothing beyond the hierarchy: every non-reflexive pair is one rdflib finds.
        assert {(a, b) for a, b in stated if a != b} == expected
    # The pairs the catalogue relies on.
    assert (MOI.Institute, RDFS.subClassOf, ORG.Organization) in closure
    assert (MOI.MemberCount, RDFS.subClassOf, SCHEMA.QuantitativeValue) in closure
    assert (MOI.operationalPartner, RDFS.subPropertyOf, ORG.hasMember) not in closure
    assert (FOAF.Person, RDFS.subClassOf, FOAF.Person) in closure
    assert (MOI.signatory, RDFS.subPropertyOf, SCHEMA.attendee) not in closure
    assert (CLOSURE_GRAPH, DCTERMS.source, ONTOLOGY_GRAPH) in closure


def test_every_class_and_property_the_sources_use_is_in_the_closure() -> None:
    dataset = load_dataset()
    closure = dataset.graph(CLOSURE_GRAPH)
    for graph in source_graphs(dataset):
        for _, predicate, value in dataset.graph(graph):
            assert (predicate, RDFS.subPropertyOf, predicate) in closure
            if predicate == RDF.type and isinstance(value, URIRef):
                assert (value, RDFS.subClassOf, value) in closure


def test_the_closure_is_no_source_and_says_nothing_about_instances() -> None:
    dataset = load_dataset()
    assert CLOSURE_GRAPH not in source_graphs(dataset)
    assert graph_iri("ontology-closure") == CLOSURE_GRAPH
    predicates = set(dataset.graph(CLOSURE_GRAPH).predicates())
    assert predicates == {RDFS.subClassOf, RDFS.subPropertyOf, DCTERMS.source, RDFS.comment}
