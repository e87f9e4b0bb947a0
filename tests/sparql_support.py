"""SPARQL helpers shared by the tests of the encoded sources (imported as a plain module)."""

from __future__ import annotations

from rdflib import Graph

ID = "https://w3id.org/moikg/id/"
GRAPH = "https://w3id.org/moikg/graph/"

# Standard vocabularies only: what an interop-profile client knows (no moi:, no instance bases).
STANDARD_PREFIXES = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

PREFIXES = (
    STANDARD_PREFIXES
    + """PREFIX moi: <https://w3id.org/moikg/ontology#>
PREFIX id: <https://w3id.org/moikg/id/>
PREFIX orgs: <https://w3id.org/moikg/id/org/>
PREFIX person: <https://w3id.org/moikg/id/person/>
PREFIX post: <https://w3id.org/moikg/id/post/>
PREFIX agreement: <https://w3id.org/moikg/id/agreement/>
PREFIX event: <https://w3id.org/moikg/id/event/>
PREFIX place: <https://w3id.org/moikg/id/place/>
PREFIX role: <https://w3id.org/moikg/id/role/>
PREFIX kind: <https://w3id.org/moikg/id/kind/>
PREFIX scheme: <https://w3id.org/moikg/id/scheme/>
"""
)


def ids(graph: Graph, query: str) -> set[str]:
    """The first column of a SELECT, with the instance base stripped from IRIs."""
    return {str(row[0]).removeprefix(ID) for row in graph.query(PREFIXES + query)}


def select_rows(graph: Graph, query: str) -> set[tuple[str, ...]]:
    """Every row of a SELECT as strings, instance base stripped, unbound as ``""``."""
    return {
        tuple(str(v).removeprefix(ID) if v is not None else "" for v in row)
        for row in graph.query(PREFIXES + query)
    }


def ask(graph: Graph, pattern: str) -> bool:
    """ASK whether the group graph pattern matches."""
    return bool(graph.query(PREFIXES + "ASK {" + pattern + "}").askAnswer)
