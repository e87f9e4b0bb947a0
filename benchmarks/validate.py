"""Time `validate` with each engine on a graph folder: the SPARQL translation and pySHACL.

    python benchmarks/validate.py /tmp/gen/100k [--engine sparql pyshacl] [--repeat 1]

Prints one row per engine: load time, validate time (median of ``--repeat``), results, and the
ratio to the SPARQL engine. The load (Turtle into Oxigraph) is not part of validate's time.
Run it under ``timeout`` and a memory cap at 1M (pySHACL copies the store into rdflib memory).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from moikg.ingest.load import load_dataset  # noqa: E402
from moikg.ingest.validation import validate  # noqa: E402


def main() -> None:
    """Load the folder once, validate with each engine, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--engine", nargs="+", default=["sparql", "pyshacl"])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    dataset = load_dataset(files=sorted(args.folder.glob("*.ttl")))
    loaded = time.perf_counter() - start
    print(f"{args.folder}: {len(dataset.store._inner)} quads loaded in {loaded:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| engine | validate (s) | results | ratio to sparql |")
    print("|---|---:|---:|---:|")
    first: float | None = None
    for engine in args.engine:
        times, count = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = validate(dataset, engine=engine)
            times.append(time.perf_counter() - start)
            count = len(report.violations)
        median = statistics.median(times)
        first = first or median
        print(f"| {engine} | {median:.2f} | {count} | {median / first:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
