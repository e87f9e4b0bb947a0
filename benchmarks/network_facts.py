"""Time the network stage on a graph folder: facts, projections, the page, the analyse/render CLI.

Issue 10.6: facts for the projections at most 20 s at 1M triples; ``moikg render`` and
``moikg analyse`` of a 100k-triple graph at most 5 s each (CLI wall time, load included); all
metrics on 20k nodes at most 20 s on 2 cores (``--metrics 20000``: ``analyse`` of
``benchmarks/generate.py``'s actor network, seed 2, with its worker processes).

"page" is what ``moikg build``'s network page step does after reading the facts: the actor
projection's page (layout, metrics, data block, HTML), ``render_html(actor_graph(facts))``.

Each step is timed by the wall clock and by the CPU time it used (this process's, or the
child's for the CLI runs): on a shared machine the wall clock also counts the time spent
waiting for a core, so the load average is printed before and after. Prints one Markdown
table.

Run: ``python benchmarks/network_facts.py /tmp/gen/100k [/tmp/gen/1m …] [--no-cli]
[--metrics 20000]``. The library steps use only ``load_dataset``, ``fetch_facts``, the three
projections, ``render_html`` and ``analyse``, so the same script times an older checkout
(``PYTHONPATH=that/src``).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import moikg
from moikg.ingest.load import load_dataset
from moikg.network.analysis import analyse
from moikg.network.facts import fetch_facts
from moikg.network.page import render_html
from moikg.network.projection import actor_graph, bipartite_graph, organisation_graph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import actor_network


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _cli(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``moikg ARGS`` run as a child process, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "moikg", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=1800,
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(folder: Path, *, cli: bool) -> list[tuple[str, float, float, str]]:
    """Rows (step, wall s, CPU s, what) for one graph folder."""
    rows: list[tuple[str, float, float, str]] = []
    wall, cpu, dataset = _timed(lambda: load_dataset(folder))
    rows.append(("load", wall, cpu, ""))
    wall, cpu, facts = _timed(lambda: fetch_facts(dataset))
    rows.append(("facts", wall, cpu, f"{len(facts.actors)} actors, {len(facts.relations)} rel."))
    for build in (actor_graph, organisation_graph, bipartite_graph):
        wall, cpu, graph = _timed(lambda b=build: b(facts))  # type: ignore[misc]
        size = f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
        rows.append((build.__name__, wall, cpu, size))
    wall, cpu, html = _timed(lambda: render_html(actor_graph(facts)))
    rows.append(("page (build step after facts)", wall, cpu, f"{len(html) / 1e6:.1f} MB"))
    if cli:
        with tempfile.TemporaryDirectory() as work:
            page = str(Path(work) / "network.html")
            analyse = ["analyse", "--graph-dir", str(folder), "--format", "csv"]
            wall, cpu = _cli(analyse)
            rows.append(("moikg analyse (CLI)", wall, cpu, "--format csv"))
            wall, cpu = _cli(["render", "--graph-dir", str(folder), "-o", page])
            rows.append(("moikg render (CLI)", wall, cpu, ""))
    return rows


def metrics(nodes: int) -> tuple[str, float, float, str]:
    """All metrics of a generated actor network; CPU of this process and its workers."""
    graph = actor_network(nodes, seed=2)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu, analysis = _timed(lambda: analyse(graph))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    what = f"{len(analysis.metrics)} metrics; CPU {cpu:.2f} s here + {workers:.2f} s in workers"
    return f"all metrics, {nodes:,} nodes", wall, cpu + workers, what


def main() -> None:
    """Time each folder given and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="Graph folders (moikg generate).")
    parser.add_argument("--no-cli", action="store_true", help="Skip the analyse/render runs.")
    parser.add_argument("--metrics", type=int, default=0, help="Nodes of a metrics run (0: none).")
    args = parser.parse_args()
    print(f"moikg from {Path(moikg.__file__).parent}; {_load()}")
    print()
    print("| graph | step | wall s | CPU s | |")
    print("|---|---|---:|---:|---|")
    for folder in args.folders:
        for step, wall, cpu, what in measure(folder, cli=not args.no_cli):
            print(f"| {folder.name} | {step} | {wall:.2f} | {cpu:.2f} | {what} |", flush=True)
    if args.metrics:
        step, wall, cpu, what = metrics(args.metrics)
        print(f"| generated | {step} | {wall:.2f} | {cpu:.2f} | {what} |", flush=True)
    print()
    print(_load())


if __name__ == "__main__":
    main()
