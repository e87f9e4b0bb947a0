"""The SPARQL catalogue: one question per ``queries/<name>.rq`` file, described by its header.

Each file opens with a comment header that both people and this module read::

    # Title: Partners of an organisation
    # Question: Which organisations are fellow members of a partnership with a given
    #   organisation, or fellow parties to an agreement with it?
    # Parameter: org (IRI, default id:org/iipp): the organisation whose partners to list.
    # Columns: partner, partnerLabel, via, viaLabel

Fields are ``Title``, ``Question``, ``Parameter`` (repeatable) and ``Columns``;
a comment line indented by two or more spaces after the ``#`` continues the
field above it. A parameter is ``name (TYPE[, default VALUE | , optional]):
description`` with TYPE one of ``IRI``, ``date``, ``string`` or ``integer``;
an optional parameter without a default stays unbound. The header ends at the
first line that is not a comment.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from moikg import _paths
from moikg._paths import display_path
from moikg.errors import InputError, QueryError

__all__ = [
    "ParamType",
    "Parameter",
    "QueryEntry",
    "catalogue",
    "closest_names",
    "find_query",
    "parse_entry",
    "read_query_file",
]

ParamType = Literal["IRI", "date", "string", "integer"]
PARAM_TYPES: Final[tuple[ParamType, ...]] = ("IRI", "date", "string", "integer")

_FIELD: Final = re.compile(r"^#\s?(Title|Question|Parameter|Columns):\s*(.*)$")
_CONTINUATION: Final = re.compile(r"^#\s{2,}(\S.*)$")
_PARAMETER: Final = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"\((?P<type>[A-Za-z]+)(?:,\s*(?:default\s+(?P<default>[^)]+?)|(?P<optional>optional)))?\)"
    r":\s*(?P<description>.+)$"
)


@dataclass(frozen=True)
class Parameter:
    """A parameter a catalogue query declares in its header.

    Attributes:
        name: The SPARQL variable it binds, without ``?``.
        type: How a text value is read: ``IRI``, ``date``, ``string`` or ``integer``.
        default: The value used when none is given, as text; None leaves it unbound.
        description: What the parameter means.
    """

    name: str
    type: ParamType
    default: str | None
    description: str


@dataclass(frozen=True)
class QueryEntry:
    """A catalogue query: its file, its header and its text.

    Attributes:
        name: The file stem, used as ``moikg query NAME``.
        path: The ``.rq`` file.
        title: One-line title.
        question: The question in plain words.
        parameters: Declared parameters, in header order.
        columns: The result columns the header promises.
        text: The whole file (header comments included).
    """

    name: str
    path: Path
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str

    def parameter(self, name: str) -> Parameter | None:
        """Return the declared parameter called ``name``, if any."""
        return next((p for p in self.parameters if p.name == name), None)


def parse_entry(path: Path, *, partial: bool = False) -> QueryEntry:
    """Read one ``.rq`` file and its header.

    Args:
        path: The query file.
        partial: Accept a header without ``Title``, ``Question`` or ``Columns`` (a user's own
            query file; the catalogue's files need all three).

    Returns:
        The entry.

    Raises:
        InputError: The file cannot be read, or its header is malformed or lacks a field.
    """
    where = display_path(Path(path))
    text = read_query_file(Path(path))
    fields: dict[str, list[str]] = {}
    order: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.rstrip()
        if not stripped.startswith("#"):
            break
        match = _FIELD.match(stripped)
        if match:
            fields.setdefault(match[1], []).append(match[2].strip())
            order.append((match[1], number))
            continue
        more = _CONTINUATION.match(stripped)
        if more and order:
            key = order[-1][0]
            fields[key][-1] = f"{fields[key][-1]} {more[1].strip()}".strip()
    missing = [key for key in ("Title", "Question", "Columns") if not fields.get(key)]
    if missing and not partial:
        raise InputError(
            f"{where}: query header lacks {', '.join(missing)}; start the file with "
            "'# Title: …', '# Question: …', '# Parameter: …' and '# Columns: …' comments",
            path=str(path),
        )
    parameters = tuple(
        _parse_parameter(value, where, line)
        for value, line in zip(
            fields.get("Parameter", []),
            [n for key, n in order if key == "Parameter"],
            strict=True,
        )
    )
    columns = tuple(
        c.strip().lstrip("?") for c in re.split(r"[,\s]+", (fields.get("Columns") or [""])[0]) if c
    )
    return QueryEntry(
        name=Path(path).stem,
        path=Path(path),
        title=(fields.get("Title") or [Path(path).stem])[0],
        question=(fields.get("Question") or [""])[0],
        parameters=parameters,
        columns=columns,
        text=text,
    )


def read_query_file(path: Path) -> str:
    """Read a ``.rq`` file as UTF-8 text (SPARQL 1.1 Query §19.1: queries are Unicode).

    Raises:
        InputError: The file is missing, a symlink loop, unreadable, or not UTF-8.
    """
    where = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = _paths.not_a_file_reason(path)
        detail = reason if reason != "not a regular file" else (error.strerror or str(error))
        raise InputError(f"{where}: cannot read the query file: {detail}", path=str(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{where}:{line}: the query file is not UTF-8 text (byte 0x{data[error.start]:02x} "
            "cannot be decoded); save it as UTF-8",
            path=str(path),
            line=line,
        ) from None


def _parse_parameter(value: str, where: str, line: int) -> Parameter:
    match = _PARAMETER.match(value)
    if not match or match["type"] not in PARAM_TYPES:
        raise InputError(
            f"{where}:{line}: malformed parameter {value!r}; write "
            "'# Parameter: name (IRI|date|string|integer, default VALUE): description' "
            "or '(TYPE, optional)'",
            path=where,
            line=line,
        )
    param_type: ParamType = match["type"]  # checked against PARAM_TYPES just above
    default = match["default"].strip() if match["default"] else None
    return Parameter(match["name"], param_type, default, match["description"].strip())


def catalogue(folder: Path | None = None) -> dict[str, QueryEntry]:
    """Read every ``*.rq`` file of the catalogue.

    Args:
        folder: The catalogue folder; defaults to the project's ``queries/``.

    Returns:
        Query name → entry, sorted by name.

    Raises:
        InputError: The folder is missing or a header is malformed.
    """
    where = Path(folder) if folder is not None else _paths.queries_dir()
    if not where.is_dir():
        raise InputError(
            f"{display_path(where)}: query catalogue not found; set {_paths.ENV_HOME} to the "
            "project folder",
            path=str(where),
        )
    return {path.stem: parse_entry(path) for path in sorted(where.glob("*.rq"))}


def closest_names(name: str, names: list[str], *, limit: int = 3) -> list[str]:
    """Return up to ``limit`` catalogue names close to ``name`` (difflib ratio ≥ 0.4)."""
    return difflib.get_close_matches(name, names, n=limit, cutoff=0.4)


def queries(folder: Path | None = None) -> dict[str, QueryEntry]:
    """The query catalogue, as ``moikg queries`` lists it: name → entry (see :func:`catalogue`).

    Public as ``moikg.queries`` (a submodule named ``catalogue`` would shadow that name).
    """
    return catalogue(folder)


def find_query(name: str, folder: Path | None = None) -> QueryEntry:
    """Look a query up by name.

    Args:
        name: The query's file stem (``partners-of``), with or without ``.rq``.
        folder: The catalogue folder; defaults to the project's ``queries/``.

    Returns:
        The entry.

    Raises:
        QueryError: No query has that name; the message lists the closest names.
    """
    key = name.removesuffix(".rq")
    where = Path(folder) if folder is not None else _paths.queries_dir()
    own = where / f"{key}.rq"
    if "/" not in key and own.is_file():  # one file read, not the whole catalogue
        return parse_entry(own)
    entries = catalogue(folder)
    if key in entries:
        return entries[key]
    close = closest_names(key, list(entries))
    hint = f"did you mean {', '.join(close)}?" if close else "none is close"
    raise QueryError(f"unknown query {name!r}: {hint} ('moikg queries' lists all {len(entries)})")
