"""Where things are in a query's text: its WHERE group, its top level, its prefix declarations.

The query was parsed (and so is known to be valid SPARQL) before any of this runs. To find
braces and keywords, comments, strings and IRIs are first blanked out, using the SPARQL 1.1
Query §19.8 terminals as rdflib's SPARQL grammar defines them (``STRING_LITERAL1``,
``STRING_LITERAL2``, ``STRING_LITERAL_LONG1``, ``STRING_LITERAL_LONG2``, with ECHAR escapes),
an ``IRIREF`` and ``#`` comments.
"""

from __future__ import annotations

import re
from typing import Final

from rdflib.plugins.sparql import parser as grammar

from moikg.errors import QueryError

__all__ = [
    "declared_prefixes",
    "has_variable",
    "is_distinct",
    "is_ordered",
    "service_targets",
    "skeleton",
    "where_brace",
    "without_service",
]

_IRIREF: Final = r'<[^<>"{}|^`\\\x00-\x20]*>'
_TOKENS: Final = re.compile(
    "|".join(
        (
            grammar.STRING_LITERAL_LONG1.re.pattern,
            grammar.STRING_LITERAL_LONG2.re.pattern,
            grammar.STRING_LITERAL1.re.pattern,
            grammar.STRING_LITERAL2.re.pattern,
            _IRIREF,
            r"#[^\n]*",
        )
    )
)
_PREFIX_DECL: Final = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_SERVICE: Final = re.compile(r"(?<![\w?$:])SERVICE\b", re.IGNORECASE)
_SILENT: Final = re.compile(r"\s+SILENT\b\s*|\s+", re.IGNORECASE)
_TARGET: Final = re.compile(r"<[^>]*>|[?$]\w+|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*")
_FORM: Final = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def skeleton(text: str) -> str:
    r"""The text with comments, strings and IRIs blanked out (same length, newlines kept).

    >>> skeleton('SELECT * { ?s <urn:x#y> "}" } # {')
    'SELECT * { ?s               }    '
    """
    return _TOKENS.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)


def _top_level(blanked: str) -> str:
    """Keep only the depth-0 text of a skeleton (everything inside braces becomes spaces)."""
    depth = 0
    out = []
    for char in blanked:
        if char == "}":
            depth = max(depth - 1, 0)
        out.append(char if (depth == 0 and char != "}") or char == "\n" else " ")
        if char == "{":
            depth += 1
    return "".join(out)


def where_brace(text: str) -> int:
    """Return the index of the ``{`` that opens the query's WHERE group.

    Raises:
        QueryError: The query has no WHERE group parameters could be bound in.
    """
    top = _top_level(skeleton(text))
    match = re.search(r"\bWHERE\s*\{", top, re.IGNORECASE)
    if match:
        return match.end() - 1
    form = _FORM.search(top)
    brace = top.find("{", form.end() if form else 0)
    if brace < 0 or (form and form[1].upper() == "CONSTRUCT"):
        raise QueryError("cannot find the query's WHERE group to bind parameters in")
    return brace


def is_ordered(text: str) -> bool:
    """True when the query has a top-level ORDER BY (so the order of its rows means something)."""
    return re.search(r"\bORDER\s+BY\b", _top_level(skeleton(text)), re.IGNORECASE) is not None


def is_distinct(text: str) -> bool:
    """True when the query's top-level projection is ``SELECT DISTINCT`` (Query §18.2.5.5)."""
    top = _top_level(skeleton(text))
    return re.search(r"\bSELECT\s+DISTINCT\b", top, re.IGNORECASE) is not None


def declared_prefixes(text: str) -> set[str]:
    """The prefixes the query declares itself (``""`` for the empty prefix)."""
    return {m[1] or "" for m in _PREFIX_DECL.finditer(skeleton(text))}


def has_variable(text: str, name: str) -> bool:
    """True when ``?name`` or ``$name`` occurs outside comments, strings and IRIs."""
    return re.search(rf"[?$]{re.escape(name)}\b", skeleton(text)) is not None


def _services(text: str) -> list[tuple[int, int, str]]:
    """Each ``SERVICE [SILENT]`` keyword: start, end (before the target) and the target."""
    found = []
    for match in _SERVICE.finditer(skeleton(text)):
        rest = _SILENT.match(text, match.end())
        end = rest.end() if rest else match.end()
        target = _TARGET.match(text, end)
        found.append((match.start(), end, target[0] if target else "?"))
    return found


def service_targets(text: str) -> list[str]:
    """The endpoints of the query's ``SERVICE`` clauses (SPARQL 1.1 Federated Query §3), as written.

    >>> service_targets('SELECT * { SERVICE SILENT <http://x/sparql> { ?s ?p ?o } } # SERVICE <y>')
    ['<http://x/sparql>']
    """
    return [target for _, _, target in _services(text)]


def without_service(text: str) -> str:
    """The query with each ``SERVICE [SILENT]`` written as ``GRAPH`` (same length, same grammar).

    ``SERVICE SILENT? VarOrIri GroupGraphPattern`` and ``GRAPH VarOrIri GroupGraphPattern``
    (SPARQL 1.1 Query §19.8, rules 59 and 58) parse alike, so checking the syntax of this text
    checks the query's without evaluating a SERVICE clause (Oxigraph sends its request as soon
    as a query is prepared, before any row is read).

    >>> without_service('SELECT * { SERVICE SILENT <urn:x> { ?s ?p ?o } }')
    'SELECT * { GRAPH          <urn:x> { ?s ?p ?o } }'
    """
    out = text
    for start, end, _ in _services(text):
        out = out[:start] + "GRAPH".ljust(end - start) + out[end:]
    return out
