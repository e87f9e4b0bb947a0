"""Tests for the SPARQL catalogue (queries/*.rq) and moikg.catalogue.

The central test runs every catalogue query on the embedded store and on a real
``oxigraph serve`` on 127.0.0.1 through SPARQLWrapper, and requires the same rows.
The answers asserted below come from the sources (the 2019 IIPP–OECD release) or
from a synthetic fixture whose answers are known by construction.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from moikg.errors import InputError, QueryError
from moikg.rdf.namespaces import MOI, ORG, PROV, SCHEMA
from moikg.sparql.catalogue import catalogue, find_query, parse_entry
from moikg.sparql.dispatch import query
from moikg.sparql.results import QueryResult
from oxigraph_process import Oxigraph

ENTRIES = catalogue()
NAMES = sorted(ENTRIES)
ID = "https://w3id.org/moikg/id/"
IIPP, OECD, OPSI, UCL = (URIRef(ID + "org/" + s) for s in ("iipp", "oecd", "opsi", "ucl"))
MOU = URIRef(ID + "agreement/iipp-oecd-mou-2019")
PARTNERSHIP = URIRef(ID + "org/iipp-oecd-partnership")
MAZZUCATO, GURRIA, KATTEL = (
    URIRef(ID + "person/" + s) for s in ("mariana-mazzucato", "angel-gurria", "rainer-kattel")
)
RELEASE = URIRef(
    "https://www.ucl.ac.uk/bartlett/public-purpose/news/2019/feb/"
    "iipp-and-oecd-partner-rethink-and-drive-innovation-public-sector"
)
EX = "https://example.org/sample/"

# Parameter values beyond the defaults, so that binding is compared on both stores too.
EXTRA_CASES = [
    ("partners-of", {"org": "id:org/oecd"}),
    ("actors-by-kind", {"kind": "moi:Network"}),
    ("agreements-in-range", {"from": "2019-02-10", "to": "2019-02-10"}),
    ("sources-of", {"node": "id:org/iipp", "property": "org:unitOf", "value": "id:org/ucl"}),
    ("find-actors", {"text": "gurria"}),
    ("quotations-by-speaker", {"speaker": "id:person/angel-gurria"}),
    ("organisation-structure", {"org": "id:org/oecd"}),
    ("timeline", {"from": "2019-02-11"}),
]
SAMPLE_CASES = [
    ("network-members", {"network": EX + "network"}),
    ("shared-affiliations", {"org": EX + "bank"}),
    ("events-participants", {}),
    ("people-posts", {}),
    ("organisation-structure", {"org": EX + "chapter"}),
]


def _key(result: QueryResult) -> list[tuple[str, ...]]:
    return sorted(tuple("" if n is None else n.n3() for n in row) for row in result.rows)


def _assert_same(local: QueryResult, remote: QueryResult) -> None:
    assert remote.columns == local.columns
    if local.ordered:
        assert list(remote.rows) == list(local.rows)
    else:
        assert _key(remote) == _key(local)


# --- Shape of the catalogue -------------------------------------------------------------------


def test_catalogue_has_at_least_15_questions_covering_the_issue() -> None:
    assert len(ENTRIES) >= 15
    required = {
        "actors-by-kind", "people-posts", "agreements-signatories", "partners-of",
        "collaboration-goals", "events-participants", "quotations-by-speaker",
        "network-members", "sources-of", "agreements-in-range", "organisation-structure",
        "shared-affiliations", "external-identifiers", "timeline", "schema-overview",
    }  # fmt: skip
    assert required <= set(ENTRIES)


@pytest.mark.parametrize("name", NAMES)
def test_header_and_text_are_plain_self_contained_sparql_11(name: str) -> None:
    entry = ENTRIES[name]
    assert entry.title and entry.question and entry.columns
    # Parses with no prefixes given from outside (every prefix declared in the file) ...
    pyoxigraph.Store().query(entry.text)
    # ... and with rdflib's SPARQL 1.1 grammar, so it is plain SPARQL 1.1.
    parsed = prepareQuery(entry.text)
    projected = tuple(str(v) for v in parsed.algebra["PV"])
    assert projected == entry.columns
    for parameter in entry.parameters:
        assert f"?{parameter.name}" in entry.text


def _order_by(node: object) -> list[object] | None:
    """The conditions of the query's outermost ``OrderBy`` in rdflib's algebra, or None."""
    if isinstance(node, CompValue):
        if node.name == "OrderBy":
            return list(node["expr"])
        for value in node.values():
            found = _order_by(value)
            if found is not None:
                return found
    return None


def _variables(node: object) -> set[str]:
    if isinstance(node, Variable):
        return {str(node)}
    if isinstance(node, CompValue):
        return set().union(*map(_variables, node.values()))
    if isinstance(node, list | tuple):
        return set().union(*map(_variables, node))
    return set()


DETERMINED: dict[str, set[str]] = {"external-identifiers": {"registry"}}
"""Columns computed from ordered ones (``registry`` is a BIND over ``identifier``)."""


@pytest.mark.parametrize("name", NAMES)
def test_rows_come_in_one_order_on_every_store(name: str) -> None:
    """Regression: eight queries had no ORDER BY, so rows came in the store's own order."""
    entry = ENTRIES[name]
    conditions = _order_by(prepareQuery(entry.text).algebra)
    assert conditions is not None, f"{name}: no ORDER BY"
    missing = set(entry.columns) - _variables(conditions) - DETERMINED.get(name, set())
    assert not missing, f"{name}: ORDER BY leaves out {sorted(missing)}"


