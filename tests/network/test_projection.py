"""Tests for moikg.network: projections from the dataset and from a real ``oxigraph serve``.

The data is tests/data/network/{a,b}.ttl; expected values are read off the two files by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from moikg.errors import InputError
from moikg.ingest.export import write_trig
from moikg.ingest.load import load_dataset
from moikg.network.facts import fetch_facts
from moikg.network.projection import (
    ProjectionOptions,
    actor_graph,
    bipartite_graph,
    ego_network,
    find_actor,
    organisation_graph,
    project,
)

DATA = Path(__file__).parents[1] / "data" / "network"
EX = "https://example.org/net/"
SOURCE_A, SOURCE_B = EX + "source-a", EX + "source-b"


def ex(name: str) -> str:
    return EX + name


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(files=[DATA / "a.ttl", DATA / "b.ttl"])


@pytest.fixture(scope="module")
def graph(dataset: Dataset) -> nx.MultiDiGraph:
    return actor_graph(dataset)


@pytest.fixture(scope="module")
def endpoint(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real read-only ``oxigraph serve`` on 127.0.0.1 holding the same named graphs."""
    from oxigraph_process import start_oxigraph

    folder = tmp_path_factory.mktemp("network-endpoint")
    server = start_oxigraph(
        location=folder / "store", files=[write_trig(dataset, folder / "d.trig")]
    )
    yield server.query
    server.stop()


def edges(graph: nx.Graph) -> Counter[tuple[str, str, str]]:
    """(type, from, to) of every edge, local names only."""
    return Counter(
        (d["type"], u.removeprefix(EX), v.removeprefix(EX)) for u, v, d in graph.edges(data=True)
    )


ALL_EDGES = Counter(
    {
        ("unit_of", "alpha-lab", "alpha"): 1,
        ("unit_of", "net-us", "net"): 1,
        ("hosted_by", "net", "alpha-lab"): 1,
        ("member_of", "gamma", "net"): 1,
        ("member_of", "delta", "net"): 1,
        ("member_of", "alpha-lab", "partnership"): 1,
        ("member_of", "beta", "partnership"): 1,
        # Issue 8, B2: an operational partner works with the partnership; it is not a member.
        ("operational_partner", "partnership", "gamma"): 1,
        ("holds_post", "pat", "alpha-lab"): 1,
        ("holds_post", "quinn", "beta"): 1,
        ("head_of", "pat", "alpha-lab"): 1,
        ("signed", "pat", "alpha-lab"): 1,
        ("signed", "pat", "beta"): 1,
        ("signed", "quinn", "beta"): 1,
        ("signed", "quinn", "alpha-lab"): 1,
        ("party_to", "alpha-lab", "beta"): 1,
        ("took_part", "beta", "gamma"): 1,
        ("took_part", "beta", "pat"): 1,
        ("took_part", "gamma", "pat"): 1,
        ("took_part", "epsilon", "net-us"): 1,
    }
)


def test_actor_graph_has_every_actor_with_label_kind_country_and_sources(
    graph: nx.MultiDiGraph,
) -> None:
    assert isinstance(graph, nx.MultiDiGraph)
    expected = {
        "alpha": ("Alpha University", "University"),
        "alpha-lab": ("Alpha Lab", "Institute"),
        "beta": ("Béta Organisation", "Intergovernmental organisation"),
        "gamma": ("Gamma Agency", "Innovation agency"),
        "delta": ("Delta Bank", "State investment bank"),
        "net": ("Test Network", "Network"),
        "net-us": ("Test Network US", "Network chapter"),
        "epsilon": ("Epsilon Agency", "Public agency"),
        "partnership": ("Alpha–Beta partnership", "Partnership"),
        "pat": ("Pat Example", "Person"),
        "quinn": ("Quinn Example", "Person"),
    }
    found = {n.removeprefix(EX): (d["label"], d["kind"]) for n, d in graph.nodes(data=True)}
    assert found == expected
    alpha = graph.nodes[ex("alpha")]
    assert (alpha["iri"], alpha["country"], alpha["aliases"]) == (ex("alpha"), "France", ["AU"])
    assert alpha["sources"] == [SOURCE_A]
    assert graph.nodes[ex("net-us")]["sources"] == [SOURCE_B]
    assert graph.nodes[ex("pat")]["posts"] == ["Director, Alpha Lab (2019-02-11)"]


