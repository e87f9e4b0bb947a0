"""The ``moikg`` command line: a thin layer over the library.

Each command calls one library function and renders its result. Errors that
moikg raises on purpose (:class:`~moikg.errors.MoikgError`) are printed as
their message, never as a traceback, and set the exit code (DESIGN.md,
"Errors and exit codes"): 0 success, 1 non-conforming data, 2 input error.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, TextIO, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from moikg._version import __version__
from moikg.errors import MoikgError, SkippedInputWarning

__all__ = ["EXIT_INTERRUPTED", "app"]

EXIT_INTERRUPTED: Final = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells report it."""


class _Group(TyperGroup):
    """The command group: Ctrl-C inside a command exits 130 (``moikg.__main__`` says so)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None


app = typer.Typer(
    cls=_Group,
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
        _err.print(f"warning: {message}", markup=False)
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
    _configure_messages()


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
    """Validate graph/; write graph.trig/.ttl/.jsonld, summary.md, network.html and docs/."""
    from moikg.pipeline import build as run_build

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
    from moikg.ingest.validation import validate_sources

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


# --- SPARQL: query, queries, serve, push, enrich (issue 3) -----------------------------------


class ResultFormat(StrEnum):
    """Output formats of ``moikg query``."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def _params(pairs: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _err.print(f"error: --param {pair!r}: write key=value", markup=False)
            raise typer.Exit(code=2)
        params[key.strip()] = value
    return params


def _cell(node: object) -> str:
    """Show a term in a table: IRIs of standard vocabularies as CURIEs, literals as text."""
    from rdflib import URIRef

    from moikg.rdf.namespaces import PREFIXES

    if node is None:
        return ""
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(node).startswith(namespace):
                return f"{prefix}:{str(node)[len(namespace) :]}"
    return str(node)


@app.command("query")
def query_command(
    query: Annotated[str, typer.Argument(help="Catalogue name, .rq file, or SPARQL text.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Parameter as key=value; repeatable."),
    ] = None,
    output: Annotated[
        ResultFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ResultFormat.table,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="SPARQL endpoint URL; default: embedded.")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for a remote endpoint.")
    ] = 60.0,
) -> None:
    """Run a catalogue query (see 'moikg queries'), a .rq file or SPARQL text."""
    from moikg.sparql.dispatch import query as run_query
    from moikg.sparql.remote import RemoteOptions

    params = _params(param)
    result = _run(
        lambda: run_query(query, params, endpoint, options=RemoteOptions(timeout=timeout))
    )
    if output is ResultFormat.csv:
        sys.stdout.write(result.to_csv())
    elif output is ResultFormat.tsv:
        sys.stdout.write(result.to_tsv())
    elif output is ResultFormat.json:
        sys.stdout.write(result.to_json())
    elif result.boolean is not None:
        _out.print("true" if result.boolean else "false", markup=False)
    else:
        table = Table(show_header=True, header_style="bold")
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*(_cell(node) for node in row))
        _out.print(table)
        _err.print(f"{len(result)} row(s)", markup=False)


@app.command("queries")
def queries_command() -> None:
    """List the query catalogue: name, title and parameters with their defaults."""
    from moikg.sparql.catalogue import catalogue

    entries = _run(catalogue)
    width = max((len(name) for name in entries), default=0)
    for entry in entries.values():
        _out.print(f"{entry.name:<{width}}  {entry.title}", markup=False)
        if entry.parameters:
            params = ", ".join(
                f"{p.name}={p.default}" if p.default else f"{p.name} (optional)"
                for p in entry.parameters
            )
            _out.print(f"{'':<{width}}  parameters: {params}", markup=False)
    _out.print(f"{len(entries)} queries; run one with: moikg query NAME", markup=False)


