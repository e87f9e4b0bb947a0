"""The ``moikg`` app, what every command shares, and the pipeline commands (build, validate).

Each command calls one library function and renders its result. Errors that
moikg raises on purpose (:class:`~moikg.errors.MoikgError`) are printed as
their message, never as a traceback, and set the exit code (docs/ARCHITECTURE.md,
"Errors and exit codes"): 0 success, 1 non-conforming data, 2 input error.
A library message names the parameter (``as_of='2019-13-45'``); :func:`run`
names the command-line flag instead (``--as-of '2019-13-45'``).
"""

from __future__ import annotations

import errno
import logging
import re
import warnings
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, TextIO, TypeVar

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from typer.core import TyperGroup

from moikg._version import __version__
from moikg.errors import MoikgError, SkippedInputWarning

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "FLAGS",
    "BuildDirOption",
    "GraphDirOption",
    "Store",
    "StoreOption",
    "TimeoutOption",
    "app",
    "err",
    "flag_message",
    "out",
    "run",
]

EXIT_INTERRUPTED: Final = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells report it."""
EXIT_BROKEN_PIPE: Final = 141
"""Exit code when the reader of stdout closed the pipe (128 + SIGPIPE), as shells report it."""


class _Group(TyperGroup):
    """The command group: Ctrl-C inside a command exits 130 (``moikg.__main__`` says so)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:  # the reader left (``| head``): end quietly, as Unix tools do
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except typer.BadParameter as error:  # a bad flag value: one line, not Typer's box
            path = error.ctx.command_path if error.ctx is not None else ""
            hint = f" (see {path} --help)" if path else ""
            err.print(f"error: {error.format_message()}{hint}", markup=False)
            raise typer.Exit(code=2) from None


