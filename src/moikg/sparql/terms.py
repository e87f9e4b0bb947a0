"""Oxigraph query solutions as rows of rdflib terms, read from its SPARQL TSV results.

The embedded store answers with pyoxigraph terms; results hold rdflib terms (so that the
embedded store and an endpoint can be compared row for row). Asking Oxigraph for each term of
each solution as a Python object, then building an rdflib term from it, cost more than the
store's own evaluation for queries that return many distinct labels, texts and dates. So
Oxigraph writes the solutions as SPARQL 1.1 TSV (one Rust call, in chunks that
:class:`TsvSink` collects), and each distinct cell of that text (its terms in Turtle syntax) is
converted once per query (:class:`TsvCells`).

Literals typed ``xsd:string`` become simple literals, which RDF 1.1 Concepts §3.3 defines as
the same thing (as :func:`moikg.rdf.terms.plain_literal`). Simple and language-tagged literals
and IRIs are built without rdflib's checks and normalisation pass, which cannot change them
(Oxigraph has already checked IRIs and language tags, and a literal's value is its text):
:func:`plain_literal_term` gives the object ``Literal(text, lang=tag)`` gives, slot for slot
(tested), and falls back to that constructor if rdflib's slots ever differ. A typed literal
goes through rdflib's constructor, which parses its value.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from moikg._collect import no_cycle_collection

__all__ = [
    "Cancelled",
    "TsvCells",
    "TsvSink",
    "cell_term",
    "plain_literal_term",
    "rdflib_term",
    "tsv_rows",
]

_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING: Final = _XSD + "string"
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Node | None, ...]
_new_str = str.__new__


def _literal_by_slots(lexical: str, language: str | None) -> Literal:
    literal = _new_str(Literal, lexical)
    literal._language = language
    literal._datatype = None
    literal._value = lexical
    literal._ill_typed = None
    return literal


def _literal_by_constructor(lexical: str, language: str | None) -> Literal:
    return Literal(lexical, lang=language)


def _slots(literal: Literal) -> tuple[object, ...]:
    return tuple(getattr(literal, name) for name in Literal.__slots__)


def _slots_agree() -> bool:
    """Whether building by slots gives what rdflib's constructor gives (its slots unchanged)."""
    try:
        samples = [("text", None), ("texte", "fr"), ("", None), (" 7 ", "en-gb")]
        return Literal.__slots__ == ("_language", "_datatype", "_value", "_ill_typed") and all(
            _slots(_literal_by_slots(t, g)) == _slots(_literal_by_constructor(t, g))
            for t, g in samples
        )
    except (AttributeError, TypeError):
        return False


plain_literal_term: Callable[[str, str | None], Literal] = (
    _literal_by_slots if _slots_agree() else _literal_by_constructor
)
"""A simple (``language`` None) or language-tagged literal, as ``Literal(lexical, lang=...)``.

For a literal read from Oxigraph: its language tag is already a checked, lower-case BCP 47 tag.
"""


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


# SPARQL 1.1 Query Results CSV and TSV Formats §4: terms in Turtle syntax. Oxigraph escapes
# only these five characters in a literal's text; a bare number or boolean is Turtle's short
# form of that datatype (Turtle §2.5.2), written only when its text is the short form's.
_ESCAPES: Final = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE: Final = re.compile(r"\\(.)")


def _unescape(match: re.Match[str]) -> str:
    return _ESCAPES.get(match[1], match[0])


def _bare_datatype(cell: str) -> str:
    if cell in ("true", "false"):
        return _XSD + "boolean"
    if "e" in cell or "E" in cell:
        return _XSD + "double"
    if "." in cell:
        return _XSD + "decimal"
    return _XSD + "integer"


def cell_term(cell: str) -> Node:
    r"""The rdflib term of one non-empty TSV cell, as :func:`rdflib_term` gives it.

    >>> cell_term('"a\\tb"@en') == Literal("a\tb", lang="en")
    True
    >>> cell_term("7") == Literal("7", datatype=URIRef(_XSD + "integer"))
    True

    Raises:
        TypeError: The cell is an RDF-star triple term.
    """
    first = cell[0]
    if first == '"':
        end = cell.rindex('"')
        lexical = cell[1:end]
        if "\\" in lexical:
            lexical = _ESCAPE.sub(_unescape, lexical)
        suffix = cell[end + 1 :]
        if not suffix:
            return plain_literal_term(lexical, None)
        if suffix[0] == "@":
            return plain_literal_term(lexical, suffix[1:])
        datatype = suffix[3:-1]  # ^^<…>
        if datatype == _XSD_STRING:
            return plain_literal_term(lexical, None)
        return Literal(lexical, datatype=URIRef(datatype))
    if first == "<":
        if cell.startswith("<<"):
            raise TypeError(
                f"a query result holds an RDF-star triple term ({cell}); moikg rows hold nodes"
            )
        return _new_str(URIRef, cell[1:-1])
    if first == "_" and cell.startswith("_:"):
        return BNode(cell[2:])
    return Literal(cell, datatype=URIRef(_bare_datatype(cell)))


class TsvCells(dict[str, Node | None]):
    """TSV cell → rdflib term (an empty cell: None), each distinct cell converted once."""

    def __init__(self) -> None:
        super().__init__({"": None})

    def __missing__(self, cell: str) -> Node:
        self[cell] = term = cell_term(cell)
        return term


def tsv_rows(text: str, width: int, keep: int | None = None) -> list[Row]:
    """The rows of SPARQL TSV results (``text``: the header line, then one line per row).

    The text is split into cells at once and the cells grouped into rows, all in C; the cycle
    collector is paused meanwhile (the terms and rows hold no cycles; at a million triples
    its collections walk the whole store's Python objects again and again).

    Args:
        text: The TSV text; it may stop after the first ``keep`` rows.
        width: How many columns (variables) the results have.
        keep: Read only the first ``keep`` rows.
    """
    lines = text.split("\n", -1 if keep is None else keep + 1)
    # The header ends with a newline and so does each row: the last piece is empty (or the
    # text after the ``keep``-th row).
    body = lines[1:-1]
    if width == 0 or not body:
        return [() for _ in body]
    cells = "\t".join(body).split("\t")
    with no_cycle_collection():
        terms = map(TsvCells().__getitem__, cells)
        return list(zip(*[terms] * width, strict=True))


class Cancelled(Exception):
    """The caller stopped waiting; the sink refuses more text, which stops the evaluation."""


class TsvSink:
    """Where Oxigraph writes TSV results: text kept up to ``keep`` rows, every row counted.

    Each ``write`` (about 8 kB) checks ``cancel`` and raises :class:`Cancelled` when it is
    set, which stops Oxigraph's evaluation there.
    """

    def __init__(self, cancel: threading.Event, keep: int | None) -> None:
        self._cancel = cancel
        self._keep = keep
        self._chunks: list[bytes] = []
        self._lines = 0

    def write(self, data: bytes) -> int:
        """Take one chunk of TSV text."""
        if self._cancel.is_set():
            raise Cancelled
        if self._keep is None or self._lines <= self._keep:
            self._chunks.append(data)
        self._lines += data.count(b"\n")
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the text stays in memory."""

    @property
    def rows(self) -> int:
        """How many rows were written (the header line not counted)."""
        return max(self._lines - 1, 0)

    def text(self) -> str:
        """The TSV text kept: whole lines, at least up to the ``keep``-th row."""
        data = b"".join(self._chunks)
        return data[: data.rfind(b"\n") + 1].decode("utf-8")
