"""The installed distribution's version (``0+unknown`` in a source tree that is not installed)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__: str = version("moikg")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
