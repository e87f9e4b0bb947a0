"""One huge source file beside the same triples in many files (issue 13, point 11).

A 2M-triple file once took more than 8 minutes and 10.8 GB before it was stopped. This
runs the same moikg command (``build`` by default) on generated sources twice, in fresh
processes, side by side in one run:

* ``many``: the generator's files as they are (one file per source);
* ``one``: every one of those files concatenated into a single Turtle file.

and prints wall time and peak RSS (``wait4``'s ``ru_maxrss`` of the child) with the ratio
one/many. Target: a single file needs no more than about the memory of many files
(not ten times).

    python benchmarks/one_file.py --triples 1000000 [--command validate]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MOIKG = [sys.executable, "-m", "moikg"]


def _run(command: list[str]) -> tuple[float, float, int]:
    """Run ``command``; return wall seconds, peak RSS in MB and the exit status."""
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0 and child.stderr is not None:
        sys.stderr.write(child.stderr.read().decode(errors="replace")[-2000:])
    return time.perf_counter() - began, usage.ru_maxrss / 1024, child.returncode


def main() -> int:
    """Generate, concatenate, run both, print the table; exit 1 if a run failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--command", choices=("build", "validate"), default="build")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="moikg-one-file-"))
    try:
        many = work / "many"
        generated = [*MOIKG, "generate", "--triples", str(args.triples), "--seed", str(args.seed)]
        subprocess.run([*generated, "-o", str(many), "--quiet"], check=True)
        one = work / "one"
        one.mkdir()
        with (one / "all.ttl").open("wb") as sink:
            for path in sorted(many.glob("*.ttl")):
                sink.write(path.read_bytes() + b"\n")
        size = (one / "all.ttl").stat().st_size / 2**20
        rows = []
        for name, folder in (("many", many), ("one", one)):
            command = [*MOIKG, args.command, "--graph-dir", str(folder)]
            if args.command == "build":
                command += ["--out", str(work / f"build-{name}")]
            seconds, peak, status = _run(command)
            files = len(list(folder.glob("*.ttl")))
            rows.append((name, files, seconds, peak, status))
        print(f"moikg {args.command}, {args.triples:,} generated triples (seed {args.seed}), "
              f"one file of {size:,.0f} MiB vs the same in many files\n")  # fmt: skip
        print("| files | count | wall s | peak RSS MB | exit |\n|---|---:|---:|---:|---:|")
        for name, files, seconds, peak, status in rows:
            print(f"| {name} | {files:,} | {seconds:.1f} | {peak:,.0f} | {status} |")
        (_, _, s_many, m_many, _), (_, _, s_one, m_one, _) = rows
        print(f"\nratio one/many: time {s_one / s_many:.2f}×, peak memory {m_one / m_many:.2f}×")
        return 0 if all(row[4] == 0 for row in rows) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
