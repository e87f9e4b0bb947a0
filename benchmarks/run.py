"""Benchmark every stage of moikg at several sizes, beside pyoxigraph and plain rdflib, in one run.

Issue 10 sets the targets; this prints one table and writes it, with the machine's details, into
its own section of ``benchmarks/results.md`` (between the ``run.py`` markers; the rest of the
file, written by hand and by the other scripts, is kept). Sources come from ``moikg generate``
(cached under ``benchmarks/.data/``). Each size runs in a child process of its own, so peak RSS
is per size; the build, the second build, ``add``, ``analyse`` and ``render`` run as CLI child
processes (start-up included) and their peak RSS is the child's (``os.wait4``).

Rows (``run_stages.py``): build (beside pyoxigraph's load and write of TriG, Turtle and JSON-LD,
and plain rdflib's parse and TriG write up to ``--rdflib-max``); a second build after one
source changed; ``moikg add`` of one new card (first, dry run, real); load (beside pyoxigraph's
bulk load); validate (beside pySHACL up to ``--pyshacl-max``, verdicts compared); each catalogue
query with its defaults and with values picked from the data (beside the same text on a plain
pyoxigraph store of the same layout, best of two runs each); facts and projection; analyse;
``moikg analyse`` and ``moikg render`` from the sources; the page's settle time in headless
Chromium; in a full run, all metrics of a generated 20k-node network. A row with a target says
met or missed.

Run: ``python benchmarks/run.py`` (full: 10k, 100k, 1M) or ``--quick`` (1k and 3k, under two
minutes; ``.ci/run`` runs it, and it writes nothing unless ``--out`` is given). Nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from run_stages import SEED, Row, generated, measure, metrics_20k

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
BEGIN = "<!-- benchmarks/run.py: begin (written by the script; edit elsewhere) -->"
END = "<!-- benchmarks/run.py: end -->"


def _machine(started: dt.datetime) -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = 0
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("moikg", "pyoxigraph", "rdflib", "pyshacl", "oxrdflib")
    )
    return [
        f"- date: {started:%Y-%m-%d %H:%M}–{dt.datetime.now(dt.UTC):%H:%M} UTC; load average at "
        f"the end {', '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)",
        f"- machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores "
        f"(shared with other work), {mem} MB RAM",
        f"- Python {platform.python_version()}; {versions}",
        f"- data: `moikg generate --seed {SEED}` at each size (benchmarks/.data/)",
        "- times are wall clock, one run each (queries: best of two); a query's target allows "
        "10 ms over 1.5× raw (moikg's fixed cost: preparing the text, a worker thread)",
        "- peak RSS: a CLI row's is that child's own (`VmHWM`); an in-process row's is the "
        "measuring process's peak so far (which also holds the reference stores)",
    ]


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "–"
    if unit == "s" and value < 0.1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def _ratio(value: float) -> str:
    """A ratio with two significant digits at most (0.027×, 0.9×, 5.9×, 115×)."""
    if value >= 10:
        return f"{value:.0f}×"
    return f"{value:.1f}×" if value >= 0.1 else f"{value:.2g}×"


def table(rows: list[Row]) -> str:
    """The Markdown table of all rows."""
    out = ["| stage | triples | moikg | peak RSS | reference (same run) | ratio | target | |",
           "|---|---:|---:|---:|---|---:|---|---|"]  # fmt: skip
    for r in rows:
        ratio = _ratio(r.seconds / r.reference_s) if r.seconds and r.reference_s else ""
        ref = f"{r.reference}: {_fmt(r.reference_s)}" if r.reference else ""
        verdict = "" if r.met is None else ("met" if r.met else "**missed**")
        rss = _fmt(r.rss_mb, "MB") if r.rss_mb else ""
        note = f" ({r.note})" if r.note else ""
        size = f"{r.size:,}" if r.size else ""
        out.append(
            f"| {r.stage}{note} | {size} | {_fmt(r.seconds)} | {rss} | {ref} | {ratio} "
            f"| {r.target} | {verdict} |"
        )
    return "\n".join(out)


def verdicts(rows: list[Row]) -> str:
    """One line per target: how many of its rows met it, and which missed."""
    targets: dict[str, list[Row]] = {}
    for row in rows:
        if row.met is not None:
            targets.setdefault(row.target, []).append(row)
    lines = []
    for target, judged in targets.items():
        missed = [r.stage for r in judged if not r.met]
        verdict = "met" if not missed else f"**missed** by {len(missed)} of {len(judged)}"
        which = f": {', '.join(missed)}" if missed else ""
        lines.append(f"- {target}: {verdict}{which}")
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace this script's section of ``path`` (between the markers), keeping the rest.

    Without markers yet, the section goes right after the file's first line (its title). The
    file is replaced atomically.
    """
    old = path.read_text(encoding="utf-8") if path.is_file() else "# moikg benchmarks\n"
    block = f"{BEGIN}\n{text.rstrip()}\n{END}"
    if BEGIN in old and END in old:
        before, rest = old.split(BEGIN, 1)
        new = before + block + rest.split(END, 1)[1]
    else:
        title, _, rest = old.partition("\n")
        new = f"{title}\n\n{block}\n{rest}"
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(new, encoding="utf-8")
    os.replace(temporary, path)


