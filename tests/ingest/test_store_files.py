"""One pass over a graph folder (:func:`moikg.ingest.store_files.scan`) gives what ``sources`` gives.

Differential against :func:`moikg.ingest.load.sources` (the same files, in the same order, the
same warnings and errors) with each file's size and time checked against ``os.stat``; and the
store's manifest remembers the new times of files touched but not changed (read back as JSON).
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import pytest

from moikg.errors import InputError
from moikg.ingest.graph_store import open_graph_store
from moikg.ingest.load import sources
from moikg.ingest.store_files import scan

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "moi.ttl"
TTL = "@prefix ex: <https://example.org/> .\nex:a ex:b {n} .\n"


def _folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "graph"
    folder.mkdir()
    for i, name in enumerate(names):
        (folder / name).write_text(TTL.format(n=i) * (i + 1), encoding="utf-8")
    return folder


def _both(folder: Path) -> tuple[object, object, list[str], list[str]]:
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        scanned = scan(folder)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        listed = sources(folder)
    for entry in scanned.values():
        info = os.stat(entry.path)
        assert (entry.size, entry.mtime_ns) == (info.st_size, info.st_mtime_ns)
    return (
        [(iri, e.path) for iri, e in scanned.items()],
        list(listed.items()),
        [str(w.message) for w in ours],
        [str(w.message) for w in theirs],
    )


def test_the_same_files_in_the_same_order(tmp_path: Path) -> None:
    # Sorted by stem, not by name: "a-b.ttl" < "a.ttl" as names, "a" < "a-b" as stems.
    names = ["a.ttl", "a-b.ttl", "a_b.ttl", "B.ttl", ".hidden.ttl", "..ttl", "x.TTL", "y.txt"]
    folder = _folder(tmp_path, names)
    (folder / "link.ttl").symlink_to(folder / "a.ttl")
    ours, theirs, warned, expected = _both(folder)
    assert ours == theirs and warned == expected == []
    stems = [p.name for _, p in ours]  # type: ignore[attr-defined]
    assert stems == ["..ttl", ".hidden.ttl", "B.ttl", "a.ttl", "a-b.ttl", "a_b.ttl", "link.ttl"]


def test_odd_entries_warn_alike(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["a.ttl", "b.ttl"])
    (folder / "dir.ttl").mkdir()
    (folder / "dangling.ttl").symlink_to(folder / "missing")
    ours, theirs, warned, expected = _both(folder)
    assert ours == theirs and len(warned) == 2 and warned == expected


@pytest.mark.parametrize("name", ["ontology.ttl", "ontology-closure.ttl", ".ttl"])
def test_reserved_or_empty_stems_fail_or_count_alike(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path, ["a.ttl", name])
    try:
        expected: object = list(sources(folder).items())
    except InputError as error:
        expected = str(error)
    try:
        ours: object = [(iri, e.path) for iri, e in scan(folder).items()]
    except InputError as error:
        ours = str(error)
    assert ours == expected


def test_touched_files_are_remembered_not_hashed_again(tmp_path: Path) -> None:
    folder = tmp_path / "graph"
    shutil.copytree(ROOT / "graph", folder)
    location = tmp_path / "store"
    open_graph_store(folder, ontology=ONTOLOGY, location=location).close()
    touched = sorted(folder.glob("*.ttl"))[:3]
    for path in touched:
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    store = open_graph_store(folder, ontology=ONTOLOGY, location=location)
    assert not store.rebuilt
    store.close()
    manifest = json.loads((location / "manifest.json").read_text(encoding="utf-8"))
    for path in touched:
        assert manifest["files"][path.name][1] == 1_000_000_000_000_000_000
    assert not (location / "dirty").exists() and manifest["dirty"] is False
