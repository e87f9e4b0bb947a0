"""summary.md and dataset.ttl: this tree beside an earlier revision, on one loaded dataset.

Times ``render_markdown(summarise(...))`` and the text of ``dataset.ttl`` (a revision's
``describe_dataset(...).serialize(format="turtle")``, or its ``dataset_turtle`` when it has one),
each the revision's and this tree's, in the same process on the same dataset, and says whether
the texts are byte-identical (issue 10.3: both are whole-graph steps of every build).

    python benchmarks/summary_describe.py GRAPH_DIR [--rev REV] [--repeat N]

Prints a Markdown table (wall and CPU seconds, best of N, load average); asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from moikg.ingest import describe, summary
from moikg.ingest.counts import graph_counts
from moikg.ingest.load import load_dataset, sources

ROOT = Path(__file__).resolve().parents[1]


def _module_at(rev: str, path: str, folder: Path) -> ModuleType:
    """The module ``path`` as it is at ``rev``, imported under another name."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    name = "before_" + Path(path).stem
    file = folder / f"{name}.py"
    file.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _best(run: Callable[[], str], repeat: int) -> tuple[float, float, str]:
    """Best wall and CPU seconds of ``repeat`` runs, and the text."""
    times = []
    text = ""
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        text = run()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(t[0] for t in times), min(t[1] for t in times), text


def _turtle(module: ModuleType) -> Callable[..., str]:
    if hasattr(module, "dataset_turtle"):
        return module.dataset_turtle  # type: ignore[no-any-return]
    return lambda dataset, counts: module.describe_dataset(dataset, counts=counts).serialize(
        format="turtle"
    )


def main() -> None:
    """Load once; time each step, the revision's then this tree's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph_dir", type=Path)
    parser.add_argument("--rev", default="ddee158", help="Revision to compare with.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each (best is shown).")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1796000000")  # dataset.ttl's date, fixed
    wall = time.perf_counter()
    dataset = load_dataset(files=list(sources(args.graph_dir).values()))
    counts = graph_counts(dataset)
    print(f"loaded {args.graph_dir} in {time.perf_counter() - wall:.1f} s\n")
    with tempfile.TemporaryDirectory() as tmp:
        before = {
            "summary": _module_at(args.rev, "src/moikg/ingest/summary.py", Path(tmp)),
            "describe": _module_at(args.rev, "src/moikg/ingest/describe.py", Path(tmp)),
        }
    now = {"summary": summary, "describe": describe}
    print(f"| step | {args.rev} wall s | CPU s | now wall s | CPU s | same text | load |")
    print("|---|---:|---:|---:|---:|---|---|")
    for step, key in (("summary.md", "summary"), ("dataset.ttl", "describe")):
        results = []
        for modules in (before, now):
            module = modules[key]
            if key == "summary":
                run = lambda m=module: m.render_markdown(m.summarise(dataset, counts=counts))  # noqa: E731
            else:
                run = lambda m=module: _turtle(m)(dataset, counts=counts)  # noqa: E731
            results.append(_best(run, args.repeat))
        (w0, c0, t0), (w1, c1, t1) = results
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"| {step} | {w0:.2f} | {c0:.2f} | {w1:.2f} | {c1:.2f} | {t0 == t1} | {load} |")


if __name__ == "__main__":
    main()
