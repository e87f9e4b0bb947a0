"""Tests for moikg.generate and ``moikg generate``: valid, connected, sourced, reproducible."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest

from cli_support import run_cli
from moikg.cards.synthetic import generate
from moikg.errors import InputError
from moikg.ingest.validation import validate_sources

ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _quads(folder: Path) -> list[pyoxigraph.Quad]:
    """Every triple of every file, read by Oxigraph (not the writer's rdflib), graph = file."""
    quads: list[pyoxigraph.Quad] = []
    for path in sorted(folder.glob("*.ttl")):
        graph = pyoxigraph.NamedNode(f"urn:file:{path.stem}")
        for triple in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            quads.append(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
    return quads


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(triples=3000, seed=7, out_dir=out)
    return out


def test_generated_sources_conform_to_the_shapes(generated: Path) -> None:
    report = validate_sources(generated)
    assert report.conforms, report.text


def test_generated_size_and_cards(generated: Path) -> None:
    quads = _quads(generated)
    assert 3000 <= len(quads) < 3600
    stems = sorted(p.stem for p in generated.glob("*.ttl"))
    assert stems == sorted(p.stem for p in (generated / "cards").glob("*.yaml"))
    assert len(stems) >= 10


def test_generated_sources_share_actors_and_people_hold_several_posts(generated: Path) -> None:
    quads = _quads(generated)
    store = pyoxigraph.Store()
    store.extend(quads)
    shared = store.query(
        "SELECT (COUNT(DISTINCT ?org) AS ?n) WHERE { GRAPH ?a { ?x <http://www.w3.org/ns/org#"
        "memberOf> ?org } GRAPH ?b { ?y <http://www.w3.org/ns/org#memberOf> ?org } "
        "FILTER(?a != ?b) }"
    )
    assert int(next(iter(shared))["n"].value) >= 2  # type: ignore[index, union-attr]
    actors = store.query(
        "SELECT (COUNT(DISTINCT ?org) AS ?n) WHERE { GRAPH ?a { ?org a ?t } "
        "GRAPH ?b { ?org a ?t } FILTER(STR(?a) < STR(?b) && isIRI(?org)) }"
    )
    assert int(next(iter(actors))["n"].value) >= 10  # type: ignore[index, union-attr]
    people_orgs: dict[str, set[str]] = {}
    for row in store.query(
        "PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT DISTINCT ?person ?org WHERE { GRAPH ?g { ?post org:member|org:heldBy ?person ; "
        "org:organization|org:postIn ?org . ?person a <http://xmlns.com/foaf/0.1/Person> } }"
    ):
        people_orgs.setdefault(str(row["person"]), set()).add(str(row["org"]))  # type: ignore[index]
    assert any(len(orgs) >= 2 for orgs in people_orgs.values())
    dated = store.query(
        "ASK { GRAPH ?g { ?m <http://www.w3.org/ns/org#organization> ?network ; ?p ?date "
        "FILTER(datatype(?date) = <http://www.w3.org/2001/XMLSchema#date>) } }"
    )
    assert bool(dated)


def test_every_typed_node_is_derived_from_its_own_source(generated: Path) -> None:
    by_file: dict[str, set[str]] = {}
    derived: dict[str, set[str]] = {}
    for quad in _quads(generated):
        graph = str(quad.graph_name)
        if quad.predicate.value == RDF_TYPE and isinstance(quad.subject, pyoxigraph.NamedNode):
            if quad.object.value == PROV + "Derivation":  # type: ignore[union-attr]
                continue  # a qualified derivation is about a fact, not one itself
            by_file.setdefault(graph, set()).add(quad.subject.value)
        if quad.predicate.value == PROV + "wasDerivedFrom":
            derived.setdefault(graph, set()).add(str(quad.subject))
    kinds = Counter(len(nodes) for nodes in by_file.values())
    assert kinds
    for graph, nodes in by_file.items():
        undocumented = {n for n in nodes if f"<{n}>" not in derived.get(graph, set())}
        sources = {n for n in undocumented if n.startswith("https://example.org/generated/source/")}
        assert undocumented == sources, (graph, sorted(undocumented - sources)[:5])


def test_same_seed_same_bytes_other_seed_other_graph(tmp_path: Path) -> None:
    one, two, other = tmp_path / "one", tmp_path / "two", tmp_path / "other"
    generate(triples=600, seed=3, out_dir=one)
    generate(triples=600, seed=3, out_dir=two)
    generate(triples=600, seed=4, out_dir=other)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    assert any(
        (one / f).read_bytes() != (other / f).read_bytes() for f in files if (other / f).exists()
    )


def test_out_of_range_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="triples"):
        generate(triples=5, seed=1, out_dir=tmp_path)


def test_cli_generate(tmp_path: Path) -> None:
    code, _, err = run_cli("generate", "--triples", "500", "--seed", "2", "-o", str(tmp_path / "g"))
    assert code == 0
    assert "wrote" in err
    assert len(_quads(tmp_path / "g")) >= 500
    code, _, err = run_cli("generate", "--triples", "5", "-o", str(tmp_path / "h"))
    assert code == 2
    assert "--triples" in err
