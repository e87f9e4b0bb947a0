"""Commands of source cards: add, card-schema, cards build."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from moikg.cli.core import GraphDirOption, QuietOption, app, err, out, run

__all__ = ["cards_app"]

LockTimeoutOption = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        help="Seconds to wait while another `moikg add` or `cards build` writes to graph/; "
        "then give up (exit 2).",
    ),
]


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
    graph_dir: GraphDirOption = None,
    lock_timeout: LockTimeoutOption = 30.0,
    quiet: QuietOption = False,
) -> None:
    """Add a source card: resolve its actors, validate the whole graph, write graph/<card>.ttl."""
    from moikg._progress import step_bar
    from moikg.cards.add import ADD_STEPS, add_card

    with step_bar("adding", ADD_STEPS, quiet=quiet) as step:
        result = run(
            lambda: add_card(
                card,
                graph_dir=graph_dir,
                dry_run=dry_run,
                replace=replace,
                lock_timeout=lock_timeout,
                progress=step,
            )
        )
    if dry_run:
        out.print(result.turtle, markup=False, end="")
    for key, iri in result.existing_actors:
        err.print(f"{key}: existing actor {iri}", markup=False)
    verb = "would write" if dry_run else "wrote"
    err.print(
        f"{verb} {result.target}: {result.triples} triples, {result.new_triples} new to the graph",
        markup=False,
    )
    if not dry_run:
        err.print(f"card kept as {result.card_copy}", markup=False)
        err.print(
            "next: 'moikg build' rebuilds build/ (graph.trig, summary.md, network.html, "
            "docs/); 'moikg render' rewrites only the network page; a running 'moikg serve' "
            "serves the new graph after a restart",
            markup=False,
        )


@app.command("generate")
def generate_command(
    triples: Annotated[
        int,
        typer.Option("--triples", min=100, max=20_000_000, help="About how many triples to write."),
    ],
    out_dir: Annotated[Path, typer.Option("-o", "--out", help="Folder to write the sources to.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 1,
    quiet: QuietOption = False,
) -> None:
    """Write synthetic, connected sources (cards and Turtle) for benchmarks and scale tests."""
    from moikg._progress import progress_bar
    from moikg.cards.synthetic import generate

    with progress_bar("generating", quiet=quiet) as progress:
        result = run(
            lambda: generate(triples=triples, seed=seed, out_dir=out_dir, progress=progress)
        )
    err.print(
        f"wrote {result.sources} sources, {result.triples} triples, to {result.out_dir}",
        markup=False,
    )


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
    graph_dir: GraphDirOption = None,
    lock_timeout: LockTimeoutOption = 30.0,
) -> None:
    """Regenerate graph/<name>.ttl from every graph/cards/<name>.yaml (validated first)."""
    from moikg.cards.add import build_cards

    result = run(lambda: build_cards(graph_dir, check=check, lock_timeout=lock_timeout))
    for path in result.changed:
        out.print(f"{'differs' if check else 'wrote'} {path}", markup=False)
    out.print(
        f"{len(result.outputs)} card(s), {len(result.changed)} file(s) "
        f"{'differ' if check else 'rewritten'}",
        markup=False,
    )
    if check and result.changed:
        err.print("graph files drifted from their cards: run `moikg cards build`", markup=False)
        raise typer.Exit(code=1)