@app.command("serve")
def serve_command(
    port: Annotated[int, typer.Option("--port", help="TCP port on 127.0.0.1.")] = 7878,
    writable: Annotated[
        bool, typer.Option("--writable", help="Accept SPARQL updates (they persist).")
    ] = False,
    build_dir: Annotated[
        Path | None, typer.Option("--build-dir", help="Build folder (default: build/).")
    ] = None,
) -> None:
    """Serve the build as a SPARQL endpoint (oxigraph) on 127.0.0.1 until Ctrl-C."""
    from moikg.service.server import ServeOptions, Started, serve

    def ready(started: Started) -> None:
        if started.built:
            _out.print("built the graph (the build was missing or stale)", markup=False)
        state = "loaded from the build" if started.reloaded else "unchanged since the last run"
        _out.print(f"store: {started.store} ({state})", markup=False)
        _out.print(f"SPARQL endpoint: {started.addresses.query}", markup=False)
        _out.print(f"YASGUI: {started.addresses.yasgui}", markup=False)
        if started.options.writable:
            _out.print(f"updates: {started.addresses.update} (writable)", markup=False)
        else:
            _out.print(
                "read-only: updates are refused (HTTP 403); --writable allows them", markup=False
            )
        _out.print("Press Ctrl-C to stop.", markup=False)
        sys.stdout.flush()

    _run(
        lambda: serve(
            ServeOptions(port=port, writable=writable), build_dir=build_dir, on_ready=ready
        )
    )
    _out.print("stopped", markup=False)


@app.command("push")
def push_command(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="Graph Store endpoint URL (e.g. …/store, …/data).")
    ],
    build_dir: Annotated[
        Path | None, typer.Option("--build-dir", help="Build folder (default: build/).")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 60.0,
) -> None:
    """Upload each named graph of the build with the SPARQL 1.1 Graph Store Protocol."""
    from moikg.service.push import push
    from moikg.sparql.remote import RemoteOptions

    result = _run(
        lambda: push(endpoint, build_dir=build_dir, options=RemoteOptions(timeout=timeout))
    )
    for iri, triples in result.graphs:
        _out.print(f"PUT <{iri}>: {triples} triples", markup=False)
    _out.print(f"pushed {len(result.graphs)} graph(s) to {result.endpoint}", markup=False)


@app.command("enrich")
def enrich_command(
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="SPARQL endpoint (default: Wikidata).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="TriG file (default: build/enrichment.trig).")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 60.0,
) -> None:
    """Fetch label, country, inception, website, coordinates of linked Wikidata items."""
    from moikg.service.enrichment import WIKIDATA_ENDPOINT, enrich
    from moikg.sparql.remote import RemoteOptions

    result = _run(
        lambda: enrich(
            endpoint or WIKIDATA_ENDPOINT, out=out, options=RemoteOptions(timeout=timeout)
        )
    )
    _out.print(
        f"{len(result.items)} linked item(s), {result.triples} triples from {result.endpoint} "
        f"at {result.retrieved.isoformat()}",
        markup=False,
    )
    _out.print(f"wrote {result.path} (graph <{result.graph}>)", markup=False)


# --- Source cards (issue 5): moikg add, moikg card-schema, moikg cards build -------------------

cards_app = typer.Typer(
    name="cards",
    help="Source cards kept in graph/cards/: regenerate the graph files made from them.",
    no_args_is_help=True,
)
app.add_typer(cards_app, name="cards")


@app.command("add")
def add_command(
    card: Annotated[Path, typer.Argument(help="The source card (YAML).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the triples it would add; write nothing.")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace graph/<card name>.ttl made from another card."),
    ] = False,
    graph_dir: Annotated[
        Path | None, typer.Option("--graph-dir", help="Folder of source Turtle files.")
    ] = None,
) -> None:
    """Add a source card: resolve its actors, validate the whole graph, write graph/<card>.ttl."""
    from moikg.cards.add import add_card

    result = _run(lambda: add_card(card, graph_dir=graph_dir, dry_run=dry_run, replace=replace))
    if dry_run:
        _out.print(result.turtle, markup=False, end="")
    for key, iri in result.existing_actors:
        _err.print(f"{key}: existing actor {iri}", markup=False)
    verb = "would write" if dry_run else "wrote"
    _err.print(
        f"{verb} {result.target}: {result.triples} triples, {result.new_triples} new to the graph",
        markup=False,
    )
    if not dry_run:
        _err.print(f"card kept as {result.card_copy}", markup=False)


@app.command("card-schema")
def card_schema_command() -> None:
    """Print the JSON Schema of source cards (for editors: check and complete cards)."""
    from moikg.cards.read import card_schema_text

    typer.echo(card_schema_text(), nl=False)


