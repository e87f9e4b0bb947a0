"""Validate a loaded dataset and write its data, redoing only what changed since the last build.

The last build in the same output folder left its record (:mod:`moikg.ingest.build_cache`):
each named graph's lines and the validation's results. A graph whose source file has the
digest recorded then has the same lines now: they are taken from the record instead of being
dumped and sorted again. The graphs that changed (or came, or went) are compared line by
line with their record; the triples that came and went are all a validation needs to find
the focus nodes whose results can differ (:func:`moikg.ingest.revalidate.revalidate`), and
only those are validated again; and the writers serialise only the pieces those lines fall in
(:mod:`moikg.ingest.pieces`). Anything the record cannot vouch for gives a full run: no
record (or one made by other code, ontology, shapes or file names), results not kept (the
shapes need pySHACL, or a result names a blank node), a blank node in a changed graph (blank
nodes are labelled for all graphs together), or a change to the class hierarchy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, URIRef

from moikg import _paths
from moikg._paths import display_path
from moikg.errors import Violation
from moikg.ingest.build_cache import Previous, read_previous, save
from moikg.ingest.export import Snapshot, snapshot
from moikg.ingest.load import ONTOLOGY_GRAPH, source_graphs
from moikg.ingest.pieces import write_pieces
from moikg.ingest.prepared import Prepared, prepare
from moikg.ingest.revalidate import revalidate
from moikg.ingest.store_files import file_digest
from moikg.ingest.validation import ValidationReport, validate

__all__ = ["Checked", "check"]

_NTRIPLES = ox.RdfFormat.N_TRIPLES


@dataclass(frozen=True)
class _Record:
    """What :meth:`Checked.write_data` records, besides the snapshot and the report."""

    out_dir: Path
    key: str
    files: dict[str, str | None]
    names: dict[str, str]
    previous: Previous | None


@dataclass(frozen=True)
class Checked:
    """A dataset validated and its snapshot taken; :meth:`write_data` writes and records it.

    Attributes:
        report: The validation report (a full validation's, however it was made).
        snapshot: The statements, as the writers take them.
        revalidated: How many focus nodes were validated again (None: all of them).
        reused: How many graphs' lines came from the last build's record.
        digests: Graph IRI → the SHA-256 of its lines.
        changed: The lines that came into or left a graph since the last build (None:
            unknown, no usable record).
    """

    report: ValidationReport
    snapshot: Snapshot
    revalidated: int | None
    reused: int
    digests: Mapping[str, str]
    changed: frozenset[bytes] | None = None
    _record: _Record | None = None

    def write_data(self, paths: Mapping[str, Path]) -> None:
        """Write ``graph.trig``, ``graph.ttl`` and ``graph.jsonld``; record the build.

        Args:
            paths: Each output's name → the (temporary) file to write it to.
        """
        record = self._record
        before = record.previous.before() if record and record.previous else None
        layout = write_pieces(
            self.snapshot, paths, digests=self.digests, before=before, changed=self.changed
        )
        if record is None:
            return
        results = self.report.violations
        save(
            record.out_dir, record.key, graphs=self.snapshot.graphs, digests=self.digests,
            files=record.files, names=record.names,
            baseline=None if any(map(_names_blank, results)) else results,
            layout=layout, written=paths,
        )  # fmt: skip


def _names_blank(result: Violation) -> bool:
    """Whether a result names a blank node (its label is the store's, different next time)."""
    return result.focus_node.startswith("_:") or (result.value or "").startswith("_:")


def check(
    dataset: Dataset,
    *,
    files: Mapping[URIRef, Path],
    digests: Mapping[URIRef, str],
    out_dir: Path,
    code: str,
    shapes: Path | None = None,
    ontology: Path | None = None,
    reuse: bool = True,
) -> Checked:
    """Validate the dataset and take its snapshot, reusing the last build's record if it fits.

    Args:
        dataset: A dataset from :func:`moikg.ingest.load.load_dataset`.
        files: Source graph IRI → its file.
        digests: Source graph IRI → its file's SHA-256, taken before the files were read (a
            file changed while loading is then seen as changed by the next build).
        out_dir: The build's output folder (its record is read, and later written, there).
        code: A digest of the code that makes the outputs (another code: no reuse).
        shapes: Shapes file; defaults to ``ontology/shapes.ttl``.
        ontology: Ontology file; defaults to ``ontology/moi.ttl``.
        reuse: Read the last build's record (False: redo everything, and record anew).

    Returns:
        The report, the snapshot, and what :meth:`Checked.write_data` writes and records.

    Raises:
        InputError: The shapes or the ontology are missing or malformed.
    """
    shapes_path = Path(shapes) if shapes is not None else _paths.shapes_file()
    ontology_path = Path(ontology) if ontology is not None else _paths.ontology_file()
    graphs = source_graphs(dataset)
    names = {iri: display_path(files[iri]) for iri in graphs if iri in files}
    if not isinstance(dataset.store, OxigraphStore) or len(names) != len(graphs):
        full = validate(dataset, shapes=shapes, ontology=ontology, files=files)
        taken = snapshot(dataset)
        return Checked(full, taken, None, 0, _digests(taken, None))
    prepared = prepare(shapes_path, ontology_path, None)  # nothing written before it lands
    key = _key(code, shapes_path, ontology_path)
    file_of: dict[str, str | None] = {str(iri): d for iri, d in digests.items()}
    file_of[str(ONTOLOGY_GRAPH)] = file_digest(ontology_path)  # its graph is that file's
    previous = read_previous(out_dir, key) if reuse and prepared.plan is not None else None
    shown = {str(iri): name for iri, name in names.items()}
    if previous is not None and any(shown.get(i, n) != n for i, n in previous.names.items()):
        previous = None  # the results it kept name files as they are not named now
    reusable = _reusable(previous, file_of)
    taken = snapshot(dataset, reuse=reusable[0] if reusable is not None else None)
    if reusable is not None and set(reusable[0]) != taken.reused:
        reusable = None  # a changed graph has a blank node now: the snapshot was taken afresh
    added, removed = (
        _changes(previous, reusable[1], taken) if reusable is not None else (set(), set())
    )
    again = (
        _again(dataset, prepared, previous, added, removed, names)
        if previous is not None and previous.baseline is not None and reusable is not None
        else None
    )
    report, count = (
        again
        if again is not None
        else (validate(dataset, shapes=shapes, ontology=ontology, files=files), None)
    )
    record = _Record(Path(out_dir), key, file_of, shown, previous) if prepared.plan else None
    return Checked(
        report,
        taken,
        count,
        len(taken.reused),
        _digests(taken, previous),
        frozenset(added | removed) if reusable is not None else None,
        record,
    )


def _key(code: str, shapes: Path, ontology: Path) -> str:
    digest = hashlib.sha256()
    for part in (code, file_digest(shapes), file_digest(ontology), ox.__version__):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _digests(taken: Snapshot, previous: Previous | None) -> dict[str, str]:
    """Each graph's lines digest: the record's for lines it gave, else computed."""
    return {
        iri: previous.digests[iri]
        if previous is not None and iri in taken.reused
        else hashlib.sha256(b"".join(lines)).hexdigest()
        for iri, lines in taken.graphs
    }


def _reusable(
    previous: Previous | None, files: Mapping[str, str | None]
) -> tuple[dict[str, list[bytes]], dict[str, list[bytes]]] | None:
    """The unchanged graphs' lines, and the other recorded graphs' old lines; None: no reuse.

    No reuse either when a graph that changed held a blank node (its labels, made for all
    graphs together, may change in the others too).
    """
    if previous is None:
        return None
    known = previous.files.items()
    unchanged = {iri for iri, digest in known if digest is not None and files.get(iri) == digest}
    try:
        same = {iri: previous.lines(iri) for iri in unchanged}
        old = {iri: previous.lines(iri) for iri in previous.digests if iri not in unchanged}
    except OSError:
        return None
    if any(b"_:" in line for lines in old.values() for line in lines):
        return None
    return same, old


def _changes(
    previous: Previous | None, old: Mapping[str, list[bytes]], taken: Snapshot
) -> tuple[set[bytes], set[bytes]]:
    """The lines each changed, new or removed graph states now and not before, and the reverse."""
    assert previous is not None
    now = dict(taken.graphs)
    added: set[bytes] = set()
    removed: set[bytes] = set()
    for iri in {*old, *(iri for iri in now if iri not in previous.digests)}:
        before, after = set(old.get(iri, ())), set(now.get(iri, ()))
        added |= after - before
        removed |= before - after
    return added, removed


def _again(
    dataset: Dataset,
    prepared: Prepared,
    previous: Previous,
    added: set[bytes],
    removed: set[bytes],
    names: Mapping[URIRef, str],
) -> tuple[ValidationReport, int] | None:
    """Validate again what the changed lines can affect (None: everything must be)."""
    assert prepared.plan is not None and prepared.reach is not None
    assert previous.baseline is not None
    came, went = _triples(added), _triples(removed)
    subjects = {t.subject for t in (*came, *went) if not isinstance(t.subject, ox.Triple)}
    return revalidate(
        dataset.store._inner,  # type: ignore[attr-defined]
        previous.baseline,
        added=came,
        removed=went,
        subjects=subjects,
        shapes_graph=prepared.shapes,
        plan=prepared.plan,
        reached=prepared.reach,
        graphs=sorted(names),
        file_names=names,
    )


def _triples(lines: set[bytes]) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(b"".join(sorted(lines)), _NTRIPLES)]
