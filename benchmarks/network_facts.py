"""Time the network stage on a graph folder: facts, projections, and the analyse/render CLI.

Issue 10.6: facts for the projections at most 20 s at 1M triples; ``moikg render`` and
``moikg analyse`` of a 100k-triple graph at most 5 s each (CLI wall time, load included).

Each step is timed by the wall clock and by the CPU time it used (this process's, or the
child's for the CLI runs): on a shared machine the wall clock also counts the time spent
waiting for a core, so the load average is printed before and after. Prints one Markdown
table.

Run: ``python benchmarks/network_facts.py /tmp/gen/100k [/tmp/gen/1m …] [--no-cli]``. The
library steps use only ``load_dataset``, ``fetch_facts`` and the three projections, so the
same script times an older checkout (``PYTHONPATH=that/src``).
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
from moikg.network.facts import fetch_facts
from moikg.network.projection import actor_graph, bipartite_graph, organisation_graph


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
    if cli:
        with tempfile.TemporaryDirectory() as work:
            page = str(Path(work) / "network.html")
            analyse = ["analyse", "--graph-dir", str(folder), "--format", "csv"]
            wall, cpu = _cli(analyse)
            rows.append(("moikg analyse (CLI)", wall, cpu, "--format csv"))
            wall, cpu = _cli(["render", "--graph-dir", str(folder), "-o", page])
            rows.append(("moikg render (CLI)", wall, cpu, ""))
    return rows


def main() -> None:
    """Time each folder given and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="Graph folders (moikg generate).")
    parser.add_argument("--no-cli", action="store_true", help="Skip the analyse/render runs.")
    args = parser.parse_args()
    print(f"moikg from {Path(moikg.__file__).parent}; {_load()}")
    print()
    print("| graph | step | wall s | CPU s | |")
    print("|---|---|---:|---:|---|")
    for folder in args.folders:
        for step, wall, cpu, what in measure(folder, cli=not args.no_cli):
            print(f"| {folder.name} | {step} | {wall:.2f} | {cpu:.2f} | {what} |", flush=True)
    print()
    print(_load())


if __name__ == "__main__":
    main()