def _child_rows(command: list[str]) -> list[Row]:
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return [Row(**item) for item in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> None:
    """Run the benchmark and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 3k only (CI).")
    parser.add_argument("--sizes", type=int, nargs="*", help="Sizes in triples.")
    parser.add_argument(
        "--rdflib-max", type=int, default=1_000_000, help="Largest size for plain rdflib."
    )
    parser.add_argument(
        "--pyshacl-max", type=int, default=100_000, help="Largest size for pySHACL."
    )
    parser.add_argument("--no-chromium", action="store_true", help="Skip the page settle time.")
    parser.add_argument("--no-metrics", action="store_true", help="Skip the 20k-node metrics.")
    parser.add_argument("--out", type=Path, help="Where to write the table (full run: results.md).")
    parser.add_argument(
        "--query-cap", type=float, default=20.0,
        help="Skip a catalogue query at larger sizes once it took longer than this (seconds).",
    )  # fmt: skip
    parser.add_argument("--skip", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--metrics-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child or args.metrics_child:
        os.environ["BENCH_RDFLIB_MAX"] = str(args.rdflib_max)
        rows = (
            [metrics_20k()]
            if args.metrics_child
            else measure(
                args.child, chromium=not args.no_chromium, skip=json.loads(args.skip),
                pyshacl_max=args.pyshacl_max,
            )
        )  # fmt: skip
        print(json.dumps([asdict(r) for r in rows]))
        return
    sizes = args.sizes or ([1_000, 3_000] if args.quick else [10_000, 100_000, 1_000_000])
    base = [sys.executable, __file__, "--rdflib-max", str(args.rdflib_max)]
    base += ["--pyshacl-max", str(args.pyshacl_max)] + ["--no-chromium"] * args.no_chromium
    rows: list[Row] = []
    started = dt.datetime.now(dt.UTC)
    for size in sizes:
        generated(size)
        slow = {
            r.stage: r.note or f"skipped: {r.seconds:.0f} s at {r.size:,}"
            for r in rows
            if r.stage.startswith("query ")
            and (r.note.startswith("skipped") or (r.seconds or 0) > args.query_cap)
        }
        rows += _child_rows([*base, "--child", str(size), "--skip", json.dumps(slow)])
        print(table([r for r in rows if r.size == size]), flush=True)
    if not args.quick and not args.no_metrics:
        rows += _child_rows([*base, "--metrics-child"])
    text = "\n\n".join(
        ["## One run of `benchmarks/run.py`", "\n".join(_machine(started)),
         "### Targets", verdicts(rows), "### Every stage", table(rows)]
    )  # fmt: skip
    out = args.out or (None if args.quick else RESULTS)
    if out is not None:
        write_section(out, text)
    print(f"\n{text}" if out is None else f"wrote {out}")


if __name__ == "__main__":
    main()
