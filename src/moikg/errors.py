"""Errors raised by moikg, each with the process exit code the CLI uses.

Exit codes follow the project design (DESIGN.md, "Errors and exit codes"):
0 on success, 1 when data does not conform or a check fails, 2 on a usage or
input error. Every message names the file (with line and column for syntax
errors), the shape or query, and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from moikg.validate import Violation

__all__ = [
    "ConformanceError",
    "EndpointError",
    "InputError",
    "MoikgError",
    "QueryError",
]


class MoikgError(Exception):
    """Base class of every error moikg raises on purpose.

    The CLI catches this class, prints ``str(error)`` and exits with
    :attr:`exit_code`; it never prints a traceback for it.
    """

    exit_code: ClassVar[int] = 1


class InputError(MoikgError):
    """A missing file, an unreadable file or a syntax error in an input.

    Attributes:
        path: The offending file, if there is one.
        line: 1-based line of a syntax error, if known.
        column: 1-based column of a syntax error, if known.
        near: The offending text at that position, if known.
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
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.near = near


class ConformanceError(MoikgError):
    """The data does not conform to the SHACL shapes.

    Attributes:
        violations: The validation results that made the data fail.
    """

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, *, violations: Sequence[Violation] = ()) -> None:
        super().__init__(message)
        self.violations: tuple[Violation, ...] = tuple(violations)


class QueryError(MoikgError):
    """A SPARQL query is missing, malformed or failed to run (reserved for the query stage)."""

    exit_code: ClassVar[int] = 2


class EndpointError(MoikgError):
    """A SPARQL endpoint could not be reached, timed out or answered with an HTTP error.

    Raised by the remote client, ``serve``, ``push`` and ``enrich``; exit code 2 (issue 3:
    "an unreachable endpoint, timeout or HTTP error gives one clear line and exit 2").
    """

    exit_code: ClassVar[int] = 2
