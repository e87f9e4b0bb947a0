"""Commands of the network stage: analyse, export, render."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from moikg.cli.core import GraphDirOption, QuietOption, app, err, out, print_table, run

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

    from moikg._progress import StepCallback

__all__ = ["AnalyseFormat", "NetworkFormat", "Projection"]


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
    Projection,
    typer.Option("--projection", help="actor, organisation or bipartite.", case_sensitive=False),
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
    step: StepCallback | None = None,
) -> nx.Graph:
    """Load the source (dataset or endpoint) and build the projection the options name.

    ``step`` is told when loading and projecting start (:func:`moikg._progress.step_bar`).
    """
    from moikg.ingest.load import load_dataset
    from moikg.network.projection import ProjectionOptions, project

    options = ProjectionOptions(
        projection=projection.value, as_of=as_of, focus=focus, radius=radius
    )
    if endpoint is None:
        if step is not None:
            step("loading")
        source: str | Dataset = run(lambda: load_dataset(graph_dir))
    else:
        source = endpoint
    if step is not None:
        step("reading facts, projecting")
    return run(lambda: project(source, options=options))


@app.command("analyse")
def analyse_command(
    projection: _ProjectionOption = Projection.actor,
    fmt: Annotated[
        AnalyseFormat,
        typer.Option("--format", help="table, csv or json (to stdout).", case_sensitive=False),
    ] = AnalyseFormat.table,
    rdf: Annotated[
        bool,
        typer.Option("--rdf", help="Also write the metrics as a named graph (metrics-NAME.trig)."),
    ] = False,
    out_dir: Annotated[
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
    graph_dir: GraphDirOption = None,
    quiet: QuietOption = False,
) -> None:
    """Degree, betweenness, PageRank, closeness, k-core, communities, brokerage, components."""
    from moikg import _paths
    from moikg._progress import step_bar
    from moikg.network.analysis import AnalysisOptions, analyse
    from moikg.network.metrics_rdf import write_rdf
    from moikg.network.tables import format_analysis, table_rows

    with step_bar("analysing", 3 if endpoint is None else 2, quiet=quiet) as step:
        graph = _projection(projection, as_of, focus, radius, endpoint, graph_dir, step)
        step("measuring")
        analysis = run(lambda: analyse(graph, options=AnalysisOptions(seed=seed)))
    # Format first: a bad --sort stops the command before anything is written.
    if fmt is AnalyseFormat.table:
        columns, rows = run(lambda: table_rows(analysis, sort_by=sort, limit=limit))
        text = None
    else:
        text = run(lambda: format_analysis(analysis, fmt=fmt.value, sort_by=sort))
    written = None
    if rdf:
        target = (out_dir or _paths.build_dir()) / f"metrics-{projection.value}.trig"
        written = run(lambda: write_rdf(analysis, target))
    if text is not None:
        typer.echo(text, nl=False)
    else:
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
        print_table(table, at_least=190)
    if written is not None:
        err.print(f"wrote {written}", markup=False)


@app.command("export")
def export_command(
    fmt: Annotated[
        NetworkFormat,
        typer.Option(
            "--format",
            help="graphml, gexf (1.3), json (node-link) or csv (UTF-8 with BOM, for Excel).",
            case_sensitive=False,
        ),
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
    graph_dir: GraphDirOption = None,
    mutual: Annotated[
        bool,
        typer.Option(
            "--mutual",
            help="GEXF: symmetric edges as 'mutual', for NetworkX's read_gexf (not for Gephi).",
        ),
    ] = False,
) -> None:
    """Write a network projection as GraphML, GEXF (Gephi), node-link JSON or CSV."""
    from moikg import _paths
    from moikg.network.formats import export_network

    graph = _projection(projection, as_of, focus, radius, endpoint, graph_dir)
    target = output or _paths.build_dir() / f"network-{projection.value}.{_EXTENSIONS[fmt.value]}"
    for path in run(lambda: export_network(graph, target, fmt=fmt.value, mutual=mutual)):
        out.print(f"wrote {path}", markup=False)


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
    graph_dir: GraphDirOption = None,
) -> None:
    """Write the interactive network page: one self-contained HTML file that works offline."""
    from moikg.ingest.load import load_dataset
    from moikg.network.page import RenderOptions, render

    options = RenderOptions(
        projection=projection.value,
        focus=focus,
        radius=radius,
        as_of=as_of,
        size_by=size_by,
        title=title,
    )
    written = run(
        lambda: render(
            endpoint if endpoint is not None else load_dataset(graph_dir),
            out=output,
            options=options,
        )
    )
    out.print(f"wrote {written}", markup=False)