app = typer.Typer(
    cls=_Group,
    name="moikg",
    help="Build, validate and export the mission-oriented innovation knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _Console(Console):
    """Rich's console, but a closed pipe is a ``BrokenPipeError`` (exit 141), not exit 1."""

    def on_broken_pipe(self) -> None:
        """Stop writing and let the command group end the command (see :class:`_Group`)."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")


out = _Console(soft_wrap=True, highlight=False)
err = _Console(stderr=True, soft_wrap=True, highlight=False)


def print_table(table: Table, *, at_least: int = 0) -> None:
    """Print a table to standard output: fitted to a terminal, never wrapped when piped.

    Piped (``| less -S``, ``> file``), a table gets its natural width, so that no cell breaks
    mid-word at an 80-column default that no terminal asked for.

    Args:
        table: The table.
        at_least: A width to use on a terminal narrower than this (wide tables of numbers).
    """
    if out.is_terminal:
        width = max(out.width, at_least)
    else:
        width = max(Measurement.get(out, out.options.update(width=100_000), table).maximum, 20)
    _Console(file=out.file, width=width, soft_wrap=True, highlight=False).print(table)


_T = TypeVar("_T")

FLAGS: Final = {
    "allow_service": "--allow-service",
    "as_of": "--as-of",
    "build_dir": "--build-dir",
    "fmt": "--format",
    "graph_dir": "--graph-dir",
    "port": "--port",
    "projection": "--projection",
    "radius": "--radius",
    "replace": "--replace",
    "lock_timeout": "--lock-timeout",
    "size_by": "--size-by",
    "sort_by": "--sort",
    "max_bytes": "--max-bytes",
    "time_limit": "--timeout",
    "timeout": "--timeout",
}
"""Library parameter → the command-line flag that sets it."""


class Store(StrEnum):
    """Store choices for ``--store``."""

    oxigraph = "oxigraph"
    memory = "memory"


StoreOption = Annotated[Store, typer.Option("--store", help="RDF store to load into.")]
QuietOption = Annotated[
    bool, typer.Option("--quiet", help="No progress bar (none is shown when piped either).")
]


def flag_message(error: MoikgError) -> str:
    """The error's message with the parameter it names written as its flag.

    ``as_of='x': …`` becomes ``--as-of 'x': …``, ``pass replace=True`` becomes
    ``pass --replace``, ``pass port=<a free port>`` becomes ``pass --port <a free port>``.
    """
    text = str(error)
    parameter = error.parameter
    flag = FLAGS.get(parameter or "")
    if parameter is None or flag is None:
        return text
    name = re.escape(parameter)
    text = re.sub(rf"\b{name}=True\b", flag, text)
    return re.sub(rf"\b{name}=", f"{flag} ", text)


def run(action: Callable[[], _T]) -> _T:
    """Run a library call; turn a MoikgError into one line on stderr and its exit code."""
    try:
        return action()
    except MoikgError as error:
        err.print(f"error: {flag_message(error)}", markup=False)
        raise typer.Exit(code=error.exit_code) from None


GraphDirOption = Annotated[
    Path | None, typer.Option("--graph-dir", help="Folder of source Turtle files.")
]
BuildDirOption = Annotated[
    Path | None, typer.Option("--build-dir", help="Build folder (default: build/).")
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Seconds for each whole request to an endpoint, or for a query on the embedded "
        "store (0: no limit there).",
    ),
]


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print moikg's own warnings as one ``warning:`` line (no file and line of the code)."""
    if issubclass(category, SkippedInputWarning):
        err.print(f"warning: {message}", markup=False)
    else:
        _show_other_warning(message, category, filename, lineno, file, line)


_show_other_warning = warnings.showwarning


class _NoLiteralTraceback(logging.Filter):
    """Drop rdflib's logged traceback for an ill-formed literal (``"2019-02-30"^^xsd:date``).

    Validation reports the literal as a violation of ``sh:datatype`` with its file and shape;
    the traceback rdflib logs while converting it would come first and look like a crash.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


def _configure_messages() -> None:
    warnings.showwarning = _show_warning
    term_logger = logging.getLogger("rdflib.term")
    if not any(isinstance(f, _NoLiteralTraceback) for f in term_logger.filters):
        term_logger.addFilter(_NoLiteralTraceback())


def _show_version(value: bool) -> None:
    if value:
        out.print(f"moikg {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Build, validate and export the mission-oriented innovation knowledge graph."""
    _configure_messages()


_GRAPHS_SHOWN: Final = 40
"""Named graphs listed by ``moikg build``; summary.md lists them all."""


@app.command("build")
def build_command(
    graph_dir: GraphDirOption = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output folder.")] = None,
    store: StoreOption = Store.oxigraph,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Redo everything: do not reuse the last build's record (.moikg-cache/).",
        ),
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Validate graph/; write graph.trig/.ttl/.jsonld, summary.md, network.html and docs/."""
    from moikg._progress import step_bar
    from moikg.pipeline import BUILD_STEPS
    from moikg.pipeline import build as run_build

    with step_bar("building", BUILD_STEPS, quiet=quiet) as step:
        result = run(
            lambda: run_build(graph_dir, out_dir, store=store.value, progress=step, reuse=not full)
        )
    summary = result.summary
    table = Table(title=f"moikg build → {result.out_dir}", show_header=True)
    table.add_column("named graph")
    table.add_column("triples", justify="right")
    shown = summary.triples_per_graph[:_GRAPHS_SHOWN]
    for stem, count in shown:
        table.add_row(stem, str(count))
    if len(summary.triples_per_graph) > len(shown):
        more = len(summary.triples_per_graph) - len(shown)
        table.add_row(f"… and {more:,} more (every one in summary.md)", "")
    table.add_row("[bold]total (union)[/bold]", f"[bold]{summary.total_triples}[/bold]")
    print_table(table)
    kinds = ", ".join(f"{kind} {count}" for kind, count in summary.actors_by_kind) or "none"
    out.print(f"actors: {kinds}", markup=False)
    out.print(
        f"agreements: {len(summary.agreements)}; sources: {len(summary.sources)}; "
        f"nodes with provenance: {summary.derived_nodes}",
        markup=False,
    )
    if result.revalidated is not None:
        out.print(
            f"since the last build: {result.reused:,} graphs unchanged; "
            f"{result.revalidated:,} focus nodes validated again",
            markup=False,
        )
    for path in result.outputs:
        out.print(f"wrote {path}", markup=False)


@app.command("validate")
def validate_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Turtle files to validate; default: every file in graph/."),
    ] = None,
    graph_dir: GraphDirOption = None,
    store: StoreOption = Store.oxigraph,
) -> None:
    """Validate source files against ontology/shapes.ttl; exit 1 if they do not conform."""
    from moikg.ingest.validation import validate_sources

    report = run(lambda: validate_sources(graph_dir, files=files or None, store=store.value))
    for violation in report.violations:
        where = ", ".join(violation.source_files) or "(no source file)"
        out.print(f"{where}: {violation.severity}", markup=False)
        out.print(f"  focus node: {violation.focus_node}", markup=False)
        if violation.result_path:
            out.print(f"  path:       {violation.result_path}", markup=False)
        out.print(f"  message:    {violation.message}", markup=False)
        if violation.value is not None:
            out.print(f"  value:      {violation.value}", markup=False)
        out.print(f"  shape:      {violation.source_shape}", markup=False)
    failing = sum(1 for v in report.violations if v.severity == "Violation")
    if not report.conforms:
        err.print(f"does not conform: {failing} violation(s)", markup=False)
        raise typer.Exit(code=1)
    out.print(f"conforms ({len(report.violations)} warning(s) or note(s))", markup=False)


@app.command("docs")
def docs_command(
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder to write; default build/docs/.")
    ] = None,
    graph_dir: GraphDirOption = None,
) -> None:
    """Write the ontology reference (ontology.html) and the query catalogue (queries.html)."""
    from moikg.docs import write_docs
    from moikg.ingest.load import load_dataset

    for path in run(lambda: write_docs(load_dataset(graph_dir), out_dir)):
        out.print(f"wrote {path}", markup=False)
