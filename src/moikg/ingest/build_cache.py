"""What the last build in an output folder was made from, so the next one redoes only what changed.

A build writes ``<out>/.moikg-cache/`` once its outputs are written (before they are moved into
place: the record describes the data they come from, whether or not they then land):

* ``lines/<sha256>.nt``: each named graph's statements as the writers take them (N-Triples
  lines, blank nodes relabelled canonically, sorted: :class:`moikg.ingest.export.Snapshot`),
  one file per distinct content, named by its SHA-256 digest;
* ``packs/<id>.graph.trig`` (``.graph.ttl``, ``.graph.jsonld``): copies of the three data
  outputs, whose pieces the next build copies (:mod:`moikg.ingest.pieces`);
* ``manifest.json``: the record's key, each graph's source-file digest, lines digest and file
  name as results show it, the build's validation results (its baseline) and where each piece
  lies in the packs; written last and atomically, then files it no longer names are removed.

The key is a digest of what makes those lines and results besides the sources: moikg's code,
the ontology, the shapes and the pyoxigraph version. A manifest under another key, unreadable,
or naming a missing file, is no record at all (the build is then a full one): a record can be
out of date but never taken for another. The next build takes a graph's lines from here when
its file's digest is the one recorded, and compares the lines of the graphs that changed to
find the triples that came and went (:mod:`moikg.ingest.rebuild`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from moikg._atomic import atomic_outputs
from moikg.errors import Violation
from moikg.ingest.pieces import Before, Layout

__all__ = ["CACHE_DIR", "DATA_OUTPUTS", "Previous", "read_previous", "save"]

CACHE_DIR: Final = ".moikg-cache"
"""The record's folder inside a build's output folder."""

DATA_OUTPUTS: Final = ("graph.trig", "graph.ttl", "graph.jsonld")
"""The outputs written from pieces, whose copies the record keeps."""

_FORMAT: Final = 2
_MANIFEST: Final = "manifest.json"
_LINES: Final = "lines"
_PACKS: Final = "packs"


@dataclass(frozen=True)
class Previous:
    """The last build's record, read from its output folder.

    Attributes:
        folder: The record's folder.
        files: Graph IRI → digest of the file its graph was loaded from (None: a graph of
            no file, the ontology's closure).
        digests: Graph IRI → digest of its lines.
        names: Source graph IRI → its file as results named it.
        baseline: The build's validation results (None: not kept, or not reusable).
        layout: Where each piece lies in the packs (None: no packs kept).
        packs: Output name → its copy's file name in ``packs/``.
    """

    folder: Path
    files: Mapping[str, str | None]
    digests: Mapping[str, str]
    names: Mapping[str, str]
    baseline: tuple[Violation, ...] | None
    layout: Layout | None = None
    packs: Mapping[str, str] | None = None

    def lines(self, iri: str) -> list[bytes]:
        """The graph's lines as the last build wrote them (empty for a graph it did not have).

        Raises:
            OSError: The lines file went missing since the record was read.
        """
        digest = self.digests.get(iri)
        if digest is None:
            return []
        return (self.folder / _LINES / f"{digest}.nt").read_bytes().splitlines(keepends=True)

    def before(self) -> Before | None:
        """The last build's outputs as pieces, or None when they were not kept whole."""
        if self.layout is None or self.packs is None:
            return None
        try:
            texts = [
                (self.folder / _PACKS / self.packs[name]).read_bytes() for name in DATA_OUTPUTS
            ]
        except (OSError, KeyError):
            return None
        trig, turtle, jsonld = texts
        spans = [*(s for _, s in self.layout.graphs.values())]
        ends = [(trig, spans), (turtle, self.layout.turtle), (jsonld, self.layout.jsonld)]
        if any(span and max(b for _, b in span) > len(text) for text, span in ends):
            return None  # a copy shorter than its pieces: not the one the layout describes
        return Before(self.layout, trig, turtle, jsonld)


def read_previous(out_dir: Path, key: str) -> Previous | None:
    """The record of ``out_dir`` if it was written under ``key`` and is whole, else None."""
    folder = Path(out_dir) / CACHE_DIR
    try:
        data = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != _FORMAT or data.get("key") != key:
            return None
        graphs: dict[str, list[Any]] = data["graphs"]
        files = {iri: entry[0] for iri, entry in graphs.items()}
        digests = {iri: str(entry[1]) for iri, entry in graphs.items()}
        names = {str(iri): str(name) for iri, name in data["names"].items()}
        present = {p.stem for p in (folder / _LINES).glob("*.nt")}
        if not set(digests.values()) <= present:
            return None
        results = data.get("baseline")
        baseline = (
            tuple(Violation(**{**v, "source_files": tuple(v["source_files"])}) for v in results)
            if isinstance(results, list)
            else None
        )
        pieces = data.get("pieces")
        layout = Layout.from_json(pieces["layout"]) if pieces else None
        packs = {str(k): str(v) for k, v in pieces["packs"].items()} if pieces else None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AssertionError):
        return None
    return Previous(folder, files, digests, names, baseline, layout, packs)


