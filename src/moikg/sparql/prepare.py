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

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from moikg import _paths
from moikg._paths import display_path
from moikg.errors import InputError, QueryError
from moikg.rdf.namespaces import PREFIXES, XSD
from moikg.sparql.catalogue import QueryEntry, find_query, parse_entry, read_query_file

__all__ = [
    "ParamValue",
    "PreparedQuery",
    "bind_rows",
    "bind_values",
    "check_syntax",
    "prepare",
    "sparql_term",
    "to_term",
]

ParamValue = Node | str | int | dt.date
"""A parameter value: an rdflib term, or text, a number or a date read by the parameter's type."""

_IRI_FORBIDDEN: Final = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANGTAG: Final = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_DATE: Final = re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$")
_OX_ERROR: Final = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.DOTALL)
_IRIREF: Final = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_PREFIX_DECL: Final = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_FORM: Final = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_REASON_MAX: Final = 160
_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


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


def _skeleton(text: str) -> str:
    """Blank out comments, strings and IRIs (same length), so braces and keywords can be found.

    Follows the SPARQL 1.1 Query §19.8 terminals: IRIREF, the four STRING_LITERAL forms
    with ECHAR escapes, and ``#`` comments outside them.
    """
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            end = i + len(quote)
            while end < n and not text.startswith(quote, end):
                end += 2 if text[end] == "\\" else 1
            end = min(end + len(quote), n)
        elif char == "<" and (match := _IRIREF.match(text, i)):
            end = match.end()
        else:
            i += 1
            continue
        for k in range(i, end):
            if out[k] != "\n":
                out[k] = " "
        i = end
    return "".join(out)


def _top_level(skeleton: str) -> str:
    """Keep only depth-0 text of a skeleton (everything inside braces becomes spaces)."""
    depth = 0
    out = []
    for char in skeleton:
        if char == "}":
            depth = max(depth - 1, 0)
        out.append(char if (depth == 0 and char != "}") or char == "\n" else " ")
        if char == "{":
            depth += 1
    return "".join(out)


def _where_brace(text: str) -> int:
    """Return the index of the ``{`` that opens the query's WHERE group."""
    top = _top_level(_skeleton(text))
    match = re.search(r"\bWHERE\s*\{", top, re.IGNORECASE)
    if match:
        return match.end() - 1
    form = _FORM.search(top)
    brace = top.find("{", form.end() if form else 0)
    if brace < 0 or (form and form[1].upper() == "CONSTRUCT"):
        raise QueryError("cannot find the query's WHERE group to bind parameters in")
    return brace


def query_form(text: str) -> str:
    """Return the query form (SPARQL 1.1 Query §16): SELECT, ASK, CONSTRUCT or DESCRIBE.

    Read from the query's top level with comments, strings and IRIs blanked out, so a word in a
    comment (``# the date it was created``) is never taken for a keyword.
    """
    form = _FORM.search(_top_level(_skeleton(text)))
    return form[1].upper() if form else "SELECT"


def _is_ordered(text: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", _top_level(_skeleton(text)), re.IGNORECASE) is not None


def check_syntax(text: str, origin: str) -> None:
    """Parse a query (Oxigraph's parser) without running it.

    Args:
        text: The query.
        origin: File path or ``<query>``, for the message.

    Raises:
        QueryError: ``origin:line:column: SPARQL syntax error: …``.
    """
    try:
        pyoxigraph.Store().query(text, prefixes=dict(PREFIXES))  # evaluation is lazy: parse only
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
    )


def _shorten(reason: str) -> str:
    flat = " ".join(reason.split())
    return flat if len(flat) <= _REASON_MAX else flat[: _REASON_MAX - 1] + "…"


def _resolve(name_or_text: str | Path) -> tuple[str, str, QueryEntry | None]:
    """Tell a catalogue name, a ``.rq`` file and query text apart; return text, origin, entry."""
    raw = str(name_or_text)
    if isinstance(name_or_text, Path) or (
        raw.endswith(".rq") and (Path(raw).is_file() or "/" in raw or "\\" in raw)
    ):
        path = Path(name_or_text)
        if not path.is_file():
            reason = _paths.not_a_file_reason(path)
            what = reason if reason == "not found" else f"is {reason}"
            raise InputError(f"{display_path(path)}: query file {what}", path=str(path))
        text = read_query_file(path)
        entry = parse_entry(path) if text.lstrip().startswith("# Title:") else None
        return text, display_path(path), entry
    if re.search(r"[\s{]", raw.strip()):
        return raw, "<query>", None
    entry = find_query(raw)
    return entry.text, display_path(entry.path), entry


