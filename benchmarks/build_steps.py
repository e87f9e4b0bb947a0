"""Where a build's time goes: each step of ``moikg.pipeline.build``, wall and CPU seconds.

The build reports each step as it starts (``progress``); this times the gaps. With
``--second``, the graph folder is copied, built, one source revised (its title, as
``run.py``'s second-build row does) and built again into the same folder: both builds' steps
side by side, and what the second one reused (issue 10.3).

    python benchmarks/build_steps.py GRAPH_DIR [--out DIR] [--second]

Prints a Markdown table and the peak RSS; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from run_stages import revise_one_source

from moikg.pipeline import BuildResult, build

Steps = list[tuple[str, float, float]]


def _timed_build(graph_dir: Path, out: Path) -> tuple[Steps, BuildResult]:
    steps: Steps = []
    last = ["start", time.perf_counter(), time.process_time()]

    def step(name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        steps.append((str(last[0]), now - float(last[1]), cpu - float(last[2])))
        last[:] = [name, now, cpu]

    result = build(graph_dir, out, progress=step)
    step("end")
    return steps[1:], result


def main() -> None:
    """Build once (or twice, with ``--second``), timing each step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph_dir", type=Path)
    parser.add_argument("--out", type=Path, help="Output folder (default: a temporary one).")
    parser.add_argument("--second", action="store_true", help="Revise one source, build again.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "build"
        graph_dir = args.graph_dir
        if args.second:
            graph_dir = Path(tmp) / "graph"
            shutil.copytree(args.graph_dir, graph_dir)
        runs = [("build", *_timed_build(graph_dir, out))]
        if args.second:
            revise_one_source(graph_dir)
            runs.append(("second build", *_timed_build(graph_dir, out)))
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    header = " | ".join(f"{name} wall s | {name} CPU s" for name, _, _ in runs)
    print(f"| step | {header} |\n|---|" + "---:|---:|" * len(runs))
    for i, (step_name, _, _) in enumerate(runs[0][1]):
        cells = " | ".join(f"{steps[i][1]:.2f} | {steps[i][2]:.2f}" for _, steps, _ in runs)
        print(f"| {step_name} | {cells} |")
    totals = " | ".join(
        f"**{sum(s[1] for s in steps):.2f}** | **{sum(s[2] for s in steps):.2f}**"
        for _, steps, _ in runs
    )
    print(f"| **total** | {totals} |")
    for name, _, result in runs[1:]:
        print(
            f"\n{name}: {result.reused} graphs' statements reused; focus nodes validated "
            f"again: {'all' if result.revalidated is None else result.revalidated}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
