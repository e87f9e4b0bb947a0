"""Write the reference pages into a folder (``build/docs/`` by default), atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from rdflib import Dataset

from moikg import _paths
from moikg._atomic import atomic_outputs
from moikg.docs.catalogue_page import catalogue_html
from moikg.docs.ontology_page import ontology_html

__all__ = ["DOC_PAGES", "write_docs"]

DOC_PAGES: Final = ("ontology.html", "queries.html")
"""The pages :func:`write_docs` writes, in order."""


def write_docs(dataset: Dataset | None = None, out_dir: Path | None = None) -> tuple[Path, ...]:
    """Write ``ontology.html`` and ``queries.html``.

    Args:
        dataset: The graph the catalogue's current results come from; defaults to the
            project's ``graph/`` on the embedded store.
        out_dir: The folder; defaults to ``build/docs/``.

    Returns:
        The files written.

    Raises:
        InputError: The ontology or a query file cannot be read.
    """
    if dataset is None:
        from moikg.ingest.load import load_dataset

        dataset = load_dataset()
    target = Path(out_dir) if out_dir is not None else _paths.build_dir() / "docs"
    with atomic_outputs(target) as batch:
        batch.write_text(DOC_PAGES[0], ontology_html())
        batch.write_text(DOC_PAGES[1], catalogue_html(dataset))
    return tuple(target / name for name in DOC_PAGES)