# --- Parameters as terms -----------------------------------------------------------------------


def to_term(value: ParamValue, kind: str | None = None) -> Node:
    """Turn a parameter value into an RDF term.

    Args:
        value: An rdflib term (used as is), or text/number/date read by ``kind``.
        kind: ``IRI``, ``date``, ``string``, ``integer`` or None (guess: an IRI if the text
            is ``<…>``, a project CURIE or an absolute ``scheme://`` IRI; else a literal).

    Returns:
        The term.

    Raises:
        QueryError: The value does not fit the kind.
    """
    if isinstance(value, URIRef | Literal):
        return value
    if isinstance(value, BNode):
        raise QueryError("a blank node cannot be a parameter value; use an IRI")
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
        if not _DATE.match(text.strip()):
            raise QueryError(f"{text!r} is not a date; write YYYY-MM-DD")
        return Literal(text.strip(), datatype=XSD.date)
    if kind == "integer":
        try:
            return Literal(int(text))
        except ValueError:
            raise QueryError(f"{text!r} is not an integer") from None
    return Literal(text)


def _looks_like_iri(text: str) -> bool:
    prefix = text.split(":", 1)[0]
    return (text.startswith("<") and text.endswith(">")) or (
        ":" in text and (prefix in PREFIXES or "://" in text or text.startswith("urn:"))
    )


def _iri(text: str) -> URIRef:
    raw = text.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    prefix, _, local = raw.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        raw = PREFIXES[prefix] + local
    if not _SCHEME.match(raw) or _IRI_FORBIDDEN.search(raw):
        raise QueryError(
            f"{text!r} is not an IRI; give a full IRI (https://…) or a project CURIE such as "
            "id:org/iipp or moi:Network"
        )
    return URIRef(raw)


def sparql_term(term: Node) -> str:
    """Write a term in SPARQL syntax (Query §19.8: IRIREF, STRING_LITERAL2 with ECHAR).

    Raises:
        QueryError: The term cannot be written safely (a malformed IRI, a blank node).
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)) or not _SCHEME.match(str(term)):
            raise QueryError(f"{str(term)!r} is not a valid IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = '"' + "".join(_ESCAPES.get(c, c) for c in str(term)) + '"'
        if term.language:
            if not _LANGTAG.match(term.language):
                raise QueryError(f"{term.language!r} is not a language tag")
            return f"{body}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{body}^^{sparql_term(term.datatype)}"
        return body
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
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    lines = []
    for row in rows:
        if len(row) != len(names):
            raise QueryError(f"a VALUES row has {len(row)} terms for {len(names)} variables")
        lines.append("    (" + " ".join(sparql_term(term) for term in row) + ")")
    variables = " ".join(f"?{name}" for name in names)
    block = f"\n  VALUES ({variables}) {{\n" + "\n".join(lines) + "\n  }\n"
    brace = _where_brace(text)
    return text[: brace + 1] + block + text[brace + 1 :]


def _bindings(
    text: str, entry: QueryEntry | None, params: Mapping[str, ParamValue], origin: str
) -> dict[str, Node]:
    skeleton = _skeleton(text)
    bound: dict[str, Node] = {}
    declared = {p.name: p for p in entry.parameters} if entry else {}
    for name, value in params.items():
        key = name.lstrip("?$")
        if entry is not None and key not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(f"{origin}: no parameter {key!r}; its parameters: {known}")
        if not re.search(rf"[?$]{re.escape(key)}\b", skeleton):
            raise QueryError(f"{origin}: the query has no variable ?{key} to bind")
        bound[key] = to_term(value, declared[key].type if key in declared else None)
    for parameter in entry.parameters if entry else ():
        if parameter.name not in bound and parameter.default is not None:
            bound[parameter.name] = to_term(parameter.default, parameter.type)
    return bound


def _declare_prefixes(text: str) -> str:
    declared = {m[1] or "" for m in _PREFIX_DECL.finditer(_skeleton(text))}
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
            unknown parameter or a value that does not fit its type.
        InputError: A query file is missing or unreadable.
    """
    text, origin, entry = _resolve(name_or_text)
    check_syntax(text, origin)
    bound = bind_values(text, _bindings(text, entry, dict(params or {}), origin))
    return PreparedQuery(_declare_prefixes(bound), origin, entry, _is_ordered(text))
