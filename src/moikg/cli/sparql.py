"""Commands of the SPARQL stage and the services: query, queries, serve, push, enrich."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from moikg.cli.core import BuildDirOption, TimeoutOption, app, err, out, print_table, run

__all__ = ["ResultFormat"]


class ResultFormat(StrEnum):
    """Output formats of ``moikg query``."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"


def _params(pairs: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            err.print(f"error: --param {pair!r}: write key=value", markup=False)
            raise typer.Exit(code=2)
        params[key.strip()] = value
    return params


def _cell(node: object) -> str:
    """Show a term in a table: IRIs as CURIEs of the project prefixes, literals as text."""
    from rdflib import URIRef

    from moikg.docs.html import curie

    if node is None:
        return ""
    if isinstance(node, URIRef):
        return curie(str(node))
    return str(node)


@app.command("query")
def query_command(
    query: Annotated[str, typer.Argument(help="Catalogue name, .rq file, or SPARQL text.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Parameter as key=value; repeatable."),
    ] = None,
    output: Annotated[
        ResultFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ResultFormat.table,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="SPARQL endpoint URL; default: embedded.")
    ] = None,
    timeout: TimeoutOption = 60.0,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest answer read from an endpoint (bytes).")
    ] = 64 * 1024 * 1024,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Let the query's SERVICE clauses send requests to other endpoints.",
        ),
    ] = False,
) -> None:
    """Run a catalogue query (see 'moikg queries'), a .rq file or SPARQL text."""
    from moikg.sparql.dispatch import query as run_query
    from moikg.sparql.remote import RemoteOptions

    params = _params(param)
    options = RemoteOptions(timeout=timeout, max_bytes=max_bytes)
    result = run(
        lambda: run_query(
            query,
            params,
            endpoint,
            options=options,
            time_limit=timeout,
            allow_service=allow_service,
        )
    )
    if output is not ResultFormat.table:
        text = result.serialize(output.value)  # type: ignore[arg-type]  # the same four names
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    elif result.boolean is not None:
        out.print("true" if result.boolean else "false", markup=False)
    else:
        table = Table(show_header=True, header_style="bold")
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*(_cell(node) for node in row))
        print_table(table)
        err.print(f"{len(result)} row(s)", markup=False)


@app.command("queries")
def queries_command(
    name: Annotated[
        str | None,
        typer.Argument(help="A query to describe: its question, parameters and columns."),
    ] = None,
) -> None:
    """List the query catalogue, or describe one query (moikg queries NAME)."""
    from moikg.sparql.catalogue import catalogue, find_query

    if name is not None:
        entry = run(lambda: find_query(name))
        out.print(f"{entry.name}: {entry.title}", markup=False, style="bold")
        out.print(f"Question: {entry.question}", markup=False)
        if entry.parameters:
            out.print("Parameters:", markup=False)
            for p in entry.parameters:
                default = f"default {p.default}" if p.default else "optional"
                out.print(f"  {p.name} ({p.type}, {default}): {p.description}", markup=False)
        else:
            out.print("Parameters: none", markup=False)
        out.print(f"Columns: {', '.join(entry.columns)}", markup=False)
        out.print(f"File: {entry.path}", markup=False)
        example = " ".join(f"-p {p.name}=…" for p in entry.parameters[:1])
        out.print(f"Run: moikg query {entry.name} {example}".rstrip(), markup=False)
        return
    entries = run(catalogue)
    width = max((len(name) for name in entries), default=0)
    for entry in entries.values():
        out.print(f"{entry.name:<{width}}  {entry.title}", markup=False)
        if entry.parameters:
            params = ", ".join(
                f"{p.name}={p.default}" if p.default else f"{p.name} (optional)"
                for p in entry.parameters
            )
            out.print(f"{'':<{width}}  parameters: {params}", markup=False)
    out.print(
        f"{len(entries)} queries; describe one with: moikg queries NAME; "
        "run one with: moikg query NAME",
        markup=False,
    )


@app.command("serve")
def serve_command(
    port: Annotated[int, typer.Option("--port", help="TCP port on 127.0.0.1.")] = 7878,
    writable: Annotated[
        bool, typer.Option("--writable", help="Accept SPARQL updates (they persist).")
    ] = False,
    build_dir: BuildDirOption = None,
    timeout: Annotated[
        int,
        typer.Option("--timeout", help="Seconds a query may run on the server (0: no limit)."),
    ] = 60,
) -> None:
    """Serve the build as a SPARQL endpoint (oxigraph) on 127.0.0.1 until Ctrl-C."""
    from moikg.service.server import ServeOptions, Started, serve

    def ready(started: Started) -> None:
        if started.built:
            out.print("built the graph (the build was missing or stale)", markup=False)
        out.print(f"store: {started.store}: {started.description}", markup=False)
        limit = f"{timeout} s per query" if timeout > 0 else "none"
        out.print(f"time limit: {limit} (--timeout)", markup=False)
        out.print(f"SPARQL endpoint: {started.addresses.query}", markup=False)
        out.print(f"YASGUI (works offline): {started.addresses.yasgui}", markup=False)
        out.print(
            f"YASGUI with the project prefixes: {started.addresses.yasgui_with_prefixes}",
            markup=False,
        )
        if started.options.writable:
            out.print(f"updates: {started.addresses.update} (writable)", markup=False)
        else:
            out.print(
                "read-only: updates are refused (HTTP 403); --writable allows them", markup=False
            )
        out.print("Press Ctrl-C to stop.", markup=False)
        sys.stdout.flush()

    run(
        lambda: serve(
            ServeOptions(port=port, writable=writable, timeout_s=timeout or None),
            build_dir=build_dir,
            on_ready=ready,
        )
    )
    out.print("stopped", markup=False)


@app.command("push")
def push_command(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="Graph Store endpoint URL (e.g. …/store, …/data).")
    ],
    build_dir: BuildDirOption = None,
    timeout: TimeoutOption = 60.0,
) -> None:
    """Upload each named graph of the build with the SPARQL 1.1 Graph Store Protocol."""
    from moikg.service.push import push
    from moikg.sparql.remote import RemoteOptions

    result = run(
        lambda: push(endpoint, build_dir=build_dir, options=RemoteOptions(timeout=timeout))
    )
    for iri, triples in result.graphs:
        out.print(f"PUT <{iri}>: {triples} triples", markup=False)
    out.print(f"pushed {len(result.graphs)} graph(s) to {result.endpoint}", markup=False)


@app.command("enrich")
def enrich_command(
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="SPARQL endpoint (default: Wikidata).")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="TriG file (default: build/enrichment.trig).")
    ] = None,
    timeout: TimeoutOption = 60.0,
) -> None:
    """Fetch label, country, inception, website, coordinates of linked Wikidata items."""
    from moikg.service.enrichment import WIKIDATA_ENDPOINT, enrich
    from moikg.sparql.remote import RemoteOptions

    result = run(
        lambda: enrich(
            endpoint or WIKIDATA_ENDPOINT, out=out_file, options=RemoteOptions(timeout=timeout)
        )
    )
    out.print(
        f"{len(result.items)} linked item(s), {result.triples} triples from {result.endpoint} "
        f"at {result.retrieved.isoformat()}",
        markup=False,
    )
    out.print(f"wrote {result.path} (graph <{result.graph}>)", markup=False)
