"""Prepare SPARQL queries, from the catalogue or as text, for the embedded store or an endpoint.

The same prepared text goes to every store, so a catalogue query gives the
same rows locally and remotely:

* **Parameters** are bound as RDF terms through an inline ``VALUES`` block
  (SPARQL 1.1 Query §10.2.1, inline data) placed first in the query's WHERE
  group, built from validated terms, never by pasting the value into the text.
  A value full of quotes, braces and ``DROP ALL`` is one escaped literal.
* **Prefixes**: the project prefixes (``moi:``, ``org:``, …) may be used
  without declaring them; any other prefix must be declared.
* **Default graph**: the embedded dataset's default graph is the union of its
  named graphs, as ``oxigraph serve --union-default-graph`` does.

A syntax error names the query file (or ``<query>``) with line and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from moikg import _paths
from moikg._paths import display_path
from moikg.errors import InputError, ParameterError, QueryError
from moikg.rdf.namespaces import PREFIXES
from moikg.sparql.binding import ParamValue, bind_values, to_term
from moikg.sparql.catalogue import QueryEntry, find_query, parse_entry, read_query_file
from moikg.sparql.lexing import (
    declared_prefixes,
    has_variable,
    is_ordered,
    skeleton,
    without_service,
)

__all__ = ["PREDECLARED", "PreparedQuery", "check_syntax", "prepare", "query_form"]

PREDECLARED: Final = dict(PREFIXES)
"""Prefixes a query may use without declaring them (``schema:`` is ``https://schema.org/``)."""

_OX_ERROR: Final = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.DOTALL)
_REASON_MAX: Final = 160
_SLASHED_CURIE: Final = re.compile(r"(?<![\w?$<])([A-Za-z][\w.-]*):[\w.-]*/[\w./-]*")


@dataclass(frozen=True)
class PreparedQuery:
    """A query ready to send: parameters bound, project prefixes declared.

    Attributes:
        text: The text every store receives.
        origin: Where it came from, for messages: a file path or ``<query>``.
        entry: The catalogue entry, when it is a catalogue query.
        ordered: True when the query has a top-level ORDER BY.
    """

    text: str
    origin: str
    entry: QueryEntry | None
    ordered: bool


# --- Reading a query ---------------------------------------------------------------------------


def query_form(text: str) -> str:
    """Return the query form (SPARQL 1.1 Query §16): SELECT, ASK or CONSTRUCT (graph results).

    Oxigraph parses the query on an empty store; the kind of result it gives is the form, so a
    word in a comment (``# the date it was created``) is never taken for a keyword.
    """
    result = pyoxigraph.Store().query(text, prefixes=dict(PREFIXES))
    if isinstance(result, pyoxigraph.QueryBoolean):
        return "ASK"
    if isinstance(result, pyoxigraph.QuerySolutions):
        return "SELECT"
    return "CONSTRUCT"


def check_syntax(text: str, origin: str) -> None:
    """Parse a query (Oxigraph's parser) without running it.

    Args:
        text: The query.
        origin: File path or ``<query>``, for the message.

    Raises:
        QueryError: ``origin:line:column: SPARQL syntax error: …``.
    """
    try:
        # Oxigraph starts evaluating when it prepares a query, and sends a SERVICE clause's
        # request at once: check the same text with each SERVICE written as GRAPH instead.
        pyoxigraph.Store().query(without_service(text), prefixes=dict(PREFIXES))
    except SyntaxError as error:
        raise _syntax_error(text, origin, str(error.msg or error)) from None


def _syntax_error(text: str, origin: str, message: str) -> QueryError:
    """Locate a syntax error Oxigraph found.

    Oxigraph (a PEG parser) reports the furthest position it reached, often the end of the
    query; rdflib's SPARQL 1.1 grammar reports the start of the clause that failed, which is
    where a reader should look. Use rdflib's position when it also rejects the query, else
    Oxigraph's. The reason is Oxigraph's list of what it expected.
    """
    match = _OX_ERROR.match(message.strip())
    if not match:
        return QueryError(f"{origin}: SPARQL syntax error: {_shorten(message)}")
    line, column, reason = int(match[1]), int(match[2]), match[3]
    if "Prefix not found" in reason:
        reason = "a prefix is not declared; add PREFIX name: <IRI>"
    else:
        try:
            parseQuery(text)
        except Exception as error:  # pyparsing's ParseException carries lineno and col
            line = int(getattr(error, "lineno", line))
            column = int(getattr(error, "col", column))
    lines = text.splitlines()
    near = lines[line - 1][column - 1 : column + 29].strip() if 0 < line <= len(lines) else ""
    near_text = f" near {near!r}" if near else " at the end"
    return QueryError(
        f"{origin}:{line}:{column}: SPARQL syntax error{near_text}: {_shorten(reason)}"
        + _curie_hint(text)
    )


