"""moikg: a knowledge graph of mission-oriented innovation actors.

The public API a notebook needs; everything the CLI does goes through it::

    import moikg
    dataset = moikg.load_dataset()
    report = moikg.validate(dataset)
    result = moikg.build()

Importing this package reads no file, touches no network and loads none of the
heavy libraries: each public name is imported from its module on first use
(PEP 562 module ``__getattr__``). No module shares its name with a public
function, so importing a submodule never shadows one (``moikg.validate`` is the
function from :mod:`moikg.ingest.validation`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from moikg._version import __version__
    from moikg.cards.add import AddResult, CardsBuildResult, add_card, build_cards
    from moikg.cards.read import card_schema, read_card
    from moikg.errors import (
        CardError,
        ConformanceError,
        EndpointError,
        InputError,
        MoikgError,
        QueryError,
        Violation,
    )
    from moikg.ingest.load import load_dataset
    from moikg.ingest.validation import ValidationReport, validate, validate_files
    from moikg.network.analysis import Analysis, AnalysisOptions, analyse
    from moikg.network.formats import export_network
    from moikg.network.page import RenderOptions, render, render_html
    from moikg.network.projection import (
        ProjectionOptions,
        actor_graph,
        bipartite_graph,
        ego_network,
        organisation_graph,
        project,
    )
    from moikg.pipeline import BuildResult, build
    from moikg.sparql.catalogue import QueryEntry, queries
    from moikg.sparql.dispatch import query
    from moikg.sparql.results import QueryResult

__all__ = [
    "AddResult",
    "Analysis",
    "AnalysisOptions",
    "BuildResult",
    "CardError",
    "CardsBuildResult",
    "ConformanceError",
    "EndpointError",
    "InputError",
    "MoikgError",
    "ProjectionOptions",
    "QueryEntry",
    "QueryError",
    "QueryResult",
    "RenderOptions",
    "ValidationReport",
    "Violation",
    "__version__",
    "actor_graph",
    "add_card",
    "analyse",
    "bipartite_graph",
    "build",
    "build_cards",
    "card_schema",
    "ego_network",
    "export_network",
    "load_dataset",
    "organisation_graph",
    "project",
    "queries",
    "query",
    "read_card",
    "render",
    "render_html",
    "validate",
    "validate_files",
]

_SOURCES: Final[dict[str, tuple[str, ...]]] = {
    "moikg.cards.add": ("AddResult", "CardsBuildResult", "add_card", "build_cards"),
    "moikg.cards.read": ("card_schema", "read_card"),
    "moikg.errors": (
        "CardError",
        "ConformanceError",
        "EndpointError",
        "InputError",
        "MoikgError",
        "QueryError",
        "Violation",
    ),
    "moikg.ingest.load": ("load_dataset",),
    "moikg.ingest.validation": ("ValidationReport", "validate", "validate_files"),
    "moikg.network.analysis": ("Analysis", "AnalysisOptions", "analyse"),
    "moikg.network.formats": ("export_network",),
    "moikg.network.page": ("RenderOptions", "render", "render_html"),
    "moikg.network.projection": (
        "ProjectionOptions",
        "actor_graph",
        "bipartite_graph",
        "ego_network",
        "organisation_graph",
        "project",
    ),
    "moikg.pipeline": ("BuildResult", "build"),
    "moikg.sparql.catalogue": ("QueryEntry", "queries"),
    "moikg.sparql.dispatch": ("query",),
    "moikg.sparql.results": ("QueryResult",),
    # importlib.metadata takes most of the time of a bare import: load it on first use too.
    "moikg._version": ("__version__",),
}
_MODULE_OF: Final = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use (PEP 562)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'moikg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names with the module's own attributes."""
    return sorted({*globals(), *__all__})
