"""Build: load, validate, then write every output atomically.

``build`` loads the sources and the ontology, validates them against the
shapes, and only when they conform writes ``graph.trig``, ``graph.ttl``,
``graph.jsonld``, ``summary.md`` and ``network.html`` (the actor network page,
:mod:`moikg.render`) into the output folder. All are produced as temporary files
first and renamed into place together, so a failed build leaves an earlier
build untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Dataset

from moikg import _paths
from moikg._atomic import atomic_outputs
from moikg.export import union_graph, write_jsonld, write_trig, write_turtle
from moikg.load import StoreName, load_dataset, sources
from moikg.summary import Summary, render_markdown, summarise
from moikg.validate import ValidationReport, raise_for_violations, validate

__all__ = ["OUTPUTS", "BuildResult", "build"]

OUTPUTS: Final = ("graph.trig", "graph.ttl", "graph.jsonld", "summary.md", "network.html")
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
    union = union_graph(dataset)
    with atomic_outputs(target) as batch:
        write_trig(dataset, batch.path("graph.trig"))
        write_turtle(union, batch.path("graph.ttl"))
        write_jsonld(union, batch.path("graph.jsonld"))
        batch.write_text("summary.md", render_markdown(summary))
        batch.write_text("network.html", _network_page(dataset))
    return BuildResult(
        out_dir=target,
        outputs=tuple(target / name for name in OUTPUTS),
        report=report,
        summary=summary,
    )


def _network_page(dataset: Dataset) -> str:
    """The actor network page (imported here: ``import moikg`` stays light)."""
    from moikg.network import actor_graph
    from moikg.render import render_html

    return render_html(actor_graph(dataset))
