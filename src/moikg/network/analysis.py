"""Measure a projection: centralities, cores, communities, brokerage, components.

Every metric is computed on the *simple view* of the projection
(:func:`simple_graph`): undirected, one edge per pair of actors, ``weight`` the
number of relations between them (or the projection's own ``weight``), no
self-loops. Path-based metrics count steps and ignore weights.

Methods (each matches the NetworkX function named, checked in the tests to 1e-9):

* ``degree`` — neighbours; ``weighted_degree`` — sum of weights
  (``nx.Graph.degree(weight="weight")``).
* ``betweenness`` — exact shortest-path betweenness (Brandes 2001), igraph, searching
  from the 2-core only and counting the trees hanging from it
  (:mod:`moikg.network.paths`), normalised by ``2 / ((n-1)(n-2))``
  (``nx.betweenness_centrality``).
* ``pagerank`` — weighted PageRank, damping 0.85, igraph PRPACK (``nx.pagerank``).
* ``closeness`` — Wasserman–Faust closeness for disconnected graphs, igraph
  (``nx.closeness_centrality`` with ``wf_improved=True``).
* ``core`` — k-core number (``nx.core_number``).
* ``community`` — Leiden communities maximising weighted modularity (Traag,
  Waltman & van Eck 2019), igraph, reproducible for a given seed; numbered by size.
* ``articulation`` — whether removing the node disconnects its component
  (``nx.articulation_points``).
* ``effective_size`` and ``constraint`` — Burt's structural-hole measures
  (Burt 1992; ``nx.effective_size`` and ``nx.constraint`` with ``weight="weight"``).
* ``component`` — connected component, numbered by size.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

import igraph as ig
import networkx as nx
import numpy as np

from moikg.errors import InputError
from moikg.network.paths import PARALLEL_FROM, start_path_metrics
from moikg.network.view import SimpleView, simple_view

__all__ = [
    "METRICS",
    "METRIC_METHODS",
    "PARALLEL_FROM",
    "Analysis",
    "AnalysisOptions",
    "NodeMetrics",
    "analyse",
    "analyse_view",
    "igraph_seed",
    "number",
    "simple_graph",
]

METRIC_METHODS: Final[dict[str, str]] = {
    "degree": "number of neighbours in the simple undirected view",
    "weighted_degree": "sum of edge weights (number of relations) in the simple undirected view",
    "betweenness": (
        "exact shortest-path betweenness (Brandes 2001) over unweighted steps, igraph, "
        "searches from the 2-core only, trees hanging from it counted in closed form; "
        "normalised by 2/((n-1)(n-2)) as networkx.betweenness_centrality"
    ),
    "pagerank": "weighted PageRank, damping 0.85, igraph PRPACK",
    "closeness": (
        "closeness over unweighted steps, Wasserman-Faust scaling for disconnected graphs, "
        "as networkx.closeness_centrality"
    ),
    "core": "k-core number (Batagelj-Zaversnik), igraph coreness",
    "community": (
        "Leiden communities maximising weighted modularity (resolution 1), igraph, seeded; "
        "numbered by size"
    ),
    "articulation": "articulation point (cut vertex) of the simple undirected view, igraph",
    "effective_size": "Burt's effective size with weights as mutual weights (networkx formula)",
    "constraint": "Burt's constraint with weights as mutual weights, igraph",
    "component": "connected component, numbered by size (0 the largest)",
}
"""Each metric and how it is computed (also written into the ``--rdf`` named graph)."""

METRICS: Final = tuple(METRIC_METHODS)


@dataclass(frozen=True)
class AnalysisOptions:
    """Options of :func:`analyse`.

    Attributes:
        seed: Seed of the community detection; the same seed gives the same communities.
        metrics: Which metrics to compute (default: all of :data:`METRICS`).
        damping: PageRank damping factor.
        workers: Processes sharing the shortest-path metrics (betweenness, closeness); None
            uses every core for graphs of :data:`PARALLEL_FROM` nodes or more, else one.
    """

    seed: int = 42
    metrics: tuple[str, ...] = METRICS
    damping: float = 0.85
    workers: int | None = None


@dataclass(frozen=True)
class NodeMetrics:
    """The metrics of one node; a metric not computed is None."""

    iri: str
    label: str
    kind: str
    degree: int | None = None
    weighted_degree: float | None = None
    betweenness: float | None = None
    pagerank: float | None = None
    closeness: float | None = None
    core: int | None = None
    community: int | None = None
    articulation: bool | None = None
    effective_size: float | None = None
    constraint: float | None = None
    component: int | None = None


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`analyse`.

    Attributes:
        projection: The projection's name (from the graph's ``projection`` attribute).
        nodes: One row per node, sorted by IRI.
        computed_at: When the analysis ran (UTC).
        seed: The community seed.
        metrics: The metrics computed.
        modularity: Weighted modularity of the communities (None if not computed).
        component_sizes: Sizes of the connected components, largest first.
        as_of: The projection's as-of day, if any.
    """

    projection: str
    nodes: tuple[NodeMetrics, ...]
    computed_at: dt.datetime
    seed: int
    metrics: tuple[str, ...]
    modularity: float | None = None
    component_sizes: tuple[int, ...] = ()
    as_of: str = ""
    methods: dict[str, str] = field(default_factory=lambda: dict(METRIC_METHODS))

    def by_iri(self) -> dict[str, NodeMetrics]:
        """Rows keyed by node IRI."""
        return {row.iri: row for row in self.nodes}

    def top(self, metric: str, count: int = 5) -> list[NodeMetrics]:
        """The ``count`` nodes with the highest value of ``metric`` (ties by label)."""
        rows = [r for r in self.nodes if number(getattr(r, metric)) is not None]
        return sorted(rows, key=lambda r: (-float(getattr(r, metric)), r.label))[:count]


