"""Find the actors and places a source card names among those the graph already holds.

An actor keeps one IRI whichever source names it (DESIGN.md, "IRIs"). A card
names an actor by its ``name`` and ``aliases``; this module looks those up
among the labels of the existing organisations, people and places
(``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, ``foaf:name``,
``schema:name``), comparing them case- and accent-insensitively: both sides
are brought to Unicode compatibility decomposition (NFKD, Unicode Standard
Annex #15), stripped of combining marks, case-folded and whitespace-collapsed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS

from moikg.rdf.namespaces import SCHEMA

__all__ = ["Category", "Index", "Known", "normalise"]

Category = Literal["org", "person", "place"]

_NAME_PROPERTIES: Final = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, FOAF.name, SCHEMA.name)
_ROOTS: Final[dict[Category, URIRef]] = {
    "org": ORG.Organization,
    "person": FOAF.Person,
    "place": SCHEMA.Place,
}


def normalise(text: str) -> str:
    """Fold a name for comparison: NFKD, no combining marks, case-folded, single spaces.

    >>> normalise("  Angel  GURRÍA ")
    'angel gurria'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Known:
    """An actor or place the graph already holds.

    Attributes:
        iri: Its IRI.
        category: ``org``, ``person`` or ``place``.
        types: Its asserted ``rdf:type`` values.
        labels: Its ``rdfs:label`` values, sorted (the first is the canonical label).
        names: Its ``foaf:name`` values, sorted.
        aliases: Its ``skos:altLabel`` values, sorted.
        keys: Every name above, folded by :func:`normalise`.
    """

    iri: URIRef
    category: Category
    types: frozenset[URIRef]
    labels: tuple[RdfLiteral, ...]
    names: tuple[RdfLiteral, ...]
    aliases: tuple[RdfLiteral, ...]
    keys: frozenset[str]

    @property
    def label(self) -> str:
        """The canonical label, or the IRI when there is none."""
        return str(self.labels[0]) if self.labels else str(self.iri)


class Index:
    """The organisations, people and places of a graph, looked up by IRI or by name.

    Args:
        known: The entries.
    """

    def __init__(self, known: Iterable[Known]) -> None:
        self._by_iri: dict[URIRef, Known] = {k.iri: k for k in known}
        self._by_key: dict[tuple[Category, str], set[URIRef]] = {}
        for entry in self._by_iri.values():
            for key in entry.keys:
                self._by_key.setdefault((entry.category, key), set()).add(entry.iri)

    @classmethod
    def from_graph(cls, data: Graph, ontology: Graph) -> Index:
        """Index every typed node of ``data`` that is an organisation, person or place.

        Args:
            data: The union of the source graphs to search.
            ontology: Supplies the ``rdfs:subClassOf`` hierarchy (RDFS 1.1 §5.1.2, rdfs9,
                applied to classes only) that says which classes are organisations,
                people or places.

        Returns:
            The index.
        """
        category_of = _categories(ontology, data)
        known: list[Known] = []
        for node in set(data.subjects(RDF.type, None)):
            if not isinstance(node, URIRef):
                continue
            types = frozenset(t for t in data.objects(node, RDF.type) if isinstance(t, URIRef))
            found = {category_of[t] for t in types if t in category_of}
            if len(found) != 1:
                continue
            (category,) = found
            values = {p: _literals(data, node, p) for p in _NAME_PROPERTIES}
            keys = frozenset(normalise(str(v)) for vs in values.values() for v in vs)
            known.append(
                Known(
                    iri=node,
                    category=category,
                    types=types,
                    labels=values[RDFS.label],
                    names=values[FOAF.name],
                    aliases=values[SKOS.altLabel],
                    keys=keys,
                )
            )
        return cls(known)

    def get(self, iri: URIRef) -> Known | None:
        """Return the entry of an IRI, or None."""
        return self._by_iri.get(iri)

    def lookup(self, categories: Iterable[Category], names: Iterable[str]) -> list[Known]:
        """Return every entry of these categories known by any of these names, sorted by IRI."""
        hits: set[URIRef] = set()
        folded = {normalise(n) for n in names if n.strip()}
        for category in categories:
            for key in folded:
                hits |= self._by_key.get((category, key), set())
        return [self._by_iri[i] for i in sorted(hits)]

    def __len__(self) -> int:
        return len(self._by_iri)


def _literals(graph: Graph, node: URIRef, prop: URIRef) -> tuple[RdfLiteral, ...]:
    found = [o for o in graph.objects(node, prop) if isinstance(o, RdfLiteral)]
    return tuple(sorted(found, key=lambda lit: (str(lit), lit.language or "")))


def _categories(ontology: Graph, data: Graph) -> Mapping[URIRef, Category]:
    """Map each class below one of the roots (by ``rdfs:subClassOf``) to its category."""
    parents: dict[URIRef, set[URIRef]] = {}
    for graph in (ontology, data):
        for child, parent in graph.subject_objects(RDFS.subClassOf):
            if isinstance(child, URIRef) and isinstance(parent, URIRef):
                parents.setdefault(child, set()).add(parent)
    result: dict[URIRef, Category] = {}
    classes = set(parents) | set(_ROOTS.values())
    for cls in classes:
        seen = {cls}
        stack = [cls]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        matches = [name for name, root in _ROOTS.items() if root in seen]
        if len(matches) == 1:
            result[cls] = matches[0]
    return result
