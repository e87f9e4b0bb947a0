"""``ontology/moi.ttl``: documented, aligned with the standard vocabularies, and consistent.

Consistency is checked by HermiT (the OWL 2 reasoner bundled with owlready2), run on the
ontology together with every graph file. The negative control proves the check can fail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "moi.ttl"
GRAPH_FILES = sorted((ROOT / "graph").glob("*.ttl"))
MOI = "https://w3id.org/moikg/ontology#"
STANDARD = (
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/ns/prov#",
    "https://schema.org/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
)
# Project terms with no standard counterpart, each with the reason.
UNALIGNED = {
    # An annotation linking a class to its SKOS concept: schema-level, not data.
    MOI + "kindConcept",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    return g


def _terms(g: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted(
        {
            s
            for k in kinds
            for s in g.subjects(RDF.type, k)
            if isinstance(s, URIRef) and str(s).startswith(MOI)
        }
    )


def test_ontology_header(ontology: Graph) -> None:
    (onto,) = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert str(ontology.value(onto, DCTERMS.license)).startswith("https://creativecommons.org/")
    assert len(str(ontology.value(onto, DCTERMS.description))) > 100


def test_the_ontology_covers_the_domain(ontology: Graph) -> None:
    names = {str(t).removeprefix(MOI) for t in _terms(ontology)}
    required = {
        "University", "Institute", "IntergovernmentalOrganisation", "Observatory",
        "StateInvestmentBank", "InnovationAgency", "StrategicUnit", "GovernmentDepartment",
        "City", "Foundation", "PrivateOrganisation", "Network", "Partnership", "MemberCount",
        "Agreement", "MemorandumOfUnderstanding", "Signing", "Summit", "PanelDiscussion",
        "Goal", "hasParty", "signatory", "evidence",
    }  # fmt: skip
    assert required <= names


@pytest.mark.parametrize(
    "term", _terms(Graph().parse(ONTOLOGY)), ids=lambda t: str(t).removeprefix(MOI)
)
def test_every_term_is_documented(ontology: Graph, term: URIRef) -> None:
    assert isinstance(ontology.value(term, RDFS.label), Literal)
    assert (ontology.value(term, RDFS.comment) or ontology.value(term, SKOS.definition)) is not None


def test_unaligned_terms_exist(ontology: Graph) -> None:
    assert {str(t) for t in _terms(ontology)} >= UNALIGNED


@pytest.mark.parametrize(
    "term",
    [t for t in _terms(Graph().parse(ONTOLOGY)) if str(t) not in UNALIGNED],
    ids=lambda t: str(t).removeprefix(MOI),
)
def test_every_term_is_aligned_with_a_standard_term(ontology: Graph, term: URIRef) -> None:
    link = RDFS.subClassOf if (term, RDF.type, OWL.Class) in ontology else RDFS.subPropertyOf
    ancestors = set(ontology.transitive_objects(term, link)) - {term}
    assert any(str(a).startswith(STANDARD) for a in ancestors), f"{term} has no standard super-term"


def _hermit(
    *turtle_files: Path, extra: str = "", tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """Run HermiT's consistency check (``-k``) on the union of the files, as RDF/XML."""
    g = Graph()
    for f in turtle_files:
        g.parse(f, format="turtle")
    if extra:
        g.parse(data=extra, format="turtle")
    owl_file = tmp_path / "all.owl"
    g.serialize(owl_file, format="xml")
    hermit = Path(owlready2.__file__).parent / "hermit"
    java = shutil.which("java")
    assert java, "HermiT needs Java on PATH (scripts/install installs default-jre-headless)"
    # --ignoreUnsupportedDatatypes: xsd:date is not in the OWL 2 datatype map (OWL 2 §4).
    return subprocess.run(
        [java, "-cp", f"{hermit}:{hermit / 'HermiT.jar'}", "org.semanticweb.HermiT.cli.CommandLine",
         "--ignoreUnsupportedDatatypes", "-k", owl_file.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_hermit_finds_ontology_and_data_consistent(tmp_path: Path) -> None:
    assert GRAPH_FILES
    result = _hermit(ONTOLOGY, *GRAPH_FILES, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "owl#Thing is satisfiable" in result.stdout


def test_hermit_catches_a_person_typed_as_an_organisation(tmp_path: Path) -> None:
    bad = "<https://w3id.org/moikg/id/person/rainer-kattel> a <http://www.w3.org/ns/org#Organization> ."
    result = _hermit(ONTOLOGY, *GRAPH_FILES, extra=bad, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "InconsistentOntologyException" in result.stderr


def test_owlready2_default_hermit_loads_the_ontology(tmp_path: Path) -> None:
    """Issue 8, B10: a researcher's plain ``sync_reasoner()`` (HermiT, no options) works.

    Before 0.3.0 the ontology gave datatype ranges and values typed ``xsd:date``, outside the
    OWL 2 datatype map, and HermiT refused to load it. Run in a child process: owlready2 keeps
    one global world, and HermiT is a Java program.
    """
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    owl_file = tmp_path / "moi.owl"
    g.serialize(owl_file, format="xml")
    script = (
        "import sys, owlready2\n"
        "onto = owlready2.get_ontology(sys.argv[1]).load()\n"
        "with onto:\n"
        "    owlready2.sync_reasoner()\n"
        "print('classes', len(list(onto.classes())))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, owl_file.as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split()[-1]) > 30


def test_the_ontology_uses_no_datatype_outside_the_owl2_map(ontology: Graph) -> None:
    """The datatypes HermiT rejects must not appear in the ontology itself (OWL 2 §4)."""
    rejected = {XSD.date, XSD.gYear, XSD.gYearMonth}
    assert not [o for o in ontology.objects(None, RDFS.range) if o in rejected]
    assert not [o for o in ontology.objects() if isinstance(o, Literal) and o.datatype in rejected]