def test_header_without_title_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# Question: what?\n# Columns: x\nSELECT ?x WHERE { ?x ?p ?o }\n")
    with pytest.raises(InputError, match=r"bad\.rq: query header lacks Title"):
        parse_entry(bad)


def test_malformed_parameter_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text(
        "# Title: T\n# Question: Q\n# Parameter: org IRI default x\n# Columns: x\n"
        "SELECT ?x WHERE { ?x ?p ?org }\n"
    )
    with pytest.raises(InputError, match=r"bad\.rq:3: malformed parameter"):
        parse_entry(bad)


def test_unknown_name_lists_the_closest_names() -> None:
    with pytest.raises(QueryError) as caught:
        find_query("partner-of")
    message = str(caught.value)
    assert "unknown query 'partner-of'" in message
    assert "partners-of" in message.split("did you mean", 1)[1]


# --- Same rows on the embedded store and on a real oxigraph serve -----------------------------


@pytest.mark.parametrize("name", NAMES)
def test_embedded_and_served_give_the_same_rows(
    name: str, sparql_dataset: Dataset, catalogue_server: Oxigraph
) -> None:
    local = query(name, dataset=sparql_dataset)
    remote = query(name, endpoint=catalogue_server.query)
    assert local.columns == ENTRIES[name].columns
    _assert_same(local, remote)


@pytest.mark.parametrize(
    ("name", "params"), EXTRA_CASES, ids=[f"{n}-{'-'.join(p)}" for n, p in EXTRA_CASES]
)
def test_embedded_and_served_agree_with_parameters(
    name: str, params: dict[str, str], sparql_dataset: Dataset, catalogue_server: Oxigraph
) -> None:
    local = query(name, params, dataset=sparql_dataset)
    assert len(local) > 0
    _assert_same(local, query(name, params, endpoint=catalogue_server.query))


@pytest.mark.parametrize(
    ("name", "params"), SAMPLE_CASES, ids=[f"sample-{n}" for n, _ in SAMPLE_CASES]
)
def test_embedded_and_served_agree_on_the_network_sample(
    name: str, params: dict[str, str], sample_dataset: Dataset, sample_server: Oxigraph
) -> None:
    local = query(name, params, dataset=sample_dataset)
    assert len(local) > 0
    _assert_same(local, query(name, params, endpoint=sample_server.query))


# --- Real answers: the 2019 IIPP–OECD release --------------------------------------------------


def _rows(name: str, dataset: Dataset, **params: str) -> list[dict[str, object]]:
    return query(name, params, dataset=dataset).to_dicts(terms=True)


def test_agreement_signatories_are_the_two_who_signed_the_mou(sparql_dataset: Dataset) -> None:
    rows = _rows("agreements-signatories", sparql_dataset, agreement=str(MOU))
    # "signed … by IIPP Director Professor Mariana Mazzucato and OECD Secretary-General
    # Angel Gurria", on Sunday 10 February at the World Government Summit in Dubai.
    assert {(r["signatory"], r["onBehalfOf"]) for r in rows} == {(MAZZUCATO, IIPP), (GURRIA, OECD)}
    assert {r["date"] for r in rows} == {Literal(dt.date(2019, 2, 10))}
    assert {r["place"] for r in rows} == {URIRef(ID + "place/dubai")}
    assert {str(r["eventName"]) for r in rows} == {"World Government Summit"}


