"""The ``moikg`` command line: a thin layer over the library.

Each command calls one library function and renders its result. Errors that
moikg raises on purpose (:class:`~moikg.errors.MoikgError`) are printed as
their message, never as a traceback, and set the exit code (DESIGN.md,
"Errors and exit codes"): 0 success, 1 non-conforming data, 2 input error.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from moikg import __version__
from moikg.errors import MoikgError

__all__ = ["app"]

app = typer.Typer(
    name="moikg",
    help="Build, validate and export the mission-oriented innovation knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_out = Console(soft_wrap=True, highlight=False)
_err = Console(stderr=True, soft_wrap=True, highlight=False)
_T = TypeVar("_T")


class Store(StrEnum):
    """Store choices for ``--store``."""

    oxigraph = "oxigraph"
    memory = "memory"


def _run(action: Callable[[], _T]) -> _T:
    """Run a library call; turn a MoikgError into a message and an exit code."""
    try:
        return action()
    except MoikgError as error:
        _err.print(f"error: {error}", markup=False)
        raise typer.Exit(code=error.exit_code) from None


def _show_version(value: bool) -> None:
    if value:
        _out.print(f"moikg {__version__}", markup=False)
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


@app.command()
def build(
    graph_dir: Annotated[
        Path | None, typer.Option("--graph-dir", help="Folder of source Turtle files.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder.")] = None,
    store: Annotated[Store, typer.Option("--store", help="RDF store to load into.")] = (
        Store.oxigraph
    ),
) -> None:
    """Validate graph/ and write graph.trig, graph.ttl, graph.jsonld and summary.md."""
    from moikg.build import build as run_build

    result = _run(lambda: run_build(graph_dir, out, store=store.value))
    summary = result.summary
    table = Table(title=f"moikg build → {result.out_dir}", show_header=True)
    table.add_column("named graph")
    table.add_column("triples", justify="right")
    for stem, count in summary.triples_per_graph:
        table.add_row(stem, str(count))
    table.add_row("[bold]total (union)[/bold]", f"[bold]{summary.total_triples}[/bold]")
    _out.print(table)
    kinds = ", ".join(f"{kind} {count}" for kind, count in summary.actors_by_kind) or "none"
    _out.print(f"actors: {kinds}", markup=False)
    _out.print(
        f"agreements: {len(summary.agreements)}; sources: {len(summary.sources)}; "
        f"nodes with provenance: {summary.derived_nodes}",
        markup=False,
    )
    for path in result.outputs:
        _out.print(f"wrote {path}", markup=False)


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Turtle files to validate; default: every file in graph/."),
    ] = None,
    graph_dir: Annotated[
        Path | None, typer.Option("--graph-dir", help="Folder of source Turtle files.")
    ] = None,
    store: Annotated[Store, typer.Option("--store", help="RDF store to load into.")] = (
        Store.oxigraph
    ),
) -> None:
    """Validate source files against ontology/shapes.ttl; exit 1 if they do not conform."""
    from moikg.validate import validate_sources

    report = _run(lambda: validate_sources(graph_dir, files=files or None, store=store.value))
    for violation in report.violations:
        where = ", ".join(violation.source_files) or "(no source file)"
        _out.print(f"{where}: {violation.severity}", markup=False)
        _out.print(f"  focus node: {violation.focus_node}", markup=False)
        if violation.result_path:
            _out.print(f"  path:       {violation.result_path}", markup=False)
        _out.print(f"  message:    {violation.message}", markup=False)
        if violation.value is not None:
            _out.print(f"  value:      {violation.value}", markup=False)
        _out.print(f"  shape:      {violation.source_shape}", markup=False)
    failing = sum(1 for v in report.violations if v.severity == "Violation")
    if not report.conforms:
        _err.print(f"does not conform: {failing} violation(s)", markup=False)
        raise typer.Exit(code=1)
    _out.print(f"conforms ({len(report.violations)} warning(s) or note(s))", markup=False)
