"""All metrics of the 20k-node benchmark network (issue 10.6): wall time and CPU time.

``analyse`` on ``generate.actor_network(20_000, seed=2)`` (as ``run_stages.metrics_20k``),
timed by wall clock and by CPU time: this process's and its worker processes' (the searches
for betweenness), so that a run on a busy machine still tells the work done. With an output
path, the metric values are pickled there (a list per metric, nodes in IRI order), to compare
two versions of the code value for value. Asserts nothing.

Run: ``.venv/bin/python benchmarks/metrics_20k.py [OUT.pkl]``; for the code of another commit,
``git archive COMMIT src | tar -x -C /tmp/base`` and ``PYTHONPATH=/tmp/base/src`` before it.
"""

from __future__ import annotations

import os
import pickle
import resource
import sys
import time
from pathlib import Path

from generate import actor_network

import moikg
from moikg.network.analysis import analyse


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    """Time one analysis and print one line."""
    graph = actor_network(20_000, seed=2)
    load = os.getloadavg()[0]
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    analysis = analyse(graph)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = _children_cpu() - children
    if len(sys.argv) > 1:
        values = {m: [getattr(row, m) for row in analysis.nodes] for m in analysis.metrics}
        Path(sys.argv[1]).write_bytes(pickle.dumps(values))
    print(
        f"{Path(moikg.__file__).parent}: {wall:.2f} s wall; CPU {cpu:.2f} s (this process) "
        f"+ {children:.2f} s (workers) = {cpu + children:.2f} s; load average {load:.2f}"
    )


if __name__ == "__main__":
    main()
