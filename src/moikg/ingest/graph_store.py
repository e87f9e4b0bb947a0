"""An on-disk Oxigraph store kept beside a graph folder, so that ``moikg add`` need not reload it.

Loading a million triples from Turtle takes about 20 s; opening an on-disk store takes a fraction
of a second. The store lives in ``<graph folder's parent>/build/store/<graph folder's name>/``
(``build/`` is not under version control; nothing is written inside the graph folder, whose
bytes the tests compare) and holds what :func:`moikg.ingest.load.load_dataset` would build: one
named graph per source, the ontology and its closure, the merge as the default graph.

``manifest.json`` beside the store names what it was built from: each source file's size,
modification time and SHA-256 digest, the ontology's digest, the store format and the
pyoxigraph version. On opening, a file whose size or time changed is hashed again (like git's
index); a changed digest reloads that source's graph, and a changed ontology, format or version
(or a store left ``dirty`` by a writer that died mid-way) rebuilds the store from the files.
The manifest also keeps the last full validation's results, keyed by the shapes' digest, so
that an incremental validation can reuse the results of the nodes a change cannot affect.

Writers mark the store dirty (a ``dirty`` file beside the manifest) before they touch it and
clean after (the manifest written first); callers hold the
graph folder's lock (:func:`moikg._lock.folder_lock`) or this store's own (:func:`store_lock`).
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from moikg._atomic import write_text_atomic
from moikg._lock import DEFAULT_LOCK_TIMEOUT, folder_lock
from moikg._paths import display_path
from moikg.errors import InputError, Violation
from moikg.ingest.closure import CLOSURE_GRAPH, closure_triples
from moikg.ingest.load import (
    ONTOLOGY_GRAPH,
    graph_iri,
    load_dataset,
    read_graph,
    used_terms,
)
from moikg.ingest.shacl_sparql import Untranslatable, translate
from moikg.ingest.store_files import Listed, file_digest, listed, scan
from moikg.ingest.validation import validate_in_store
from moikg.rdf.namespaces import bind_prefixes

__all__ = ["GraphStore", "default_location", "file_digest", "open_graph_store", "store_lock"]

_FORMAT: Final = 1
_MANIFEST: Final = "manifest.json"
_DIRTY: Final = "dirty"
_DATA: Final = "oxigraph"


def default_location(folder: Path) -> Path:
    """Where the store of a graph folder lives: ``<parent>/build/store/<folder name>``."""
    folder = Path(folder).resolve()
    return folder.parent / "build" / "store" / folder.name


@dataclass
class GraphStore:
    """A graph folder's on-disk store, open, with the manifest it matches.

    Attributes:
        folder: The graph folder.
        location: The store's folder.
        dataset: rdflib's view of the store (its default graph the merge).
        files: Source graph IRI → file, as the store holds them.
        manifest: The manifest (see the module docstring).
        rebuilt: The store was built or refreshed from Turtle by this open.
        memory: After a build, the same data in an in-memory store (much faster to query in
            bulk), until the caller drops it.
    """

    folder: Path
    location: Path
    dataset: Dataset
    files: dict[URIRef, Path]
    manifest: dict[str, Any]
    rebuilt: bool = False
    memory: ox.Store | None = None
    _added_closure: list[ox.Quad] = field(default_factory=list)
    _ontology_copy: Graph | None = None
    _changed: bool = True

    @property
    def store(self) -> ox.Store:
        """The pyoxigraph store."""
        return self.dataset.store._inner  # type: ignore[attr-defined, no-any-return]

    def baseline(self, shapes_digest: str) -> tuple[Violation, ...] | None:
        """The last full validation's results with these shapes, if the store still matches."""
        saved = self.manifest.get("baseline")
        if not saved or saved.get("shapes") != shapes_digest:
            return None
        return tuple(
            Violation(**{**v, "source_files": tuple(v["source_files"])}) for v in saved["results"]
        )

    def set_baseline(self, shapes_digest: str, violations: Iterable[Violation]) -> None:
        """Remember a full validation's results (written by :meth:`commit`)."""
        results = [asdict(v) for v in violations]
        self.manifest["baseline"] = {"shapes": shapes_digest, "results": results}
        self._changed = True

    def begin(self) -> None:
        """Mark the store dirty on disk (a ``dirty`` file) before changing it."""
        (self.location / _DIRTY).write_text("a writer is changing the store\n", encoding="utf-8")
        self._changed = False

    def commit(self) -> None:
        """Write the manifest if it changed, then mark the store clean."""
        if self._changed or not (self.location / _MANIFEST).is_file():
            self.manifest["dirty"] = False
            self._write_manifest()
        (self.location / _DIRTY).unlink(missing_ok=True)
        self._changed = False

    def _write_manifest(self) -> None:
        text = json.dumps(self.manifest, indent=1, sort_keys=True, ensure_ascii=False)
        write_text_atomic(self.location / _MANIFEST, text + "\n")

    @property
    def token(self) -> str:
        """Changes whenever the set of sources or their contents change (for caches)."""
        return str(self.manifest.get("token", ""))

    def record(self, iri: URIRef, path: Path | Listed) -> None:
        """Note that graph ``iri`` now holds ``path`` (its size, time and digest)."""
        self.manifest["token"] = uuid.uuid4().hex
        self._changed = True
        entry = path if isinstance(path, Listed) else listed(path)
        self.files[iri] = entry.path
        self.manifest["files"][entry.path.name] = [
            entry.size,
            entry.mtime_ns,
            file_digest(entry.path),
        ]

    def add_graph(
        self, iri: URIRef, data: bytes
    ) -> tuple[list[ox.Triple], list[ox.NamedNode | ox.BlankNode], int]:
        """Load Turtle into graph ``iri``, and into the merge; its terms into the closure.

        Returns:
            The graph's triples new to the merge, the graph's subjects, and
            how many of its triples no other source graph states.
        """
        store = self.store
        name = ox.NamedNode(str(iri))
        store.load(data, format=ox.RdfFormat.TURTLE, to_graph=name)
        quads = list(store.quads_for_pattern(None, None, None, name))
        changed: list[ox.Triple] = []
        new = 0
        for q in quads:
            triple = ox.Triple(q.subject, q.predicate, q.object)
            if ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) not in store:
                changed.append(triple)
            stated = store.quads_for_pattern(q.subject, q.predicate, q.object, None)
            new += not any(s.graph_name not in self._not_sources(name) for s in stated)
        store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        used = [(None, URIRef(q.predicate.value), _from(q.object)) for q in quads]
        closure = ox.NamedNode(str(CLOSURE_GRAPH))
        for s, p, o in closure_triples(self._ontology(), used, derived_from=ONTOLOGY_GRAPH):
            quad = ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), _to(o), closure)
            if quad not in store:
                store.add(quad)
                # Not among the changes: the closure is the ontology's consequence (a new
                # class's reflexive rdfs:subClassOf, its known superclasses), so the class
                # hierarchy validation reads stays what it was.
                store.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
                self._added_closure.append(quad)
        subjects = sorted(
            {q.subject for q in quads if not isinstance(q.subject, ox.Triple)}, key=str
        )
        return changed, subjects, new

    def _not_sources(self, name: ox.NamedNode) -> set[object]:
        return {
            name,
            ox.DefaultGraph(),
            ox.NamedNode(str(ONTOLOGY_GRAPH)),
            ox.NamedNode(str(CLOSURE_GRAPH)),
        }

    def _ontology(self) -> Graph:
        """The ontology graph, copied out of the store once (small)."""
        if self._ontology_copy is None:
            copy = Graph()
            for q in self.store.quads_for_pattern(
                None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))
            ):
                copy.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))  # type: ignore[arg-type]
            self._ontology_copy = copy
        return self._ontology_copy

    def rebuild_closure(self) -> None:
        """Compute the ontology's closure graph again for the sources the store now holds."""
        self._added_closure.clear()
        self.remove_graph(CLOSURE_GRAPH)
        closure = ox.NamedNode(str(CLOSURE_GRAPH))
        used = used_terms(self.dataset, self.files)
        for s, p, o in closure_triples(self._ontology(), used, derived_from=ONTOLOGY_GRAPH):
            for graph in (closure, ox.DefaultGraph()):
                self.store.add(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), _to(o), graph))

    def checkpoint(self, location: Path) -> GraphStore:
        """A copy of the store in the new folder ``location``, for changes to throw away.

        RocksDB's checkpoint (:meth:`pyoxigraph.Store.backup`): its files hard-linked, so it
        takes milliseconds, and this store is left as it was (each session that writes here
        leaves new level-0 files, which RocksDB later compacts by rewriting tens of MB).
        """
        self.store.backup(str(location / _DATA))
        copy = GraphStore(
            self.folder, location, _open(location), dict(self.files), deepcopy(self.manifest)
        )
        copy._ontology_copy = self._ontology_copy
        return copy

    def close(self) -> None:
        """Release the store (its files stay); the object is not usable afterwards."""
        inner = self.dataset.store
        if isinstance(inner, OxigraphStore) and getattr(inner, "_store", None) is not None:
            inner._store = None

    def remove_graph(self, iri: URIRef) -> None:
        """Drop graph ``iri``; its triples leave the merge unless another graph states them."""
        self.store.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != <{iri}>) }} }}; "
            f"DROP SILENT GRAPH <{iri}>"
        )
        for quad in self._added_closure:  # closure triples only this graph's terms needed
            self.store.remove(quad)
            self.store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
        self._added_closure.clear()


