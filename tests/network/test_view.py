"""The simple view as vertex numbers is the NetworkX simple view, edge for edge."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from moikg.network.analysis import simple_graph
from moikg.network.view import simple_view


def _multigraph() -> nx.MultiDiGraph:
    """Parallel and opposite relations, self-loops, float weights, isolated nodes."""
    rng = random.Random(5)
    graph = nx.MultiDiGraph()
    names = [f"n{i:02d}" for i in range(30)]
    rng.shuffle(names)
    graph.add_nodes_from(names)
    for _ in range(90):
        u, v = rng.choice(names), rng.choice(names)
        graph.add_edge(u, v, weight=rng.choice([1, 2, 0.5, 0.25]))
    graph.add_edge(names[0], names[1])  # no weight: counts 1
    return graph


@pytest.mark.parametrize(
    "graph",
    [_multigraph(), nx.karate_club_graph(), nx.MultiGraph([(1, 2), (2, 1), (2, 2)]), nx.Graph()],
    ids=["multidigraph", "karate", "multigraph", "empty"],
)
def test_view_is_the_networkx_simple_view(graph: nx.Graph) -> None:
    simple = simple_graph(graph)
    view = simple_view(graph)
    assert view.order == sorted(simple.nodes, key=str)
    index = {node: i for i, node in enumerate(view.order)}
    assert view.edges == [(index[u], index[v]) for u, v in simple.edges()]
    assert view.weights == [w for _, _, w in simple.edges(data="weight")]
    g = view.igraph()
    assert g.vcount() == simple.number_of_nodes() and not g.is_directed()
    if view.edges:
        assert g.es["weight"] == [float(w) for w in view.weights]


def test_weights_add_up_both_ways_and_self_loops_go() -> None:
    graph = nx.MultiDiGraph()
    graph.add_edge("b", "a", weight=2)
    graph.add_edge("a", "b")
    graph.add_edge("a", "a", weight=5)
    graph.add_edge("c", "a", weight=0.5)
    view = simple_view(graph)
    assert view.order == ["a", "b", "c"]
    assert sorted(zip(view.edges, view.weights, strict=True)) == [((0, 2), 0.5), ((1, 0), 3)]
