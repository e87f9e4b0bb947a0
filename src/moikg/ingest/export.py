"""Serialise a dataset with Oxigraph's writers (TriG, Turtle, JSON-LD), reproducible byte for byte.

* TriG (RDF 1.1 TriG §2): every moikg named graph, the ontology included, graphs in IRI order.
* Turtle (RDF 1.1 Turtle §2): the RDF merge of the named graphs (RDF 1.1 Semantics §5.2: each
  triple once, blank nodes of different graphs kept apart), prefixes bound.
* JSON-LD (JSON-LD 1.1 §4.1): the same merge as node objects with absolute IRIs (expanded form,
  §5.1) under an ``@context`` of the project prefixes, so JSON-LD 1.1 readers and plain JSON
  tools both read it.

The data never leaves Oxigraph: each graph is dumped as N-Triples by the dataset's store
(``oxrdflib``), kept as sorted lines, and parsed back by ``pyoxigraph.serialize`` as it writes
(no term object per triple is kept: at 1M triples the snapshot's peak is 0.7 GB lower).
Oxigraph iterates in an order that depends on how the store was filled, and names blank nodes
at random, so the writers first relabel blank nodes canonically (RDF Dataset
Canonicalization, on the lines that hold blank nodes only: the others have nothing to
relabel) and then sort by the N-Triples form of each triple.

Writers take the target path, so callers can aim them at the temporary files of an
:class:`~moikg._atomic.AtomicBatch`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import to_ox
from rdflib import Dataset, Graph

from moikg.ingest.load import named_graphs
from moikg.rdf.namespaces import PREFIXES

__all__ = [
    "Snapshot",
    "jsonld_document",
    "oxigraph_store",
    "snapshot",
    "write_jsonld",
    "write_trig",
    "write_turtle",
]

_NTRIPLES: Final = ox.RdfFormat.N_TRIPLES
_NQUADS: Final = ox.RdfFormat.N_QUADS
_BLANK_OBJECT: Final = re.compile(rb" _:[^ ]+ \.\n?$")
"""An N-Triples line whose object is a blank node (a literal never ends so; nor an IRI)."""


@dataclass(frozen=True)
class Snapshot:
    """The dataset's statements in a reproducible order, ready to write.

    Held as N-Triples lines (bytes, ``s p o .``), not as term objects: at a million
    triples that is a few hundred megabytes less, and Oxigraph parses them back as it writes.

    Attributes:
        graphs: Each moikg named graph's IRI, in IRI order, with its lines: blank nodes
            relabelled canonically, sorted (the N-Triples form of each triple).
        merge: The RDF merge (each triple once), the same lines, sorted.
        prefixes: Prefix → namespace for the writers: the dataset's bindings, project ones win.
        reused: The graphs whose lines were taken as given (``reuse`` of :func:`snapshot`).
    """

    graphs: Sequence[tuple[str, Sequence[bytes]]]
    merge: Sequence[bytes]
    prefixes: dict[str, str]
    reused: frozenset[str] = frozenset()

    @property
    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, graph by graph, in order (parsed back as they are read)."""
        for iri, lines in self.graphs:
            suffix = b" <" + iri.encode() + b"> .\n"
            yield from ox.parse(b"".join(line[:-2] + suffix for line in lines), _NQUADS)

    @property
    def triples(self) -> Iterator[ox.Triple]:
        """The triples of the merge, in order."""
        for quad in ox.parse(b"\n".join(self.merge), _NTRIPLES):
            yield quad.triple


def oxigraph_store(dataset: Dataset) -> ox.Store:
    """The dataset's Oxigraph store; a copy in a new store when the dataset is plain rdflib."""
    store = dataset.store
    if isinstance(store, OxigraphStore):
        return store._inner
    copy = ox.Store()
    copy.extend(to_ox(quad) for quad in dataset.quads((None, None, None, None)))  # type: ignore[arg-type, misc]
    return copy


