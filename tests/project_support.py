"""A throwaway copy of the real project for tests that write to ``graph/``, and a hash of a folder.

One place for what several test modules need: the copy (``ontology/`` and ``graph/``, with the
cards) and the hash that proves a refused command left ``graph/`` byte-identical.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(root: Path) -> Path:
    """Copy the repository's ``ontology/`` and ``graph/`` into ``root`` (created) and return it."""
    root.mkdir(parents=True)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "graph", root / "graph")
    return root


def one_source_project(root: Path, source: str = "2019-02-11-iipp-oecd-mou.ttl") -> Path:
    """A project in ``root`` with the real ontology and queries and one source; return it."""
    (root / "graph").mkdir(parents=True)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries", root / "queries")
    shutil.copy(ROOT / "graph" / source, root / "graph")
    return root


def folder_hash(folder: Path) -> str:
    """One digest of every file's relative name and bytes below ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
