"""Citing the data (issue 8, part C): licences, CITATION.cff, one version, the build as a dataset.

The build's ``dataset.ttl`` is read back with pyoxigraph (a second, independent reader) and
checked against ``graph.trig`` read by pyoxigraph too: every count is recomputed here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import OWL, RDF, Graph, URIRef

import moikg

ROOT = Path(__file__).resolve().parents[1]
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
DATASET = ox.NamedNode("https://w3id.org/moikg/dataset")
CC_BY = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
DCTERMS_LICENSE = URIRef(DCTERMS + "license")


def _ontology_version() -> str:
    g = Graph()
    g.parse(ROOT / "ontology" / "moi.ttl", format="turtle")
    (onto,) = list(g.subjects(RDF.type, OWL.Ontology))
    return str(g.value(onto, OWL.versionInfo))


def test_code_and_data_licences() -> None:
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    data = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert code.startswith("MIT License")
    assert "Creative Commons Attribution 4.0 International Public License" in data
    assert "Section 3 -- License Conditions." in data  # the full legal code, not a pointer
    ontology = Graph().parse(ROOT / "ontology" / "moi.ttl", format="turtle")
    assert (None, DCTERMS_LICENSE, URIRef(CC_BY.value)) in ontology


def test_one_version_for_package_ontology_and_citation() -> None:
    version = _ontology_version()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    source = pyproject["tool"]["hatch"]["version"]
    assert source["path"] == "ontology/moi.ttl"
    match = re.search(source["pattern"], (ROOT / source["path"]).read_text(encoding="utf-8"))
    assert match is not None
    assert match.group("version") == version
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert str(citation["version"]) == version
    assert citation["license"] == "CC-BY-4.0"
    assert citation["title"] and citation["authors"]
    # The installed package's version comes from the same place (re-run ./scripts/install
    # after changing it: the version is read at install time).
    assert moikg.__version__ == version
    ontology = Graph().parse(ROOT / "ontology" / "moi.ttl", format="turtle")
    (onto,) = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert str(ontology.value(onto, OWL.versionIRI)).endswith("/" + version)


@pytest.fixture(scope="module")
def described(project_build: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(project_build / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def built(project_build: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(project_build / "graph.trig"), format=ox.RdfFormat.TRIG)
    return store


def _one(store: ox.Store, s: ox.NamedNode, p: str) -> ox.Literal | ox.NamedNode:
    values = [q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None)]
    assert len(values) == 1, (s, p, values)
    obj = values[0]
    assert isinstance(obj, ox.Literal | ox.NamedNode)
    return obj


def test_the_build_describes_itself_as_a_dataset(described: ox.Store, built: ox.Store) -> None:
    types = {
        q.object for q in described.quads_for_pattern(DATASET, ox.NamedNode(str(RDF.type)), None)
    }
    assert {ox.NamedNode(VOID + "Dataset"), ox.NamedNode(DCAT + "Dataset")} <= types
    assert _one(described, DATASET, DCTERMS + "title").value.startswith("moikg")
    assert _one(described, DATASET, DCTERMS + "license") == CC_BY
    assert _one(described, DATASET, str(OWL.versionInfo)).value == _ontology_version()
    assert _one(described, DATASET, DCAT + "version").value == _ontology_version()
    issued = _one(described, DATASET, DCTERMS + "issued")
    assert isinstance(issued, ox.Literal)
    assert issued.datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    # The triple count is the RDF merge of every named graph: each triple once.
    merged = {(q.subject, q.predicate, q.object) for q in built}
    assert int(_one(described, DATASET, VOID + "triples").value) == len(merged)


def test_each_named_graph_is_a_subset_with_its_count_and_source(
    described: ox.Store, built: ox.Store
) -> None:
    subsets = {
        q.object for q in described.quads_for_pattern(DATASET, ox.NamedNode(VOID + "subset"), None)
    }
    graphs = set(built.named_graphs())
    assert subsets == graphs
    release = ox.NamedNode(
        "https://www.ucl.ac.uk/bartlett/public-purpose/news/2019/feb/"
        "iipp-and-oecd-partner-rethink-and-drive-innovation-public-sector"
    )
    for graph in graphs:
        count = sum(1 for _ in built.quads_for_pattern(None, None, None, graph))
        assert int(_one(described, graph, VOID + "triples").value) == count, graph
    release_graph = ox.NamedNode("https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou")
    assert _one(described, release_graph, DCTERMS + "source") == release
    all_sources = {
        q.object
        for q in described.quads_for_pattern(DATASET, ox.NamedNode(DCTERMS + "source"), None)
    }
    assert release in all_sources
    assert ox.NamedNode("http://www.growinpro.eu/moin/") in all_sources
