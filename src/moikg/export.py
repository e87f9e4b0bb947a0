"""Serialise a dataset: TriG, Turtle and JSON-LD.

* TriG (RDF 1.1 TriG §2): every named graph, the ontology included.
* Turtle (RDF 1.1 Turtle §2): the union of all named graphs, prefixes bound.
* JSON-LD (JSON-LD 1.1 §4.1, compacted with a context): the same union,
  with a compact ``@context`` mapping the project prefixes.

Writers take the target path, so callers can aim them at the temporary files
of an :class:`~moikg._atomic.AtomicBatch`.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from moikg.load import to_memory
from moikg.namespaces import PREFIXES, bind_prefixes

__all__ = ["union_graph", "write_jsonld", "write_trig", "write_turtle"]


def union_graph(dataset: Dataset) -> Graph:
    """Merge every named graph of the dataset into one in-memory graph with project prefixes."""
    memory = to_memory(dataset)
    union = Graph()
    for prefix, namespace in memory.namespace_manager.namespaces():
        union.bind(prefix, namespace, override=False)
    bind_prefixes(union)
    for triple in memory.triples((None, None, None)):
        union.add(triple)
    return union


def write_trig(dataset: Dataset, path: Path) -> Path:
    """Write every named graph (ontology included) as TriG."""
    memory = bind_prefixes(to_memory(dataset))
    assert isinstance(memory, Dataset)
    memory.serialize(destination=str(path), format="trig", encoding="utf-8")
    return path


def write_turtle(graph: Graph, path: Path) -> Path:
    """Write a graph as Turtle."""
    graph.serialize(destination=str(path), format="turtle", encoding="utf-8")
    return path


def write_jsonld(graph: Graph, path: Path) -> Path:
    """Write a graph as compacted JSON-LD with the project prefixes as ``@context``."""
    text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True, indent=2)
    path.write_text(text, encoding="utf-8")
    return path
