"""Differential test: the SPARQL engine gives pySHACL's verdicts, result for result.

With the project's shapes (``ontology/shapes.ttl``: inverse and alternative paths, ``sh:xone``,
``sh:or``, ``sh:node``, node-level ``sh:class``) on every Turtle fixture under ``tests/data``,
the project's graph, generated data at three seeds and sizes, and seeded mutations of the real
and the generated graphs, some aimed at each newly translated construct (an inverse-path link
dropped or pointed at a non-organisation, a second or mistyped alternative-path value, a
derivation with both or neither of the ``sh:xone`` members, evidence on a node that is not a
derivation). With ``tests/data/shacl/features-shapes.ttl`` (every path kind and logical
constraint the engine translates) on its data fixture. Both engines run on the same loaded
dataset; every field of every result must agree.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from moikg.cards.synthetic import generate
from moikg.errors import InputError, Violation
from moikg.ingest.load import load_dataset
from moikg.ingest.shacl_sparql import Untranslatable, plan, translate
from moikg.ingest.validation import FallbackWarning, _read_shapes, validate

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
CONCEPT = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
SAME_AS = URIRef("http://www.w3.org/2002/07/owl#sameAs")
MOI = "https://w3id.org/moikg/ontology#"
SCHEMA = "https://schema.org/"
PROV_DERIVATION = URIRef("http://www.w3.org/ns/prov#Derivation")
QUALIFIED = URIRef("http://www.w3.org/ns/prov#qualifiedDerivation")
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
FEATURES = DATA / "shacl" / "features-shapes.ttl"
FIXTURES = sorted(p for p in DATA.rglob("*.ttl") if p != FEATURES)
GRAPH_FILES = sorted((ROOT / "graph").glob("*.ttl"))


def _key(v: Violation) -> tuple[object, ...]:
    return (v.severity, v.focus_node, v.result_path or "", v.value or "", v.source_shape,
            v.message, v.source_files)  # fmt: skip


def _compare(files: list[Path], shapes: Path | None = None) -> list[Violation]:
    dataset = load_dataset(files=files)
    ours = validate(dataset, engine="sparql", shapes=shapes)
    reference = validate(dataset, engine="pyshacl", shapes=shapes)
    assert sorted(map(_key, ours.violations)) == sorted(map(_key, reference.violations)), files
    assert ours.conforms == reference.conforms
    return list(reference.violations)


def test_the_project_shapes_translate() -> None:
    translated = translate(_read_shapes(None))
    queries = " ".join(c.query for c in translated.checks)
    components = {name for c in translated.checks for name in c.components}
    assert len(translated.checks) > 40
    assert "^<https://schema.org/contactPoint>" in queries  # sh:inversePath
    assert f"(<{MOI}moreThan>|<{SCHEMA}value>)" in queries  # sh:alternativePath
    assert {"XoneConstraintComponent", "OrConstraintComponent", "NodeConstraintComponent"} <= (
        components
    )


def test_the_feature_shapes_translate_and_name_their_paths() -> None:
    translated = translate(_read_shapes(FEATURES))
    components = {name for c in translated.checks for name in c.components}
    assert {
        "XoneConstraintComponent", "OrConstraintComponent", "AndConstraintComponent",
        "NotConstraintComponent", "NodeConstraintComponent", "InConstraintComponent",
        "HasValueConstraintComponent", "MinLengthConstraintComponent",
        "MaxLengthConstraintComponent",
    } <= components  # fmt: skip
    found = _compare([DATA / "shacl" / "features-data.ttl"], FEATURES)
    paths = {v.result_path for v in found}
    # Written by hand from the fixture: each path kind gives at least one result.
    assert {
        "(ex:partOf/ex:owner)", "(ex:partOf)+", "(ex:alias)?", "^ex:owns",
        "(ex:size|ex:weight)", "^(ex:owns|ex:lends)",
    } <= paths  # fmt: skip
    focus_shapes = {(v.focus_node.rsplit("/", 1)[-1], v.source_shape) for v in found}
    assert ("t3", "ex:LogicShape") in focus_shapes  # xone: two members hold
    assert ("t4", "ex:LogicShape") in focus_shapes  # xone: none holds
    assert ("root", "ex:FixedShape → sh:property [sh:path ex:owner]") in focus_shapes  # sh:node
    assert ("absent", "ex:FixedShape") in focus_shapes  # targetNode + hasValue


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_verdicts_match_pyshacl(path: Path) -> None:
    _compare([path])


def test_all_invalid_fixtures_together_match_pyshacl() -> None:
    found = _compare([p for p in FIXTURES if p.parent.name == "invalid"])
    assert len(found) >= len([p for p in FIXTURES if p.parent.name == "invalid"])


def test_the_graph_matches_pyshacl() -> None:
    _compare(GRAPH_FILES)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], list[Path]]:
    made = {}
    for seed, size in ((1, 1500), (2, 4000), (3, 9000)):
        out = tmp_path_factory.mktemp(f"gen-{seed}-{size}")
        generate(triples=size, seed=seed, out_dir=out)
        made[(seed, size)] = sorted(out.glob("*.ttl"))
    return made


@pytest.mark.parametrize("seed_size", [(1, 1500), (2, 4000), (3, 9000)], ids=str)
def test_generated_data_matches_pyshacl(
    seed_size: tuple[int, int], generated: dict[tuple[int, int], list[Path]]
) -> None:
    _compare(generated[seed_size])


def _of(graph: Graph, cls: str) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF_TYPE, URIRef(cls)) if isinstance(s, URIRef))


def _inverse(graph: Graph, rng: random.Random) -> bool:
    """ContactPointShape's ``[sh:inversePath schema:contactPoint]``: drop or mistype the org."""
    links = sorted(graph.subject_objects(URIRef(SCHEMA + "contactPoint")))
    if not links:
        return False
    org, point = rng.choice(links)
    if rng.random() < 0.5:
        graph.remove((org, URIRef(SCHEMA + "contactPoint"), point))
    else:
        graph.remove((org, RDF_TYPE, None))
        graph.add((org, RDF_TYPE, CONCEPT))
    return True


