"""Tests for moikg.ingest.counts: per-graph counts and the merge's size, by either path."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.counts import graph_counts
from moikg.ingest.load import graph_iri, load_dataset, merge_is_current

SHARED = '<https://w3id.org/moikg/id/org/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\n'
A = (
    SHARED
    + '<https://w3id.org/moikg/id/org/x> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\n'
)
B = (
    SHARED
    + '<https://w3id.org/moikg/id/org/y> <http://www.w3.org/2000/01/rdf-schema#label> "Y" .\n'
)
ONTOLOGY = "<https://w3id.org/moikg/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n"


def _dataset(tmp_path: Path, store: str = "oxigraph") -> Dataset:
    (tmp_path / "a.ttl").write_text(A, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(B, encoding="utf-8")
    ontology = tmp_path / "moi.ttl"
    ontology.write_text(ONTOLOGY, encoding="utf-8")
    return load_dataset(
        files=[tmp_path / "a.ttl", tmp_path / "b.ttl"],
        ontology=ontology,
        store=store,  # type: ignore[arg-type]
    )


def _distinct(dataset: Dataset) -> int:
    """The merge's size counted independently: rdflib's own set of triples over named graphs."""
    return len(
        {
            (s, p, o)
            for s, p, o, g in dataset.quads((None, None, None, None))
            if g is not None and str(g).startswith("https://w3id.org/moikg/graph/")
        }
    )


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_a_triple_in_two_sources_counts_once_in_the_merge(tmp_path: Path, store: str) -> None:
    dataset = _dataset(tmp_path, store)
    counts = graph_counts(dataset)
    assert counts.per_graph[str(graph_iri("a"))] == 2
    assert counts.per_graph[str(graph_iri("b"))] == 2
    assert counts.merge == _distinct(dataset)
    assert counts.merge == sum(counts.per_graph.values()) - 1  # the shared label, once


def test_a_graph_of_someone_else_is_neither_counted_nor_trusted(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path)
    before = graph_counts(dataset)
    inner = dataset.store._inner  # type: ignore[attr-defined]
    inner.add(
        ox.Quad(
            ox.NamedNode("https://example.org/s"),
            ox.NamedNode("https://example.org/p"),
            ox.Literal("o"),
            ox.NamedNode("https://example.org/another-graph"),
        )
    )
    inner.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # a merge of everything
    after = graph_counts(dataset)
    assert after == before
    assert "https://example.org/another-graph" not in after.per_graph


def test_triples_added_after_the_merge_are_counted(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path)
    before = graph_counts(dataset).merge
    dataset.graph(graph_iri("b")).add(
        (
            URIRef("https://w3id.org/moikg/id/org/z"),
            URIRef("https://example.org/p"),
            URIRef("https://example.org/o"),
        )
    )
    assert not merge_is_current(dataset)
    assert graph_counts(dataset).merge == before + 1 == _distinct(dataset)


def test_the_merge_is_the_files_parsed_by_rdflib_and_the_closure(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path)
    merged = Graph()
    for name in ("a.ttl", "b.ttl", "moi.ttl"):
        merged.parse(tmp_path / name, format="turtle")
    derived = set(dataset.graph(CLOSURE_GRAPH))  # derived by moikg, in no file
    assert graph_counts(dataset).merge == len(set(merged) | derived)
