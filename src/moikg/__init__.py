"""moikg: a knowledge graph of mission-oriented innovation actors.

The public API a notebook needs; everything the CLI does goes through it::

    import moikg
    dataset = moikg.load_dataset()
    report = moikg.validate(dataset)
    result = moikg.build()

Importing this package reads no file and touches no network; the pipeline
modules are imported on first use (PEP 562 module ``__getattr__``).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from moikg.errors import ConformanceError, EndpointError, InputError, MoikgError, QueryError

if TYPE_CHECKING:
    from moikg.build import BuildResult, build
    from moikg.load import load_dataset
    from moikg.validate import ValidationReport, Violation, validate, validate_files

__all__ = [
    "BuildResult",
    "ConformanceError",
    "EndpointError",
    "InputError",
    "MoikgError",
    "QueryError",
    "ValidationReport",
    "Violation",
    "__version__",
    "build",
    "load_dataset",
    "validate",
    "validate_files",
]

try:
    __version__ = version("moikg")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

_LAZY = {
    "BuildResult": "moikg.build",
    "build": "moikg.build",
    "load_dataset": "moikg.load",
    "ValidationReport": "moikg.validate",
    "Violation": "moikg.validate",
    "validate": "moikg.validate",
    "validate_files": "moikg.validate",
}


def __getattr__(name: str) -> Any:
    """Import pipeline functions on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'moikg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