def _alternative(graph: Graph, rng: random.Random) -> bool:
    """MemberCountShape's ``moi:moreThan | schema:value``: a second value, or a string."""
    counts = _of(graph, MOI + "MemberCount")
    if not counts:
        return False
    count = rng.choice(counts)
    if rng.random() < 0.5:
        graph.add((count, URIRef(SCHEMA + "value"), Literal(7, datatype=XSD_INTEGER)))
    else:
        for p in (URIRef(MOI + "moreThan"), URIRef(SCHEMA + "value")):
            graph.remove((count, p, None))
        graph.add((count, URIRef(SCHEMA + "value"), Literal("many")))
    return True


def _xone(graph: Graph, rng: random.Random) -> bool:
    """DerivationShape's ``sh:xone``: both evidence and paraphrase, or neither."""
    derivations = _of(graph, str(PROV_DERIVATION))
    if not derivations:
        return False
    node = rng.choice(derivations)
    if rng.random() < 0.5:
        graph.add((node, URIRef(MOI + "paraphrase"), Literal("in other words")))
    else:
        graph.remove((node, URIRef(MOI + "evidence"), None))
    return True


def _evidence(graph: Graph, rng: random.Random) -> bool:
    """EvidenceShape (node-level ``sh:class``): evidence on a node that is no derivation."""
    holders = sorted(s for s in graph.subjects(QUALIFIED, None) if isinstance(s, URIRef))
    if not holders:
        return False
    graph.add((rng.choice(holders), URIRef(MOI + "evidence"), Literal("quoted on the node")))
    return True


def _generic(graph: Graph, rng: random.Random) -> bool:
    triples = sorted(graph, key=lambda t: tuple(map(str, t)))
    s, p, o = rng.choice(triples)
    kind = rng.choice(("drop", "date", "type", "literal", "second", "sameas", "lang", "bnode"))
    if kind == "drop":
        graph.remove((s, p, o))
    elif kind == "date":
        dated = [t for t in triples if isinstance(t[2], Literal) and t[2].datatype == XSD_DATE]
        s, p, o = rng.choice(dated or triples)
        graph.remove((s, p, o))
        graph.add((s, p, Literal("2019-02-30", datatype=XSD_DATE)))
    elif kind == "type":
        s, p, o = rng.choice([t for t in triples if t[1] == RDF_TYPE])
        graph.remove((s, p, o))
        graph.add((s, p, CONCEPT))
    elif kind == "literal":
        s, p, o = rng.choice([t for t in triples if isinstance(t[2], URIRef) and t[1] != RDF_TYPE])
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o))))
    elif kind == "second":
        graph.add((s, p, Literal("another value", datatype=XSD_STRING)))
    elif kind == "sameas":
        graph.add((s, SAME_AS, URIRef("http://www.wikidata.org/entity/Q0")))
    elif kind == "bnode":
        s, p, o = rng.choice([t for t in triples if isinstance(t[2], URIRef) and t[1] != RDF_TYPE])
        graph.remove((s, p, o))
        graph.add((s, p, BNode()))
    else:
        s, p, o = rng.choice([t for t in triples if isinstance(t[2], Literal)])
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o), lang="de")))
    return True


