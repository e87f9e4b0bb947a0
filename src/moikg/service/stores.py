"""The Oxigraph store directories that ``moikg serve`` serves, made with the ``oxigraph`` CLI.

* the read-only store is exactly the build: reloaded only when the build's files change
  (:func:`load_store`, swapped in only after a successful load);
* the writable store is seeded from the build once and then changed by updates, kept
  apart from the read-only one (:func:`seed_writable`);
* the default graph is prepared for the mode served (:func:`prepare_default_graph`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

from moikg._atomic import write_text_atomic
from moikg.errors import EndpointError, InputError
from moikg.ingest.store_files import file_digest

__all__ = ["load_store", "oxigraph_binary", "prepare_default_graph", "seed_writable"]


def oxigraph_binary() -> str:
    """Find the ``oxigraph`` command: next to this Python first, then on ``PATH``.

    Raises:
        InputError: It is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise InputError("the oxigraph server is not installed; run: pip install oxigraph")
    return found


def _fingerprint(files: list[Path]) -> dict[str, str]:
    return {p.name: file_digest(p) for p in files}


def load_store(files: list[Path], location: Path, *, stamp: Path) -> bool:
    """Load TriG files into an Oxigraph store directory unless it already holds exactly them.

    The new store is loaded beside the old one and swapped in only when loading
    succeeded, so a failed load leaves the previous store as it was.

    Args:
        files: The TriG files of the build.
        location: The store directory.
        stamp: The file recording which content the store holds.

    Returns:
        True if the store was (re)loaded, False if it was reused.

    Raises:
        EndpointError: ``oxigraph load`` failed.
    """
    wanted: dict[str, object] = {"served": "read-only", "files": _fingerprint(files)}
    if location.is_dir() and stamp.is_file():
        try:
            if json.loads(stamp.read_text(encoding="utf-8")) == wanted:
                return False
        except (OSError, ValueError):
            pass
    fresh = location.with_name(f".{location.name}.loading")
    shutil.rmtree(fresh, ignore_errors=True)
    command = [oxigraph_binary(), "load", "--location", str(fresh)]
    for path in files:
        command += ["--file", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        detail = " ".join((done.stderr or done.stdout).split())[:300]
        raise EndpointError(f"oxigraph load into {location} failed: {detail}")
    old = location.with_name(f".{location.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if location.exists():
        location.rename(old)
    fresh.rename(location)
    shutil.rmtree(old, ignore_errors=True)
    write_text_atomic(stamp, json.dumps(wanted, indent=2, sort_keys=True) + "\n")
    return True


def seed_writable(files: list[Path], location: Path, *, stamp: Path) -> str:
    """Make the writable store: a copy of the build, seeded once and then changed by updates.

    Args:
        files: The TriG files of the build.
        location: The writable store directory.
        stamp: The file recording which build seeded it.

    Returns:
        How the store relates to the build, for the user.

    Raises:
        EndpointError: ``oxigraph load`` failed.
    """
    current = _fingerprint(files)
    if location.is_dir() and stamp.is_file():
        try:
            seeded = json.loads(stamp.read_text(encoding="utf-8")).get("files")
        except (OSError, ValueError, AttributeError):
            seeded = None
        if seeded == current:
            return "a writable copy of the current build; earlier updates kept"
        return (
            "a writable copy of an earlier build, with earlier updates; the build has changed "
            f"since: delete {location} to start again from it"
        )
    load_store(files, location, stamp=stamp)
    write_text_atomic(stamp, json.dumps({"files": current}, indent=2, sort_keys=True) + "\n")
    return "a writable copy of the current build, seeded now"


_MERGE: Final = "CLEAR DEFAULT; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def prepare_default_graph(location: Path, *, writable: bool) -> None:
    """Set the store's default graph for the mode the server runs in.

    Read-only: the RDF merge of the named graphs (each triple once, as the embedded store
    answers, :func:`moikg.ingest.load.merge_default_graph`), refreshed at every start so it
    matches the named graphs. Writable: empty, served with ``--union-default-graph`` so a write
    into a named graph is seen at once (a triple stated by several graphs then repeats).

    Raises:
        EndpointError: ``oxigraph update`` failed.
    """
    update = "CLEAR DEFAULT" if writable else _MERGE
    command = [oxigraph_binary(), "update", "--location", str(location), "--update", update]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())[:300]
        raise EndpointError(f"oxigraph update of {location} failed: {detail}")