def number(value: object) -> float | None:
    """A metric value as a float for sorting: None for flags, missing values and NaN."""
    if isinstance(value, bool) or value is None:
        return None
    result = float(value)  # type: ignore[arg-type]
    return None if math.isnan(result) else result


def simple_graph(graph: nx.Graph) -> nx.Graph:
    """Collapse a projection to an undirected simple graph; weights add up, self-loops go.

    Args:
        graph: Any NetworkX graph; an edge's ``weight`` defaults to 1.

    Returns:
        A new ``nx.Graph`` with the same nodes (and node attributes).
    """
    simple = nx.Graph(**graph.graph)
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, weight in graph.edges(data="weight", default=1):
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple


@contextmanager
def igraph_seed(seed: int) -> Iterator[None]:
    """Give igraph a private seeded random generator for the block, then restore the default."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _numbered(groups: Sequence[Sequence[int]], order: Sequence[str]) -> list[int]:
    """Number groups by size (largest 0), ties by their first node's IRI."""
    ranked = sorted(groups, key=lambda members: (-len(members), min(order[m] for m in members)))
    numbers = [0] * len(order)
    for number, members in enumerate(ranked):
        for member in members:
            numbers[member] = number
    return numbers


def _effective_size(g: ig.Graph, weights: np.ndarray) -> np.ndarray:
    """Burt's effective size (networkx's weighted formula), summed over triangles.

    e(u) = Σ_{v∈N(u)} (1 − Σ_w p_uw m_vw), with p_uw = w_uw / Σ_x w_ux and
    m_vw = w_vw / max_x w_vx; a term is non-zero only when u, v, w form a triangle.
    """
    n = g.vcount()
    edges = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    strength = np.zeros(n)
    largest = np.zeros(n)
    np.add.at(strength, edges[:, 0], weights)
    np.add.at(strength, edges[:, 1], weights)
    np.maximum.at(largest, edges[:, 0], weights)
    np.maximum.at(largest, edges[:, 1], weights)
    degree = np.array(g.degree(), dtype=float)
    redundancy = np.zeros(n)
    triangles = np.array(g.list_triangles(), dtype=np.int64).reshape(-1, 3)
    if len(triangles):
        low = np.minimum(edges[:, 0], edges[:, 1])
        high = np.maximum(edges[:, 0], edges[:, 1])
        keys = low * n + high
        sorter = np.argsort(keys)
        sorted_keys = keys[sorter]

        def weight(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            key = np.minimum(a, b) * n + np.maximum(a, b)
            return np.asarray(weights[sorter[np.searchsorted(sorted_keys, key)]])

        for i, j, k in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
            u, v, w = triangles[:, i], triangles[:, j], triangles[:, k]
            term = weight(u, w) / strength[u] * weight(v, w) / largest[v]
            np.add.at(redundancy, u, term)
    result = degree - redundancy
    result[degree == 0] = np.nan
    return np.asarray(result)


def analyse(graph: nx.Graph, *, options: AnalysisOptions | None = None) -> Analysis:
    """Compute the metrics of every node of a projection (module docstring for methods).

    Args:
        graph: A projection from :mod:`moikg.network.projection` (or any NetworkX graph).
        options: Seed and the metrics to compute.

    Returns:
        The per-node metrics and the graph-level figures.

    Raises:
        InputError: An unknown metric name.
    """
    chosen = _checked(options)
    return analyse_view(graph, simple_view(graph), options=chosen)


def _checked(options: AnalysisOptions | None) -> AnalysisOptions:
    """The options, or the defaults; an unknown metric name is an error."""
    chosen = options or AnalysisOptions()
    unknown = sorted(set(chosen.metrics) - set(METRICS))
    if unknown:
        raise InputError(f"unknown metric {', '.join(unknown)}; use {', '.join(METRICS)}")
    return chosen


def analyse_view(
    graph: nx.Graph, view: SimpleView, *, options: AnalysisOptions | None = None
) -> Analysis:
    """:func:`analyse` on a simple view already made (:func:`moikg.network.view.simple_view`).

    The network page makes one view for its layout and its metrics.

    Raises:
        InputError: An unknown metric name.
    """
    chosen = _checked(options)
    wanted = set(chosen.metrics)
    order = view.order
    n = len(order)
    g = view.igraph()
    columns: dict[str, list[Any]] = {}
    if "degree" in wanted:
        columns["degree"] = g.degree()
    if "weighted_degree" in wanted:
        columns["weighted_degree"] = g.strength(weights="weight") if g.ecount() else [0.0] * n
    components = g.connected_components()
    component_size = components.sizes()
    sizes = [component_size[c] for c in components.membership]
    # The shortest-path searches (nearly all the time on a large graph) run in worker
    # processes while this one computes the other metrics.
    with start_path_metrics(g, wanted, workers=chosen.workers) as search:
        modularity = _other_metrics(g, wanted, chosen, order, columns)
        if "component" in wanted:
            columns["component"] = _numbered(list(components), order)
        paths = search.result()
    if "betweenness" in wanted:
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        columns["betweenness"] = [b * scale for b in paths["betweenness"]]
    if "closeness" in wanted:
        near = paths["closeness"]
        columns["closeness"] = [
            0.0 if n < 2 or math.isnan(c) else c * (size - 1) / (n - 1)
            for c, size in zip(near, sizes, strict=True)
        ]
    rows = []
    for i, iri in enumerate(order):
        data = graph.nodes[iri]
        values = {name: column[i] for name, column in columns.items()}
        rows.append(
            NodeMetrics(
                iri=str(iri),
                label=str(data.get("label", iri)),
                kind=str(data.get("kind", "")),
                **values,
            )
        )
    return Analysis(
        projection=str(graph.graph.get("projection", "")),
        nodes=tuple(rows),
        computed_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        seed=chosen.seed,
        metrics=tuple(m for m in METRICS if m in wanted),
        modularity=modularity,
        component_sizes=tuple(sorted((len(c) for c in components), reverse=True)),
        as_of=str(graph.graph.get("as_of", "")),
    )


def _other_metrics(
    g: ig.Graph,
    wanted: set[str],
    chosen: AnalysisOptions,
    order: Sequence[str],
    columns: dict[str, list[Any]],
) -> float | None:
    """Add the metrics that need no shortest paths to ``columns``; return the modularity."""
    n = g.vcount()
    weights = np.array(g.es["weight"] if g.ecount() else [], dtype=float)
    if "pagerank" in wanted:
        columns["pagerank"] = g.pagerank(
            weights="weight" if g.ecount() else None, damping=chosen.damping, directed=False
        )
    if "core" in wanted:
        columns["core"] = g.coreness()
    modularity = None
    if "community" in wanted:
        with igraph_seed(chosen.seed):
            found = g.community_leiden(
                objective_function="modularity",
                weights="weight" if g.ecount() else None,
                n_iterations=-1,
            )
        columns["community"] = _numbered(list(found), order)
        modularity = (
            g.modularity(found.membership, weights="weight") if g.ecount() else float("nan")
        )
    if "articulation" in wanted:
        cut = set(g.articulation_points())
        columns["articulation"] = [i in cut for i in range(n)]
    if "effective_size" in wanted:
        columns["effective_size"] = _effective_size(g, weights).tolist()
    if "constraint" in wanted:
        columns["constraint"] = g.constraint(weights="weight") if g.ecount() else [float("nan")] * n
    return modularity
