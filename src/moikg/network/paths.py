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
* **Closeness searches 64 sources at once.** A core vertex's sum of distances comes from a
  breadth-first search in which each of 64 sources is one bit of a word per vertex: a level is
  one pass over the edges with NumPy (a vertex's next word is the OR of its neighbours' words,
  less the bits it has already seen), and the bits that turn on at level ``d`` add ``d`` to
  their source's sum. The sums are integers, exact; closeness is then ``(reached - 1) / sum``,
  the division igraph's ``closeness(normalized=True)`` makes. About a tenth of the time of one
  igraph search per vertex (which repeated the searches betweenness makes).
* **Betweenness searches are split over processes** by source vertex. Workers are fresh
  interpreters (``python -c``), started :func:`~moikg._headless.headless` and importing only
  igraph, so nothing depends on how the caller's main module is written. They start at
  :func:`start_path_metrics` and are read at :meth:`PathSearch.result`: the caller computes
  its other metrics, and this process the closeness, while they search.
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
import numpy as np

from moikg.errors import MoikgError

__all__ = ["PARALLEL_FROM", "PathSearch", "shortest_path_metrics", "start_path_metrics"]

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


def _betweenness(g: ig.Graph, groups: _Groups) -> list[float]:
    """The sum over groups of ``w`` times igraph's subset betweenness from the group's vertices.

    Each path is counted once, from its source.
    """
    total = [0.0] * g.vcount()
    for weight, sources in groups:
        part = g.betweenness(directed=False, sources=sources, targets=None)
        total = [t + weight * p for t, p in zip(total, part, strict=True)]
    return total


def _path_worker() -> None:
    """Entry point of a worker process: read a pickled share on stdin, answer on stdout."""
    n, edges, groups = pickle.load(sys.stdin.buffer)
    g = ig.Graph(n=n, edges=edges, directed=False)
    pickle.dump(_betweenness(g, groups), sys.stdout.buffer)


_WORD: Final = 64
"""Sources searched together: one bit each of a 64-bit word per vertex."""


def distance_sums(g: ig.Graph, sources: list[int]) -> list[int]:
    """Each source's sum of distances (in steps) to the vertices it reaches (module docstring).

    Args:
        g: An undirected graph.
        sources: Distinct vertices to search from.

    Returns:
        One integer per source, in the order given.
    """
    n = g.vcount()
    ends = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    tails = np.concatenate([ends[:, 0], ends[:, 1]])
    heads = np.concatenate([ends[:, 1], ends[:, 0]])
    neighbours = heads[np.argsort(tails, kind="stable")]  # grouped by vertex
    degree = np.bincount(tails, minlength=n)
    linked = degree > 0
    starts = (np.cumsum(degree) - degree)[linked]
    bit = np.left_shift(np.uint64(1), np.arange(_WORD, dtype=np.uint64))
    sums: list[int] = []
    for first in range(0, len(sources), _WORD):
        batch = np.asarray(sources[first : first + _WORD], dtype=np.int64)
        frontier = np.zeros(n, dtype=np.uint64)
        frontier[batch] = bit[: len(batch)]
        seen = frontier.copy()
        total = np.zeros(_WORD, dtype=np.int64)
        level = 0
        while True:
            level += 1
            reached = np.zeros(n, dtype=np.uint64)
            if len(neighbours):
                reached[linked] = np.bitwise_or.reduceat(frontier[neighbours], starts)
            reached &= ~seen
            new = reached[reached != 0]
            if not len(new):
                break
            seen |= reached
            # Source j's bit is bit j % 8 of byte j // 8 of a word (its bytes little-endian).
            octets = new.astype("<u8").view(np.uint8).reshape(-1, 8)
            columns = np.unpackbits(octets, axis=1, bitorder="little")
            total += level * np.count_nonzero(columns, axis=0)
            frontier = reached
        sums.extend(int(t) for t in total[: len(batch)])
    return sums


