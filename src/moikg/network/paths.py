"""Shortest-path metrics of a simple undirected graph: betweenness and closeness, exact.

Both need a breadth-first search from every vertex, nearly all the time of
:func:`moikg.network.analysis.analyse` on a large network. Two things make that less:

* **Trees are counted, not searched.** Peeling vertices of degree at most one leaves the
  2-core (Batagelj & Zaversnik 2003); every other vertex lies in a tree hanging from one
  core vertex, or in a component that is a tree. Every path between a tree vertex and the
  rest of its component runs through the tree's root, so (Baglioni et al. 2012, "Fast exact
  computation of betweenness centrality in social networks"; Sariyüce et al. 2013,
  "Shattering and compressing networks for betweenness centrality"):

  - a search from a tree vertex ``s`` hanging at core vertex ``c`` gives every vertex outside
    the tree the dependency a search from ``c`` gives it: only core vertices are searched,
    each counted for the ``w`` vertices of its tree (igraph's subset betweenness, once per
    distinct ``w``, times ``w``);
  - a tree vertex's betweenness is the pairs of vertices it separates: with ``p_i`` the
    sizes of the parts its removal leaves (each subtree below it, and the rest of the
    component), ``(Σ p_i)² − Σ p_i²`` halved; a core vertex adds the pairs it separates
    with one end in its own tree;
  - a tree vertex's sum of distances follows from its parent's: one step further from
    every vertex outside its subtree, one nearer each inside (``S(u) = S(p) + R − 2·|sub(u)|``
    in a component of ``R`` vertices); a core vertex's comes from igraph's closeness, and a
    tree component's root's is the sum of its subtree sizes.

  All of this is integer counting, so the results are exact (to the last bits of the
  floating-point sums); the tests compare them with NetworkX and with igraph's own full
  computation.
* **Searches are split over processes** by source vertex. Workers are fresh interpreters
  (``python -c``), started :func:`~moikg._headless.headless` and importing only igraph, so
  nothing depends on how the caller's main module is written.
"""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from typing import Final

import igraph as ig

from moikg.errors import MoikgError

__all__ = ["PARALLEL_FROM", "shortest_path_metrics"]

PARALLEL_FROM: Final = 5000
"""From this many vertices, the searches are split over processes by source vertex."""

_WORKER: Final = (
    "from moikg._headless import headless; headless(); "
    "from moikg.network.paths import _path_worker; _path_worker()"
)

_Groups = list[tuple[int, list[int]]]
"""Core vertices to search from, grouped by how many vertices each counts for."""


@dataclass(frozen=True)
class _Forest:
    """The 2-core of a graph and the trees hanging from it (module docstring).

    Attributes:
        core: The core vertices, ascending.
        order: Every other vertex, each after its parent.
        parent: Each tree vertex's neighbour towards the core (or its tree's root); -1 for
            core vertices and for the root of a tree component.
        size: Vertices in each vertex's subtree, itself included (for a core vertex: its
            whole tree).
        component: Vertices in each vertex's connected component.
        counted: The betweenness each vertex gets from the trees (all of it for a tree
            vertex; for a core vertex, the pairs it separates with an end in its tree).
        root_distances: Sum of distances from each tree component's root.
    """

    core: list[int]
    order: list[int]
    parent: list[int]
    size: list[int]
    component: list[int]
    counted: list[float]
    root_distances: dict[int, int]


def _forest(g: ig.Graph) -> _Forest:
    n = g.vcount()
    adjacency = g.get_adjlist()
    core = [v for v, k in enumerate(g.coreness()) if k >= 2] if n else []
    components = g.connected_components()
    sizes = components.sizes()
    component = [sizes[c] for c in components.membership]
    parent = [-1] * n
    seen = [False] * n
    for v in core:
        seen[v] = True
    order: list[int] = []

    def grow(frontier: list[int]) -> None:
        while frontier:
            reached = []
            for v in frontier:
                for u in adjacency[v]:
                    if not seen[u]:
                        seen[u] = True
                        parent[u] = v
                        reached.append(u)
            order.extend(reached)
            frontier = reached

    grow(core)
    roots = []
    for root in range(n):  # what is left: components that are trees
        if not seen[root]:
            seen[root] = True
            roots.append(root)
            order.append(root)
            grow([root])
    size = [1] * n
    squares = [0] * n  # sum of the squared sizes of the subtrees just below each vertex
    for v in reversed(order):
        p = parent[v]
        if p >= 0:
            size[p] += size[v]
            squares[p] += size[v] * size[v]
    counted = [0.0] * n
    for v in order:
        rest, above = component[v] - 1, component[v] - size[v]
        counted[v] = (rest * rest - squares[v] - above * above) / 2
    for v in core:
        below, outside = size[v] - 1, component[v] - size[v]
        counted[v] = (below * outside + below * below - squares[v]) / 2
    root_of = [-1] * n
    root_distances = dict.fromkeys(roots, 0)
    for root in roots:
        root_of[root] = root
    for v in order:
        p = parent[v]
        if p >= 0 and root_of[p] >= 0:
            root_of[v] = root_of[p]
            root_distances[root_of[v]] += size[v]
    return _Forest(core, order, parent, size, component, counted, root_distances)


