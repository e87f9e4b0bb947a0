"""Oxigraph query solutions as rows of rdflib terms, each distinct term converted once.

The embedded store answers with pyoxigraph terms; results hold rdflib terms (so that the
embedded store and an endpoint can be compared row for row). Building an rdflib
``Literal`` parses its lexical form into a Python value, which costs more than Oxigraph
needs to find the row, and the same label or date comes back in many rows: each distinct
term is converted once per query. Literals typed ``xsd:string`` become simple literals,
which RDF 1.1 Concepts §3.3 defines as the same thing (as :func:`moikg.rdf.terms.plain_literal`).
"""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["SolutionReader", "rdflib_term"]

_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Node | None, ...]


def rdflib_term(term: OxTerm) -> Node:
    """Convert one pyoxigraph term to rdflib (``xsd:string`` literals made simple).

    >>> rdflib_term(ox.Literal("a", datatype=ox.NamedNode(_XSD_STRING))) == Literal("a")
    True
    >>> rdflib_term(ox.Literal("2019-02-11", datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#date"))).n3()
    '"2019-02-11"^^<http://www.w3.org/2001/XMLSchema#date>'
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"a query result holds an RDF-star triple term ({term}); moikg rows hold nodes")


class SolutionReader:
    """Read solutions into rows, converting each distinct term once (a per-query cache)."""

    def __init__(self) -> None:
        self._seen: dict[OxTerm, Node] = {}

    def term(self, term: OxTerm | None) -> Node | None:
        """The rdflib term for a pyoxigraph term (None stays None)."""
        if term is None:
            return None
        found = self._seen.get(term)
        if found is None:
            found = self._seen[term] = rdflib_term(term)
        return found

    def row(self, solution: ox.QuerySolution) -> Row:
        """One solution as a row of rdflib terms, in the order of the query's variables."""
        return tuple(map(self.term, solution))
