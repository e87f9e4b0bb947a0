"""The 2019 IIPP–OECD release, as the build encodes it: SPARQL over the build output.

Each test states a fact of ``shared/sources/2019-02-11-iipp-oecd-mou.txt`` (or one that must be
absent, because the release does not say it) and checks it against the built graph.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from sparql_support import ID, PREFIXES, ask, ids, select_rows

RELEASE = URIRef(
    "https://www.ucl.ac.uk/bartlett/public-purpose/news/2019/feb/"
    "iipp-and-oecd-partner-rethink-and-drive-innovation-public-sector"
)
RELEASE_GRAPH = URIRef("https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou")


@pytest.fixture(scope="module")
def graph(source_graph: Callable[[str], Graph]) -> Graph:
    return source_graph("2019-02-11-iipp-oecd-mou")


# --- Organisations -----------------------------------------------------------------------------


def test_organisations_and_their_kinds(graph: Graph) -> None:
    rows = {
        (str(o).removeprefix(ID), str(k).rsplit("#", 1)[1])
        for o, k in graph.query(
            PREFIXES + "SELECT ?o ?k { ?o a ?k . ?k rdfs:subClassOf* org:Organization ."
            " FILTER(STRSTARTS(STR(?k), STR(moi:))) }"
        )
    }
    assert rows == {
        ("org/ucl", "University"),
        ("org/iipp", "Institute"),
        ("org/opsi", "Observatory"),
        ("org/moin", "Network"),
        ("org/iipp-oecd-partnership", "Partnership"),
    }


def test_the_release_gives_no_kind_for_the_oecd(
    graph: Graph, source_graph: Callable[..., Graph]
) -> None:
    """Issue 8, B4: the OECD's kind is the project's knowledge, stated in its own graph."""
    assert ask(graph, "orgs:oecd a org:Organization")
    assert not ask(graph, "orgs:oecd a moi:IntergovernmentalOrganisation")
    curation = source_graph("project-curation")
    assert ask(curation, "orgs:oecd a moi:IntergovernmentalOrganisation")
    assert ask(curation, "orgs:oecd prov:wasDerivedFrom ?note . ?note a moi:CurationNote")


@pytest.mark.parametrize(
    ("unit", "parent"),
    [("iipp", "ucl"), ("opsi", "oecd")],
    ids=["IIPP within UCL", "OPSI within the OECD"],
)
def test_units_sit_within_their_parent(graph: Graph, unit: str, parent: str) -> None:
    assert ask(graph, f"orgs:{unit} org:unitOf orgs:{parent} ; org:subOrganizationOf orgs:{parent}")
    assert ids(graph, f"SELECT ?p {{ orgs:{unit} org:subOrganizationOf ?p }}") == {f"org/{parent}"}


@pytest.mark.parametrize(
    ("org", "label", "acronym"),
    [
        ("ucl", "University College London", "UCL"),
        ("iipp", "UCL Institute for Innovation and Public Purpose", "IIPP"),
        ("oecd", "Organisation for Economic Co-operation and Development", "OECD"),
        ("opsi", "Observatory of Public Sector Innovation", "OPSI"),
        ("moin", "Mission-Oriented Innovation Network", "MOIN"),
    ],
)
def test_names_and_acronyms(graph: Graph, org: str, label: str, acronym: str) -> None:
    assert ask(
        graph,
        f'orgs:{org} rdfs:label "{label}"@en ; skos:prefLabel "{label}"@en ; skos:altLabel "{acronym}"@en',
    )


def test_only_verified_external_identifiers(graph: Graph) -> None:
    rows = {
        (str(s).removeprefix(ID), str(o))
        for s, o in graph.query(PREFIXES + "SELECT ?s ?o { ?s owl:sameAs ?o }")
    }
    assert rows == {
        ("org/ucl", "http://www.wikidata.org/entity/Q193196"),
        ("org/ucl", "https://ror.org/02jx3x895"),
        ("org/oecd", "http://www.wikidata.org/entity/Q41550"),
        ("place/dubai", "http://www.wikidata.org/entity/Q612"),
    }


# --- People and posts --------------------------------------------------------------------------


def test_people_names_and_titles(graph: Graph) -> None:
    rows = set(
        graph.query(
            PREFIXES
            + "SELECT ?name ?title { ?p a foaf:Person ; foaf:name ?name OPTIONAL { ?p foaf:title ?title } }"
        )
    )
    assert {(str(n), str(t) if t else None) for n, t in rows} == {
        ("Mariana Mazzucato", "Professor"),
        ("Angel Gurria", None),
        ("Rainer Kattel", "Professor"),
    }


def test_posts(graph: Graph) -> None:
    rows = {
        (str(p).removeprefix(ID), str(o).removeprefix(ID), str(r).removeprefix(ID), str(d))
        for p, o, r, d in graph.query(
            PREFIXES + "SELECT ?p ?o ?r ?d { ?m a org:Post ; org:heldBy ?p ; org:postIn ?o ;"
            " org:role ?r ; moi:attestedOn ?d . ?p org:holds ?m }"
        )
    }
    assert rows == {
        ("person/mariana-mazzucato", "org/iipp", "role/director", "2019-02-11"),
        ("person/angel-gurria", "org/oecd", "role/secretary-general", "2019-02-11"),
        ("person/rainer-kattel", "org/iipp", "role/deputy-director", "2019-02-11"),
    }
    # Issue 8, B1: a post is W3C ORG's org:Post, not a membership: no one is a member.
    assert not ask(graph, "?m a/rdfs:subClassOf* org:Membership")
    assert not ask(graph, "?m org:member ?p")


def test_heads_of_organisations(graph: Graph) -> None:
    rows = {
        (str(p).removeprefix(ID), str(o).removeprefix(ID))
        for p, o in graph.query(PREFIXES + "SELECT ?p ?o { ?p org:headOf ?o }")
    }
    assert rows == {("person/mariana-mazzucato", "org/iipp"), ("person/angel-gurria", "org/oecd")}


# --- The MOU and its signing -------------------------------------------------------------------


def test_the_mou(graph: Graph) -> None:
    assert ask(
        graph,
        'agreement:iipp-oecd-mou-2019 a moi:MemorandumOfUnderstanding ; dcterms:date "2019-02-10"^^xsd:date',
    )
    assert ids(graph, "SELECT ?p { agreement:iipp-oecd-mou-2019 moi:hasParty ?p }") == {
        "org/iipp",
        "org/oecd",
    }
    assert ids(graph, "SELECT ?a { ?a a/rdfs:subClassOf* moi:Agreement }") == {
        "agreement/iipp-oecd-mou-2019"
    }


def test_the_signing(graph: Graph) -> None:
    q = """SELECT ?date ?place ?qid ?event {
        agreement:iipp-oecd-mou-2019 prov:wasGeneratedBy ?s .
        ?s a moi:Signing ; schema:startDate ?date ; prov:atLocation ?place ; schema:location ?place ;
           schema:superEvent ?event .
        ?place rdfs:label ?label ; owl:sameAs ?qid .
        ?event schema:name "World Government Summit"@en ; schema:location ?place }"""
    rows = list(graph.query(PREFIXES + q))
    assert len(rows) == 1
    date, place, qid, _event = rows[0]
    assert str(date) == "2019-02-10"
    assert str(place) == ID + "place/dubai"
    assert str(qid) == "http://www.wikidata.org/entity/Q612"


def test_only_the_two_signatories_signed(graph: Graph) -> None:
    signed_for = {
        (str(p).removeprefix(ID), str(o).removeprefix(ID))
        for p, o in graph.query(
            PREFIXES
            + "SELECT ?p ?o { ?s moi:signatory ?p . OPTIONAL { ?p prov:actedOnBehalfOf ?o } }"
        )
    }
    assert signed_for == {
        ("person/mariana-mazzucato", "org/iipp"),
        ("person/angel-gurria", "org/oecd"),
    }
    assert not ask(graph, "?s moi:signatory person:rainer-kattel")
    assert not ask(graph, "?s prov:wasAssociatedWith person:rainer-kattel")


# --- The partnership and MOIN ------------------------------------------------------------------


def test_the_partnership(graph: Graph) -> None:
    p = "orgs:iipp-oecd-partnership"
    assert ids(graph, f"SELECT ?m {{ {p} org:hasMember ?m }}") == {"org/iipp", "org/oecd"}
    assert ids(graph, f"SELECT ?m {{ {p} moi:operationalPartner ?m }}") == {"org/opsi"}
    # Issue 8, B2: IIPP works "in close partnership with" OPSI; OPSI is not a member.
    assert not ask(graph, f"orgs:opsi org:memberOf {p}")
    assert not ask(graph, "moi:operationalPartner rdfs:subPropertyOf* org:hasMember")
    assert ids(graph, f"SELECT ?a {{ {p} moi:establishedBy ?a }}") == {
        "agreement/iipp-oecd-mou-2019"
    }
    assert ids(graph, f"SELECT ?f {{ {p} moi:focalPoint ?f }}") == {"org/moin"}
    assert ids(
        graph, f"SELECT ?g {{ {p} org:purpose ?g . ?g a moi:Goal ; skos:inScheme scheme:goals }}"
    ) == {
        "goal/rethink-and-drive-public-sector-innovation",
        "goal/dynamic-capabilities-for-mission-oriented-public-organisations",
        "goal/drive-mission-oriented-innovations",
        "goal/public-value-driven-policy-toolkits",
    }


def test_moin_as_the_release_describes_it(graph: Graph) -> None:
    m = "orgs:moin"
    assert ids(graph, f"SELECT ?h {{ {m} moi:hostedBy ?h }}") == {"org/iipp"}
    # Issue 8, B3: "more than 30" is a count dated by the release, with its source.
    rows = select_rows(
        graph,
        f"SELECT ?n ?d ?s {{ {m} moi:memberCount ?c . ?c a moi:MemberCount ; moi:moreThan ?n ;"
        " dcterms:date ?d ; prov:wasDerivedFrom ?s }",
    )
    assert rows == {("30", "2019-02-11", str(RELEASE))}
    assert ids(graph, f"SELECT ?k {{ {m} moi:memberKind ?k }}") == {
        "kind/state-investment-bank",
        "kind/innovation-agency",
        "kind/strategic-unit",
        "kind/private-organisation",
    }
    # The release names no member of MOIN.
    assert not ask(graph, f"{m} org:hasMember ?x")
    assert not ask(graph, f"?x org:memberOf {m}")


# --- Events and quotations ---------------------------------------------------------------------


def test_the_panel(graph: Graph) -> None:
    q = """SELECT ?who { ?e a moi:PanelDiscussion ;
        schema:name "Transforming the Future: Creating value through government innovation"@en ;
        schema:superEvent event:world-government-summit-2019 ; schema:performer ?who }"""
    assert ids(graph, q) == {"person/mariana-mazzucato"}


def test_no_invented_event_dates(graph: Graph) -> None:
    assert not ask(graph, "event:world-government-summit-2019 schema:startDate ?d")
    assert not ask(graph, "event:transforming-the-future-panel-2019 schema:startDate ?d")


@pytest.mark.parametrize(
    ("speaker", "opening", "closing"),
    [
        (
            "mariana-mazzucato",
            "IIPP challenges people to imagine",
            "actively co-create and shape them.",
        ),
        (
            "angel-gurria",
            "Joining the forces of the OECD and IIPP",
            "inclusive and sustainable public value.",
        ),
        (
            "rainer-kattel",
            "Innovation in the public sector is too often",
            "rethink public services towards being inclusive.",
        ),
    ],
)
def test_quotations(graph: Graph, speaker: str, opening: str, closing: str) -> None:
    rows = list(
        graph.query(
            PREFIXES
            + f"SELECT ?t {{ ?q a schema:Quotation ; schema:creator person:{speaker} ; schema:text ?t }}"
        )
    )
    assert len(rows) == 1
    text = str(rows[0][0])
    assert text.startswith(opening)
    assert text.endswith(closing)


def test_three_quotations_in_all(graph: Graph) -> None:
    assert len(ids(graph, "SELECT ?q { ?q a schema:Quotation }")) == 3


# --- Provenance --------------------------------------------------------------------------------


def test_the_release_as_source(graph: Graph) -> None:
    q = f"""SELECT ?title ?issued ?publisher {{ <{RELEASE}> a schema:NewsArticle , prov:Entity ;
        dcterms:title ?title ; dcterms:issued ?issued ; dcterms:publisher ?publisher }}"""
    rows = list(graph.query(PREFIXES + q))
    assert [(str(t), str(i), str(p)) for t, i, p in rows] == [
        (
            "IIPP and OECD partner to rethink and drive innovation in the public sector",
            "2019-02-11",
            ID + "org/iipp",
        )
    ]


def test_every_fact_bearing_node_cites_the_release(graph: Graph) -> None:
    q = """SELECT DISTINCT ?n { ?n a ?c . VALUES ?root { org:Organization foaf:Person org:Post
        moi:Agreement prov:Activity schema:Event schema:Place schema:Quotation moi:Goal
        moi:MemberCount }
        ?c rdfs:subClassOf* ?root . FILTER(STRSTARTS(STR(?n), STR(id:))) }"""
    nodes = ids(graph, q)
    cited = ids(graph, f"SELECT DISTINCT ?n {{ ?n prov:wasDerivedFrom <{RELEASE}> }}")
    assert len(nodes) >= 25
    assert nodes <= cited


def test_each_source_has_its_named_graph(project_build: Path) -> None:
    ds = Dataset()
    ds.parse(project_build / "graph.trig", format="trig")
    release = ds.graph(RELEASE_GRAPH)
    assert (RELEASE, None, None) in release
    assert (URIRef(ID + "agreement/iipp-oecd-mou-2019"), None, None) in release
