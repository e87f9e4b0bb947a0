"""Tests for moikg.ingest.summary: counts by most specific class, the one label rule, agreements."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, URIRef

from moikg._paths import graph_dir
from moikg.cards.synthetic import generate
from moikg.ingest.load import load_dataset
from moikg.ingest.summary import Summary, render_markdown, summarise

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


# The summary computed another way: rdflib's graph API over a plain in-memory copy of the
# same sources, with the kinds, the label rule and the orderings written out again here.
_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://xmlns.com/foaf/0.1/name",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
)
_ORG = URIRef("http://www.w3.org/ns/org#Organization")
_PERSON = URIRef("http://xmlns.com/foaf/0.1/Person")
_MOI = "https://w3id.org/moikg/ontology#"
_GRAPHS = "https://w3id.org/moikg/graph/"


def _reference(dataset: Dataset) -> dict[str, object]:
    ours = [g for g in dataset.graphs() if str(g.identifier).startswith(_GRAPHS)]
    data = [
        g
        for g in ours
        if str(g.identifier) not in (_GRAPHS + "ontology", _GRAPHS + "ontology-closure")
    ]
    ontology = dataset.graph(URIRef(_GRAPHS + "ontology"))

    def below(root: URIRef) -> set[URIRef]:
        classes = set(ontology.subjects(RDFS.subClassOf, None)) | {root}
        return {c for c in classes if root in set(ontology.transitive_objects(c, RDFS.subClassOf))}

    def label(node: object) -> str:
        found = [
            (rank, 0 if lang.lower().startswith("en") else (1 if not lang else 2), str(value))
            for rank, prop in enumerate(_LABELS)
            for graph in ours
            for value in graph.objects(node, URIRef(prop))  # type: ignore[arg-type]
            for lang in [getattr(value, "language", None) or ""]
        ]
        if found:
            return min(found)[2]
        return Graph().namespace_manager.normalizeUri(node)  # rdflib's own prefixes, e.g. foaf:

    def first(node: object, *props: str) -> str:
        for prop in props:
            values = sorted({str(v) for g in data for v in g.objects(node, URIRef(prop))})  # type: ignore[arg-type]
            if values:
                return values[0]
        return ""

    kinds = below(_ORG) | below(_PERSON)
    strict = {k: set(ontology.transitive_objects(k, RDFS.subClassOf)) - {k} for k in kinds}
    typed: dict[object, set[URIRef]] = {}
    for graph in data:
        for node, cls in graph.subject_objects(RDF.type):
            typed.setdefault(node, set()).add(cls)  # type: ignore[arg-type]
    actors: dict[str, list[str]] = {}
    for node, types in typed.items():
        mine = types & kinds
        for kind in (k for k in mine if not any(k in strict[o] for o in mine)):
            actors.setdefault(label(kind), []).append(label(node))
    has_party = URIRef(_MOI + "hasParty")
    deals = {n for g in data for n in g.subjects(has_party, None)}
    deals |= {n for n, types in typed.items() if types & below(URIRef(_MOI + "Agreement"))}
    sources = {n for n, types in typed.items() if types & {SCHEMA_NEWS, SCHEMA_PAGE}}
    return {
        "actors": {kind: sorted(names) for kind, names in actors.items()},
        "agreements": sorted(
            (
                label(n),
                first(n, "http://purl.org/dc/terms/date", "https://schema.org/startDate"),
                tuple(sorted(label(p) for p in {p for g in data for p in g.objects(n, has_party)})),
            )
            for n in deals
        ),
        "sources": sorted(
            (
                first(n, "http://purl.org/dc/terms/title") or str(n),
                first(n, "http://purl.org/dc/terms/issued"),
                str(n),
            )
            for n in sources
        ),
        "derived": len({n for g in data for n in g.subjects(PROV_DERIVED, None)}),
    }


SCHEMA_NEWS = URIRef("https://schema.org/NewsArticle")
SCHEMA_PAGE = URIRef("https://schema.org/WebPage")
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


def _as_reference(summary: Summary) -> dict[str, object]:
    return {
        "actors": {kind: sorted(names) for kind, names in summary.actors},
        "agreements": sorted((a.label, a.date, a.parties) for a in summary.agreements),
        "sources": sorted((s.title, s.issued, s.iri) for s in summary.sources),
        "derived": summary.derived_nodes,
    }


@pytest.mark.parametrize("which", ["fixture", "project", "generated"])
def test_summary_agrees_with_rdflib_on_the_project_and_generated_sources(
    which: str, tmp_path: Path
) -> None:
    folder, ontology = graph_dir(), None
    if which == "fixture":
        _dataset(tmp_path)
        folder, ontology = tmp_path / "graph", tmp_path / "moi.ttl"
    if which == "generated":
        folder = tmp_path / "gen"
        generate(triples=4000, seed=5, out_dir=folder)
    summary = summarise(load_dataset(folder, ontology=ontology))
    expected = _reference(load_dataset(folder, ontology=ontology, store="memory"))
    assert _as_reference(summary) == expected
    assert summary.actors_by_kind == tuple(
        sorted(((k, len(v)) for k, v in expected["actors"].items()), key=lambda kv: (-kv[1], kv[0]))  # type: ignore[attr-defined]
    )
    for _, names in summary.actors:
        assert list(names) == sorted(names, key=str.casefold)
    assert [(a.date, a.label) for a in summary.agreements] == sorted(
        (a.date, a.label) for a in summary.agreements
    )
    assert [(s.issued, s.title) for s in summary.sources] == sorted(
        (s.issued, s.title) for s in summary.sources
    )