def save(
    out_dir: Path,
    key: str,
    *,
    graphs: Sequence[tuple[str, Sequence[bytes]]],
    digests: Mapping[str, str],
    files: Mapping[str, str | None],
    names: Mapping[str, str],
    baseline: Iterable[Violation] | None,
    layout: Layout | None = None,
    written: Mapping[str, Path] | None = None,
) -> None:
    """Record a build into ``out_dir``: lines, packs, then the manifest.

    Called with the data outputs written but not yet in place (a record describes the data
    it was made from, whether or not the outputs then land).

    Args:
        out_dir: The build's output folder.
        key: The record's key (see the module docstring).
        graphs: Each named graph's IRI and lines, as the writers took them.
        digests: Graph IRI → its lines' SHA-256 (files already kept are not written again).
        files: Graph IRI → its source file's digest (None for graphs of no file).
        names: Source graph IRI → its file as the results name it.
        baseline: The build's validation results, or None to keep none.
        layout: Where the pieces lie in the data outputs, or None (no packs kept).
        written: Each of :data:`DATA_OUTPUTS` → the file it was written to (copied as a pack).
    """
    folder = Path(out_dir) / CACHE_DIR
    lines_dir = folder / _LINES
    kept = {p.name for p in lines_dir.glob("*.nt")} if lines_dir.is_dir() else set()
    with atomic_outputs(lines_dir) as batch:
        for iri, lines in graphs:
            name = f"{digests[iri]}.nt"
            if name not in kept:
                with open(batch.path(name), "wb") as handle:
                    handle.writelines(lines)
                kept.add(name)
    pieces = None
    packs: dict[str, str] = {}
    if layout is not None and written is not None:
        shown = json.dumps(layout.to_json(), sort_keys=True).encode()
        pack_id = hashlib.sha256(shown).hexdigest()[:32]
        packs = {name: f"{pack_id}.{name}" for name in DATA_OUTPUTS}
        with atomic_outputs(folder / _PACKS) as batch:
            for name, pack in packs.items():
                shutil.copyfile(written[name], batch.path(pack))
        pieces = {"layout": layout.to_json(), "packs": packs}
    manifest = {
        "format": _FORMAT,
        "key": key,
        "graphs": {iri: [files.get(iri), digests[iri]] for iri in sorted(i for i, _ in graphs)},
        "names": dict(sorted(names.items())),
        "baseline": [asdict(v) for v in baseline] if baseline is not None else None,
        "pieces": pieces,
    }
    with atomic_outputs(folder) as batch:
        batch.write_text(_MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    named = {f"{digests[iri]}.nt" for iri, _ in graphs}
    _remove_others(lines_dir, named)
    _remove_others(folder / _PACKS, set(packs.values()))


def _remove_others(folder: Path, named: set[str]) -> None:
    """Remove the files of ``folder`` the manifest does not name (not temporaries in flight)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and path.name not in named and not path.name.startswith("."):
            path.unlink(missing_ok=True)
