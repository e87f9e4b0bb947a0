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

from moikg.build import BuildResult, build
from moikg.card_add import AddResult, CardsBuildResult, add_card, build_cards
from moikg.cards import CardError, card_schema, read_card
from moikg.errors import ConformanceError, EndpointError, InputError, MoikgError, QueryError
from moikg.load import load_dataset
from moikg.query import query
from moikg.results import QueryResult
from moikg.validate import ValidationReport, Violation, validate, validate_files

__all__ = [
    "AddResult",
    "BuildResult",
    "CardError",
    "CardsBuildResult",
    "ConformanceError",
    "EndpointError",
    "InputError",
    "MoikgError",
    "QueryError",
    "QueryResult",
    "ValidationReport",
    "Violation",
    "__version__",
    "add_card",
    "build",
    "build_cards",
    "card_schema",
    "load_dataset",
    "query",
    "read_card",
    "validate",
    "validate_files",
]

try:
    __version__ = version("moikg")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
