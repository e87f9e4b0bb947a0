"""Betweenness and closeness with trees counted instead of searched: exact, as NetworkX says.

Closeness comes from sums of distances found 64 sources at a time (bits of a word): checked
against igraph's own distances on graphs that need several words, many levels and several
components, and equal to igraph's closeness to the last bit.
"""

from __future__ import annotations

import math
import random

import igraph as ig
import networkx as nx
import pytest

from moikg.errors import MoikgError
from moikg.network.paths import distance_sums, shortest_path_metrics, start_path_metrics

BOTH = {"betweenness", "closeness"}


def _with_trees(seed: int) -> nx.Graph:
    """A sparse graph with cycles, trees hanging from them, tree components and isolated nodes."""
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(rng.randint(5, 60), rng.randint(5, 80), seed=seed)
    for _ in range(rng.randint(0, 50)):
        new = graph.number_of_nodes()
        graph.add_node(new)
        if rng.random() < 0.9:
            graph.add_edge(new, rng.randrange(new))
    return graph


def _graphs() -> dict[str, nx.Graph]:
    graphs = {f"random-{seed}": _with_trees(seed) for seed in range(12)}
    graphs |= {
        "karate": nx.karate_club_graph(),
        "path": nx.path_graph(7),
        "star": nx.star_graph(6),
        "tree": nx.balanced_tree(3, 3),
        "cycle": nx.cycle_graph(8),
        "lollipop": nx.lollipop_graph(5, 6),
        "pair-and-isolated": nx.Graph([(0, 1)]),
        "empty": nx.Graph(),
    }
    graphs["pair-and-isolated"].add_node(2)
    return graphs


def _igraph(graph: nx.Graph) -> ig.Graph:
    index = {node: i for i, node in enumerate(graph)}
    return ig.Graph(
        n=len(index), edges=[(index[u], index[v]) for u, v in graph.edges()], directed=False
    )


def _expected(graph: nx.Graph) -> tuple[list[float], list[float]]:
    """NetworkX's counts (each pair once) and closeness within the component (NaN alone)."""
    between = nx.betweenness_centrality(graph, normalized=False)
    near = nx.closeness_centrality(graph, wf_improved=False)
    isolated = set(nx.isolates(graph))
    return (
        [between[node] for node in graph],
        [math.nan if node in isolated else near[node] for node in graph],
    )


def _close(expected: list[float], found: list[float], tolerance: float) -> bool:
    return len(expected) == len(found) and all(
        (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tolerance
        for a, b in zip(expected, found, strict=True)
    )


@pytest.mark.parametrize("name", sorted(_graphs()))
def test_matches_networkx(name: str) -> None:
    graph = _graphs()[name]
    between, near = _expected(graph)
    found = shortest_path_metrics(_igraph(graph), BOTH, workers=1)
    assert _close(between, found["betweenness"], 1e-9)
    assert _close(near, found["closeness"], 1e-12)


def test_small_cases_by_hand() -> None:
    # A triangle 0-1-2 with 3 hanging at 0 and 4 hanging at 3.
    g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 0), (0, 3), (3, 4)])
    found = shortest_path_metrics(g, BOTH, workers=1)
    # 0 separates {3, 4} from {1, 2}: 4 pairs; 3 separates 4 from the other three.
    assert found["betweenness"] == [4.0, 0.0, 0.0, 3.0, 0.0]
    # Distances from 4: 1 (3), 2 (0), 3 (1), 3 (2): 4 / 9.
    assert found["closeness"][4] == pytest.approx(4 / 9, abs=1e-15)
    assert found["closeness"][0] == pytest.approx(4 / 5, abs=1e-15)


def test_workers_and_igraph_agree_on_a_large_graph() -> None:
    graph = nx.disjoint_union_all([_with_trees(seed) for seed in range(40, 60)])
    g = _igraph(graph)
    alone = shortest_path_metrics(g, BOTH, workers=1)
    shared = shortest_path_metrics(g, BOTH, workers=2)
    assert _close(g.betweenness(directed=False), alone["betweenness"], 1e-7)
    assert _close(g.closeness(normalized=True), alone["closeness"], 1e-12)
    assert _close(alone["betweenness"], shared["betweenness"], 1e-7)
    assert _close(alone["closeness"], shared["closeness"], 1e-12)


def test_only_what_is_asked() -> None:
    g = ig.Graph.Ring(5)
    assert set(shortest_path_metrics(g, {"closeness", "degree"}, workers=1)) == {"closeness"}
    assert shortest_path_metrics(g, {"pagerank"}, workers=1) == {}


def _sums_by_igraph(g: ig.Graph, sources: list[int]) -> list[int]:
    return [int(sum(d for d in row if d != math.inf)) for row in g.distances(source=sources)]


@pytest.mark.parametrize(
    "name",
    ["random-union", "long-cycle-and-path", "grid", "isolated-and-pairs", "no-edges"],
)
def test_distance_sums_are_igraph_distances_added_up(name: str) -> None:
    graphs = {
        "random-union": _igraph(nx.disjoint_union_all([_with_trees(s) for s in range(60, 75)])),
        "long-cycle-and-path": ig.Graph.Ring(300) + ig.Graph.Ring(150, circular=False),
        "grid": ig.Graph.Lattice([13, 11], circular=False),
        "isolated-and-pairs": ig.Graph(n=70, edges=[(i, i + 1) for i in range(0, 60, 2)]),
        "no-edges": ig.Graph(n=5),
    }
    g = graphs[name]
    sources = list(range(g.vcount()))[::-1]  # not in vertex order; several words of 64
    assert distance_sums(g, sources) == _sums_by_igraph(g, sources)
    assert distance_sums(g, sources[:3]) == _sums_by_igraph(g, sources[:3])
    assert distance_sums(g, []) == []


def test_closeness_is_igraphs_to_the_last_bit() -> None:
    g = _igraph(nx.disjoint_union_all([_with_trees(seed) for seed in range(80, 100)]))
    found = shortest_path_metrics(g, {"closeness"}, workers=1)["closeness"]
    expected = g.closeness(normalized=True)
    assert len(found) == len(expected)
    for a, b in zip(expected, found, strict=True):
        assert (math.isnan(a) and math.isnan(b)) or a == b


def test_workers_not_read_are_stopped() -> None:
    g = _igraph(nx.disjoint_union_all([_with_trees(seed) for seed in range(40, 60)]))
    with start_path_metrics(g, BOTH, workers=2) as search:
        processes = list(search._processes)
        assert len(processes) == 2
    assert all(process.returncode is not None for process in processes)
    with pytest.raises(MoikgError, match="stopped before they answered"):
        search.result()
    alone = shortest_path_metrics(g, BOTH, workers=1)
    with start_path_metrics(g, BOTH, workers=2) as search:
        shared = search.result()
        assert search.result() is shared  # read once, kept
    assert _close(alone["betweenness"], shared["betweenness"], 1e-7)  # sums in another order
    assert _close(alone["closeness"], shared["closeness"], 0.0)
