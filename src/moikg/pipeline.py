"""The pipeline: build (load, validate, then write every output atomically), and build when stale.

``build`` loads the sources and the ontology, validates them against the
shapes, and only when they conform writes ``graph.trig``, ``graph.ttl``,
``graph.jsonld``, ``summary.md``, ``network.html`` (the actor network page,
:mod:`moikg.network.page`), the reference pages ``docs/ontology.html`` and
``docs/queries.html`` (:mod:`moikg.docs`) and ``dataset.ttl`` (the build described as a
dataset, VoID and DCAT: :mod:`moikg.ingest.describe`) and ``build-inputs.json`` (digests
of the inputs and of moikg's code, which :func:`is_stale` compares) into the output folder. All are
produced as temporary files first and renamed into place together, so a failed build
leaves an earlier build untouched. Beside them, ``.moikg-cache/`` keeps the build's record, from
which the next build into the same folder redoes only what changed
(:mod:`moikg.ingest.rebuild`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from oxrdflib import OxigraphStore
from rdflib import Dataset

from moikg import _paths
from moikg._atomic import atomic_outputs
from moikg._background import Background
from moikg._forked import can_fork, forked
from moikg._progress import StepCallback, no_step
from moikg.docs.catalogue_page import catalogue_html
from moikg.docs.ontology_page import ontology_html
from moikg.ingest.build_cache import DATA_OUTPUTS
from moikg.ingest.counts import graph_counts
from moikg.ingest.describe import dataset_turtle
from moikg.ingest.load import StoreName, load_dataset, sources
from moikg.ingest.rebuild import check
from moikg.ingest.store_files import file_digest
from moikg.ingest.summary import Summary, render_markdown, summarise
from moikg.ingest.validation import ValidationReport, raise_for_violations

__all__ = [
    "BUILD_STEPS",
    "OUTPUTS",
    "BuildResult",
    "build",
    "build_files",
    "ensure_build",
    "is_stale",
]

OUTPUTS: Final = (
    "graph.trig",
    "graph.ttl",
    "graph.jsonld",
    "summary.md",
    "network.html",
    "docs/ontology.html",
    "docs/queries.html",
    "dataset.ttl",
    "build-inputs.json",
)
"""File names a build writes, in order (the last one records what the build was made from)."""

_STAMP: Final = "build-inputs.json"
_CODE_SUFFIXES: Final = frozenset({".py", ".rq", ".json", ".html", ".css", ".js", ".ttl"})


@dataclass(frozen=True)
class BuildResult:
    """What a build produced.

    Attributes:
        out_dir: The output folder.
        outputs: The files written, in the order of :data:`OUTPUTS`.
        report: The validation report (it conforms, or there would be no outputs).
        summary: Counts and lists, as written to ``summary.md``.
        revalidated: How many focus nodes were validated (None: all, a full validation);
            fewer when the last build's record let this one validate only what changed.
        reused: How many graphs' statements came from that record unchanged.
    """

    out_dir: Path
    outputs: tuple[Path, ...]
    report: ValidationReport
    summary: Summary
    revalidated: int | None = None
    reused: int = 0


def build(
    graph_dir: Path | None = None,
    out_dir: Path | None = None,
    *,
    store: StoreName = "oxigraph",
    ontology: Path | None = None,
    shapes: Path | None = None,
    progress: StepCallback | None = None,
    reuse: bool = True,
) -> BuildResult:
    """Load, validate and export the graph.

    Args:
        graph_dir: Folder of sources; defaults to the project's ``graph/``.
        out_dir: Output folder; defaults to the project's ``build/``.
        store: ``"oxigraph"`` (default) or ``"memory"``.
        ontology: Ontology file; defaults to ``ontology/moi.ttl``.
        shapes: Shapes file; defaults to ``ontology/shapes.ttl``.
        progress: Called with each step's name as it starts (:data:`BUILD_STEPS` of them).
        reuse: Reuse the last build's record in ``out_dir`` (False: redo everything; the
            outputs are the same either way, and a new record is kept).

    Returns:
        The outputs, the report and the summary.

    Raises:
        InputError: An input is missing or malformed; nothing is written.
        ConformanceError: The data does not conform; nothing is written.
    """
    step = progress or no_step
    step("loading")
    mapping = sources(graph_dir)
    target = Path(out_dir) if out_dir is not None else _paths.build_dir()
    digests = {iri: file_digest(path) for iri, path in mapping.items()}
    known = {mapping[iri]: digest for iri, digest in digests.items()}
    stamp = _stamp(graph_dir if graph_dir is not None else _paths.graph_dir(), known)
    dataset = load_dataset(files=list(mapping.values()), store=store, ontology=ontology)
    with ExitStack() as jobs:
        # On a large graph the network page, mostly Python, is made in a forked child (see
        # moikg._forked) from the store as loaded, while this process validates and goes on;
        # it is discarded if validation fails. The fork comes before any thread starts.
        network = (
            jobs.enter_context(forked(lambda: _network_page(dataset)))
            if can_fork() and _size(dataset) >= FORK_AT
            else None
        )
        step("validating")
        checked = check(
            dataset, files=mapping, digests=digests, out_dir=target, code=_code_digest(),
            shapes=shapes, ontology=ontology, reuse=reuse,
        )  # fmt: skip
        report = checked.report
        raise_for_violations(report)
        # The catalogue page is mostly the store's own query evaluation, which runs outside
        # Python's lock: on a thread, beside the steps below (which do not change the store).
        queries_page = Background(lambda: catalogue_html(dataset), name="moikg catalogue page")
        step("summarising")
        counts = graph_counts(dataset)
        summary = summarise(dataset, counts=counts)
        step("writing graph.trig, graph.ttl, graph.jsonld")
        with atomic_outputs(target) as batch:
            checked.write_data({name: batch.path(name) for name in DATA_OUTPUTS})
            batch.write_text("summary.md", render_markdown(summary))
            step("network page")
            page = network.result() if network is not None else _network_page(dataset)
            batch.write_text("network.html", page)
            step("ontology reference")
            batch.write_text("docs/ontology.html", ontology_html(ontology))
            step("query catalogue page")
            batch.write_text("docs/queries.html", queries_page.result())
            batch.write_text("dataset.ttl", dataset_turtle(dataset, counts=counts))
            batch.write_text(_STAMP, stamp)
    return BuildResult(
        out_dir=target,
        outputs=tuple(target / name for name in OUTPUTS),
        report=report,
        summary=summary,
        revalidated=checked.revalidated,
        reused=checked.reused,
    )


BUILD_STEPS: Final = 7
"""How many steps :func:`build` reports to its ``progress`` callback."""

FORK_AT: Final = 200_000
"""Quads in the store from which the network page is made in a forked child, beside the rest
(below, the fork's own cost is a larger share of the page's)."""


def _size(dataset: Dataset) -> int:
    store = dataset.store
    return len(store._inner) if isinstance(store, OxigraphStore) else len(dataset)


def _network_page(dataset: Dataset) -> str:
    """The actor network page (imported here: ``import moikg`` stays light)."""
    from moikg.network.page import render_html
    from moikg.network.projection import actor_graph

    return render_html(actor_graph(dataset))


def _inputs(graph_dir: Path) -> dict[str, Path]:
    inputs = {f"graph/{p.name}": p for p in sorted(Path(graph_dir).glob("*.ttl")) if p.is_file()}
    for path in (_paths.ontology_file(), _paths.shapes_file()):
        inputs[f"ontology/{path.name}"] = path
    return inputs


def _code_digest() -> str:
    """One digest of moikg's own code and artefacts: a build made by other code is stale."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp(graph_dir: Path, known: Mapping[Path, str] | None = None) -> str:
    """What a build is made from: each input's name and content digest, and the code's digest.

    Names, not paths, and contents, not times: the stamp is the same for the same inputs
    wherever the project lies, so builds stay reproducible byte for byte. ``known``: digests
    already taken (file → digest), not taken again.
    """
    files = _inputs(graph_dir).items()
    seen = known or {}
    inputs = {
        name: seen[path] if path in seen else file_digest(path)
        for name, path in files
        if path.is_file()
    }
    return json.dumps({"code": _code_digest(), "inputs": inputs}, indent=1, sort_keys=True) + "\n"


