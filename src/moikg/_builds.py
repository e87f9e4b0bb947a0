"""The build's files as later stages use them: build when stale, find the enrichment graph.

``serve``, ``push`` and the embedded query all read what ``moikg build`` wrote
(``build/graph.trig``) plus, when ``moikg enrich`` has run, the separate
enrichment graph (``build/enrichment.trig``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from moikg import _paths

__all__ = ["ENRICHMENT_FILE", "TRIG_FILE", "build_files", "ensure_build", "is_stale"]

TRIG_FILE: Final = "graph.trig"
ENRICHMENT_FILE: Final = "enrichment.trig"


def _inputs(graph_dir: Path) -> list[Path]:
    inputs = [p for p in graph_dir.glob("*.ttl") if p.is_file()]
    return [*inputs, _paths.ontology_file(), _paths.shapes_file()]


def is_stale(build_dir: Path, graph_dir: Path) -> bool:
    """Return True when ``graph.trig`` is missing or older than a source, the ontology or shapes."""
    trig = build_dir / TRIG_FILE
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
    from moikg.build import build

    out = Path(build_dir) if build_dir is not None else _paths.build_dir()
    sources = Path(graph_dir) if graph_dir is not None else _paths.graph_dir()
    if not is_stale(out, sources):
        return out, False
    build(sources, out)
    return out, True


def build_files(build_dir: Path) -> list[Path]:
    """Return the dataset files of a build: ``graph.trig`` and, if present, the enrichment."""
    files = [build_dir / TRIG_FILE]
    enrichment = build_dir / ENRICHMENT_FILE
    if enrichment.is_file():
        files.append(enrichment)
    return files
