"""Where a build's time goes: each step of ``moikg.pipeline.build``, wall and CPU seconds.

The build reports each step as it starts (``progress``); this times the gaps. Used to explain
what a second build after one changed source would have to redo (issue 10.3): every step but
"ontology reference" reads the whole graph.

    python benchmarks/build_steps.py GRAPH_DIR [--out DIR]

Prints a Markdown table and the peak RSS; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from moikg.pipeline import build


def main() -> None:
    """Build once, timing each step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph_dir", type=Path)
    parser.add_argument("--out", type=Path, help="Output folder (default: a temporary one).")
    args = parser.parse_args()
    steps: list[tuple[str, float, float]] = []
    last = ["start", time.perf_counter(), time.process_time()]

    def step(name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        steps.append((str(last[0]), now - float(last[1]), cpu - float(last[2])))
        last[:] = [name, now, cpu]

    with tempfile.TemporaryDirectory() as tmp:
        build(args.graph_dir, args.out or Path(tmp) / "build", progress=step)
        step("end")
    print(f"load average before the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| step | wall s | CPU s |\n|---|---:|---:|")
    for name, wall, cpu in steps[1:]:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    total_wall = sum(s[1] for s in steps)
    total_cpu = sum(s[2] for s in steps)
    print(f"| **total** | **{total_wall:.2f}** | **{total_cpu:.2f}** |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