def is_stale(build_dir: Path, graph_dir: Path) -> bool:
    """Return True when the build is missing or was made from other inputs or other code.

    A source added, changed or removed, a changed ontology or shapes file, or another
    version of moikg all make the build stale (a removed source used to go unnoticed, and
    a build made by older code was served as if current).
    """
    trig = build_dir / _paths.TRIG_FILE
    stamp = build_dir / _STAMP
    if not trig.is_file() or not stamp.is_file():
        return True
    try:
        return stamp.read_text(encoding="utf-8") != _stamp(graph_dir)
    except OSError:
        return True


def ensure_build(
    *, build_dir: Path | None = None, graph_dir: Path | None = None
) -> tuple[Path, bool]:
    """Build the graph if the build is missing or stale.

    Args:
        build_dir: Output folder; defaults to the project's ``build/``.
        graph_dir: Source folder; defaults to the project's ``graph/``.

    Returns:
        The build folder and whether a build ran now.

    Raises:
        InputError: An input is missing or malformed.
        ConformanceError: The data does not conform; nothing is written.
    """
    out = Path(build_dir) if build_dir is not None else _paths.build_dir()
    sources = Path(graph_dir) if graph_dir is not None else _paths.graph_dir()
    if not is_stale(out, sources):
        return out, False
    build(sources, out)
    return out, True


def build_files(build_dir: Path) -> list[Path]:
    """Return the dataset files of a build: ``graph.trig`` and, if present, the enrichment."""
    files = [build_dir / _paths.TRIG_FILE]
    enrichment = build_dir / _paths.ENRICHMENT_FILE
    if enrichment.is_file():
        files.append(enrichment)
    return files
