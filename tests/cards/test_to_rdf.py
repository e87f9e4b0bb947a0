"""Tests for moikg.cards.to_rdf: a card's triples follow the interop profile and read back."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from moikg.cards.read import read_card, signing_key
from moikg.cards.resolve import Index
from moikg.cards.to_rdf import convert_card, to_turtle
from moikg.errors import CardError
from moikg.ingest.load import load_dataset

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "cards" / "2024-05-01-example-agency-joins-moin.yaml"
ONTOLOGY = Graph().parse(ROOT / "ontology" / "moi.ttl")
ID = "https://w3id.org/moikg/id/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def index() -> Index:
    """The actors of the project's graph (the sample card names some of them)."""
    data = Graph()
    for triple in load_dataset(ROOT / "graph").triples((None, None, None)):
        data.add(triple)
    return Index.from_graph(data, ONTOLOGY)


@pytest.fixture(scope="module")
def converted(index: Index) -> tuple[Graph, dict[str, str]]:
    graph, actors = convert_card(read_card(SAMPLE), index, ONTOLOGY)
    return graph, {key: str(r.iri) for key, r in actors.items()}


def test_new_actors_get_iris_under_their_category(converted: tuple[Graph, dict[str, str]]) -> None:
    _, actors = converted
    assert actors["iipp"] == f"{ID}org/iipp"  # found in the graph by its name, in lower case
    assert actors["example-agency"] == f"{ID}org/example-agency"
    assert actors["erika-example"] == f"{ID}person/erika-example"


def test_the_signing_is_an_event_keyed_by_the_signing_rule(
    converted: tuple[Graph, dict[str, str]],
) -> None:
    graph, _ = converted
    key = signing_key("eai-iipp-mou-2024", {"signing": {}})
    assert key == "eai-iipp-mou-2024-signing"
    signing = URIRef(f"{ID}event/{key}")
    agreement = URIRef(f"{ID}agreement/eai-iipp-mou-2024")
    assert (agreement, URIRef(PROV + "wasGeneratedBy"), signing) in graph
    assert (
        signing,
        URIRef(SCHEMA + "superEvent"),
        URIRef(f"{ID}event/eai-welcome-event-2024"),
    ) in graph
    dates = set(graph.objects(signing, URIRef(SCHEMA + "startDate")))
    assert dates == {
        Literal("2024-04-30", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    }


def test_every_node_is_derived_from_the_card_source(
    converted: tuple[Graph, dict[str, str]],
) -> None:
    graph, _ = converted
    source = URIRef("https://example.org/news/2024/05/example-agency-joins-moin")
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ID)}
    # A qualified derivation (issue 8, B8) is not a fact: it names its source by prov:entity.
    derivations = {s for s in subjects if (s, URIRef(PROV + "entity"), source) in graph}
    assert derivations
    underived = {s for s in subjects if (s, URIRef(PROV + "wasDerivedFrom"), source) not in graph}
    assert underived == derivations


def test_turtle_reads_back_with_a_second_parser(converted: tuple[Graph, dict[str, str]]) -> None:
    graph, _ = converted
    text = to_turtle(graph, read_card(SAMPLE), card_name="graph/cards/sample.yaml")
    assert text.startswith("#")  # the card's note becomes the header comment
    read = {str(t) for t in pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE)}
    expected = {
        str(t)
        for t in pyoxigraph.parse(
            graph.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
    }
    assert read == expected


def test_an_unknown_role_is_refused_with_its_place_in_the_card(
    index: Index, tmp_path: Path
) -> None:
    card = tmp_path / SAMPLE.name
    card.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("role: director", "role: wizard"),
        encoding="utf-8",
    )
    with pytest.raises(CardError) as caught:
        convert_card(read_card(card), index, ONTOLOGY)
    assert "wizard" in str(caught.value) and SAMPLE.name in str(caught.value)