def test_partners_of_iipp_include_the_oecd_not_opsi(sparql_dataset: Dataset) -> None:
    rows = _rows("partners-of", sparql_dataset)  # default: IIPP
    pairs = {(r["partner"], r["via"]) for r in rows}
    assert {(OECD, PARTNERSHIP), (OECD, MOU)} <= pairs
    # OPSI works in close partnership with IIPP but is not a fellow member (issue 8, B2).
    assert (OPSI, PARTNERSHIP) not in pairs
    assert IIPP not in {r["partner"] for r in rows}


def test_partners_of_the_oecd_include_iipp(sparql_dataset: Dataset) -> None:
    assert IIPP in {r["partner"] for r in _rows("partners-of", sparql_dataset, org=str(OECD))}


def test_actors_by_kind_gives_the_most_specific_kind(sparql_dataset: Dataset) -> None:
    kinds = {r["actor"]: r["class"] for r in _rows("actors-by-kind", sparql_dataset)}
    assert kinds[IIPP] == MOI.Institute
    assert kinds[UCL] == MOI.University
    assert kinds[OECD] == MOI.IntergovernmentalOrganisation
    assert kinds[OPSI] == MOI.Observatory
    assert kinds[PARTNERSHIP] == MOI.Partnership


def test_actors_by_kind_follows_subclasses(sparql_dataset: Dataset) -> None:
    networks = {r["actor"] for r in _rows("actors-by-kind", sparql_dataset, kind="moi:Network")}
    # Independently: every node typed moi:Network or moi:NetworkChapter in the data.
    expected = set(sparql_dataset.subjects(RDF.type, MOI.Network)) | set(
        sparql_dataset.subjects(RDF.type, MOI.NetworkChapter)
    )
    assert networks == expected
    assert URIRef(ID + "org/moin") in networks


def test_people_posts_over_time(sparql_dataset: Dataset) -> None:
    rows = _rows("people-posts", sparql_dataset, person=str(MAZZUCATO))
    director = [r for r in rows if r["organisation"] == IIPP and str(r["roleLabel"]) == "Director"]
    assert director
    assert director[0]["attestedOn"] == Literal(dt.date(2019, 2, 11))
    kattel = _rows("people-posts", sparql_dataset, person=str(KATTEL))
    assert ("Deputy Director", IIPP) in {(str(r["roleLabel"]), r["organisation"]) for r in kattel}


ARTICLE_2023 = URIRef(
    "https://www.ucl.ac.uk/bartlett/public-purpose/news/2023/jun/"
    "iipp-hosts-2023-mission-oriented-innovation-network-gathering-moin-london"
)


def _stated_together(dataset: Dataset, post_facts: list[tuple[URIRef, object]]) -> set[URIRef]:
    """The named graphs that state every (predicate, value) of some one post node."""
    graphs: set[URIRef] = set()
    for post in set(dataset.subjects(ORG.heldBy, None)):
        for graph in {g for _, _, _, g in dataset.quads((post, None, None, None))}:
            if all((post, p, v, graph) in dataset for p, v in post_facts):  # type: ignore[operator]
                graphs.add(graph)  # type: ignore[arg-type]
    return graphs


def test_people_posts_keep_each_date_with_the_source_that_gives_it(sparql_dataset: Dataset) -> None:
    """Regression (issue 8 A2): the 2019 date came out with the 2023 article, and vice versa."""
    rows = _rows("people-posts", sparql_dataset, person=str(MAZZUCATO))
    director = {
        (r["attestedOn"], r["source"])
        for r in rows
        if r["organisation"] == IIPP and str(r["roleLabel"]) == "Director"
    }
    assert director == {
        (Literal(dt.date(2019, 2, 11)), RELEASE),
        (Literal(dt.date(2023, 6, 30)), ARTICLE_2023),
    }
    # Every row, checked against the quads: one named graph states its post with that member,
    # organisation, source and dates.
    for name in (MAZZUCATO, GURRIA, KATTEL):
        for r in _rows("people-posts", sparql_dataset, person=str(name)):
            facts: list[tuple[URIRef, object]] = [
                (ORG.heldBy, r["person"]),
                (ORG.postIn, r["organisation"]),
            ]
            if r["source"] is not None:
                facts.append((PROV.wasDerivedFrom, r["source"]))
            if r["attestedOn"] is not None:
                facts.append((MOI.attestedOn, r["attestedOn"]))
            assert _stated_together(sparql_dataset, facts), r


