"""A graph folder's source files with their sizes and times, in one pass over the folder.

The on-disk store (:mod:`moikg.ingest.graph_store`) compares each source's size and
modification time with its manifest on every open; at a million triples the folder holds
thousands of files. :func:`scan` reads the folder once with :func:`os.scandir` (one ``stat``
per file) and gives what :func:`moikg.ingest.load.sources` gives, with the stat results. Anything
unusual (a ``*.ttl`` entry that is not a regular file, a reserved or empty stem) is left to
:func:`~moikg.ingest.load.sources`, so its warnings and errors stay the same.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import URIRef

from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.load import ONTOLOGY_GRAPH, graph_folder, graph_iri, sources

__all__ = ["Listed", "file_digest", "scan"]

_SUFFIX: Final = ".ttl"
_RESERVED: Final = frozenset({ONTOLOGY_GRAPH, CLOSURE_GRAPH})


@dataclass(frozen=True)
class Listed:
    """A source file and its ``stat`` (as :func:`os.stat` follows links)."""

    path: Path
    size: int
    mtime_ns: int


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def listed(path: Path) -> Listed:
    """One file's entry (its ``stat`` now)."""
    info = path.stat()
    return Listed(path, info.st_size, info.st_mtime_ns)


def scan(folder: Path) -> dict[URIRef, Listed]:
    """Each source graph IRI → its file and ``stat``, in :func:`~moikg.ingest.load.sources` order.

    Args:
        folder: The graph folder (must exist).

    Returns:
        What :func:`~moikg.ingest.load.sources` maps, with each file's size and time.

    Raises:
        InputError: As :func:`~moikg.ingest.load.sources` raises.
    """
    folder = graph_folder(folder)
    found: list[tuple[str, str, os.stat_result]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if not name.endswith(_SUFFIX):
                continue
            stem = name[: -len(_SUFFIX)]
            try:
                info = entry.stat()
            except OSError:
                return _slow(folder)
            if not stem or graph_iri(stem) in _RESERVED or not stat.S_ISREG(info.st_mode):
                return _slow(folder)
            found.append((stem, name, info))
    found.sort(key=lambda item: item[0])
    return {
        graph_iri(stem): Listed(folder / name, info.st_size, info.st_mtime_ns)
        for stem, name, info in found
    }


def _slow(folder: Path) -> dict[URIRef, Listed]:
    """The folder as :func:`~moikg.ingest.load.sources` sees it (its warnings, its errors)."""
    return {iri: listed(path) for iri, path in sources(folder).items()}
