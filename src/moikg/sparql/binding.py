"""Parameter values as RDF terms, and terms bound into a query by an inline ``VALUES`` block.

A parameter is bound as an RDF term through inline data (SPARQL 1.1 Query §10.2.1) placed
first in the query's WHERE group, never by pasting the value into the text: a value full of
quotes, braces and ``DROP ALL`` is one escaped literal. Terms are checked and written by
pyoxigraph (an IRI must be absolute and well formed, a language tag must be BCP 47), in
N-Triples syntax, which is valid SPARQL. A typed value is checked against its type before any
query runs: ``2019-02-30`` is not a date, ``12a`` not an integer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Final

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from moikg.errors import ParameterError, QueryError
from moikg.rdf.namespaces import XSD, expand_curie, known_prefixes
from moikg.sparql.lexing import where_brace

__all__ = ["ParamValue", "bind_rows", "bind_values", "sparql_term", "to_term"]

ParamValue = Node | str | int | dt.date
"""A parameter value: an rdflib term, or text, a number or a date read by the parameter's type."""

_DATE: Final = re.compile(r"^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$")
_INTEGER: Final = re.compile(r"^[+-]?[0-9]+$")
_VARIABLE: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCHEMES: Final = frozenset({"urn", "mailto", "tag", "doi", "isbn"})
"""IRI schemes written without ``//`` that a bare value may use (not taken as a prefix)."""


def to_term(value: ParamValue, kind: str | None = None) -> Node:
    """Turn a parameter value into an RDF term, checking it against its type.

    Args:
        value: An rdflib term (used as is), or text/number/date read by ``kind``.
        kind: ``IRI``, ``date``, ``string``, ``integer`` or None (guess: an IRI if the text
            is ``<…>``, a project CURIE or an absolute ``scheme://`` IRI; else a literal).

    Returns:
        The term.

    Raises:
        ParameterError: The value does not fit the kind (also a :class:`QueryError`).

    >>> to_term("2019-02-11", "date").n3()
    '"2019-02-11"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> to_term("id:org/iipp")
    rdflib.term.URIRef('https://w3id.org/moikg/id/org/iipp')
    """
    if isinstance(value, URIRef | Literal):
        return value
    if isinstance(value, BNode):
        raise ParameterError("a blank node cannot be a parameter value; use an IRI")
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value) if kind in (None, "integer") else to_term(str(value), kind)
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value)
    if kind == "IRI" or (kind is None and _looks_like_iri(text)):
        return _iri(text)
    if kind == "date":
        return _date(text)
    if kind == "integer":
        if not _INTEGER.match(text.strip()):
            raise ParameterError(f"{text!r} is not an integer")
        return Literal(int(text.strip()))
    return Literal(text)


def _date(text: str) -> Literal:
    match = _DATE.match(text.strip())
    if not match:
        raise ParameterError(f"{text!r} is not a date; write YYYY-MM-DD")
    try:
        dt.date.fromisoformat(match[1])
    except ValueError:
        raise ParameterError(
            f"{text!r} is not a date; write YYYY-MM-DD (there is no such day)"
        ) from None
    return Literal(text.strip(), datatype=XSD.date)


def _looks_like_iri(text: str) -> bool:
    return (
        (text.startswith("<") and text.endswith(">"))
        or expand_curie(text) is not None
        or "://" in text
        or text.startswith("urn:")
    )


def _iri(text: str) -> URIRef:
    raw = text.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    else:
        expanded = expand_curie(raw)
        scheme, colon, _ = raw.partition(":")
        if expanded is not None:
            raw = expanded
        elif colon and "://" not in raw and scheme.lower() not in _SCHEMES:
            known = ", ".join(f"{name}:" for name in known_prefixes())
            raise ParameterError(
                f"{text!r} has an unknown prefix {scheme + ':'!r}; known prefixes: {known} "
                "(or give a full IRI, https://…)"
            )
    try:
        pyoxigraph.NamedNode(raw)
    except ValueError:
        raise ParameterError(
            f"{text!r} is not an IRI; give a full IRI (https://…) or a project CURIE such as "
            "id:org/iipp or moi:Network"
        ) from None
    return URIRef(raw)


def sparql_term(term: Node) -> str:
    r"""Write a term in SPARQL syntax (N-Triples form, checked and escaped by pyoxigraph).

    Raises:
        QueryError: The term cannot be written (a malformed IRI or language tag, a blank node).

    >>> print(sparql_term(Literal('say "hi"\n', lang="en")))
    "say \"hi\"\n"@en
    """
    try:
        if isinstance(term, URIRef):
            return str(pyoxigraph.NamedNode(str(term)))
        if isinstance(term, Literal):
            if term.language:
                return str(pyoxigraph.Literal(str(term), language=term.language))
            if term.datatype is not None and term.datatype != XSD.string:
                datatype = pyoxigraph.NamedNode(str(term.datatype))
                return str(pyoxigraph.Literal(str(term), datatype=datatype))
            return str(pyoxigraph.Literal(str(term)))
    except ValueError as error:
        raise QueryError(f"{str(term)!r} cannot be written as a SPARQL term: {error}") from None
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be parameter values")


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables by an inline ``VALUES`` block first in the WHERE group (Query §10.2.1).

    Args:
        text: The query.
        bindings: Variable name (without ``?``) → term.

    Returns:
        The query with one ``VALUES (?a ?b) { (… …) }`` row; unchanged if nothing is bound.
    """
    if not bindings:
        return text
    return bind_rows(text, tuple(bindings), [tuple(bindings.values())])


def bind_rows(text: str, names: Sequence[str], rows: Sequence[Sequence[Node]]) -> str:
    """Insert a ``VALUES`` block with several rows first in the WHERE group (Query §10.2.1).

    Args:
        text: The query.
        names: Variable names, without ``?``.
        rows: One tuple of terms per row, in the order of ``names``.

    Returns:
        The query text with the block; every term written by :func:`sparql_term`.

    Raises:
        QueryError: A name is not a variable name, a row has the wrong length, or a term
            cannot be written safely.
    """
    for name in names:
        if not _VARIABLE.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    lines = []
    for row in rows:
        if len(row) != len(names):
            raise QueryError(f"a VALUES row has {len(row)} terms for {len(names)} variables")
        lines.append("    (" + " ".join(sparql_term(term) for term in row) + ")")
    variables = " ".join(f"?{name}" for name in names)
    block = f"\n  VALUES ({variables}) {{\n" + "\n".join(lines) + "\n  }\n"
    brace = where_brace(text)
    return text[: brace + 1] + block + text[brace + 1 :]