def test_actor_graph_keeps_each_typed_relation_once_and_parallel_ones_apart(
    graph: nx.MultiDiGraph,
) -> None:
    assert edges(graph) == ALL_EDGES
    # Pat and Alpha Lab: a post, a headship and a signature are three parallel edges.
    assert sorted(d["type"] for d in graph.get_edge_data(ex("pat"), ex("alpha-lab")).values()) == [
        "head_of",
        "holds_post",
        "signed",
    ]


@pytest.mark.parametrize(
    ("kind", "u", "v", "date", "detail", "sources"),
    [
        ("holds_post", "pat", "alpha-lab", "2019-02-11", "Director", [SOURCE_A]),
        ("member_of", "delta", "net", "2020-06-01", "Member", [SOURCE_A]),
        ("operational_partner", "partnership", "gamma", None, "operational partner", [SOURCE_A]),
        ("signed", "quinn", "beta", "2019-02-10", "on behalf of", [SOURCE_A]),
        ("signed", "quinn", "alpha-lab", "2019-02-10", "counterparty", [SOURCE_A]),
        ("took_part", "gamma", "pat", "2019-05-01", "through a sub-event", [SOURCE_A]),
        ("took_part", "epsilon", "net-us", "2021-03-30", None, [SOURCE_B]),
        ("unit_of", "net-us", "net", None, None, [SOURCE_B]),
    ],
    ids=[
        "post",
        "dated-membership",
        "operational-partner",
        "signed-for",
        "signed-with",
        "sub-event",
        "launch",
        "chapter",
    ],
)
def test_edges_carry_type_date_detail_and_sources(
    graph: nx.MultiDiGraph,
    kind: str,
    u: str,
    v: str,
    date: str | None,
    detail: str | None,
    sources: list[str],
) -> None:
    (data,) = [d for d in graph.get_edge_data(ex(u), ex(v)).values() if d["type"] == kind]
    assert (data["date"], data["detail"], data["sources"]) == (date, detail, sources)


@pytest.mark.parametrize(
    ("day", "actors", "gone"),
    [
        (
            "2019-12-31",
            {"alpha", "alpha-lab", "beta", "gamma", "net", "partnership", "pat", "quinn"},
            {
                ("unit_of", "net-us", "net"),
                ("took_part", "epsilon", "net-us"),
                ("member_of", "delta", "net"),
                ("holds_post", "quinn", "beta"),
            },
        ),
        (
            "2019-01-01",
            {"alpha", "alpha-lab", "beta", "gamma", "net", "partnership", "pat"},
            {
                ("unit_of", "net-us", "net"),
                ("took_part", "epsilon", "net-us"),
                ("member_of", "delta", "net"),
                ("holds_post", "quinn", "beta"),
                ("holds_post", "pat", "alpha-lab"),  # attested 2019-02-11 (issue 8, A3)
                ("party_to", "alpha-lab", "beta"),
                ("signed", "pat", "alpha-lab"),
                ("signed", "pat", "beta"),
                ("signed", "quinn", "beta"),
                ("signed", "quinn", "alpha-lab"),
                ("took_part", "beta", "gamma"),
                ("took_part", "beta", "pat"),
                ("took_part", "gamma", "pat"),
            },
        ),
        ("2022-06-01", {n for _, a, b in ALL_EDGES for n in (a, b)}, set()),
    ],
    ids=["end-2019-no-chapter", "before-the-mou", "after-everything"],
)
def test_as_of_drops_what_began_later_and_keeps_undated(
    dataset: Dataset, day: str, actors: set[str], gone: set[tuple[str, str, str]]
) -> None:
    at = actor_graph(dataset, as_of=day)
    assert {n.removeprefix(EX) for n in at} == actors
    assert edges(at) == ALL_EDGES - Counter(gone)
    assert at.graph["as_of"] == day


def test_organisation_graph_weights_shared_agreements_collaborations_and_parents(
    dataset: Dataset,
) -> None:
    orgs = organisation_graph(dataset)
    assert not any(d["person"] for _, d in orgs.nodes(data=True))
    assert orgs.number_of_nodes() == 9
    weights = {
        tuple(sorted(n.removeprefix(EX) for n in (u, v))): w
        for u, v, w in orgs.edges(data="weight")
    }
    # MOU + partnership; Test Network (Gamma and Delta). Gamma, the partnership's operational
    # partner, is not one of its members (issue 8, B2), so it shares no collaboration with them.
    assert weights == {
        ("alpha-lab", "beta"): 2,
        ("delta", "gamma"): 1,
    }
    assert sorted(orgs[ex("alpha-lab")][ex("beta")]["shares"]) == ["agreement", "collaboration"]