def test_goals_of_the_partnership(sparql_dataset: Dataset) -> None:
    rows = _rows("collaboration-goals", sparql_dataset, collaboration=str(PARTNERSHIP))
    assert {str(r["goalLabel"]) for r in rows} == {
        "Rethink and drive innovation in the public sector",
        "Develop dynamic capabilities for mission-oriented public organisations",
        "Drive mission-oriented innovations",
        "Deliver public value-driven policy toolkits",
    }


def test_events_and_who_took_part(sparql_dataset: Dataset) -> None:
    signing = _rows(
        "events-participants", sparql_dataset, event=ID + "event/iipp-oecd-mou-signing-2019"
    )
    assert {r["participant"] for r in signing} == {MAZZUCATO, GURRIA}
    assert {r["relation"] for r in signing} == {MOI.signatory}
    panel = _rows(
        "events-participants", sparql_dataset, event=ID + "event/transforming-the-future-panel-2019"
    )
    assert {(r["participant"], r["relation"]) for r in panel} == {(MAZZUCATO, SCHEMA.performer)}
    assert {r["partOf"] for r in panel} == {URIRef(ID + "event/world-government-summit-2019")}


def test_quotations_by_speaker(sparql_dataset: Dataset) -> None:
    rows = _rows("quotations-by-speaker", sparql_dataset, speaker=str(GURRIA))
    from_release = [r for r in rows if r["source"] == RELEASE]
    assert len(from_release) == 1
    assert str(from_release[0]["text"]).startswith("Joining the forces of the OECD and IIPP")
    assert from_release[0]["issued"] == Literal(dt.date(2019, 2, 11))


def test_sources_of_a_fact(sparql_dataset: Dataset) -> None:
    rows = _rows(
        "sources-of", sparql_dataset, node=str(IIPP), property="org:unitOf", value=str(UCL)
    )
    assert {r["source"] for r in rows} == {RELEASE}
    assert {r["graph"] for r in rows} == {
        URIRef("https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou")
    }
    assert {str(r["title"]) for r in rows} == {
        "IIPP and OECD partner to rethink and drive innovation in the public sector"
    }
    # The sentence comes from the qualified derivation from this very source (issue 8, B8).
    assert {str(r["evidence"]) for r in rows} == {
        "The UCL\u00a0Institute for Innovation and Public Purpose\u00a0(IIPP) and the Organisation for "
        "Economic Co-operation and Development (OECD) have signed a Memorandum of Understanding "
        "(MOU) on Sunday 10 February 2019 to work more closely together to rethink and drive "
        "innovation in the public sector."
    }


def test_agreements_in_a_date_range(sparql_dataset: Dataset) -> None:
    inside = _rows(
        "agreements-in-range", sparql_dataset, **{"from": "2019-01-01", "to": "2019-12-31"}
    )
    assert {(r["agreement"], r["party"]) for r in inside} >= {(MOU, IIPP), (MOU, OECD)}
    after = _rows("agreements-in-range", sparql_dataset, **{"from": "2019-02-11"})
    assert MOU not in {r["agreement"] for r in after}
    before = _rows("agreements-in-range", sparql_dataset, to="2019-02-09")
    assert MOU not in {r["agreement"] for r in before}


def test_parents_and_units(sparql_dataset: Dataset) -> None:
    iipp = _rows("organisation-structure", sparql_dataset, org=str(IIPP))
    assert ("parent", UCL, Literal(True)) in {
        (str(r["relation"]), r["other"], r["direct"]) for r in iipp
    }
    oecd = _rows("organisation-structure", sparql_dataset, org=str(OECD))
    assert ("unit", OPSI) in {(str(r["relation"]), r["other"]) for r in oecd}
    ucl = _rows("organisation-structure", sparql_dataset, org=str(UCL))
    assert ("unit", IIPP) in {(str(r["relation"]), r["other"]) for r in ucl}


def test_shared_affiliations_of_iipp(sparql_dataset: Dataset) -> None:
    rows = _rows("shared-affiliations", sparql_dataset)  # default: IIPP
    triples = {(r["other"], r["via"], str(r["relation"])) for r in rows}
    assert {
        (OECD, PARTNERSHIP, "member"),
        (OPSI, PARTNERSHIP, "operational partner"),
        (OECD, MOU, "party"),
    } <= triples
    # Issue 8, B2: OPSI works in close partnership with IIPP; it is not a member.
    assert (OPSI, PARTNERSHIP, "member") not in triples


