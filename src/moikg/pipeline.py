"""The pipeline: build (load, validate, then write every output atomically), and build when stale.

``build`` loads the sources and the ontology, validates them against the
shapes, and only when they conform writes ``graph.trig``, ``graph.ttl``,
``graph.jsonld``, ``summary.md``, ``network.html`` (the actor network page,
:mod:`moikg.network.page`), the reference pages ``docs/ontology.html`` and
``docs/queries.html`` (:mod:`moikg.docs`) and ``dataset.ttl`` (the build described as a
dataset, VoID and DCAT: :mod:`moikg.ingest.describe`) into the output folder. All are
produced as temporary files first and renamed into place together, so a failed build
leaves an earlier build untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Dataset

from moikg import _paths
from moikg._atomic import atomic_outputs
from moikg.docs.catalogue_page import catalogue_html
from moikg.docs.ontology_page import ontology_html
from moikg.ingest.describe import describe_dataset
from moikg.ingest.export import snapshot, write_jsonld, write_trig, write_turtle
from moikg.ingest.load import StoreName, load_dataset, sources
from moikg.ingest.summary import Summary, render_markdown, summarise
from moikg.ingest.validation import ValidationReport, raise_for_violations, validate

__all__ = ["OUTPUTS", "BuildResult", "build", "build_files", "ensure_build", "is_stale"]

OUTPUTS: Final = (
    "graph.trig",
    "graph.ttl",
    "graph.jsonld",
    "summary.md",
    "network.html",
    "docs/ontology.html",
    "docs/queries.html",
    "dataset.ttl",
)
"""File names a build writes, in order."""


@dataclass(frozen=True)
class BuildResult:
    """What a build produced.

    Attributes:
        out_dir: The output folder.
        outputs: The files written, in the order of :data:`OUTPUTS`.
        report: The validation report (it conforms, or there would be no outputs).
        summary: Counts and lists, as written to ``summary.md``.
    """

    out_dir: Path
    outputs: tuple[Path, ...]
    report: ValidationReport
    summary: Summary


def build(
    graph_dir: Path | None = None,
    out_dir: Path | None = None,
    *,
    store: StoreName = "oxigraph",
    ontology: Path | None = None,
    shapes: Path | None = None,
) -> BuildResult:
    """Load, validate and export the graph.

    Args:
        graph_dir: Folder of sources; defaults to the project's ``graph/``.
        out_dir: Output folder; defaults to the project's ``build/``.
        store: ``"oxigraph"`` (default) or ``"memory"``.
        ontology: Ontology file; defaults to ``ontology/moi.ttl``.
        shapes: Shapes file; defaults to ``ontology/shapes.ttl``.

    Returns:
        The outputs, the report and the summary.

    Raises:
        InputError: An input is missing or malformed; nothing is written.
        ConformanceError: The data does not conform; nothing is written.
    """
    mapping = sources(graph_dir)
    dataset = load_dataset(files=list(mapping.values()), store=store, ontology=ontology)
    report = validate(dataset, shapes=shapes, ontology=ontology, files=mapping)
    raise_for_violations(report)
    summary = summarise(dataset)
    target = Path(out_dir) if out_dir is not None else _paths.build_dir()
    taken = snapshot(dataset)
    with atomic_outputs(target) as batch:
        write_trig(taken, batch.path("graph.trig"))
        write_turtle(taken, batch.path("graph.ttl"))
        write_jsonld(taken, batch.path("graph.jsonld"))
        batch.write_text("summary.md", render_markdown(summary))
        batch.write_text("network.html", _network_page(dataset))
        batch.write_text("docs/ontology.html", ontology_html(ontology))
        batch.write_text("docs/queries.html", catalogue_html(dataset))
        batch.write_text("dataset.ttl", describe_dataset(dataset).serialize(format="turtle"))
    return BuildResult(
        out_dir=target,
        outputs=tuple(target / name for name in OUTPUTS),
        report=report,
        summary=summary,
    )


def _network_page(dataset: Dataset) -> str:
    """The actor network page (imported here: ``import moikg`` stays light)."""
    from moikg.network.page import render_html
    from moikg.network.projection import actor_graph

    return render_html(actor_graph(dataset))


def _inputs(graph_dir: Path) -> list[Path]:
    inputs = [p for p in graph_dir.glob("*.ttl") if p.is_file()]
    return [*inputs, _paths.ontology_file(), _paths.shapes_file()]


def is_stale(build_dir: Path, graph_dir: Path) -> bool:
    """Return True when ``graph.trig`` is missing or older than a source, the ontology or shapes."""
    trig = build_dir / _paths.TRIG_FILE
    if not trig.is_file():
        return True
    built = trig.stat().st_mtime
    return any(p.is_file() and p.stat().st_mtime > built for p in _inputs(graph_dir))


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
