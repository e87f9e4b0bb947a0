"""Shared fixtures for the pipeline tests: a tiny throwaway project in ``tmp_path``.

The project has its own minimal ontology and shapes, so these tests do not
depend on the real content of ``ontology/`` and ``graph/``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

PREFIXES = """\
@prefix moi: <https://w3id.org/moikg/ontology#> .
@prefix id: <https://w3id.org/moikg/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/mini/> .
"""

ONTOLOGY = PREFIXES + textwrap.dedent("""\
    moi: a owl:Ontology .
    moi:Institute a owl:Class ; rdfs:subClassOf moi:ResearchBody ; rdfs:label "Institute"@en .
    moi:ResearchBody a owl:Class ; rdfs:subClassOf org:Organization ;
        rdfs:label "Research body"@en .
    moi:Agreement a owl:Class ; rdfs:subClassOf prov:Entity .
    moi:hasParty a owl:ObjectProperty .
""")

SHAPES = PREFIXES + textwrap.dedent("""\
    ex:OrganizationShape a sh:NodeShape ;
        sh:targetClass org:Organization ;
        sh:property [
            sh:path rdfs:label ;
            sh:minCount 1 ;
            sh:message "an organisation needs an rdfs:label" ;
        ] .
    ex:PersonShape a sh:NodeShape ;
        sh:targetClass foaf:Person ;
        sh:property [ sh:path foaf:name ; sh:minCount 1 ] .
""")

SOURCE_A = PREFIXES + textwrap.dedent("""\
    ex:article a schema:NewsArticle, prov:Entity ;
        dcterms:title "Two institutes agree" ;
        dcterms:issued "2019-02-11"^^xsd:date .
    id:org-a a moi:Institute ; rdfs:label "Institute A" ; prov:wasDerivedFrom ex:article .
    id:org-b a org:Organization, moi:ResearchBody ; rdfs:label "Body B" ;
        prov:wasDerivedFrom ex:article .
    id:mou a moi:Agreement ; rdfs:label "MoU A–B" ; dcterms:date "2019-02-10"^^xsd:date ;
        moi:hasParty id:org-a, id:org-b ; prov:wasDerivedFrom ex:article .
""")

SOURCE_B = PREFIXES + textwrap.dedent("""\
    id:ada a foaf:Person ; foaf:name "Ada" ; prov:wasDerivedFrom ex:page .
    ex:page a schema:WebPage ; dcterms:title "About Ada" ; dcterms:issued "2020-01-01" .
""")

# An institute without a label: caught only if sh:targetClass follows rdfs:subClassOf.
NONCONFORMING = PREFIXES + textwrap.dedent("""\
    id:org-c a moi:Institute ; prov:wasDerivedFrom ex:article .
""")

BROKEN = PREFIXES + (
    'id:org-d a moi:Institute ;\n    rdfs:label "Missing dot"\n    id:org-e a moi:Institute .\n'
)
"""A syntax error: line 14 lacks its final dot; line 15, column 5 is ``id:org-e``."""

BROKEN_LINE = PREFIXES.count("\n") + 3


@dataclass(frozen=True)
class MiniProject:
    """Paths of the throwaway project."""

    root: Path
    ontology: Path
    shapes: Path
    graph_dir: Path
    build_dir: Path

    def write_source(self, name: str, text: str) -> Path:
        """Write a Turtle file into the project's graph folder."""
        path = self.graph_dir / name
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture
def mini_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MiniProject:
    """A valid two-source project; ``MOIKG_HOME`` points at it."""
    root = tmp_path / "project"
    (root / "ontology").mkdir(parents=True)
    (root / "graph" / "cards").mkdir(parents=True)
    (root / "queries").mkdir()
    ontology = root / "ontology" / "moi.ttl"
    shapes = root / "ontology" / "shapes.ttl"
    ontology.write_text(ONTOLOGY, encoding="utf-8")
    shapes.write_text(SHAPES, encoding="utf-8")
    project = MiniProject(root, ontology, shapes, root / "graph", root / "build")
    project.write_source("a.ttl", SOURCE_A)
    project.write_source("b.ttl", SOURCE_B)
    # Not a source: later issues keep YAML cards (and maybe Turtle) under graph/cards/.
    (root / "graph" / "cards" / "ignored.ttl").write_text("this is not turtle", encoding="utf-8")
    monkeypatch.setenv("MOIKG_HOME", str(root))
    return project


# --- The real project's build, shared by the tests of the encoded sources --------------------

ONTOLOGY_GRAPH_IRI = "https://w3id.org/moikg/graph/ontology"


@pytest.fixture(scope="session")
def project_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``moikg build`` of the real ``graph/`` into a temporary folder, for the session."""
    import moikg

    out = tmp_path_factory.mktemp("project-build")
    moikg.build(out_dir=out)
    return out


@pytest.fixture(scope="session")
def source_graph(project_build: Path) -> Callable[..., Graph]:
    """Return sources' named graphs (by file stem) plus the ontology graph, from the session's build.

    Tests of one document scope their queries to it, so that later sources, which may add
    members, posts or quotations, do not change what they assert about this one.
    """
    dataset = Dataset()
    dataset.parse(project_build / "graph.trig", format="trig")

    def _graph(*stems: str) -> Graph:
        g = Graph()
        for iri in (
            *("https://w3id.org/moikg/graph/" + stem for stem in stems),
            ONTOLOGY_GRAPH_IRI,
        ):
            named = dataset.graph(URIRef(iri))
            assert len(named), f"the build has no named graph {iri}"
            for triple in named:
                g.add(triple)
        return g

    return _graph


# --- SPARQL: embedded store and real oxigraph servers (issue 3; owned by the query/serve work) ---

NETWORK_SAMPLE = Path(__file__).parent / "data" / "catalogue" / "network-sample.ttl"
"""A small synthetic network (example.org IRIs) with chapters, memberships and dates."""


@pytest.fixture(scope="session")
def sparql_dataset() -> Dataset:
    """The embedded store over the real project: every graph/*.ttl plus the ontology."""
    from moikg.ingest.load import load_dataset

    return load_dataset()


@pytest.fixture(scope="session")
def sample_dataset() -> Dataset:
    """The embedded store over the ontology plus ``tests/data/catalogue/network-sample.ttl``."""
    from moikg.ingest.load import load_dataset

    return load_dataset(files=[NETWORK_SAMPLE])


def _served(dataset: Dataset, folder: Path) -> Iterator[object]:
    from moikg.ingest.export import write_trig
    from oxigraph_process import start_oxigraph

    trig = write_trig(dataset, folder / "dataset.trig")
    server = start_oxigraph(location=folder / "store", files=[trig], read_only=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def catalogue_server(
    sparql_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    """A read-only ``oxigraph serve`` on 127.0.0.1 holding exactly ``sparql_dataset``."""
    yield from _served(sparql_dataset, tmp_path_factory.mktemp("catalogue-server"))


@pytest.fixture(scope="session")
def sample_server(
    sample_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    """A read-only ``oxigraph serve`` on 127.0.0.1 holding exactly ``sample_dataset``."""
    yield from _served(sample_dataset, tmp_path_factory.mktemp("sample-server"))


@pytest.fixture
def writable_server() -> Iterator[object]:
    """An empty, writable, in-memory ``oxigraph serve`` on 127.0.0.1."""
    from oxigraph_process import start_oxigraph

    server = start_oxigraph(read_only=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One real Virtuoso per test session, on 127.0.0.1, with its own database (issue 11)."""
    from virtuoso_process import start_virtuoso

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
