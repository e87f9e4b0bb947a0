"""Tests for moikg.network_export: each format reads back with the same nodes, edges and values."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.etree import ElementTree

import igraph as ig
import networkx as nx
import pytest
from typer.testing import CliRunner

from moikg.cli import app
from moikg.errors import InputError
from moikg.ingest.load import load_dataset
from moikg.network import formats
from moikg.network.formats import SEPARATOR, export_network
from moikg.network.projection import actor_graph, organisation_graph

DATA = Path(__file__).parents[1] / "data" / "network"
PAT, ALPHA_LAB = "https://example.org/net/pat", "https://example.org/net/alpha-lab"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return actor_graph(load_dataset(files=[DATA / "a.ttl", DATA / "b.ttl"]))


def _post(graph: nx.Graph) -> dict[str, object]:
    (data,) = [d for d in graph[PAT][ALPHA_LAB].values() if d["type"] == "holds_post"]
    return dict(data)


def test_graphml_reads_back_in_networkx_and_igraph_with_unique_edge_ids(
    graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    (path,) = export_network(graph, tmp_path / "net.graphml", fmt="graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges() == 20
    assert back.nodes[ALPHA_LAB]["label"] == "Alpha Lab"
    assert back.nodes[ALPHA_LAB]["kind"] == "Institute"
    (post,) = [d for d in back.get_edge_data(PAT, ALPHA_LAB).values() if d["type"] == "holds_post"]
    assert (post["date"], post["role"]) == ("2019-02-11", "Director")
    assert post["sources"] == "https://example.org/net/source-a"
    # Unique edge ids (graphology's reader rejects repeated ones), read by a second library.
    root = ElementTree.parse(path).getroot()
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == 20 and len(set(ids)) == 20
    other = ig.Graph.Read_GraphML(str(path))
    assert other.vcount() == graph.number_of_nodes() and other.ecount() == 20
    assert {v["label"] for v in other.vs} == {d["label"] for _, d in graph.nodes(data=True)}


GEXF = "{http://gexf.net/1.3}"


def test_gexf_is_1_3_mixed_with_spells_and_no_internal_keys(
    graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    (path,) = export_network(graph, tmp_path / "net.gexf", fmt="gexf")
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    graph_el = root.find(f"{GEXF}graph")
    assert graph_el is not None
    assert (graph_el.get("mode"), graph_el.get("timeformat")) == ("dynamic", "date")
    titles = {a.get("id"): a.get("title") for a in graph_el.iter(f"{GEXF}attribute")}
    assert not {"networkx_key", "key", "tail", "head", "iri"} & set(titles.values())
    nodes = {n.get("id"): n for n in graph_el.iter(f"{GEXF}node")}
    assert set(nodes) == set(graph.nodes)
    edges = list(graph_el.iter(f"{GEXF}edge"))
    assert len(edges) == 20 and len({e.get("id") for e in edges}) == 20
    for edge in edges:
        values = {titles[v.get("for")]: v.get("value") for v in edge.iter(f"{GEXF}attvalue")}
        symmetric = values["relation"] in ("party_to", "took_part")
        assert edge.get("type") == ("undirected" if symmetric else "directed"), values
    # Spells: the as-of dates of the projection, as Gephi's timeline reads them.
    (post,) = [
        e for e in edges
        if (e.get("source"), e.get("target")) == (PAT, ALPHA_LAB) and e.get("label") == "holds a post in"
    ]  # fmt: skip
    assert post.get("start") == "2019-02-11"
    assert nodes[ALPHA_LAB].get("label") == "Alpha Lab"


def test_gexf_of_a_mixed_projection_reads_in_networkx(
    graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    """Regression: ``undirected`` edges in a directed GEXF made ``read_gexf`` refuse the file.

    Gephi's importer takes no ``mutual`` edge, so that form is asked for (``--mutual``).
    """
    with pytest.raises(nx.NetworkXError, match="Undirected edge found in directed graph"):
        nx.read_gexf(export_network(graph, tmp_path / "gephi.gexf", fmt="gexf")[0])
    done = CliRunner().invoke(
        app,
        ["export", "--format", "gexf", "--mutual", "-o", str(tmp_path / "net.gexf"),
         "--graph-dir", str(DATA)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert nx.read_gexf(tmp_path / "net.gexf").is_directed()
    (path,) = export_network(graph, tmp_path / "net.gexf", fmt="gexf", mutual=True)
    back = nx.read_gexf(path)
    assert back.is_directed() and set(back.nodes) == set(graph.nodes)
    relations = [d["relation"] for *_, d in back.edges(data=True)]
    symmetric = sum(r in ("party_to", "took_part") for r in relations)
    assert symmetric and symmetric % 2 == 0  # a mutual edge is read as both directions
    assert len(relations) - symmetric // 2 == graph.number_of_edges()


def _spells(root: ElementTree.Element) -> tuple[dict[str, str | None], list[ElementTree.Element]]:
    starts = {n.get("id", ""): n.get("start") for n in root.iter(f"{GEXF}node")}
    return starts, list(root.iter(f"{GEXF}edge"))


def test_gexf_node_spells_cover_their_edges(tmp_path: Path) -> None:
    """Regression: ARPA-E's node started 2021-04-28 and its edge 2021-03-30, before it."""
    small = nx.MultiDiGraph(projection="actors")
    small.add_node("https://example.org/a", label="A", since="2021-04-28")
    small.add_node("https://example.org/b", label="B", since="2020-01-01")
    small.add_node("https://example.org/c", label="C")
    small.add_edge(
        "https://example.org/a", "https://example.org/b", type="member_of", since="2021-03-30"
    )
    small.add_edge(
        "https://example.org/c", "https://example.org/b", type="member_of", since="2019-05-01"
    )
    (path,) = export_network(small, tmp_path / "small.gexf", fmt="gexf")
    starts, _ = _spells(ElementTree.parse(path).getroot())
    assert starts == {
        "https://example.org/a": "2021-03-30",  # widened to its edge's start
        "https://example.org/b": "2019-05-01",
        "https://example.org/c": None,  # undated: present all along
    }
    # The whole graph: no edge starts before either of its nodes.
    code = CliRunner().invoke(app, ["export", "--format", "gexf", "-o", str(tmp_path / "all.gexf")])
    assert code.exit_code == 0, code.output
    starts, edges = _spells(ElementTree.parse(tmp_path / "all.gexf").getroot())
    for edge in edges:
        for end in (edge.get("source", ""), edge.get("target", "")):
            if edge.get("start") and starts[end]:
                assert str(starts[end]) <= str(edge.get("start")), (edge.attrib, end)


