"""The organisations, people and places a graph already holds, looked up by IRI or by name.

:class:`Index` keeps each entry as plain strings (its IRI, category, types and names) and makes
the rdflib terms of an entry (:class:`Known`) only when it is asked for one: a card asks for a
few dozen entries of tens of thousands. ``moikg add`` keeps the index of a large graph in a file
beside its store (:mod:`moikg.cards.actor_db`), read entry by entry through the same class.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from moikg.rdf.namespaces import FOAF, ORG, RDF, RDFS, SCHEMA, SKOS
from moikg.rdf.terms import ancestors, fold_name

__all__ = [
    "NAME_PROPERTIES",
    "Category",
    "Index",
    "Known",
    "Lit",
    "Record",
    "categories",
    "lit_of",
    "record_of",
]

Category = Literal["org", "person", "place"]

NAME_PROPERTIES: Final = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, FOAF.name, SCHEMA.name)
_ROOTS: Final[dict[Category, URIRef]] = {
    "org": ORG.Organization,
    "person": FOAF.Person,
    "place": SCHEMA.Place,
}

Lit = tuple[str, str | None, str | None]
"""A literal as plain strings: lexical form, language tag, datatype IRI (None: a plain one)."""


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
        keys: Every name above, folded by :func:`~moikg.rdf.terms.fold_name`.
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


def lit_of(literal: RdfLiteral) -> Lit:
    """A literal as plain strings."""
    datatype = literal.datatype
    return str(literal), literal.language, str(datatype) if datatype is not None else None


def _literal(lit: Lit) -> RdfLiteral:
    value, language, datatype = lit
    if language:
        return RdfLiteral(value, lang=language)
    return RdfLiteral(value, datatype=URIRef(datatype) if datatype is not None else None)


_Lits = tuple[Lit, ...]
Record = tuple[Category, tuple[str, ...], _Lits, _Lits, _Lits, frozenset[str]]
"""An entry as plain strings: category, types, labels, names, aliases, folded keys."""


def record_of(known: Known) -> Record:
    """An entry as plain strings."""
    return (
        known.category,
        tuple(sorted(str(t) for t in known.types)),
        tuple(lit_of(v) for v in known.labels),
        tuple(lit_of(v) for v in known.names),
        tuple(lit_of(v) for v in known.aliases),
        known.keys,
    )


def _known(iri: str, record: Record) -> Known:
    category, types, labels, names, aliases, keys = record
    return Known(
        iri=URIRef(iri),
        category=category,
        types=frozenset(URIRef(t) for t in types),
        labels=tuple(_literal(v) for v in labels),
        names=tuple(_literal(v) for v in names),
        aliases=tuple(_literal(v) for v in aliases),
        keys=keys,
    )


class Index:
    """The organisations, people and places of a graph, looked up by IRI or by name.

    Entries live in memory here; :class:`moikg.cards.actor_db.IndexFile` reads them from a file
    instead, through the same few methods (``_record``, ``_iris``, ``_keys``, ``iris``).

    Args:
        known: The entries.
    """

    def __init__(self, known: Iterable[Known] = ()) -> None:
        self._records: dict[str, Record] = {}
        self._by_key: dict[tuple[str, str], set[str]] = {}
        self._made: dict[str, Known] = {}
        for entry in known:
            iri, record = str(entry.iri), record_of(entry)
            self._records[iri] = record
            for key in record[5]:
                self._by_key.setdefault((record[0], key), set()).add(iri)
            self._made[iri] = entry

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
        category_of = categories(ontology, data)
        known: list[Known] = []
        for node in set(data.subjects(RDF.type, None)):
            if not isinstance(node, URIRef):
                continue
            types = frozenset(t for t in data.objects(node, RDF.type) if isinstance(t, URIRef))
            found = {category_of[t] for t in types if t in category_of}
            if len(found) != 1:
                continue
            (category,) = found
            values = {p: _literals(data, node, p) for p in NAME_PROPERTIES}
            keys = frozenset(fold_name(str(v)) for vs in values.values() for v in vs)
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

    # The storage: these four read it (overridden by a file-backed index).

    def _record(self, iri: str) -> Record | None:
        return self._records.get(iri)

    def _iris(self, categories: Iterable[str], key: str) -> set[str]:
        found: set[str] = set()
        for category in categories:
            found |= self._by_key.get((category, key), set())
        return found

    def _keys(self, categories: Iterable[str]) -> set[str]:
        wanted = set(categories)
        return {key for category, key in self._by_key if category in wanted}

    def iris(self, categories: Iterable[str] = ("org", "person", "place")) -> list[str]:
        """The IRIs of the entries of these categories, sorted."""
        wanted = set(categories)
        return sorted(iri for iri, record in self._records.items() if record[0] in wanted)

    def record(self, iri: str) -> Record | None:
        """The entry of an IRI as plain strings (:data:`Record`), or None."""
        return self._record(iri)

    def close(self) -> None:
        """Let go of what the index holds open (nothing here)."""

    def get(self, iri: URIRef) -> Known | None:
        """Return the entry of an IRI, or None."""
        key = str(iri)
        made = self._made.get(key)
        if made is None:
            record = self._record(key)
            if record is None:
                return None
            made = self._made[key] = _known(key, record)
        return made

    def _entry(self, iri: str) -> Known:
        known = self.get(URIRef(iri))
        assert known is not None
        return known

    def lookup(self, categories: Iterable[Category], names: Iterable[str]) -> list[Known]:
        """Return every entry of these categories known by any of these names, sorted by IRI."""
        hits: set[str] = set()
        folded = {fold_name(n) for n in names if n.strip()}
        wanted = tuple(categories)
        for key in folded:
            hits |= self._iris(wanted, key)
        return [self._entry(i) for i in sorted(hits)]

    def entries(self, categories: Iterable[Category]) -> list[Known]:
        """Return every entry of these categories, sorted by IRI."""
        return [self._entry(i) for i in self.iris(categories)]

    def similar(
        self, categories: Iterable[Category], folded: str, cutoff: float
    ) -> Iterator[tuple[str, Known]]:
        """Each (name, entry) of these categories whose folded name is close to ``folded``.

        Close: :class:`difflib.SequenceMatcher` ``(None, folded, fold_name(name)).ratio()`` at
        least ``cutoff``. Its cheap upper bounds rule out most names before the ratio itself.
        """
        wanted = tuple(categories)
        # The bounds are symmetric: ``folded`` is the fixed second sequence (its character
        # counts made once), each name the first (cheap to set); the ratio itself is computed
        # the way round the caller asks, for the few names the bounds let through.
        bounds = difflib.SequenceMatcher(None, "", folded)
        close: set[str] = set()
        for key in self._keys(wanted):
            bounds.set_seq1(key)
            if (
                bounds.real_quick_ratio() >= cutoff
                and bounds.quick_ratio() >= cutoff
                and difflib.SequenceMatcher(None, folded, key).ratio() >= cutoff
            ):
                close.add(key)
        for iri in sorted({iri for key in close for iri in self._iris(wanted, key)}):
            known = self._entry(iri)
            for name in (*known.labels, *known.names, *known.aliases):
                if fold_name(str(name)) in close:
                    yield str(name), known

    def __len__(self) -> int:
        return len(self._records)


def _literals(graph: Graph, node: URIRef, prop: URIRef) -> tuple[RdfLiteral, ...]:
    found = [o for o in graph.objects(node, prop) if isinstance(o, RdfLiteral)]
    return tuple(sorted(found, key=lambda lit: (str(lit), lit.language or "")))


def categories(ontology: Graph, data: Graph) -> Mapping[URIRef, Category]:
    """Map each class below one of the roots (by ``rdfs:subClassOf``) to its category."""
    closure = ancestors((ontology, data))
    result: dict[URIRef, Category] = {}
    for cls in set(closure) | set(_ROOTS.values()):
        seen = {cls, *closure.get(cls, ())}
        matches = [name for name, root in _ROOTS.items() if root in seen]
        if len(matches) == 1:
            result[cls] = matches[0]
    return result
