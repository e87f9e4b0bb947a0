"""Shortest-path metrics of a simple undirected graph: betweenness and closeness, exact.

Both need a breadth-first search from every vertex, which is nearly all the time of
:func:`moikg.network.analysis.analyse` on a large network. igraph runs the searches
(Brandes 2001 for betweenness); this module splits them over worker processes by source
vertex. Workers are fresh interpreters (``python -c``), started
:func:`~moikg._headless.headless` and importing only igraph, so nothing depends on how the
caller's main module is written.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
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


def _workers(requested: int | None, n: int) -> int:
    if requested is not None:
        return max(1, requested)
    return (os.cpu_count() or 1) if n >= PARALLEL_FROM else 1


def _path_share(n: int, edges: list[tuple[int, int]], share: list[int]) -> dict[str, list[float]]:
    """One process's share: betweenness from ``share`` as sources, closeness of ``share``."""
    g = ig.Graph(n=n, edges=edges, directed=False)
    return {
        "betweenness": list(g.betweenness(directed=False, sources=share, targets=None)),
        "closeness": list(g.closeness(vertices=share, normalized=True)),
    }


def _path_worker() -> None:
    """Entry point of a worker process: read a pickled share on stdin, answer on stdout."""
    n, edges, share = pickle.load(sys.stdin.buffer)
    pickle.dump(_path_share(n, edges, share), sys.stdout.buffer)


def shortest_path_metrics(
    g: ig.Graph, wanted: set[str], *, workers: int | None = None
) -> dict[str, list[float]]:
    """Unweighted betweenness (raw igraph counts) and closeness, in one or more processes.

    With several workers each process takes every ``workers``-th vertex: the betweenness of
    paths from those sources (subset betweenness with every vertex a target; the shares add
    up to the full value, since each shortest path is counted once, from its source) and
    their closeness.

    Args:
        g: An undirected simple graph; edge weights are not used.
        wanted: Which of ``betweenness`` and ``closeness`` to compute (others are ignored).
        workers: Processes to use; None uses every core from :data:`PARALLEL_FROM`
            vertices on, else one.

    Returns:
        ``betweenness`` (igraph's undirected counts) and ``closeness`` (igraph's, normalised
        within each vertex's component) per vertex, for those wanted.

    Raises:
        MoikgError: A worker process failed.
    """
    n = g.vcount()
    count = _workers(workers, n)
    if count <= 1 or n == 0 or not wanted & {"betweenness", "closeness"}:
        found: dict[str, list[float]] = {}
        if "betweenness" in wanted:
            found["betweenness"] = list(g.betweenness(directed=False))
        if "closeness" in wanted:
            found["closeness"] = list(g.closeness(normalized=True))
        return found
    edges = g.get_edgelist()
    shares = [list(range(i, n, count)) for i in range(count)]
    command = [sys.executable, "-c", _WORKER]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    processes = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        for _ in shares
    ]
    answers = []
    try:
        for process, share in zip(processes, shares, strict=True):
            assert process.stdin is not None
            pickle.dump((n, edges, share), process.stdin)
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
    betweenness = [0.0] * n
    closeness = [0.0] * n
    for share, answer in zip(shares, answers, strict=True):
        betweenness = [a + b for a, b in zip(betweenness, answer["betweenness"], strict=True)]
        for vertex, value in zip(share, answer["closeness"], strict=True):
            closeness[vertex] = value
    return {"betweenness": betweenness, "closeness": closeness}