def test_gexf_of_an_undirected_projection_reads_in_networkx(tmp_path: Path) -> None:
    orgs = organisation_graph(load_dataset(files=[DATA / "a.ttl", DATA / "b.ttl"]))
    (path,) = export_network(orgs, tmp_path / "orgs.gexf", fmt="gexf")
    back = nx.read_gexf(path)
    assert not back.is_directed()
    assert set(back.nodes) == set(orgs.nodes)
    assert back.number_of_edges() == orgs.number_of_edges()
    assert all("networkx_key" not in d and "key" not in d for *_, d in back.edges(data=True))
    data = back.get_edge_data(ALPHA_LAB, "https://example.org/net/beta")
    assert data["relation"] == "shared" and data["weight"] == 2.0
    starts = {d.get("start") for _, d in back.nodes(data=True)}
    assert starts - {None} and all(len(s) == 10 for s in starts - {None})


def test_node_link_json_keeps_lists(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_network(graph, tmp_path / "net.json", fmt="json")
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert back.is_multigraph() and back.is_directed()
    assert back.number_of_edges() == 20
    assert _post(back)["sources"] == ["https://example.org/net/source-a"]
    assert back.nodes["https://example.org/net/alpha"]["aliases"] == ["AU"]


def test_csv_writes_nodes_and_edges(tmp_path: Path) -> None:
    orgs = organisation_graph(load_dataset(files=[DATA / "a.ttl", DATA / "b.ttl"]))
    nodes_path, edges_path = export_network(orgs, tmp_path / "orgs.csv", fmt="csv")
    assert (nodes_path.name, edges_path.name) == ("orgs-nodes.csv", "orgs-edges.csv")
    assert nodes_path.read_bytes()[:3] == edges_path.read_bytes()[:3] == b"\xef\xbb\xbf"
    nodes = list(csv.DictReader(nodes_path.open(encoding="utf-8-sig")))
    edges = list(csv.DictReader(edges_path.open(encoding="utf-8-sig")))
    assert len(nodes) == 9 and {"id", "label", "kind", "country"} <= set(nodes[0])
    pair = {"https://example.org/net/alpha-lab", "https://example.org/net/beta"}
    (shared,) = [e for e in edges if {e["source"], e["target"]} == pair]
    assert shared["weight"] == "2"
    assert set(shared["shares"].split(SEPARATOR)) == {"agreement", "collaboration"}


def test_unknown_format_is_an_input_error(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="graphml"):
        export_network(graph, tmp_path / "x.dot", fmt="dot")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_the_earlier_file(
    graph: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "net.gexf"
    target.write_text("earlier", encoding="utf-8")

    def fail_halfway(_graph: nx.Graph, **_options: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(formats, "gexf_text", fail_halfway)
    with pytest.raises(OSError, match="disk full"):
        export_network(graph, target, fmt="gexf")
    assert target.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["net.gexf"]


def test_cli_export_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "orgs.gexf"
    done = CliRunner().invoke(
        app,
        ["export", "--format", "GEXF", "--projection", "organisation", "-o", str(out),
         "--graph-dir", str(DATA)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert nx.read_gexf(out).number_of_nodes() == 9


def test_cli_export_csv_names_both_files_it_writes(tmp_path: Path) -> None:
    out = tmp_path / "out" / "net.csv"
    done = CliRunner().invoke(
        app, ["export", "--format", "csv", "-o", str(out), "--graph-dir", str(DATA)]
    )
    assert done.exit_code == 0, done.output
    for name in ("net-nodes.csv", "net-edges.csv"):
        assert f"wrote {out.parent / name}" in done.output
        assert (out.parent / name).read_bytes().startswith(b"\xef\xbb\xbf")