def _from(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node | None:
    return URIRef(term.value) if isinstance(term, ox.NamedNode) else None


def _to(node: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    return ox.Literal(str(node), language=getattr(node, "language", None) or None)


@contextmanager
def store_lock(location: Path, *, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the store folder's lock (a dry run, which takes no graph-folder lock, takes this)."""
    location.mkdir(parents=True, exist_ok=True)
    with folder_lock(location, timeout=timeout, parameter="lock_timeout"):
        yield


def open_graph_store(
    folder: Path,
    *,
    ontology: Path,
    location: Path | None = None,
    shapes: Path | None = None,
    ontology_graph: Graph | None = None,
) -> GraphStore:
    """Open the store of ``folder``, building or refreshing it so it matches the files.

    Args:
        folder: The graph folder.
        ontology: The ontology file.
        location: The store's folder; defaults to :func:`default_location`.
        shapes: On a rebuild, also validate (in memory, before the store goes to disk) with
            these shapes and remember the results (:meth:`GraphStore.baseline`).
        ontology_graph: The ontology file already parsed, if the caller has it (else it is
            copied out of the store when needed).

    Returns:
        The open store; hold the lock while using it.

    Raises:
        InputError: A source or the ontology is missing or malformed (on a rebuild).
    """
    location = Path(location) if location is not None else default_location(folder)
    listing = scan(folder)
    files = {iri: entry.path for iri, entry in listing.items()}
    manifest = _read_manifest(location)
    ontology_digest = file_digest(ontology)
    expected = {"format": _FORMAT, "pyoxigraph": ox.__version__, "ontology": ontology_digest}
    fresh = (
        manifest is None
        or manifest.get("dirty", True)
        or (location / _DIRTY).exists()
        or any(manifest.get(k) != v for k, v in expected.items())
        or not (location / _DATA).is_dir()
    )
    if fresh:
        built = _build(folder, location, listing, ontology, expected, shapes)
        built._ontology_copy = ontology_graph
        return built
    assert manifest is not None
    dataset = _open(location)
    graph_store = GraphStore(folder, location, dataset, dict(files), manifest)
    graph_store._ontology_copy = ontology_graph
    by_name = {path.name: iri for iri, path in files.items()}
    known: Mapping[str, list[Any]] = manifest["files"]
    times = [saved[1] for saved in known.values()]
    changed = [n for n in by_name if n not in known or _changed(listing[by_name[n]], known[n])]
    gone = [n for n in known if n not in by_name]
    if not changed and not gone:
        if times != [saved[1] for saved in known.values()]:  # touched only: remember the times
            graph_store._changed = True
            graph_store.commit()
        return graph_store
    graph_store.begin()
    graph_store._changed = True
    graph_store.manifest.pop("baseline", None)
    manifest["token"] = uuid.uuid4().hex
    for name in gone:
        graph_store.remove_graph(_iri_of(name))
        del manifest["files"][name]
    for name in changed:
        iri = by_name[name]
        if name in known:
            graph_store.remove_graph(iri)
        graph_store._added_closure.clear()  # a reloaded graph's closure triples stay
        graph_store.add_graph(iri, files[iri].read_bytes())
        graph_store.record(iri, listing[iri])
    graph_store.rebuild_closure()
    graph_store.rebuilt = True
    graph_store.commit()
    return graph_store


def _iri_of(name: str) -> URIRef:
    return graph_iri(Path(name).stem)


def _changed(entry: Listed, saved: list[Any]) -> bool:
    if [entry.size, entry.mtime_ns] == saved[:2]:
        return False
    if entry.size == saved[0] and file_digest(entry.path) == saved[2]:
        saved[1] = entry.mtime_ns  # touched, not changed
        return False
    return True


def _read_manifest(location: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((location / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _open(location: Path) -> Dataset:
    try:
        inner = ox.Store(str(location / _DATA))
    except OSError as error:
        raise InputError(
            f"{display_path(location)}: cannot open the graph's store ({error}); another "
            "program may hold it",
            path=str(location),
        ) from None
    dataset = Dataset(store=OxigraphStore(store=inner))
    bind_prefixes(dataset)
    return dataset


def _build(
    folder: Path,
    location: Path,
    listing: Mapping[URIRef, Listed],
    ontology: Path,
    expected: Mapping[str, Any],
    shapes: Path | None,
) -> GraphStore:
    """Build the store from the Turtle files (the slow path: about a load's time)."""
    files = {iri: entry.path for iri, entry in listing.items()}
    if (location / _DATA).exists():
        shutil.rmtree(location / _DATA)
    location.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {**expected, "dirty": True, "files": {}}
    graph_store = GraphStore(folder, location, Dataset(), dict(files), manifest)
    graph_store._write_manifest()
    # Loaded in memory (fast), then written to disk in one bulk load: Oxigraph's on-disk bulk
    # loader, called once per source file, rewrites its files each time (minutes at 1M).
    memory = load_dataset(files=list(files.values()), ontology=ontology)
    if shapes is not None:  # validating in memory is several times faster than on disk
        shapes_graph = read_graph(shapes)
        try:
            plan = translate(shapes_graph)
        except Untranslatable:
            plan = None
        if plan is not None:
            report = validate_in_store(
                memory.store._inner,  # type: ignore[attr-defined]
                shapes_graph=shapes_graph,
                plan=plan,
                graphs=sorted(files),
                file_names=lambda iri: display_path(files[iri]),
            )
            graph_store.set_baseline(file_digest(shapes), report.violations)
    quads = location / "quads.nq"
    memory.store._inner.dump(str(quads), format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    graph_store.memory = memory.store._inner  # type: ignore[attr-defined]
    disk = ox.Store(str(location / _DATA))
    disk.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    quads.unlink()
    del disk
    graph_store.dataset = _open(location)
    for iri, entry in listing.items():
        graph_store.record(iri, entry)
    graph_store.rebuilt = True
    graph_store.commit()
    return graph_store
