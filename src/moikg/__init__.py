"""moikg: a knowledge graph of mission-oriented innovation actors.

The public API a notebook needs; everything the CLI does goes through it::

    import moikg
    dataset = moikg.load_dataset()
    report = moikg.validate(dataset)
    result = moikg.build()

Importing this package reads no file and touches no network. The functions
are imported eagerly on purpose: ``moikg.validate`` and ``moikg.build`` share
their names with their modules, and a lazy import would let the submodule
shadow the function as soon as anything imported it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from moikg.analyse import Analysis, AnalysisOptions, analyse
from moikg.build import BuildResult, build
from moikg.card_add import AddResult, CardsBuildResult, add_card, build_cards
from moikg.cards import CardError, card_schema, read_card
from moikg.errors import ConformanceError, EndpointError, InputError, MoikgError, QueryError
from moikg.load import load_dataset
from moikg.network import (
    ProjectionOptions,
    actor_graph,
    bipartite_graph,
    ego_network,
    organisation_graph,
    project,
)
from moikg.network_export import export_network
from moikg.query import query
from moikg.render import RenderOptions, render, render_html
from moikg.results import QueryResult
from moikg.validate import ValidationReport, Violation, validate, validate_files

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
    "query",
    "read_card",
    "render",
    "render_html",
    "validate",
    "validate_files",
]

try:
    __version__ = version("moikg")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