def test_bipartite_graph_links_actors_to_agreements_and_events(dataset: Dataset) -> None:
    both = bipartite_graph(dataset)
    sides = {n.removeprefix(EX): d["bipartite"] for n, d in both.nodes(data=True)}
    assert {n for n, side in sides.items() if side == 1} == {"mou", "summit", "panel", "launch"}
    assert len([n for n, side in sides.items() if side == 0]) == 11
    links = both.edge_subgraph(
        (u, v, k)
        for u, v, k, t in both.edges(keys=True, data="type")
        if t in ("party_to", "signed", "took_part")
    )
    assert nx.is_bipartite(links)
    assert all(sides[u.removeprefix(EX)] != sides[v.removeprefix(EX)] for u, v in links.edges())
    # Memberships are included, between actors, in their own direction (issue 12).
    memberships = {
        (d["type"], d["tail"].removeprefix(EX), d["head"].removeprefix(EX))
        for _, _, d in both.edges(data=True)
        if d["type"] not in ("party_to", "signed", "took_part")
    }
    assert memberships == {
        ("unit_of", "alpha-lab", "alpha"),
        ("head_of", "pat", "alpha-lab"),
        ("holds_post", "pat", "alpha-lab"),
        ("member_of", "alpha-lab", "partnership"),
        ("member_of", "beta", "partnership"),
        ("holds_post", "quinn", "beta"),
        ("member_of", "delta", "net"),
        ("member_of", "gamma", "net"),
        # Gamma is the partnership's operational partner, not a member (issue 8, B2).
        ("unit_of", "net-us", "net"),
    }
    assert {d["label"] for _, _, d in both.edges(data=True)} >= {"party to", "took part in"}
    assert edges(links) == Counter(
        {
            ("party_to", "alpha-lab", "mou"): 1,
            ("party_to", "beta", "mou"): 1,
            ("signed", "pat", "mou"): 1,
            ("signed", "quinn", "mou"): 1,
            ("took_part", "gamma", "summit"): 1,
            ("took_part", "beta", "summit"): 1,
            ("took_part", "pat", "panel"): 1,
            ("took_part", "epsilon", "launch"): 1,
            ("took_part", "net-us", "launch"): 1,
        }
    )
    assert both.nodes[ex("mou")]["kind"] == "Memorandum of understanding"


@pytest.mark.parametrize(
    ("name", "radius", "expected"),
    [
        ("Pat Example", 1, {"pat", "alpha-lab", "beta", "gamma"}),
        ("pat example", 0, {"pat"}),
        ("ALAB", 1, {"alpha-lab", "alpha", "beta", "net", "partnership", "pat", "quinn"}),
    ],
    ids=["by-label", "radius-0-any-case", "by-alias"],
)
def test_ego_network(graph: nx.MultiDiGraph, name: str, radius: int, expected: set[str]) -> None:
    ego = ego_network(graph, name, radius=radius)
    assert {n.removeprefix(EX) for n in ego} == expected
    assert isinstance(ego, nx.MultiDiGraph)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AU", "alpha"),
        ("beta organisation", "beta"),
        (EX + "delta", "delta"),
        ("Epsilon", "epsilon"),
    ],
    ids=["alias", "accent-and-case", "iri", "partial"],
)
def test_find_actor(graph: nx.MultiDiGraph, text: str, expected: str) -> None:
    assert find_actor(graph, text) == ex(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [("Nobody", "not found"), ("Example", "did you mean")],
    ids=["unknown", "ambiguous-partial"],
)
def test_find_actor_errors_name_the_problem(
    graph: nx.MultiDiGraph, text: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        find_actor(graph, text)


def test_project_rejects_bad_options(dataset: Dataset) -> None:
    with pytest.raises(InputError, match="unknown projection"):
        project(dataset, options=ProjectionOptions(projection="people"))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        project(dataset, options=ProjectionOptions(as_of="31/12/2019"))
    with pytest.raises(InputError, match="radius"):
        project(dataset, options=ProjectionOptions(focus="Pat Example", radius=-1))


def test_endpoint_gives_the_same_projections_as_the_dataset(
    dataset: Dataset, endpoint: str
) -> None:
    local, remote = fetch_facts(dataset), fetch_facts(endpoint)
    for build in (actor_graph, organisation_graph, bipartite_graph):
        a, b = build(local), build(remote)
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        assert sorted(map(repr, a.edges(data=True))) == sorted(map(repr, b.edges(data=True)))
    assert edges(actor_graph(remote, as_of="2019-12-31")) == edges(
        actor_graph(local, as_of="2019-12-31")
    )