@cards_app.command("build")
def cards_build_command(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if a graph file differs from its card.")
    ] = False,
    graph_dir: Annotated[
        Path | None, typer.Option("--graph-dir", help="Folder of source Turtle files.")
    ] = None,
) -> None:
    """Regenerate graph/<name>.ttl from every graph/cards/<name>.yaml (validated first)."""
    from moikg.cards.add import build_cards

    result = _run(lambda: build_cards(graph_dir, check=check))
    for path in result.changed:
        _out.print(f"{'differs' if check else 'wrote'} {path}", markup=False)
    _out.print(
        f"{len(result.outputs)} card(s), {len(result.changed)} file(s) "
        f"{'differ' if check else 'rewritten'}",
        markup=False,
    )
    if check and result.changed:
        _err.print("graph files drifted from their cards: run `moikg cards build`", markup=False)
        raise typer.Exit(code=1)


# --- The partnership network (issue 4): analyse, export, render ----------------------------------


class Projection(StrEnum):
    """Choices for ``--projection``."""

    actor = "actor"
    organisation = "organisation"
    bipartite = "bipartite"


class AnalyseFormat(StrEnum):
    """Choices for ``moikg analyse --format``."""

    table = "table"
    csv = "csv"
    json = "json"


class NetworkFormat(StrEnum):
    """Choices for ``moikg export --format``."""

    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"


_ProjectionOption = Annotated[
    Projection, typer.Option("--projection", help="actor, organisation or bipartite.")
]
_AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Only what the sources knew on this day (YYYY-MM-DD): facts dated up to it, "
        "undated facts whose first dated source was issued by then, and facts known only "
        "from undated sources.",
    ),
]
_FocusOption = Annotated[
    str | None, typer.Option("--focus", help="Only this actor's ego network (IRI, name or alias).")
]
_RadiusOption = Annotated[int, typer.Option("--radius", help="Steps around --focus.")]
_EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint", help="Read from this SPARQL endpoint instead of graph/."),
]
_GraphDirOption = Annotated[
    Path | None, typer.Option("--graph-dir", help="Folder of source Turtle files.")
]
_EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "json": "json", "csv": "csv"}
_METRIC_HEADERS = {
    "weighted_degree": "w.degree",
    "articulation": "cut point",
    "effective_size": "eff. size",
    "community": "comm.",
    "component": "comp.",
}


def _projection(
    projection: Projection,
    as_of: str | None,
    focus: str | None,
    radius: int,
    endpoint: str | None,
    graph_dir: Path | None,
) -> Any:
    """Load the source (dataset or endpoint) and build the projection the options name."""
    from moikg.ingest.load import load_dataset
    from moikg.network.projection import ProjectionOptions, project

    source = endpoint if endpoint is not None else load_dataset(graph_dir)
    options = ProjectionOptions(
        projection=projection.value, as_of=as_of, focus=focus, radius=radius
    )
    return project(source, options=options)


