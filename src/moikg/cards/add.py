"""Add a source card to the graph, or regenerate every graph file from its card.

``add_card`` reads and checks a card (:mod:`moikg.cards.read`), resolves its actors
against the rest of the graph (:mod:`moikg.cards.resolve`), converts it to Turtle
(:mod:`moikg.cards.to_rdf`), validates the WHOLE graph with the new file in place
against the SHACL shapes, and only then writes ``graph/<stem>.ttl`` and a copy
of the card in ``graph/cards/`` (atomically, :mod:`moikg._atomic`). On any
error nothing under ``graph/`` changes.

Writers are serialised (issue 13.2): both hold an exclusive lock on the graph folder
(:func:`moikg._lock.folder_lock`) from before they read the graph until their files are
committed, so a second writer checks against what the first one wrote; it waits at most
``lock_timeout`` seconds, then is refused (exit 2). A dry run and a check take no lock.

``build_cards`` regenerates ``graph/<stem>.ttl`` from every
``graph/cards/<stem>.yaml``, in file-name order, each card resolved against
the other files; ``check=True`` only reports which files would change.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Graph, URIRef

from moikg import _paths
from moikg._atomic import atomic_outputs
from moikg._lock import DEFAULT_LOCK_TIMEOUT, folder_lock
from moikg._paths import display_path
from moikg._progress import StepCallback, no_step
from moikg.cards.incremental import add_through_store, refuse_unless_conforms
from moikg.cards.read import Card, read_card
from moikg.cards.resolve import Index
from moikg.cards.to_rdf import card_to_graph, convert_card, to_turtle
from moikg.errors import InputError
from moikg.ingest.load import (
    ONTOLOGY_GRAPH,
    StoreName,
    graph_folder,
    graph_iri,
    load_dataset,
    merge_default_graph,
    read_graph,
    sources,
    to_memory,
)
from moikg.ingest.validation import raise_for_violations, validate

__all__ = ["ADD_STEPS", "AddResult", "CardsBuildResult", "add_card", "build_cards", "cards_dir"]

_CARD_SUFFIXES: Final = (".yaml", ".yml")


@dataclass(frozen=True)
class AddResult:
    """What ``add_card`` did (or, with ``dry_run``, would do).

    Attributes:
        card: The card read.
        target: The Turtle file, ``graph/<stem>.ttl``.
        card_copy: Where the card is kept, ``graph/cards/<stem>.yaml``.
        turtle: The Turtle text.
        triples: Triples in the new file.
        new_triples: Of those, triples the rest of the graph did not hold already.
        existing_actors: (card key, IRI) of each actor that resolved to an existing one.
        written: False for a dry run.
    """

    card: Path
    target: Path
    card_copy: Path
    turtle: str
    triples: int
    new_triples: int
    existing_actors: tuple[tuple[str, str], ...]
    written: bool


@dataclass(frozen=True)
class CardsBuildResult:
    """What ``build_cards`` did.

    Attributes:
        outputs: Every file generated from a card, in card order.
        changed: The files whose text differs from what was on disk.
        written: True when the changed files were written (not a check).
    """

    outputs: tuple[Path, ...]
    changed: tuple[Path, ...]
    written: bool


def cards_dir(graph_dir: Path | None = None) -> Path:
    """Return the folder of cards: ``<graph>/cards``."""
    return (Path(graph_dir) if graph_dir is not None else _paths.graph_dir()) / "cards"


def add_card(
    card_file: Path | str,
    *,
    graph_dir: Path | None = None,
    dry_run: bool = False,
    replace: bool = False,
    ontology: Path | None = None,
    shapes: Path | None = None,
    store: StoreName = "oxigraph",
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    store_dir: Path | None = None,
    progress: StepCallback | None = None,
) -> AddResult:
    """Add one source card to the graph.

    Args:
        card_file: The card (YAML).
        graph_dir: The graph folder; defaults to the project's ``graph/``.
        dry_run: Check and convert, validate, but write nothing.
        replace: Allow replacing an existing ``graph/<stem>.ttl`` that was not made
            from this very card file.
        ontology: Ontology file; defaults to ``ontology/moi.ttl``.
        shapes: Shapes file; defaults to ``ontology/shapes.ttl``.
        store: Store used to load the graph for validation.
        lock_timeout: Seconds to wait while another writer holds the graph folder's lock
            (not for a dry run, which takes no lock), and for the store's lock.
        store_dir: Where the graph folder's on-disk store lives (:mod:`moikg.cards.incremental`);
            defaults to ``<graph folder's parent>/build/store/<graph folder's name>``.
        progress: Called with each step's name as it starts (:data:`ADD_STEPS` of them).

    Returns:
        What was (or would be) written.

    Raises:
        CardError: The card is malformed, or its actors do not resolve.
        InputError: A graph file is unreadable, the target exists, or another writer held
            the graph folder for longer than ``lock_timeout``.
        ConformanceError: The graph with the card added does not conform to the shapes.
    """
    step = progress or no_step
    step("reading the card")
    card = read_card(card_file)
    folder = graph_folder(graph_dir)
    step("waiting for the graph folder" if not dry_run else "dry run, no lock")
    with nullcontext() if dry_run else folder_lock(folder, timeout=lock_timeout):
        step("converting and validating")
        options = _Options(dry_run, replace, ontology, shapes, store, store_dir, lock_timeout)
        return _add(card, folder, options)


ADD_STEPS: Final = 3
"""How many steps :func:`add_card` reports to its ``progress`` callback."""


@dataclass(frozen=True)
class _Options:
    dry_run: bool
    replace: bool
    ontology: Path | None
    shapes: Path | None
    store: StoreName
    store_dir: Path | None
    lock_timeout: float


def _add(card: Card, folder: Path, options: _Options) -> AddResult:
    dry_run, replace, ontology, shapes, store = (
        options.dry_run, options.replace, options.ontology, options.shapes, options.store,
    )  # fmt: skip
    target = folder / f"{card.stem}.ttl"
    copy = cards_dir(folder) / f"{card.stem}.yaml"
    same_card = copy.exists() and copy.resolve() == card.path.resolve()
    if (target.exists() or copy.exists()) and not same_card and not replace:
        clash = target if target.exists() else copy
        raise InputError(
            f"{display_path(clash)} already exists and was not made from "
            f"{display_path(card.path)}; rename the card (its file name names the output) "
            "or pass replace=True",
            path=str(clash),
            parameter="replace",
        )
    if store == "oxigraph" and not target.exists() and not copy.exists():
        # A new source: through the folder's on-disk store, validating what the card affects.
        quick = _add_through_store(card, folder, target, copy, same_card, options)
        if quick is not None:
            return quick
    others = {iri: p for iri, p in sources(folder).items() if iri != graph_iri(card.stem)}
    dataset = load_dataset(files=list(others.values()), store=store, ontology=ontology)
    # One parse of each file: the index and the count of new triples read the loaded dataset.
    memory = to_memory(dataset, graphs=[*others, ONTOLOGY_GRAPH])
    ontology_graph = memory.graph(ONTOLOGY_GRAPH)
    rest = Graph()
    for iri in others:
        rest += memory.graph(iri)
    graph, actors = convert_card(card, Index.from_graph(rest, ontology_graph), ontology_graph)
    turtle = to_turtle(graph, card, card_name=_card_name(folder, card))
    dataset.graph(graph_iri(card.stem)).parse(data=turtle, format="turtle")
    merge_default_graph(dataset)
    report = validate(
        dataset, shapes=shapes, ontology=ontology, files={**others, graph_iri(card.stem): target}
    )
    refuse_unless_conforms(card, report)
    new = sum(1 for triple in graph if triple not in rest)
    existing = tuple((key, str(a.iri)) for key, a in actors.items() if a.existing)
    if not dry_run:
        # One batch: nothing moves until both are written; the Turtle file is committed first,
        # then the copy of the card that says it was made from this card.
        with atomic_outputs(folder) as batch:
            batch.write_text(target.name, turtle)
            if not same_card:
                batch.write_text(str(copy.relative_to(folder)), card.text)
    return AddResult(
        card=card.path,
        target=target,
        card_copy=copy,
        turtle=turtle,
        triples=len(graph),
        new_triples=new,
        existing_actors=existing,
        written=not dry_run,
    )


def _add_through_store(
    card: Card, folder: Path, target: Path, copy: Path, same_card: bool, options: _Options
) -> AddResult | None:
    def write(turtle: str) -> None:
        with atomic_outputs(folder) as batch:
            batch.write_text(target.name, turtle)
            if not same_card:
                batch.write_text(str(copy.relative_to(folder)), card.text)

    added = add_through_store(
        card,
        folder=folder,
        target=target,
        card_name=_card_name(folder, card),
        dry_run=options.dry_run,
        ontology=options.ontology,
        shapes=options.shapes,
        location=options.store_dir,
        write=write,
        lock_timeout=options.lock_timeout,
    )
    if added is None:
        return None
    existing = tuple((key, str(a.iri)) for key, a in added.actors.items() if a.existing)
    return AddResult(
        card=card.path,
        target=target,
        card_copy=copy,
        turtle=added.turtle,
        triples=len(added.graph),
        new_triples=added.new_triples,
        existing_actors=existing,
        written=not options.dry_run,
    )


def build_cards(
    graph_dir: Path | None = None,
    *,
    check: bool = False,
    ontology: Path | None = None,
    shapes: Path | None = None,
    store: StoreName = "oxigraph",
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> CardsBuildResult:
    """Regenerate ``graph/<stem>.ttl`` from every card in ``graph/cards/``.

    Cards are converted in file-name order; each resolves its actors against
    every other graph file (those already regenerated in this run as
    regenerated). The whole graph is validated before anything is written, and
    the changed files are written in one atomic batch.

    Args:
        graph_dir: The graph folder; defaults to the project's ``graph/``.
        check: Only report which files would change; write nothing.
        ontology: Ontology file; defaults to ``ontology/moi.ttl``.
        shapes: Shapes file; defaults to ``ontology/shapes.ttl``.
        store: Store used to load the graph for validation.
        lock_timeout: Seconds to wait while another writer holds the graph folder's lock
            (not for a check, which takes no lock).

    Returns:
        The generated files and which of them changed.

    Raises:
        CardError: A card is malformed or does not resolve.
        InputError: A graph file is unreadable, or another writer held the graph folder for
            longer than ``lock_timeout``.
        ConformanceError: The regenerated graph does not conform to the shapes.
    """
    folder = Path(graph_dir) if graph_dir is not None else _paths.graph_dir()
    locked = not check and folder.is_dir()
    with folder_lock(folder, timeout=lock_timeout) if locked else nullcontext():
        return _build(folder, check, ontology, shapes, store)


def _build(
    folder: Path,
    check: bool,
    ontology: Path | None,
    shapes: Path | None,
    store: StoreName,
) -> CardsBuildResult:
    card_files = sorted(
        p for p in cards_dir(folder).glob("*") if p.suffix in _CARD_SUFFIXES and p.is_file()
    )
    cards = [read_card(p) for p in card_files]
    files = sources(folder) if folder.is_dir() else {}
    graphs: dict[URIRef, Graph] = {iri: read_graph(path) for iri, path in files.items()}
    ontology_graph = read_graph(ontology or _paths.ontology_file())
    texts: dict[URIRef, str] = {}
    for card in cards:
        iri = graph_iri(card.stem)
        rest = Graph()
        for other, graph in graphs.items():
            if other != iri:
                rest += graph
        generated = card_to_graph(card, Index.from_graph(rest, ontology_graph), ontology_graph)
        texts[iri] = to_turtle(generated, card, card_name=_card_name(folder, card))
        graphs[iri] = generated
    targets = {graph_iri(c.stem): folder / f"{c.stem}.ttl" for c in cards}
    changed = tuple(
        targets[iri]
        for iri, text in texts.items()
        if not targets[iri].is_file() or targets[iri].read_text(encoding="utf-8") != text
    )
    if check or not changed:
        return CardsBuildResult(tuple(targets.values()), changed, written=False)
    hand_written = {iri: p for iri, p in files.items() if iri not in texts}
    dataset = load_dataset(files=list(hand_written.values()), store=store, ontology=ontology)
    for iri, text in texts.items():
        dataset.graph(iri).parse(data=text, format="turtle")
    merge_default_graph(dataset)
    report = validate(dataset, shapes=shapes, ontology=ontology, files={**files, **targets})
    raise_for_violations(report)
    with atomic_outputs(folder) as batch:
        for path in changed:
            batch.write_text(path.name, texts[graph_iri(path.stem)])
    return CardsBuildResult(tuple(targets.values()), changed, written=True)


def _card_name(folder: Path, card: Card) -> str:
    return f"{folder.name}/cards/{card.stem}.yaml"
