"""Serialise a dataset: TriG, Turtle and JSON-LD.

* TriG (RDF 1.1 TriG §2): every named graph, the ontology included.
* Turtle (RDF 1.1 Turtle §2): the union of all named graphs, prefixes bound.
* JSON-LD (JSON-LD 1.1 §4.1, compacted with a context): the same union,
  with a compact ``@context`` mapping the project prefixes.

Writers take the target path, so callers can aim them at the temporary files
of an :class:`~moikg._atomic.AtomicBatch`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from moikg.ingest.load import to_memory
from moikg.rdf.namespaces import PREFIXES, bind_prefixes

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
    """Write every named graph (ontology included) as TriG, byte-for-byte reproducible.

    rdflib's TriG writer orders graphs and blank nodes by hash, so its output changes from run
    to run. Here the graphs follow in IRI order, each written by rdflib's Turtle writer (sorted
    subjects, blank nodes nested as ``[]`` and ``( )``) with one namespace manager shared by all,
    so a prefix means the same everywhere; TriG §2.2: a graph block holds Turtle triples, and
    the prefix directives come first.
    """
    memory = to_memory(dataset)
    bind_prefixes(memory)
    shared = memory.namespace_manager
    prefix_lines: dict[str, None] = {}
    blocks = []
    for iri in sorted(str(g.identifier) for g in memory.graphs() if len(g)):
        graph = Graph(namespace_manager=shared)
        for triple in memory.graph(URIRef(iri)):
            graph.add(triple)
        lines = graph.serialize(format="turtle").splitlines()
        prefix_lines.update(dict.fromkeys(line for line in lines if line.startswith("@prefix ")))
        body = "\n".join(line for line in lines if not line.startswith("@prefix ")).strip("\n")
        blocks.append(f"<{iri}> {{\n{body}\n}}\n")
    header = "\n".join(sorted(prefix_lines))
    path.write_text(header + "\n\n" + "\n".join(blocks), encoding="utf-8")
    return path


def write_turtle(graph: Graph, path: Path) -> Path:
    """Write a graph as Turtle."""
    graph.serialize(destination=str(path), format="turtle", encoding="utf-8")
    return path


def write_jsonld(graph: Graph, path: Path) -> Path:
    """Write a graph as compacted JSON-LD with the project prefixes as ``@context``.

    Blank nodes get canonical labels, nodes are sorted by ``@id`` and multi-valued properties
    by value, so the file is
    reproducible byte for byte (rdflib writes them in its store's hash order). Values of
    ``@list`` keep their order (JSON-LD 1.1 §4.3: lists are ordered).
    """
    canonical = Graph()  # blank nodes relabelled canonically (rdflib.compare), not at random
    for prefix, namespace in graph.namespace_manager.namespaces():
        canonical.bind(prefix, namespace, override=True, replace=True)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    text = canonical.serialize(
        format="json-ld", context=dict(PREFIXES), auto_compact=True, indent=2
    )
    document = _sorted_values(json.loads(text))
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _sorted_values(value: Any, *, ordered: bool = False) -> Any:
    """Sort every JSON array except ``@list`` contents, recursively, by canonical JSON."""
    if isinstance(value, dict):
        return {key: _sorted_values(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(item) for item in value]
        if ordered:
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
