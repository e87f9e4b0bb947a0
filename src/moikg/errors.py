"""Errors raised by moikg, each with the process exit code the CLI uses.

Exit codes (docs/ARCHITECTURE.md, "Errors and exit codes"; each case in docs/reliability.md):
0 on success, 1 when data does not conform or a check fails, 2 on a usage or
input error. Every message names the file (with line and column for syntax
errors), the shape or query, and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

__all__ = [
    "CardError",
    "CardMergeError",
    "ConformanceError",
    "EndpointError",
    "InputError",
    "MoikgError",
    "ParameterError",
    "QueryError",
    "SkippedInputWarning",
    "Violation",
]


class MoikgError(Exception):
    """Base class of every error moikg raises on purpose.

    The CLI catches this class, prints ``str(error)`` and exits with
    :attr:`exit_code`; it never prints a traceback for it.
    """

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter
        """The library parameter the message names (``as_of``), if any: the CLI names its flag."""


class InputError(MoikgError):
    """A missing file, an unreadable file or a syntax error in an input.

    Attributes:
        path: The offending file, if there is one.
        line: 1-based line of a syntax error, if known.
        column: 1-based column of a syntax error, if known.
        near: The offending text at that position, if known.
        parameter: The parameter whose value is wrong, if the error is about one.
    """

    exit_code: ClassVar[int] = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        near: str | None = None,
        parameter: str | None = None,
    ) -> None:
        super().__init__(message, parameter=parameter)
        self.path = path
        self.line = line
        self.column = column
        self.near = near


class CardError(InputError):
    """A card that cannot be read, does not follow the schema, or does not resolve.

    Exit code 2 (an input error). The message names the card file and, where
    known, the line of each problem.
    """


class CardMergeError(CardError):
    """A card that would merge an actor into an existing one it does not name (issue 8, A4).

    Exit code 1, like a check that fails: the card is well formed, but adding it would change
    what the graph says about an existing actor without the card saying so. The message says
    which actor, what it is called, and how to merge on purpose.
    """

    exit_code: ClassVar[int] = 1


@dataclass(frozen=True)
class Violation:
    """One validation result (SHACL §3.6.2).

    Attributes:
        focus_node: ``sh:focusNode``, as an N-Triples-ish string (IRI or ``_:b0``).
        result_path: ``sh:resultPath`` (a property IRI or a path expression), or None.
        message: ``sh:resultMessage``; a message built from the constraint
            component when the shape declares none.
        source_shape: ``sh:sourceShape`` (a blank node shape renders as ``_:…``).
        severity: ``Violation``, ``Warning`` or ``Info`` (SHACL §2.1.4).
        value: ``sh:value``, or None.
        source_files: Files in which the focus node occurs as a subject.
    """

    focus_node: str
    result_path: str | None
    message: str
    source_shape: str
    severity: str
    value: str | None
    source_files: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.source_files) or "(no source file)"
        path = f" {self.result_path}" if self.result_path else ""
        value = f" (value {self.value})" if self.value is not None else ""
        return (
            f"{where}: {self.severity}: <{self.focus_node}>{path}: {self.message}{value} "
            f"[shape {self.source_shape}]"
        )


class ConformanceError(MoikgError):
    """The data does not conform to the SHACL shapes.

    Attributes:
        violations: The validation results that made the data fail.
    """

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, *, violations: Sequence[Violation] = ()) -> None:
        super().__init__(message)  # about the data, never a parameter
        self.violations: tuple[Violation, ...] = tuple(violations)


class QueryError(MoikgError):
    """A SPARQL query is missing, malformed or failed to run (reserved for the query stage)."""

    exit_code: ClassVar[int] = 2


class ParameterError(InputError, QueryError):
    """A query parameter's value does not fit its type (an impossible date, a malformed IRI).

    Both an input error and a query error, exit code 2; :attr:`parameter` names the
    parameter, and the message names it and the value. Raised before the query runs.
    """


class EndpointError(MoikgError):
    """A SPARQL endpoint could not be reached, timed out or answered with an HTTP error.

    Raised by the remote client, ``serve``, ``push`` and ``enrich``; exit code 2 (issue 3:
    "an unreachable endpoint, timeout or HTTP error gives one clear line and exit 2").
    """

    exit_code: ClassVar[int] = 2


class SkippedInputWarning(UserWarning):
    """An input was left out: a ``*.ttl`` entry that is a directory, a dangling link or a loop.

    Issued with :func:`warnings.warn`; the CLI prints it as one ``warning:`` line naming the entry.
    """
