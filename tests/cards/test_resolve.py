"""Tests for moikg.cards.resolve: the index of known actors and resolving a card's actors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from moikg.cards.read import read_card
from moikg.cards.resolve import Index, resolve_actors
from moikg.errors import CardError

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = Graph().parse(ROOT / "ontology" / "moi.ttl")
DATA = """@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix moi: <https://w3id.org/moikg/ontology#> .
@prefix ex: <https://example.org/> .
ex:lab a moi:Institute ; rdfs:label "Institute for Innovation"@en ; skos:altLabel "IfI" .
ex:agency a org:Organization ; rdfs:label "Agência de Inovação"@pt .
ex:twin a org:Organization ; rdfs:label "Twin" .
ex:twin2 a org:Organization ; rdfs:label "TWIN" .
ex:pat a foaf:Person ; foaf:name "Pat Example" .
ex:city a schema:Place ; rdfs:label "Example City" .
ex:thing a ex:Unknown ; rdfs:label "Pat Example" .
"""


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.from_graph(Graph().parse(data=DATA, format="turtle"), ONTOLOGY)


def test_categories_follow_subclasses_and_unknown_types_are_left_out(index: Index) -> None:
    known = {
        str(k.iri): k.category
        for k in (index.get(URIRef(f"https://example.org/{n}")) for n in ("lab", "pat", "city"))
        if k
    }
    assert known == {
        "https://example.org/lab": "org",  # moi:Institute is below org:Organization
        "https://example.org/pat": "person",
        "https://example.org/city": "place",
    }
    assert index.get(URIRef("https://example.org/thing")) is None
    assert len(index) == 6


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["  institute FOR innovation "], ["https://example.org/lab"]),
        (["ifi"], ["https://example.org/lab"]),
        (["Agencia de Inovacao"], ["https://example.org/agency"]),
        (["twin"], ["https://example.org/twin", "https://example.org/twin2"]),
        (["Pat Example"], []),  # a person is not an organisation
    ],
    ids=["label-case-spaces", "alias", "accents", "two-matches", "other-category"],
)
def test_lookup_folds_case_accents_and_spaces(
    index: Index, names: list[str], expected: list[str]
) -> None:
    assert [str(k.iri) for k in index.lookup(["org"], names)] == expected


def test_resolving_an_ambiguous_name_names_the_card_and_the_candidates(
    index: Index, tmp_path: Path
) -> None:
    card = tmp_path / "2024-01-01-twins.yaml"
    card.write_text(
        "source:\n  url: https://example.org/n\n  type: web-page\n  title: T\n"
        "  publisher: twin\n  issued: 2024-01-01\n"
        "actors:\n  twin:\n    name: twin\n",
        encoding="utf-8",
    )
    with pytest.raises(
        CardError, match=r"twins\.yaml.*'twin'.*ambiguous.*example\.org/twin \(Twin\).*twin2"
    ) as caught:
        resolve_actors(read_card(card), index, ONTOLOGY)
    assert caught.value.exit_code == 2