def test_external_identifiers(sparql_dataset: Dataset) -> None:
    rows = {
        (r["node"], r["identifier"], str(r["registry"]))
        for r in _rows("external-identifiers", sparql_dataset)
    }
    assert {
        (UCL, URIRef("http://www.wikidata.org/entity/Q193196"), "Wikidata"),
        (UCL, URIRef("https://ror.org/02jx3x895"), "ROR"),
        (OECD, URIRef("http://www.wikidata.org/entity/Q41550"), "Wikidata"),
        (URIRef(ID + "place/dubai"), URIRef("http://www.wikidata.org/entity/Q612"), "Wikidata"),
    } <= rows


def test_timeline_is_sorted_and_holds_the_signing(sparql_dataset: Dataset) -> None:
    result = query("timeline", dataset=sparql_dataset)
    assert result.ordered
    dates = [str(d) for d in result.column("date")]
    assert dates == sorted(dates)
    facts = {(r["date"], r["node"], r["property"]) for r in result.to_dicts(terms=True)}
    date = Literal(dt.date(2019, 2, 10))
    assert (date, MOU, URIRef("http://purl.org/dc/terms/date")) in facts
    assert (date, URIRef(ID + "event/iipp-oecd-mou-signing-2019"), SCHEMA.startDate) in facts
    assert all(
        r["graph"] != URIRef("https://w3id.org/moikg/graph/ontology")
        for r in result.to_dicts(terms=True)
    )


def test_schema_overview_counts_match_a_direct_count(sparql_dataset: Dataset) -> None:
    rows = {r["class"]: r["instances"] for r in _rows("schema-overview", sparql_dataset)}
    ontology = URIRef("https://w3id.org/moikg/graph/ontology")
    for cls in (MOI.Institute, SCHEMA.Quotation, ORG.Organization, MOI.Post):
        expected = {
            s for s, _, _, g in sparql_dataset.quads((None, RDF.type, cls, None)) if g != ontology
        }
        assert rows.get(cls, Literal(0)).toPython() == len(expected), cls


def test_find_actors(sparql_dataset: Dataset) -> None:
    assert {r["actor"] for r in _rows("find-actors", sparql_dataset, text="gurria")} == {GURRIA}
    assert IIPP in {r["actor"] for r in _rows("find-actors", sparql_dataset)}  # default: IIPP


def test_people_of_an_organisation(sparql_dataset: Dataset) -> None:
    rows = {(r["person"], str(r["relation"])) for r in _rows("organisation-people", sparql_dataset)}
    assert {
        (MAZZUCATO, "head"),
        (MAZZUCATO, "post"),
        (MAZZUCATO, "acted on behalf of"),
        (KATTEL, "post"),
    } <= rows


def test_collaboration_supporters(sparql_dataset: Dataset) -> None:
    rows = {
        (str(r["relation"]), r["other"])
        for r in _rows("collaboration-supporters", sparql_dataset, collaboration=str(PARTNERSHIP))
    }
    assert {("established by", MOU), ("focal point", URIRef(ID + "org/moin"))} <= rows


# --- Real answers: the synthetic network sample -----------------------------------------------


def test_network_members_direct_inverse_membership_node_and_chapter(
    sample_dataset: Dataset,
) -> None:
    rows = _rows("network-members", sample_dataset, network=EX + "network")
    got = {
        (str(r["member"])[len(EX) :], str(r["through"])[len(EX) :], r["start"], r["attestedOn"])
        for r in rows
    }
    assert got == {
        ("bank", "network", None, None),  # org:hasMember
        ("agency", "network", None, None),  # org:memberOf
        ("unit", "network", Literal(dt.date(2019, 3, 1)), None),  # org:Membership with a start
        ("lab", "network", Literal(dt.date(2020, 1, 15)), None),  # start of an OWL-Time interval
        ("city", "chapter", None, Literal(dt.date(2023, 6, 30))),  # member of the chapter
    }  # the person holding a post in the network is not a member


def test_shared_affiliations_include_the_host(sample_dataset: Dataset) -> None:
    rows = _rows("shared-affiliations", sample_dataset, org=EX + "bank")
    assert {(str(r["other"])[len(EX):], str(r["relation"])) for r in rows} == {
        ("host", "host"), ("agency", "member"), ("unit", "member"), ("lab", "member"),
    }  # fmt: skip
