"""Term helpers every stage shares: one label rule, one subclass closure, one name folding.

Each rule lives here once so that the summary, the network, the cards and the
enrichment agree on what a node is called and what a class is below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Final, TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from moikg.rdf.namespaces import DCTERMS, FOAF, RDFS, SCHEMA, SKOS, XSD

__all__ = [
    "LABEL_PROPERTIES",
    "ancestors",
    "fold_name",
    "label_key",
    "local_name",
    "plain_literal",
    "rank_label",
    "reachable",
]

LABEL_PROPERTIES: Final = (RDFS.label, SKOS.prefLabel, FOAF.name, SCHEMA.name, DCTERMS.title)
"""Properties that name a node, most preferred first."""

_RANK: Final = {str(p): i for i, p in enumerate(LABEL_PROPERTIES)}


def label_key(prop: Node | str, value: Node) -> tuple[int, int, str] | None:
    """Rank a candidate label: the smallest key is the node's label.

    The rule: the earlier property of :data:`LABEL_PROPERTIES` wins; then English,
    then untagged, then other languages; then the text in code-point order. None
    when ``prop`` is not a naming property.

    >>> label_key(RDFS.label, Literal("IIPP", lang="en")) < label_key(RDFS.label, Literal("IIPP"))
    True
    >>> label_key(SKOS.altLabel, Literal("x")) is None
    True
    """
    return rank_label(prop, value.language if isinstance(value, Literal) else None, str(value))


def rank_label(prop: Node | str, language: str | None, text: str) -> tuple[int, int, str] | None:
    """:func:`label_key` from the parts of a value: its language tag (or None) and its text."""
    rank = _RANK.get(str(prop))
    if rank is None:
        return None
    lang_rank = 0 if language and language.lower().startswith("en") else (1 if not language else 2)
    return rank, lang_rank, text


def plain_literal(node: Node) -> Node:
    """Return ``node`` with an ``xsd:string`` literal made simple (RDF 1.1 Concepts §3.3).

    >>> plain_literal(Literal("a", datatype=XSD.string)) == Literal("a")
    True
    """
    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node))
    return node


def fold_name(text: str) -> str:
    """Fold a name for comparison: NFKD, no combining marks, case-folded, single spaces.

    >>> fold_name("  Angel  GURRÍA ")
    'angel gurria'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def local_name(iri: str) -> str:
    """A readable name from an IRI's last segment.

    >>> local_name("https://w3id.org/moikg/ontology#InnovationAgency")
    'Innovation Agency'
    """
    name = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("-", " ").replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


def ancestors(graphs: Graph | Iterable[Graph]) -> dict[URIRef, frozenset[URIRef]]:
    """The ``rdfs:subClassOf`` closure (RDFS 1.1 §5.1.2, rdfs11): class → every superclass.

    Only classes that have a superclass are keys; a class is not its own ancestor
    unless a cycle makes it one.

    Args:
        graphs: One graph (a dataset counts, with its union) or several.

    Returns:
        Each class with a superclass, mapped to all its superclasses.
    """
    parents: dict[URIRef, set[URIRef]] = {}
    for graph in [graphs] if isinstance(graphs, Graph) else graphs:
        for child, parent in graph.subject_objects(RDFS.subClassOf):
            if isinstance(child, URIRef) and isinstance(parent, URIRef):
                parents.setdefault(child, set()).add(parent)
    return {cls: frozenset(reachable(parents[cls], parents)) for cls in parents}


_T = TypeVar("_T")


def reachable(starts: Iterable[_T], edges: Mapping[_T, Iterable[_T]]) -> set[_T]:
    """``starts`` and every node reached from them along ``edges`` (cycles allowed).

    >>> sorted(reachable(["a"], {"a": ["b"], "b": ["c", "a"]}))
    ['a', 'b', 'c']
    """
    seen = set(starts)
    stack = list(seen)
    while stack:
        for node in edges.get(stack.pop(), ()):
            if node not in seen:
                seen.add(node)
                stack.append(node)
    return seen