def _curie_hint(text: str) -> str:
    """Say how to write a project IRI when the query writes one as ``id:org/moin``.

    A prefixed name's local part cannot hold ``/`` unescaped (SPARQL 1.1 Query §19.8,
    PN_LOCAL); parameter values can (``-p org=id:org/moin``), query text cannot.
    """
    match = _SLASHED_CURIE.search(skeleton(text))
    if not match or match[1] not in PREFIXES:
        return ""
    curie = match[0]
    prefix, _, local = curie.partition(":")
    return (
        f" ({curie} is not a prefixed name in SPARQL: write <{PREFIXES[prefix]}{local}> "
        f"or {prefix}:{local.replace('/', chr(92) + '/')})"
    )


def _shorten(reason: str) -> str:
    flat = " ".join(reason.split())
    return flat if len(flat) <= _REASON_MAX else flat[: _REASON_MAX - 1] + "…"


def _resolve(name_or_text: str | Path) -> tuple[str, str, QueryEntry | None]:
    """Tell a catalogue name, a ``.rq`` file and query text apart; return text, origin, entry."""
    raw = str(name_or_text)
    if isinstance(name_or_text, Path) or (
        raw.strip().endswith(".rq") and not re.search(r"\s", raw.strip())
    ):
        path = Path(name_or_text)
        if not path.is_file():
            reason = _paths.not_a_file_reason(path)
            what = reason if reason == "not found" else f"is {reason}"
            raise InputError(f"{display_path(path)}: query file {what}", path=str(path))
        text = read_query_file(path)
        entry = parse_entry(path, partial=True) if text.lstrip().startswith("#") else None
        return text, display_path(path), entry
    if re.search(r"[\s{]", raw.strip()):
        return raw, "<query>", None
    entry = find_query(raw)
    return entry.text, display_path(entry.path), entry


# --- Binding parameters -----------------------------------------------------------------------


def _bindings(
    text: str, entry: QueryEntry | None, params: Mapping[str, ParamValue], origin: str
) -> dict[str, Node]:
    bound: dict[str, Node] = {}
    declared = {p.name: p for p in entry.parameters} if entry else {}
    for name, value in params.items():
        key = name.lstrip("?$")
        if entry is not None and key not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(f"{origin}: no parameter {key!r}; its parameters: {known}")
        if not has_variable(text, key):
            raise QueryError(f"{origin}: the query has no variable ?{key} to bind")
        bound[key] = _checked(origin, key, value, declared[key].type if key in declared else None)
    for parameter in entry.parameters if entry else ():
        if parameter.name not in bound and parameter.default is not None:
            bound[parameter.name] = _checked(
                origin, parameter.name, parameter.default, parameter.type
            )
    return bound


def _checked(origin: str, name: str, value: ParamValue, kind: str | None) -> Node:
    """The value as a term, or one line naming the query, the parameter and the value."""
    try:
        return to_term(value, kind)
    except ParameterError as error:
        raise ParameterError(f"{origin}: parameter {name}: {error}", parameter=name) from None


def _declare_prefixes(text: str) -> str:
    declared = declared_prefixes(text)
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join([*missing, text]) if missing else text


def prepare(
    name_or_text: str | Path, params: Mapping[str, ParamValue] | None = None
) -> PreparedQuery:
    """Resolve, check and bind a query.

    Args:
        name_or_text: A catalogue name (``partners-of``), a ``.rq`` file, or SPARQL text.
        params: Parameter values; a catalogue query's defaults fill the rest.

    Returns:
        The prepared query.

    Raises:
        QueryError: Unknown name (with the closest names), syntax error (file:line:column),
            or unknown parameter.
        ParameterError: A value that does not fit its type (``2019-02-30`` as a date), named
            with its parameter; both an :class:`InputError` and a :class:`QueryError`.
        InputError: A query file is missing or unreadable.
    """
    text, origin, entry = _resolve(name_or_text)
    check_syntax(text, origin)
    bound = bind_values(text, _bindings(text, entry, dict(params or {}), origin))
    return PreparedQuery(_declare_prefixes(bound), origin, entry, is_ordered(text))