def _workers(requested: int | None, n: int) -> int:
    if requested is not None:
        return max(1, requested)
    return (os.cpu_count() or 1) if n >= PARALLEL_FROM else 1


def _searches(g: ig.Graph, groups: _Groups, wanted: set[str]) -> dict[str, list[float]]:
    """From the core vertices of ``groups``: their weighted betweenness counts, their closeness.

    ``betweenness`` is, for every vertex, the sum over groups of ``w`` times igraph's subset
    betweenness from the group's vertices (each path counted once, from its source);
    ``closeness`` is igraph's for the groups' vertices, in the groups' order.
    """
    found: dict[str, list[float]] = {}
    if "betweenness" in wanted:
        total = [0.0] * g.vcount()
        for weight, sources in groups:
            part = g.betweenness(directed=False, sources=sources, targets=None)
            total = [t + weight * p for t, p in zip(total, part, strict=True)]
        found["betweenness"] = total
    if "closeness" in wanted:
        vertices = [v for _, sources in groups for v in sources]
        found["closeness"] = list(g.closeness(vertices=vertices, normalized=True))
    return found


def _path_worker() -> None:
    """Entry point of a worker process: read a pickled share on stdin, answer on stdout."""
    n, edges, groups, wanted = pickle.load(sys.stdin.buffer)
    g = ig.Graph(n=n, edges=edges, directed=False)
    pickle.dump(_searches(g, groups, wanted), sys.stdout.buffer)


def _in_workers(
    g: ig.Graph, shares: list[_Groups], wanted: set[str]
) -> list[dict[str, list[float]]]:
    command = [sys.executable, "-c", _WORKER]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    edges = g.get_edgelist()
    processes = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        for _ in shares
    ]
    answers = []
    try:
        for process, share in zip(processes, shares, strict=True):
            assert process.stdin is not None
            pickle.dump((g.vcount(), edges, share, wanted), process.stdin)
            process.stdin.close()
        for process in processes:
            assert process.stdout is not None
            try:
                answers.append(pickle.load(process.stdout))
            except (EOFError, pickle.UnpicklingError):
                raise MoikgError(
                    "a worker process computing betweenness failed (see its error above); "
                    "run with workers=1"
                ) from None
    finally:
        for process in processes:
            process.wait()
    return answers


def shortest_path_metrics(
    g: ig.Graph, wanted: set[str], *, workers: int | None = None
) -> dict[str, list[float]]:
    """Unweighted betweenness (igraph's undirected counts) and closeness, exact.

    Args:
        g: An undirected simple graph; edge weights are not used.
        wanted: Which of ``betweenness`` and ``closeness`` to compute (others are ignored).
        workers: Processes for the searches; None uses every core from
            :data:`PARALLEL_FROM` vertices on, else one (no process is started).

    Returns:
        For those wanted, per vertex: ``betweenness``, the number of shortest paths between
        pairs of other vertices through it (each pair's share, pairs counted once), as
        igraph's ``betweenness(directed=False)``; ``closeness``, one over the mean distance
        to the vertices it reaches, NaN for an isolated vertex, as igraph's
        ``closeness(normalized=True)``.

    Raises:
        MoikgError: A worker process failed.
    """
    wanted = wanted & {"betweenness", "closeness"}
    if not wanted:
        return {}
    n = g.vcount()
    forest = _forest(g)
    by_weight: dict[int, list[int]] = {}
    for v in forest.core:
        by_weight.setdefault(forest.size[v], []).append(v)
    count = min(_workers(workers, n), max(1, len(forest.core)))
    # Each share takes every count-th core vertex of each group: about as many searches each.
    shares: list[_Groups] = [
        [(w, by_weight[w][i::count]) for w in sorted(by_weight) if by_weight[w][i::count]]
        for i in range(count)
    ]
    answers = [_searches(g, shares[0], wanted)] if count == 1 else _in_workers(g, shares, wanted)
    found: dict[str, list[float]] = {}
    if "betweenness" in wanted:
        searched = [0.0] * n
        for answer in answers:
            searched = [a + b for a, b in zip(searched, answer["betweenness"], strict=True)]
        core = set(forest.core)
        found["betweenness"] = [
            searched[v] + forest.counted[v] if v in core else forest.counted[v] for v in range(n)
        ]
    if "closeness" in wanted:
        found["closeness"] = _closeness(forest, shares, answers)
    return found


def _closeness(
    forest: _Forest, shares: list[_Groups], answers: list[dict[str, list[float]]]
) -> list[float]:
    """Closeness of every vertex from that of the core vertices (module docstring)."""
    n = len(forest.parent)
    closeness = [math.nan] * n
    distances = [0] * n  # each vertex's sum of distances to the others of its component
    for share, answer in zip(shares, answers, strict=True):
        vertices = [v for _, sources in share for v in sources]
        for v, value in zip(vertices, answer["closeness"], strict=True):
            closeness[v] = value
            distances[v] = round((forest.component[v] - 1) / value)
    for root, total in forest.root_distances.items():
        distances[root] = total
    for v in forest.order:
        p = forest.parent[v]
        reach = forest.component[v]
        if p >= 0:
            distances[v] = distances[p] + reach - 2 * forest.size[v]
        if reach > 1:
            closeness[v] = (reach - 1) / distances[v]
    return closeness
