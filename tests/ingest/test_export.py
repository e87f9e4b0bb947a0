"""Tests for moikg.ingest.export: every file reads back, with pyoxigraph, as the dataset it came from."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from moikg.ingest.export import write_jsonld, write_trig, write_turtle
from moikg.ingest.load import load_dataset

A = """@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a rdfs:label "Tab\\there, \\"quoted\\", comma" , "Ünïcode"@de ;
    ex:count 3 ; ex:knows ex:b .
"""
B = """@prefix ex: <https://example.org/> .
ex:b ex:note "line one\\nline two" ; ex:knows ex:a .
ex:a ex:count 3 .
"""


@pytest.fixture
def dataset(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "graph"
    folder.mkdir()
    (folder / "a.ttl").write_text(A, encoding="utf-8")
    (folder / "b.ttl").write_text(B, encoding="utf-8")
    return load_dataset(folder)


def _expected(folder: Path) -> dict[str, set[str]]:
    """What pyoxigraph itself reads from the source files: graph → N-Triples lines."""
    found: dict[str, set[str]] = {}
    for name in ("a", "b"):
        triples = pyoxigraph.parse(
            path=str(folder / f"{name}.ttl"), format=pyoxigraph.RdfFormat.TURTLE
        )
        found[f"https://w3id.org/moikg/graph/{name}"] = {str(t) for t in triples}
    return found


def test_trig_holds_each_source_in_its_named_graph(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_trig(dataset, tmp_path / "graph.trig")
    read: dict[str, set[str]] = {}
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TRIG):
        read.setdefault(str(quad.graph_name.value), set()).add(str(quad.triple))
    expected = _expected(tmp_path / "graph")
    for iri, triples in expected.items():
        assert read[iri] == triples
    assert "https://w3id.org/moikg/graph/ontology" in read  # the ontology travels along


@pytest.mark.parametrize(
    ("writer", "fmt"),
    [(write_turtle, pyoxigraph.RdfFormat.TURTLE), (write_jsonld, pyoxigraph.RdfFormat.JSON_LD)],
    ids=["turtle", "json-ld"],
)
def test_union_files_hold_the_merge_of_the_sources(dataset, tmp_path: Path, writer, fmt) -> None:  # type: ignore[no-untyped-def]
    path = writer(dataset, tmp_path / "graph.out")
    read = {str(t) for t in pyoxigraph.parse(path=str(path), format=fmt)}
    merged = set().union(*_expected(tmp_path / "graph").values())
    assert merged <= read
    # `ex:a ex:count 3` is stated by both sources and is one triple of the merge.
    assert (
        sum(1 for t in read if t.startswith("<https://example.org/a> <https://example.org/count>"))
        == 1
    )