@app.command("analyse")
def analyse_command(
    projection: _ProjectionOption = Projection.actor,
    fmt: Annotated[
        AnalyseFormat, typer.Option("--format", help="table, csv or json (to stdout).")
    ] = AnalyseFormat.table,
    rdf: Annotated[
        bool,
        typer.Option("--rdf", help="Also write the metrics as a named graph (metrics-NAME.trig)."),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for --rdf; default build/.")
    ] = None,
    sort: Annotated[str, typer.Option("--sort", help="Metric to sort rows by.")] = "betweenness",
    limit: Annotated[
        int | None, typer.Option("--limit", help="Show only the first N rows of the table.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the communities.")] = 42,
    as_of: _AsOfOption = None,
    focus: _FocusOption = None,
    radius: _RadiusOption = 1,
    endpoint: _EndpointOption = None,
    graph_dir: _GraphDirOption = None,
) -> None:
    """Degree, betweenness, PageRank, closeness, k-core, communities, brokerage, components."""
    from moikg import _paths
    from moikg.network.analysis import (
        AnalysisOptions,
        analyse,
        format_analysis,
        table_rows,
        write_rdf,
    )

    def run() -> tuple[object, str | None, Path | None]:
        graph = _projection(projection, as_of, focus, radius, endpoint, graph_dir)
        analysis = analyse(graph, options=AnalysisOptions(seed=seed))
        text = (
            None
            if fmt == AnalyseFormat.table
            else format_analysis(analysis, fmt=fmt.value, sort_by=sort)
        )
        written = None
        if rdf:
            folder = out if out is not None else _paths.build_dir()
            written = write_rdf(analysis, folder / f"metrics-{projection.value}.trig")
        if fmt == AnalyseFormat.table:
            table_rows(analysis, sort_by=sort)  # validates --sort before printing anything
        return analysis, text, written

    analysis, text, written = _run(run)
    if text is not None:
        typer.echo(text, nl=False)
    else:
        from moikg.network.analysis import Analysis

        assert isinstance(analysis, Analysis)
        columns, rows = table_rows(analysis, sort_by=sort, limit=limit)
        modularity = "n/a" if analysis.modularity is None else f"{analysis.modularity:.3f}"
        table = Table(
            title=(
                f"moikg analyse: {analysis.projection} projection, {len(analysis.nodes)} nodes, "
                f"{len(analysis.component_sizes)} component(s), modularity {modularity}, "
                f"seed {analysis.seed}" + (f", as of {analysis.as_of}" if analysis.as_of else "")
            )
        )
        for column in columns:
            header = _METRIC_HEADERS.get(column, column)
            table.add_column(header, justify="left" if column in ("label", "kind") else "right")
        for row in rows:
            table.add_row(*row)
        Console(width=max(_out.width, 190), highlight=False).print(table)
    if written is not None:
        _err.print(f"wrote {written}", markup=False)


@app.command("export")
def export_command(
    fmt: Annotated[
        NetworkFormat, typer.Option("--format", help="graphml, gexf, json (node-link) or csv.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write; default build/network-NAME.EXT."),
    ] = None,
    projection: _ProjectionOption = Projection.actor,
    as_of: _AsOfOption = None,
    focus: _FocusOption = None,
    radius: _RadiusOption = 1,
    endpoint: _EndpointOption = None,
    graph_dir: _GraphDirOption = None,
) -> None:
    """Write a network projection as GraphML, GEXF (Gephi), node-link JSON or CSV."""
    from moikg import _paths
    from moikg.network.formats import export_network

    def run() -> tuple[Path, ...]:
        graph = _projection(projection, as_of, focus, radius, endpoint, graph_dir)
        target = output or _paths.build_dir() / (
            f"network-{projection.value}.{_EXTENSIONS[fmt.value]}"
        )
        return export_network(graph, target, fmt=fmt.value)

    for path in _run(run):
        _out.print(f"wrote {path}", markup=False)


@app.command("render")
def render_command(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Page to write; default build/network.html."),
    ] = None,
    projection: _ProjectionOption = Projection.actor,
    focus: _FocusOption = None,
    radius: _RadiusOption = 1,
    as_of: _AsOfOption = None,
    size_by: Annotated[
        str, typer.Option("--size-by", help="Metric that sizes nodes (degree, betweenness…).")
    ] = "degree",
    title: Annotated[str | None, typer.Option("--title", help="Page title.")] = None,
    endpoint: _EndpointOption = None,
    graph_dir: _GraphDirOption = None,
) -> None:
    """Write the interactive network page: one self-contained HTML file that works offline."""
    from moikg.ingest.load import load_dataset
    from moikg.network.page import RenderOptions, render

    def run() -> Path:
        source = endpoint if endpoint is not None else load_dataset(graph_dir)
        options = RenderOptions(
            projection=projection.value,
            focus=focus,
            radius=radius,
            as_of=as_of,
            size_by=size_by,
            title=title,
        )
        return render(source, out=output, options=options)

    _out.print(f"wrote {_run(run)}", markup=False)


@app.command("docs")
def docs_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write; default build/docs/.")
    ] = None,
    graph_dir: _GraphDirOption = None,
) -> None:
    """Write the ontology reference (ontology.html) and the query catalogue (queries.html)."""
    from moikg.docs import write_docs
    from moikg.ingest.load import load_dataset

    for path in _run(lambda: write_docs(load_dataset(graph_dir), out)):
        _out.print(f"wrote {path}", markup=False)
