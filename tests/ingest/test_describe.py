"""dataset.ttl's text: rdflib's Turtle serializer is the reference, rapper a second reader.

``moikg.ingest.flat_turtle`` writes the description without rdflib's per-triple work; the text
must be exactly what ``Graph.serialize(format="turtle")`` writes for the same graph, and raptor's
``rapper`` must read it back to the same triples.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from moikg._paths import graph_dir
from moikg.cards.synthetic import generate
from moikg.ingest.describe import dataset_turtle, describe_dataset
from moikg.ingest.flat_turtle import flat_turtle
from moikg.ingest.load import load_dataset

EX = Namespace("https://example.org/ns#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
MOI = Namespace("https://w3id.org/moikg/ontology#")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gen")
    generate(triples=4000, seed=11, out_dir=folder)
    return folder


@pytest.mark.parametrize("which", ["project", "generated"])
def test_dataset_turtle_is_the_text_rdflib_writes(
    which: str, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796000000")
    dataset = load_dataset(graph_dir() if which == "project" else generated)
    expected = describe_dataset(dataset).serialize(format="turtle")
    assert dataset_turtle(dataset) == expected
    assert dataset_turtle(dataset) == expected  # and again: nothing kept between calls
    assert expected.count("void:subset") == 1 and "sd:NamedGraph" in expected


def _bound() -> Graph:
    graph = Graph(bind_namespaces="core")
    graph.bind("ex", EX)
    graph.bind("moi", MOI)
    return graph


def test_flat_turtle_lays_out_every_kind_of_term_as_rdflib_does() -> None:
    a, b, c = EX.a, URIRef("https://other.example/b"), URIRef("https://other.example/c(1)")
    triples = [
        (b, EX.knows, a),
        (a, RDF.type, EX.Thing),
        (a, RDF.type, RDFS.Class),  # an rdfs:Class: written first
        (a, RDFS.label, Literal("Ä thing", lang="de")),
        (a, RDFS.label, Literal('say "hi"\nthen go', lang="en")),
        (a, EX["count"], Literal(3)),
        (a, EX["count"], Literal(12)),
        (a, EX.when, Literal("2019-02-11", datatype=XSD_DATE)),
        (a, EX.ratio, Literal("0.5", datatype=XSD_DECIMAL)),
        (a, EX.link, URIRef(str(MOI))),  # a namespace itself: `moi:`
        (a, EX.link, RDF.nil),
        (a, EX.link, URIRef("https://w3id.org/moikg/ontology#End.")),  # no pname: ends in "."
        (c, EX.knows, a),  # referenced by nothing, like b: ordered by IRI
        (EX.z, EX.knows, b),
        (EX.z, EX.knows, b),  # a repeat
        (EX.z, EX.name, Literal("z")),
    ]
    graph = _bound()
    for triple in triples:
        graph.add(triple)
    assert flat_turtle(triples, _bound()) == graph.serialize(format="turtle")
    assert flat_turtle([], _bound()) == Graph().serialize(format="turtle")


def test_flat_turtle_refuses_what_it_cannot_write_as_rdflib_would() -> None:
    with pytest.raises(ValueError, match="triples:"):
        flat_turtle([(EX.a, EX.p, BNode())], _bound())
    with pytest.raises(ValueError, match="bind a prefix for the predicate"):
        flat_turtle([(EX.a, URIRef("https://unbound.example/p"), EX.b)], _bound())


def test_dataset_ttl_reads_back_the_same_with_rapper(tmp_path: Path, generated: Path) -> None:
    rapper = shutil.which("rapper")
    assert rapper, "rapper (raptor2-utils) is installed by ./scripts/install"
    dataset = load_dataset(generated)
    path = tmp_path / "dataset.ttl"
    path.write_text(dataset_turtle(dataset), encoding="utf-8")
    done = subprocess.run(
        [rapper, "-q", "-i", "turtle", "-o", "ntriples", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    read = Graph().parse(data=done.stdout, format="nt")
    assert len(read) > 50
    assert isomorphic(read, describe_dataset(dataset))
