"""Serialise a dataset with Oxigraph's writers (TriG, Turtle, JSON-LD), reproducible byte for byte.

* TriG (RDF 1.1 TriG §2): every moikg named graph, the ontology included, graphs in IRI order.
* Turtle (RDF 1.1 Turtle §2): the RDF merge of the named graphs (RDF 1.1 Semantics §5.2: each
  triple once, blank nodes of different graphs kept apart), prefixes bound.
* JSON-LD (JSON-LD 1.1 §4.1): the same merge as node objects with absolute IRIs (expanded form,
  §5.1) under an ``@context`` of the project prefixes, so JSON-LD 1.1 readers and plain JSON
  tools both read it.

The data never leaves Oxigraph's terms: the quads come from the dataset's Oxigraph store
(``oxrdflib``) and go to ``pyoxigraph.serialize``. Oxigraph iterates in an order that depends on
how the store was filled, and names blank nodes at random, so the writers first relabel blank
nodes canonically (RDF Dataset Canonicalization, on the quads that hold blank nodes only: the
others have nothing to relabel) and then sort by the N-Triples form of each triple.

Writers take the target path, so callers can aim them at the temporary files of an
:class:`~moikg._atomic.AtomicBatch`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import to_ox
from rdflib import Dataset, Graph

from moikg.ingest.load import named_graphs
from moikg.rdf.namespaces import PREFIXES

__all__ = ["Snapshot", "oxigraph_store", "snapshot", "write_jsonld", "write_trig", "write_turtle"]

_BLANK: Final = ox.BlankNode


@dataclass(frozen=True)
class Snapshot:
    """The dataset's quads in a reproducible order, ready to write.

    Attributes:
        quads: Every quad of the moikg named graphs, blank nodes relabelled canonically, sorted by
            graph IRI, then by the N-Triples form of the triple.
        merge: The RDF merge (each triple once), sorted by N-Triples form.
        prefixes: Prefix → namespace for the writers: the dataset's bindings, project ones win.
    """

    quads: Sequence[ox.Quad]
    merge: Sequence[ox.Triple]
    prefixes: dict[str, str]


def oxigraph_store(dataset: Dataset) -> ox.Store:
    """The dataset's Oxigraph store; a copy in a new store when the dataset is plain rdflib."""
    store = dataset.store
    if isinstance(store, OxigraphStore):
        return store._inner
    copy = ox.Store()
    copy.extend(to_ox(quad) for quad in dataset.quads((None, None, None, None)))  # type: ignore[arg-type, misc]
    return copy


def snapshot(dataset: Dataset) -> Snapshot:
    """Take the quads of every moikg named graph of the dataset in a reproducible order.

    Args:
        dataset: A dataset from :func:`moikg.load.load_dataset` (either store).

    Returns:
        The sorted quads, their merge and the prefixes.
    """
    store = oxigraph_store(dataset)
    quads: list[ox.Quad] = []
    for iri in named_graphs(dataset):
        quads.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(str(iri))))
    quads = _canonical_blank_nodes(quads)
    triples = [quad.triple for quad in quads]
    keys = [str(triple) for triple in triples]
    by_graph: dict[str, list[int]] = {}
    for i, quad in enumerate(quads):
        by_graph.setdefault(quad.graph_name.value, []).append(i)  # type: ignore[union-attr]
    order = [i for g in sorted(by_graph) for i in sorted(by_graph[g], key=keys.__getitem__)]
    merged = dict(zip(keys, triples, strict=True))
    defaults = set(Graph().namespace_manager.namespaces())  # rdflib's own, unless ours
    bound = dataset.namespace_manager.namespaces()
    prefixes = {str(p): str(ns) for p, ns in bound if p and (p, ns) not in defaults}
    prefixes.update(PREFIXES)
    return Snapshot(
        quads=[quads[i] for i in order],
        merge=[merged[key] for key in sorted(merged)],
        prefixes=prefixes,
    )


def _canonical_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Relabel blank nodes canonically (RDFC-1.0 through Oxigraph) in the quads that hold them."""
    blank = [q for q in quads if type(q.subject) is _BLANK or type(q.object) is _BLANK]
    if not blank:
        return quads
    plain = [q for q in quads if not (type(q.subject) is _BLANK or type(q.object) is _BLANK)]
    relabelled = ox.Dataset(blank)
    relabelled.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return plain + list(relabelled)


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
    _write(path, ox.serialize(taken.quads, format=ox.RdfFormat.TRIG, prefixes=taken.prefixes))
    return path


def write_turtle(data: Dataset | Snapshot, path: Path) -> Path:
    """Write the RDF merge of the named graphs as Turtle (each triple once)."""
    taken = _source(data)
    _write(path, ox.serialize(taken.merge, format=ox.RdfFormat.TURTLE, prefixes=taken.prefixes))
    return path


def write_jsonld(data: Dataset | Snapshot, path: Path) -> Path:
    """Write the RDF merge as JSON-LD: expanded node objects under the project ``@context``."""
    taken = _source(data)
    nodes = ox.serialize(taken.merge, format=ox.RdfFormat.JSON_LD) or b"[]"
    context = json.dumps({"@context": dict(sorted(taken.prefixes.items()))}, indent=2)
    head = context.rstrip().removesuffix("}").rstrip()
    _write(path, f'{head},\n  "@graph": '.encode() + nodes.strip() + b"\n}\n")
    return path


def _write(path: Path, data: bytes | None) -> None:
    with open(path, "wb") as handle:
        handle.write(data or b"")