Mutation = Callable[[Graph, random.Random], bool]
FEATURE_MUTATIONS: dict[str, Mutation] = {
    "inverse": _inverse, "alternative": _alternative, "xone": _xone, "evidence": _evidence,
}  # fmt: skip


def _mutated(files: list[Path], seed: int, out: Path, kinds: list[str]) -> list[Path]:
    """Copy ``files`` to ``out``, mutating one or two of them (seeded); return the copies."""
    rng = random.Random(seed)
    targets = set(rng.sample(files, min(2, len(files))))
    copies = []
    for path in files:
        copy = out / path.name
        if path in targets:
            graph = Graph().parse(path, format="turtle")
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(kinds)
                if not (FEATURE_MUTATIONS.get(kind, _generic))(graph, rng):
                    _generic(graph, rng)
            graph.serialize(copy, format="turtle")
        else:
            copy.write_bytes(path.read_bytes())
        copies.append(copy)
    return copies


KINDS = ["generic", *FEATURE_MUTATIONS]


@pytest.mark.parametrize("seed", range(16))
def test_mutated_graph_verdicts_match_pyshacl(seed: int, tmp_path: Path) -> None:
    _compare(_mutated(GRAPH_FILES, seed, tmp_path, KINDS))


@pytest.mark.parametrize("kind", list(FEATURE_MUTATIONS))
@pytest.mark.parametrize("seed", range(3))
def test_feature_mutations_match_pyshacl_and_break_the_shape(
    kind: str, seed: int, tmp_path: Path, generated: dict[tuple[int, int], list[Path]]
) -> None:
    """Each mutation aimed at a new construct makes the graph fail, the same in both engines."""
    generated_too = kind in ("xone", "evidence") and seed % 2 == 1  # no contact points there
    base = generated[(1, 1500)] if generated_too else GRAPH_FILES
    rng = random.Random(seed)
    target = rng.choice([p for p in base if _hit(p, kind)])
    graph = Graph().parse(target, format="turtle")
    assert FEATURE_MUTATIONS[kind](graph, rng)
    copy = tmp_path / target.name
    graph.serialize(copy, format="turtle")
    found = _compare([copy if p == target else p for p in base])
    assert found, f"{kind} on {target.name} broke no shape"


def _hit(path: Path, kind: str) -> bool:
    text = path.read_text(encoding="utf-8")
    needle = {"inverse": "contactPoint", "alternative": "MemberCount", "xone": "Derivation",
              "evidence": "qualifiedDerivation"}[kind]  # fmt: skip
    return needle in text


@pytest.mark.parametrize("seed", range(4))
def test_mutated_generated_data_matches_pyshacl(
    seed: int, tmp_path: Path, generated: dict[tuple[int, int], list[Path]]
) -> None:
    _compare(_mutated(generated[(2, 4000)], seed, tmp_path, KINDS))


def test_mutations_break_shapes(tmp_path: Path) -> None:
    """The mutations are not idle: several of them make the graph fail (checked with pySHACL)."""
    failing = 0
    for seed in range(16):
        out = tmp_path / str(seed)
        out.mkdir()
        dataset = load_dataset(files=_mutated(GRAPH_FILES, seed, out, KINDS))
        failing += not validate(dataset, engine="pyshacl").conforms
    assert failing >= 6


UNTRANSLATED = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Agent ] ;
                  sh:qualifiedMinCount 1 ] .
"""


def test_untranslatable_shapes_fall_back_to_pyshacl_with_a_warning(tmp_path: Path) -> None:
    shapes = tmp_path / "qualified.ttl"
    shapes.write_text(UNTRANSLATED, encoding="utf-8")
    with pytest.raises(Untranslatable, match="qualifiedValueShape"):
        translate(_read_shapes(shapes))
    assert plan(_read_shapes(shapes)) is None
    data = DATA / "shacl" / "features-data.ttl"
    dataset = load_dataset(files=[data])
    with pytest.warns(FallbackWarning, match=r"qualified\.ttl: .*qualifiedValueShape.*pySHACL"):
        report = validate(dataset, shapes=shapes)
    reference = validate(dataset, shapes=shapes, engine="pyshacl")
    assert sorted(map(_key, report.violations)) == sorted(map(_key, reference.violations))
    assert not report.conforms  # ex:nothing, a Thing with no part
    with pytest.raises(InputError, match=r"engine: .*qualifiedValueShape"):
        validate(dataset, shapes=shapes, engine="sparql")


def test_translated_shapes_take_the_sparql_engine_without_a_warning() -> None:
    dataset = load_dataset(files=GRAPH_FILES)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FallbackWarning)
        report = validate(dataset)
    assert report.text.startswith("Validation Report (SHACL as SPARQL on Oxigraph)")
