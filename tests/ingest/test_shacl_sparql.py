"""Differential test: the SPARQL engine gives pySHACL's verdicts, result for result.

On every fixture (``tests/data/invalid``, ``tests/data/valid``, the project's graph) and on
seeded mutations of the real graph (a triple dropped, a date made impossible, a type changed, a
link pointed at a literal, a second value, a bad external identifier, a language tag), both
engines run on the same loaded dataset; every field of every result must agree.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from moikg.errors import Violation
from moikg.ingest.load import load_dataset
from moikg.ingest.shacl_sparql import plan
from moikg.ingest.validation import _read_shapes, validate

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
CONCEPT = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
SAME_AS = URIRef("http://www.w3.org/2002/07/owl#sameAs")
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
FIXTURES = sorted((DATA / "invalid").glob("*.ttl")) + sorted((DATA / "valid").glob("*.ttl"))
# The shapes as they were before the issue-8 model: every construct the SPARQL engine translates.
SHAPES = DATA / "shapes-sparql-subset.ttl"
GRAPH_FILES = sorted((ROOT / "graph").glob("*.ttl"))


def _key(v: Violation) -> tuple[object, ...]:
    return (v.severity, v.focus_node, v.result_path or "", v.value or "", v.source_shape,
            v.message, v.source_files)  # fmt: skip


def _compare(files: list[Path]) -> tuple[bool, int]:
    dataset = load_dataset(files=files)
    ours = validate(dataset, engine="sparql", shapes=SHAPES)
    reference = validate(dataset, engine="pyshacl", shapes=SHAPES)
    # As sets: pySHACL repeats a result it also finds through a nested sh:node.
    assert set(map(_key, ours.violations)) == set(map(_key, reference.violations)), files
    assert ours.conforms == reference.conforms
    return reference.conforms, len(reference.violations)


def test_the_subset_translates_and_the_project_shapes_fall_back() -> None:
    translated = plan(_read_shapes(SHAPES))
    assert translated is not None
    assert len(translated.checks) > 40
    # The issue-8 shapes use sh:inversePath, sh:alternativePath and sh:xone: not translated,
    # so validate(engine="auto") uses pySHACL for them.
    assert plan(_read_shapes(None)) is None


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_verdicts_match_pyshacl(path: Path) -> None:
    _compare([path])


def test_all_invalid_fixtures_together_match_pyshacl() -> None:
    _compare([p for p in FIXTURES if p.parent.name == "invalid"])


def test_the_graph_matches_pyshacl() -> None:
    _compare(GRAPH_FILES)


def _mutate(graph: Graph, rng: random.Random) -> str:
    triples = sorted(graph, key=lambda t: tuple(map(str, t)))
    s, p, o = rng.choice(triples)
    kind = rng.choice(("drop", "date", "type", "literal", "second", "sameas", "lang", "drop"))
    if kind == "drop":
        graph.remove((s, p, o))
    elif kind == "date":
        dated = [t for t in triples if isinstance(t[2], Literal) and t[2].datatype == XSD_DATE]
        s, p, o = rng.choice(dated or triples)
        graph.remove((s, p, o))
        graph.add((s, p, Literal("2019-02-30", datatype=XSD_DATE)))
    elif kind == "type":
        typed = [t for t in triples if t[1] == RDF_TYPE]
        s, p, o = rng.choice(typed)
        graph.remove((s, p, o))
        graph.add((s, p, CONCEPT))
    elif kind == "literal":
        linked = [t for t in triples if isinstance(t[2], URIRef) and t[1] != RDF_TYPE]
        s, p, o = rng.choice(linked)
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o))))
    elif kind == "second":
        graph.add((s, p, Literal("another value", datatype=XSD_STRING)))
    elif kind == "sameas":
        graph.add((s, SAME_AS, URIRef("http://www.wikidata.org/entity/Q0")))
    else:
        literals = [t for t in triples if isinstance(t[2], Literal)]
        s, p, o = rng.choice(literals)
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o), lang="de")))
    return kind


@pytest.mark.parametrize("seed", range(14))
def test_mutated_graph_verdicts_match_pyshacl(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    files = []
    target = rng.choice(GRAPH_FILES)
    for path in GRAPH_FILES:
        copy = tmp_path / path.name
        if path == target:
            graph = Graph().parse(path, format="turtle")
            for _ in range(rng.randint(1, 3)):
                _mutate(graph, rng)
            graph.serialize(copy, format="turtle")
        else:
            copy.write_bytes(path.read_bytes())
        files.append(copy)
    _compare(files)


def test_mutations_break_shapes(tmp_path: Path) -> None:
    """The mutations are not idle: several of them make the graph fail (checked with pySHACL)."""
    failing = 0
    for seed in range(14):
        rng = random.Random(seed)
        target = rng.choice(GRAPH_FILES)
        graph = Graph().parse(target, format="turtle")
        for _ in range(rng.randint(1, 3)):
            _mutate(graph, rng)
        copy = tmp_path / f"{seed}-{target.name}"
        graph.serialize(copy, format="turtle")
        others = [p for p in GRAPH_FILES if p != target]
        dataset = load_dataset(files=[*others, copy])
        baseline = len(
            validate(load_dataset(files=GRAPH_FILES), engine="pyshacl", shapes=SHAPES).violations
        )
        failing += len(validate(dataset, engine="pyshacl", shapes=SHAPES).violations) > baseline
    assert failing >= 4