def snapshot(dataset: Dataset, *, reuse: Mapping[str, Sequence[bytes]] | None = None) -> Snapshot:
    """Take the statements of every moikg named graph of the dataset in a reproducible order.

    Each graph is dumped by Oxigraph as N-Triples; the lines that hold a blank node are
    parsed, relabelled canonically all together (RDFC-1.0, so the labels do not depend on
    the store's random ones) and written back; then each graph's lines are sorted. Sorting
    the UTF-8 lines orders triples by code point, as sorting their N-Triples text does.

    Args:
        dataset: A dataset from :func:`moikg.load.load_dataset` (either store).
        reuse: Graph IRI → its lines as an earlier snapshot took them, for graphs known to be
            unchanged since (:mod:`moikg.ingest.build_cache`); the caller also knows that no
            other graph had a blank node then. Blank nodes are labelled for all graphs
            together, so when a graph dumped now has one, every graph is dumped again (and
            the snapshot's ``reused`` is empty).

    Returns:
        The sorted lines per graph, their merge and the prefixes.
    """
    store = oxigraph_store(dataset)
    iris = [str(iri) for iri in named_graphs(dataset)]
    plain: dict[str, list[bytes]] = {}
    blank: list[bytes] = []
    for iri in iris:
        if reuse is not None and iri in reuse:
            plain[iri] = list(reuse[iri])
            continue
        dumped = store.dump(format=_NTRIPLES, from_graph=ox.NamedNode(iri)) or b""
        if b"_:" not in dumped:  # most graphs: no blank node, no line to look at
            plain[iri] = dumped.splitlines(keepends=True)
            continue
        if reuse:
            return snapshot(dataset)
        kept = plain[iri] = []
        suffix = b" <" + iri.encode() + b"> .\n"
        for line in dumped.splitlines(keepends=True):
            if line.startswith(b"_:") or _BLANK_OBJECT.search(line):
                blank.append(line[:-2] + suffix)
            else:
                kept.append(line)
    for quad in _canonical(blank):
        plain[quad.graph_name.value].append(str(quad.triple).encode() + b" .\n")  # type: ignore[union-attr]
    for iri, lines in plain.items():
        if reuse is None or iri not in reuse:
            lines.sort()
    defaults = set(Graph().namespace_manager.namespaces())  # rdflib's own, unless ours
    bound = dataset.namespace_manager.namespaces()
    prefixes = {str(p): str(ns) for p, ns in bound if p and (p, ns) not in defaults}
    prefixes.update(PREFIXES)
    merge = sorted({line for lines in plain.values() for line in lines})
    return Snapshot(
        graphs=[(iri, plain[iri]) for iri in iris],
        merge=merge,
        prefixes=prefixes,
        reused=frozenset(iri for iri in iris if reuse is not None and iri in reuse),
    )


def _canonical(lines: list[bytes]) -> list[ox.Quad]:
    """The quads of these N-Quads lines, blank nodes relabelled canonically (RDFC-1.0)."""
    if not lines:
        return []
    relabelled = ox.Dataset(ox.parse(b"".join(lines), _NQUADS))
    relabelled.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return list(relabelled)


def _source(data: Dataset | Snapshot) -> Snapshot:
    return data if isinstance(data, Snapshot) else snapshot(data)


def write_trig(data: Dataset | Snapshot, path: Path) -> Path:
    """Write every moikg named graph (ontology included) as TriG, byte-for-byte reproducible.

    Args:
        data: The dataset, or its :func:`snapshot` (to share one between writers).
        path: The file to write.

    Returns:
        ``path``.
    """
    taken = _source(data)
    ox.serialize(taken.quads, str(path), format=ox.RdfFormat.TRIG, prefixes=taken.prefixes)
    return path


def write_turtle(data: Dataset | Snapshot, path: Path) -> Path:
    """Write the RDF merge of the named graphs as Turtle (each triple once)."""
    taken = _source(data)
    ox.serialize(taken.triples, str(path), format=ox.RdfFormat.TURTLE, prefixes=taken.prefixes)
    return path


def write_jsonld(data: Dataset | Snapshot, path: Path) -> Path:
    """Write the RDF merge as JSON-LD: expanded node objects under the project ``@context``."""
    taken = _source(data)
    nodes = ox.serialize(taken.triples, format=ox.RdfFormat.JSON_LD) or b"[]"
    head, tail = jsonld_document(taken.prefixes)
    _write(path, head + nodes.strip() + tail)
    return path


def jsonld_document(prefixes: Mapping[str, str]) -> tuple[bytes, bytes]:
    """What goes before and after the node objects' array in ``graph.jsonld``."""
    context = json.dumps({"@context": dict(sorted(prefixes.items()))}, indent=2)
    head = context.rstrip().removesuffix("}").rstrip()
    return f'{head},\n  "@graph": '.encode(), b"\n}\n"


def _write(path: Path, data: bytes | None) -> None:
    with open(path, "wb") as handle:
        handle.write(data or b"")
