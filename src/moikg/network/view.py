"""The simple undirected view of a projection, as vertex numbers: what igraph is given.

:func:`moikg.network.analysis.simple_graph` builds this view as a NetworkX graph (copying
every node's attributes); the metrics and the layout need only its vertices, in order, and
its edges with their weights. :func:`simple_view` gives exactly those, in the order the
NetworkX view gives them (so igraph gets the same graph, edge for edge, and seeded results,
communities and layout, stay the same), from plain dictionaries: about six times faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import igraph as ig

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SimpleView", "simple_view"]


@dataclass(frozen=True)
class SimpleView:
    """A projection as an undirected simple graph of numbered vertices.

    Attributes:
        order: The nodes (as the projection names them), sorted by their text; vertex ``i``
            is ``order[i]``.
        edges: One ``(i, j)`` per linked pair, in the order of
            ``simple_graph(graph).edges()``.
        weights: Each edge's weight: the sum of the weights (default 1) of the relations
            between the pair, added in the projection's edge order.
    """

    order: list[Any]
    edges: list[tuple[int, int]]
    weights: list[float]

    def igraph(self, *, weighted: bool = True) -> ig.Graph:
        """The view as an undirected igraph graph, with a float ``weight`` per edge if asked."""
        g = ig.Graph(n=len(self.order), edges=self.edges, directed=False)
        if weighted:
            g.es["weight"] = [float(w) for w in self.weights]
        return g


def simple_view(graph: nx.Graph) -> SimpleView:
    """Collapse a projection to its simple undirected view (module docstring).

    Self-loops are left out; parallel and opposite relations become one edge whose weight is
    the sum of theirs. The same view as :func:`moikg.network.analysis.simple_graph`.
    """
    # Each pair's weight sits in a one-item list shared by both directions, as NetworkX
    # shares one attribute dictionary between (u, v) and (v, u).
    adjacency: dict[Any, dict[Any, list[float]]] = {node: {} for node in graph}
    for u, v, weight in graph.edges(data="weight", default=1):
        if u == v:
            continue
        found = adjacency[u].get(v)
        if found is not None:
            found[0] += weight
        else:
            adjacency[u][v] = adjacency[v][u] = [weight]
    order = sorted(adjacency, key=str)
    index = {node: i for i, node in enumerate(order)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    seen: set[Any] = set()
    for node, neighbours in adjacency.items():
        i = index[node]
        for neighbour, weight in neighbours.items():
            if neighbour not in seen:
                edges.append((i, index[neighbour]))
                weights.append(weight[0])
        seen.add(node)
    return SimpleView(order=order, edges=edges, weights=weights)
