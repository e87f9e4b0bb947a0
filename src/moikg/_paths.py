"""Locating the project's artefacts: ontology, shapes, queries, graph and build folders.

Artefacts are files, not strings in code. The
project root is found by this rule, first match wins:

1. ``$MOIKG_HOME`` if set;
2. the current directory, if it contains ``ontology/moi.ttl``;
3. the repository next to the package (``Path(__file__).parents[2]``), if it
   contains ``ontology/moi.ttl`` (an editable install or a source checkout);
4. the copy packaged inside the installed wheel (``moikg/ontology``,
   ``moikg/queries``), found through :mod:`importlib.resources`.

In case 4 there is no writable project folder, so the graph and build folders
default to ``./graph`` and ``./build`` under the current directory.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

__all__ = [
    "ENRICHMENT_FILE",
    "ENV_HOME",
    "TRIG_FILE",
    "ProjectRoot",
    "build_dir",
    "display_path",
    "graph_dir",
    "not_a_file_reason",
    "ontology_file",
    "project_root",
    "queries_dir",
    "shapes_file",
]

ENV_HOME: Final = "MOIKG_HOME"
_MARKER: Final = Path("ontology") / "moi.ttl"
TRIG_FILE: Final = "graph.trig"
"""The build's dataset, one named graph per source (in the build folder)."""
ENRICHMENT_FILE: Final = "enrichment.trig"
"""The separate enrichment graph ``moikg enrich`` writes (in the build folder)."""


@dataclass(frozen=True)
class ProjectRoot:
    """Where the artefacts were found.

    Attributes:
        path: Folder holding ``ontology/`` and ``queries/``.
        packaged: True when ``path`` is the read-only copy inside the wheel.
    """

    path: Path
    packaged: bool = False


def _packaged_path() -> Path:
    return Path(str(resources.files("moikg")))


def project_root() -> ProjectRoot:
    """Find the project root by the rule in the module docstring.

    Returns:
        The root and whether it is the packaged copy.
    """
    home = os.environ.get(ENV_HOME)
    if home:
        return ProjectRoot(Path(home).expanduser().resolve())
    cwd = Path.cwd()
    if (cwd / _MARKER).is_file():
        return ProjectRoot(cwd)
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / _MARKER).is_file():
        return ProjectRoot(checkout)
    return ProjectRoot(_packaged_path(), packaged=True)


def ontology_file() -> Path:
    """Return the path of ``ontology/moi.ttl``."""
    return project_root().path / "ontology" / "moi.ttl"


def shapes_file() -> Path:
    """Return the path of ``ontology/shapes.ttl``."""
    return project_root().path / "ontology" / "shapes.ttl"


def queries_dir() -> Path:
    """Return the folder of the SPARQL catalogue (``queries/``)."""
    return project_root().path / "queries"


def graph_dir() -> Path:
    """Return the default folder of encoded sources (``<root>/graph`` or ``./graph``)."""
    root = project_root()
    return (Path.cwd() if root.packaged else root.path) / "graph"


def build_dir() -> Path:
    """Return the default output folder (``<root>/build`` or ``./build``)."""
    root = project_root()
    return (Path.cwd() if root.packaged else root.path) / "build"


def display_path(path: Path) -> str:
    """Render a path relative to the current directory when it lies below it.

    The folders are resolved, the last part is not: a symbolic link is named as itself,
    not as its target. Never raises: a symlink loop (``RuntimeError`` from
    :meth:`Path.resolve` before Python 3.13) or a vanished working directory gives the
    path as given.
    """
    path = Path(path)
    try:
        where = path.parent.resolve() / path.name if path.name else path.resolve()
        return str(where.relative_to(Path.cwd().resolve()))
    except (ValueError, RuntimeError, OSError):
        return str(path)


def not_a_file_reason(path: Path) -> str:
    """Say why ``path`` is not a readable regular file, in a few words for a message.

    Returns:
        ``"a symbolic link that loops"``, ``"a symbolic link to a missing file"``,
        ``"a directory"``, ``"not a regular file"`` or ``"not found"``; read after
        ``is`` except the last.
    """
    if path.is_symlink():
        try:
            path.stat()
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "a symbolic link that loops"
            return "a symbolic link to a missing file"
    if path.is_dir():
        return "a directory"
    if path.exists():
        return "not a regular file"
    return "not found"
