"""Tests for moikg.network_export: each format reads back with the same nodes, edges and values."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from moikg.cli import app
from moikg.errors import InputError
from moikg.ingest.load import load_dataset
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


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_read_back_with_every_node_and_parallel_edge(
    graph: nx.MultiDiGraph, fmt: str, tmp_path: Path
) -> None:
    (path,) = export_network(graph, tmp_path / f"net.{fmt}", fmt=fmt)  # type: ignore[arg-type]
    back = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges() == 20
    assert back.nodes[ALPHA_LAB]["label"] == "Alpha Lab"
    assert back.nodes[ALPHA_LAB]["kind"] == "Institute"
    kind = "type" if fmt == "graphml" else "relation"  # GEXF keeps "type" for edge direction
    (post,) = [d for d in back.get_edge_data(PAT, ALPHA_LAB).values() if d[kind] == "holds_post"]
    assert (post["date"], post["role"]) == ("2019-02-11", "Director")
    assert post["sources"] == "https://example.org/net/source-a"


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
    nodes = list(csv.DictReader(nodes_path.open(encoding="utf-8")))
    edges = list(csv.DictReader(edges_path.open(encoding="utf-8")))
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

    def fail_halfway(_graph: nx.Graph, path: Path, **_options: object) -> None:
        Path(path).write_text("<gexf partial", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(nx, "write_gexf", fail_halfway)
    with pytest.raises(OSError, match="disk full"):
        export_network(graph, target, fmt="gexf")
    assert target.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["net.gexf"]


def test_cli_export_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "actors.gexf"
    done = CliRunner().invoke(
        app, ["export", "--format", "gexf", "-o", str(out), "--graph-dir", str(DATA)]
    )
    assert done.exit_code == 0, done.output
    assert nx.read_gexf(out).number_of_nodes() == 11