class PathSearch:
    """Shortest-path metrics being computed (:func:`start_path_metrics`).

    Worker processes, if any, search while the caller goes on; :meth:`result` computes the
    closeness here and then waits for them. Use it as a context manager (or call
    :meth:`close`) so that workers are stopped if the caller fails before reading them.
    """

    def __init__(self, g: ig.Graph, wanted: set[str], workers: int | None) -> None:
        self._g = g
        self._wanted = wanted & {"betweenness", "closeness"}
        self._forest = _forest(g) if self._wanted else None
        self._shares: list[_Groups] = []
        self._processes: list[subprocess.Popen[bytes]] = []
        self._found: dict[str, list[float]] | None = None
        if "betweenness" in self._wanted:
            assert self._forest is not None
            by_weight: dict[int, list[int]] = {}
            for v in self._forest.core:
                by_weight.setdefault(self._forest.size[v], []).append(v)
            count = min(_workers(workers, g.vcount()), max(1, len(self._forest.core)))
            # Each share takes every count-th core vertex of each group: as many searches each.
            self._shares = [
                [(w, by_weight[w][i::count]) for w in sorted(by_weight) if by_weight[w][i::count]]
                for i in range(count)
            ]
            if count > 1:
                self._processes = _started(g, self._shares)

    def __enter__(self) -> PathSearch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop any worker still running (one whose answer was not read)."""
        for process in self._processes:
            if process.poll() is None:
                process.kill()
            process.wait()
        self._processes = []

    def result(self) -> dict[str, list[float]]:
        """The metrics asked for (see :func:`shortest_path_metrics`).

        Raises:
            MoikgError: A worker process failed, or was stopped (:meth:`close`) unread.
        """
        if self._found is not None:
            return self._found
        if self._forest is None:
            return {}
        found: dict[str, list[float]] = {}
        if "closeness" in self._wanted:
            found["closeness"] = _closeness(self._forest, distance_sums(self._g, self._forest.core))
        if "betweenness" in self._wanted:
            if self._processes:
                answers = _answers(self._processes)
                self._processes = []
            elif len(self._shares) == 1:
                answers = [_betweenness(self._g, self._shares[0])]
            else:
                raise MoikgError("the betweenness workers were stopped before they answered")
            searched = [sum(values) for values in zip(*answers, strict=True)]
            core = set(self._forest.core)
            counted = self._forest.counted
            found["betweenness"] = [
                searched[v] + counted[v] if v in core else counted[v] for v in range(len(counted))
            ]
        self._found = found
        return found


def _started(g: ig.Graph, shares: list[_Groups]) -> list[subprocess.Popen[bytes]]:
    """One worker process per share, each given its share (it starts searching at once)."""
    command = [sys.executable, "-c", _WORKER]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    edges = g.get_edgelist()
    processes = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        for _ in shares
    ]
    for process, share in zip(processes, shares, strict=True):
        assert process.stdin is not None
        pickle.dump((g.vcount(), edges, share), process.stdin)
        process.stdin.close()
    return processes


def _answers(processes: list[subprocess.Popen[bytes]]) -> list[list[float]]:
    answers = []
    try:
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


def start_path_metrics(g: ig.Graph, wanted: set[str], *, workers: int | None = None) -> PathSearch:
    """Start computing the shortest-path metrics; read them with :meth:`PathSearch.result`.

    Arguments as :func:`shortest_path_metrics`. Worker processes, if any, start searching at
    once: the caller can compute other things meanwhile.
    """
    return PathSearch(g, wanted, workers)


def shortest_path_metrics(
    g: ig.Graph, wanted: set[str], *, workers: int | None = None
) -> dict[str, list[float]]:
    """Unweighted betweenness (igraph's undirected counts) and closeness, exact.

    Args:
        g: An undirected simple graph; edge weights are not used.
        wanted: Which of ``betweenness`` and ``closeness`` to compute (others are ignored).
        workers: Processes for the betweenness searches; None uses every core from
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
    with start_path_metrics(g, wanted, workers=workers) as search:
        return search.result()


def _closeness(forest: _Forest, core_sums: list[int]) -> list[float]:
    """Closeness of every vertex from the core vertices' sums of distances (module docstring)."""
    n = len(forest.parent)
    closeness = [math.nan] * n
    distances = [0] * n  # each vertex's sum of distances to the others of its component
    for v, total in zip(forest.core, core_sums, strict=True):
        distances[v] = total
        if total:
            closeness[v] = (forest.component[v] - 1) / total
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
