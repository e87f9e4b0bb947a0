"""Tests for moikg.ingest.summary: counts by most specific class, the one label rule, agreements."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from moikg.ingest.load import load_dataset
from moikg.ingest.summary import render_markdown, summarise

ONTOLOGY = """@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix moi: <https://w3id.org/moikg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://w3id.org/moikg/ontology> a owl:Ontology .
moi:Institute rdfs:subClassOf moi:ResearchOrg ; rdfs:label "Institute"@en .
moi:ResearchOrg rdfs:subClassOf org:Organization ; rdfs:label "Research organisation"@en .
moi:MemorandumOfUnderstanding rdfs:subClassOf moi:Agreement .
"""
SOURCE = """@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix moi: <https://w3id.org/moikg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix o: <https://w3id.org/moikg/id/org/> .
@prefix a: <https://w3id.org/moikg/id/agreement/> .
@prefix pp: <https://w3id.org/moikg/id/person/> .
o:x a moi:Institute , org:Organization ; rdfs:label "Institut X"@fr , "Institute X"@en ;
    prov:wasDerivedFrom <https://example.org/news> .
o:y a moi:ResearchOrg ; rdfs:label "Y" .
pp:p a foaf:Person ; foaf:name "Pat" .
a:m a moi:MemorandumOfUnderstanding ; rdfs:label "MoU"@en ; dcterms:date "2019-02-11" ;
    moi:hasParty o:x , o:y .
<https://example.org/news> a schema:NewsArticle ; dcterms:title "News" ; dcterms:issued "2019-02-11" .
"""


def _dataset(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "graph"
    folder.mkdir()
    (folder / "s.ttl").write_text(SOURCE, encoding="utf-8")
    ontology = tmp_path / "moi.ttl"
    ontology.write_text(ONTOLOGY, encoding="utf-8")
    return load_dataset(folder, ontology=ontology)


def test_actors_are_counted_once_under_their_most_specific_class(tmp_path: Path) -> None:
    summary = summarise(_dataset(tmp_path))
    assert dict(summary.actors_by_kind) == {
        "Institute": 1,
        "Research organisation": 1,
        "foaf:Person": 1,
    }


def test_agreements_use_the_label_rule_and_name_their_parties(tmp_path: Path) -> None:
    summary = summarise(_dataset(tmp_path))
    (agreement,) = summary.agreements
    assert agreement.label == "MoU" and agreement.date == "2019-02-11"
    # English is preferred over French for the same property (the one label rule).
    assert agreement.parties == ("Institute X", "Y")


def test_sources_triples_and_markdown(tmp_path: Path) -> None:
    summary = summarise(_dataset(tmp_path))
    source_triples = len(Graph().parse(data=SOURCE, format="turtle"))
    assert dict(summary.triples_per_graph)["s"] == source_triples
    assert [(s.title, s.issued) for s in summary.sources] == [("News", "2019-02-11")]
    assert summary.derived_nodes == 1
    page = render_markdown(summary)
    assert "| MoU | 2019-02-11 | Institute X; Y |" in page
    assert f"| s | {source_triples} |" in page


def test_markdown_names_the_actors_by_kind_and_the_sources_with_dates(tmp_path: Path) -> None:
    page = render_markdown(summarise(_dataset(tmp_path)))
    assert "- **Institute** (1): Institute X" in page
    assert "- **Research organisation** (1): Y" in page
    assert "| News | 2019-02-11 | <https://example.org/news> |" in page
