"""Load the ontology and the encoded sources into an RDF dataset.

Each ``graph/<stem>.ttl`` (only files directly inside the folder; subfolders
such as ``graph/cards/`` are not sources) becomes the named graph
``https://w3id.org/moikg/graph/<stem>``; the ontology becomes
``https://w3id.org/moikg/graph/ontology`` (RDF 1.1 Concepts §4, RDF datasets).
The dataset itself records where each graph came from: graph IRI ↔ file stem.

The embedded default store is rdflib's API over Oxigraph (``oxrdflib``);
``store="memory"`` is plain rdflib. Turtle syntax errors become
:class:`~moikg.errors.InputError` naming ``file:line:column`` and the text
found there.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final, Literal
from weakref import WeakKeyDictionary

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.parsers.notation3 import BadSyntax

from moikg import _paths
from moikg._paths import display_path
from moikg.errors import InputError, SkippedInputWarning
from moikg.ingest.closure import CLOSURE_GRAPH, closure_triples
from moikg.rdf.namespaces import GRAPH, PREFIXES, bind_prefixes
from moikg.rdf.store import CountingStore
from moikg.rdf.terms import plain_literal

__all__ = [
    "ONTOLOGY_GRAPH",
    "StoreName",
    "graph_folder",
    "graph_iri",
    "load_dataset",
    "merge_default_graph",
    "merge_is_current",
    "named_graphs",
    "new_dataset",
    "read_graph",
    "refresh_merge",
    "source_graphs",
    "sources",
    "stem_of",
    "to_memory",
    "used_terms",
]

StoreName = Literal["oxigraph", "memory"]

ONTOLOGY_GRAPH: Final = URIRef(str(GRAPH) + "ontology")
"""Named graph holding ``ontology/moi.ttl``."""

_PARSER_FORMAT: Final[dict[str, str]] = {"oxigraph": "ox-turtle", "memory": "turtle"}
_RDFLIB_STORE: Final[dict[str, str]] = {"oxigraph": "Oxigraph", "memory": "default"}
_OX_PREFIX: Final = re.compile(r"^Parser error (?:at|between) [^:]*:\s*")
_NEAR_MAX: Final = 40
_PREFIX_DIRECTIVE: Final = re.compile(
    r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE
)


_MERGED: WeakKeyDictionary[Dataset, tuple[int, int]] = WeakKeyDictionary()
"""Datasets whose default graph :func:`merge_default_graph` made: their store's use count and
quad count then."""
_BOUND: WeakKeyDictionary[Dataset, set[tuple[str, str]]] = WeakKeyDictionary()


def graph_iri(stem: str) -> URIRef:
    """Return the named-graph IRI of the source file with this stem."""
    return URIRef(str(GRAPH) + stem)


def stem_of(iri: URIRef | str) -> str | None:
    """Return the file stem of a source named graph, or None for other IRIs."""
    text = str(iri)
    if not text.startswith(str(GRAPH)):
        return None
    return text[len(str(GRAPH)) :]


def graph_folder(graph_dir: Path | None = None) -> Path:
    """Return the folder of sources: ``graph_dir``, or the project's ``graph/``.

    Raises:
        InputError: The folder does not exist.
    """
    folder = Path(graph_dir) if graph_dir is not None else _paths.graph_dir()
    if not folder.is_dir():
        raise InputError(
            f"{display_path(folder)}: graph folder not found; pass graph_dir=<folder> or set "
            f"{_paths.ENV_HOME} to the project folder",
            path=str(folder),
            parameter="graph_dir",
        )
    return folder


def sources(
    graph_dir: Path | None = None, *, files: Iterable[Path] | None = None
) -> dict[URIRef, Path]:
    """Map each source named graph to the Turtle file it is loaded from.

    Args:
        graph_dir: Folder of sources; defaults to the project's ``graph/``.
            Only ``*.ttl`` directly inside it count.
        files: Explicit files; when given, ``graph_dir`` is ignored.

    Returns:
        Graph IRI → file path, sorted by file stem.

    Raises:
        InputError: A folder or file is missing, or two files share a stem.
    """
    if files is not None:
        paths = [Path(f) for f in files]
    else:
        paths = _source_files(graph_folder(graph_dir))
    mapping: dict[URIRef, Path] = {}
    for path in sorted(paths, key=lambda p: p.stem):
        if not path.is_file():
            reason = _paths.not_a_file_reason(path)
            what = "file not found" if reason == "not found" else reason
            raise InputError(f"{display_path(path)}: {what}", path=str(path))
        iri = graph_iri(path.stem)
        if iri in (ONTOLOGY_GRAPH, CLOSURE_GRAPH):
            raise InputError(
                f"{display_path(path)}: the stem {path.stem!r} is reserved for the ontology's "
                "graphs; rename the file",
                path=str(path),
            )
        if iri in mapping:
            raise InputError(
                f"{display_path(path)}: same file name as {display_path(mapping[iri])}; "
                "each source needs its own stem",
                path=str(path),
            )
        mapping[iri] = path
    return mapping


def _source_files(folder: Path) -> list[Path]:
    """The regular ``*.ttl`` files of a folder; warn about every other ``*.ttl`` entry.

    A directory named ``x.ttl``, a dangling symbolic link or a link loop is skipped
    with a :class:`~moikg.errors.SkippedInputWarning` naming it, never silently.
    """
    files = []
    for path in sorted(folder.glob("*.ttl")):
        if path.is_file():
            files.append(path)
        else:
            warnings.warn(
                f"{display_path(path)}: skipped: {_paths.not_a_file_reason(path)}, "
                "not a Turtle file (only regular *.ttl files are sources)",
                SkippedInputWarning,
                stacklevel=3,
            )
    return files


def new_dataset(*, store: StoreName = "oxigraph") -> Dataset:
    """Create an empty dataset whose default graph is the union of its named graphs."""
    if store not in _RDFLIB_STORE:
        raise InputError(f"unknown store {store!r}; use 'oxigraph' or 'memory'")
    backend = CountingStore() if store == "oxigraph" else _RDFLIB_STORE[store]
    dataset = Dataset(store=backend, default_union=True)
    bind_prefixes(dataset)
    return dataset


def load_dataset(
    graph_dir: Path | None = None,
    *,
    files: Iterable[Path] | None = None,
    store: StoreName = "oxigraph",
    include_ontology: bool = True,
    ontology: Path | None = None,
) -> Dataset:
    """Load the sources (and the ontology) into a dataset, one named graph per file.

    Args:
        graph_dir: Folder of sources; defaults to the project's ``graph/``.
        files: Explicit source files; when given, ``graph_dir`` is ignored.
        store: ``"oxigraph"`` (rdflib over Oxigraph, the default) or ``"memory"``.
        include_ontology: Also load the ontology into the ``…/graph/ontology`` graph, and its
            closed class and property hierarchy into ``…/graph/ontology-closure``
            (:mod:`moikg.ingest.closure`).
        ontology: Ontology file; defaults to the project's ``ontology/moi.ttl``.

    Returns:
        The dataset; its default graph is the RDF merge of the named graphs (each triple
        once; see :func:`merge_default_graph`).

    Raises:
        InputError: A file is missing or has a Turtle syntax error.
    """
    mapping = sources(graph_dir, files=files)
    dataset = new_dataset(store=store)
    if include_ontology:
        _parse_into(dataset, ONTOLOGY_GRAPH, _require(ontology or _paths.ontology_file()), store)
    for iri, path in mapping.items():
        _parse_into(dataset, iri, path, store)
    if include_ontology:
        data = used_terms(dataset, mapping)
        closed = closure_triples(dataset.graph(ONTOLOGY_GRAPH), data, derived_from=ONTOLOGY_GRAPH)
        target = dataset.graph(CLOSURE_GRAPH)
        target.addN((s, p, o, target) for s, p, o in closed)
    return merge_default_graph(dataset)


def used_terms(
    dataset: Dataset, mapping: Mapping[URIRef, Path]
) -> Iterable[tuple[object, object, object]]:
    """What the closure needs of the sources: each predicate, and each ``rdf:type`` value.

    On Oxigraph, two DISTINCT queries instead of every triple through rdflib.
    """
    store = dataset.store
    if not isinstance(store, OxigraphStore):
        return (triple for iri in mapping for triple in dataset.graph(iri))
    inner = store._inner
    only = f"FILTER(?g != <{ONTOLOGY_GRAPH}>)"
    predicates = inner.query(f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {only} }}")
    classes = inner.query(f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} {only} }}")
    found: list[tuple[object, object, object]] = [
        (None, URIRef(r["p"].value), None)
        for r in predicates  # type: ignore[union-attr]
    ]
    found += [(None, RDF.type, from_ox(r["c"])) for r in classes]  # type: ignore[union-attr]
    return found


def merge_default_graph(dataset: Dataset) -> Dataset:
    """Make the default graph the RDF merge of the named graphs; call again after changes.

    RDF 1.1 Semantics §5.2: the merge holds each triple once, blank nodes of different graphs
    kept apart (they already are in the store). Oxigraph's "union default graph" instead
    repeats a triple once per graph that states it, so a plain ``SELECT`` over it returns
    duplicate rows; with the merge as the real default graph, queries without ``GRAPH`` see
    each fact once (and run on plain indexes), while ``GRAPH ?g`` still sees the sources.

    Args:
        dataset: A dataset from :func:`new_dataset` (either store).

    Returns:
        The same dataset, its ``default_union`` off.
    """
    store = dataset.store
    if isinstance(store, OxigraphStore):
        inner = store._inner
        inner.update("CLEAR DEFAULT; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    else:
        default = dataset.default_graph
        default.remove((None, None, None))
        default.addN(
            (s, p, o, default)
            for s, p, o, g in dataset.quads((None, None, None, None))
            if g is not None and g != default.identifier
        )
    dataset.default_union = False
    _MERGED[dataset] = (_uses(dataset), _size(dataset))
    return dataset


def merge_is_current(dataset: Dataset) -> bool:
    """Whether the default graph is still the merge :func:`merge_default_graph` made.

    On a store from :func:`new_dataset`, current at once while its inner store was not used
    since; otherwise checked by the store's quad count: none added or removed since.
    """
    if dataset.default_union or dataset not in _MERGED:
        return False
    uses, size = _MERGED[dataset]
    if uses and uses == _uses(dataset):
        return True
    if size != _size(dataset):
        return False
    _MERGED[dataset] = (_uses(dataset), size)
    return True


def _uses(dataset: Dataset) -> int:
    store = dataset.store
    return store.uses if isinstance(store, CountingStore) else 0


def refresh_merge(dataset: Dataset) -> Dataset:
    """Remake the merge if the dataset had one and quads were added or removed since.

    A notebook may parse more data into a loaded dataset (an enrichment, say); queries then
    still see each triple once, the new ones included.
    """
    if dataset in _MERGED and not merge_is_current(dataset):
        merge_default_graph(dataset)
    return dataset


def _size(dataset: Dataset) -> int:
    store = dataset.store
    if isinstance(store, CountingStore):
        return len(store.quiet)
    if isinstance(store, OxigraphStore):
        return len(store._inner)
    return sum(1 for _ in dataset.quads((None, None, None, None)))


def source_graphs(
    dataset: Dataset, *, mapping: Mapping[URIRef, Path] | None = None
) -> list[URIRef]:
    """Return the source named graphs (all but the ontology and its closure), sorted."""
    if mapping is not None:
        return sorted(mapping)
    found = set(named_graphs(dataset))
    found -= {ONTOLOGY_GRAPH, CLOSURE_GRAPH}
    return sorted(found)


def named_graphs(dataset: Dataset) -> list[URIRef]:
    """Return every moikg named graph of a dataset (sources, ontology and its closure), sorted."""
    return sorted(
        URIRef(str(graph.identifier))
        for graph in dataset.graphs()
        if isinstance(graph.identifier, URIRef) and stem_of(graph.identifier) is not None
    )


def to_memory(dataset: Dataset, *, graphs: Iterable[URIRef] | None = None) -> Dataset:
    """Copy named graphs into a plain rdflib dataset, with the same prefixes.

    Literals typed ``xsd:string`` are written as simple literals, which RDF 1.1
    Concepts §3.3 defines as the same thing; this keeps output identical
    whichever store loaded the data.

    Args:
        dataset: The source dataset (any store).
        graphs: Named graphs to copy; defaults to all moikg named graphs.

    Returns:
        A new in-memory dataset whose default graph is the union.
    """
    copy = new_dataset(store="memory")
    for prefix, namespace in dataset.namespace_manager.namespaces():
        if prefix and prefix not in PREFIXES:
            copy.bind(prefix, namespace, override=False)
    for iri in graphs if graphs is not None else named_graphs(dataset):
        target = copy.graph(iri)
        target.addN((s, p, plain_literal(o), target) for s, p, o in dataset.graph(iri))
    return copy


def read_graph(path: Path) -> Graph:
    """Parse one Turtle file into a plain in-memory graph (used for shapes and the ontology).

    Raises:
        InputError: The file is missing or has a Turtle syntax error.
    """
    holder = Dataset(default_union=True)
    return _parse_into(holder, graph_iri("file"), _require(Path(path)), "memory")


def _require(path: Path) -> Path:
    if not Path(path).is_file():
        raise InputError(
            f"{display_path(Path(path))}: file not found; set {_paths.ENV_HOME} to the project "
            "folder or run from it",
            path=str(path),
        )
    return Path(path)


def _parse_into(dataset: Dataset, iri: URIRef, path: Path, store: StoreName) -> Graph:
    graph = dataset.graph(iri)
    try:
        if isinstance(dataset.store, OxigraphStore):  # Oxigraph's bulk loader, no rdflib layer
            dataset.store._inner.bulk_load(
                path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(iri))
            )
        else:
            graph.parse(str(path), format=_PARSER_FORMAT[store])
        if store == "oxigraph":
            _bind_declared_prefixes(dataset, path)
    except BadSyntax as error:  # rdflib's turtle parser; a SyntaxError subclass, so first
        raise _from_rdflib(path, error) from None
    except SyntaxError as error:  # pyoxigraph, located per RDF 1.1 Turtle §6.5 grammar
        raise _from_oxigraph(path, error) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{display_path(path)}: cannot read: {error}", path=str(path)) from None
    return graph


def _bind_declared_prefixes(dataset: Dataset, path: Path) -> None:
    """Bind the prefixes a Turtle file declares (rdflib's parser does this; Oxigraph's does not).

    Turtle §2.4 (``@prefix`` / ``PREFIX`` directives); project prefixes win on clashes. Only
    the file's head is read (directives before the first triple, as every source writes them),
    and a binding the dataset already has is not made again: binding is slow in rdflib, and
    thousands of sources repeat the same few prefixes.
    """
    bound = _BOUND.setdefault(dataset, set())
    head: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            text = line.strip()
            if text and not text.startswith("#") and not _PREFIX_DIRECTIVE.match(line):
                break
            head.append(line)
    for prefix, iri in _PREFIX_DIRECTIVE.findall("".join(head)):
        if (prefix, iri) in bound:
            continue
        bound.add((prefix, iri))
        if prefix not in PREFIXES and iri not in PREFIXES.values():
            dataset.bind(prefix, iri, override=False)


def _syntax_error(path: Path, line: int, column: int, reason: str, near: str) -> InputError:
    where = f"{display_path(path)}:{line}:{column}"
    near_text = f" near {near!r}" if near else " at end of file"
    return InputError(
        f"{where}: syntax error: {reason}{near_text}",
        path=str(path),
        line=line,
        column=column,
        near=near,
    )


def _from_oxigraph(path: Path, error: SyntaxError) -> InputError:
    line = error.lineno or 1
    column = error.offset or 1
    reason = _OX_PREFIX.sub("", error.msg or str(error)).strip()
    reason = reason[:1].lower() + reason[1:]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    near = ""
    if 0 < line <= len(lines):
        text = lines[line - 1]
        end = error.end_offset if error.end_lineno == line and error.end_offset else None
        near = text[column - 1 : (end - 1) if end and end > column else None].strip()
    return _syntax_error(path, line, column, reason, near[:_NEAR_MAX])


def _from_rdflib(path: Path, error: BadSyntax) -> InputError:
    data: bytes | str = getattr(error, "_str", b"")
    index: int = getattr(error, "_i", 0)
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    before = text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    tokens = text[index:].split("\n", 1)[0].split()
    rest = tokens[0] if tokens else ""
    reason = str(getattr(error, "_why", "") or error)
    return _syntax_error(path, line, column, reason, rest[:_NEAR_MAX])
