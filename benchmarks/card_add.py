"""How long `moikg add` takes on the current graph, next to a plain `moikg validate`.

Runs on a throwaway copy of the project (ontology/ and graph/), so the repository is never
touched. Each step is timed ``--repeat`` times in one run and the median is reported, with its
ratio to validating the graph as it is (the floor: `add` validates the whole graph too).

    python benchmarks/card_add.py [--repeat 5] [--card tests/data/cards/<card>.yaml]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from moikg.cards.add import add_card, build_cards  # noqa: E402
from moikg.ingest.validation import validate_sources  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "cards" / "2024-05-01-example-agency-joins-moin.yaml"


def _median(repeat: int, step: Callable[[], object], reset: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        reset()
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Time the steps and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--card", type=Path, default=SAMPLE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        shutil.copytree(ROOT / "ontology", root / "ontology")
        shutil.copytree(ROOT / "graph", root / "graph")
        graph = root / "graph"
        ontology, shapes = root / "ontology" / "moi.ttl", root / "ontology" / "shapes.ttl"
        added = [graph / f"{args.card.stem}.ttl", graph / "cards" / f"{args.card.stem}.yaml"]

        def reset() -> None:
            for path in added:
                path.unlink(missing_ok=True)

        def add(dry_run: bool) -> Callable[[], object]:
            return lambda: add_card(
                args.card, graph_dir=graph, dry_run=dry_run, ontology=ontology, shapes=shapes
            )

        def cli() -> None:
            subprocess.run(
                [sys.executable, "-m", "moikg", "add", str(args.card), "--graph-dir", str(graph)],
                check=True,
                capture_output=True,
                env={"MOIKG_HOME": str(root), "PYTHONPATH": str(ROOT / "src"), "PATH": ""},
            )

        files = len(list(graph.glob("*.ttl")))

        def check_all() -> object:
            return build_cards(graph, check=True, ontology=ontology, shapes=shapes)

        def validate_all() -> object:
            return validate_sources(graph, ontology=ontology, shapes=shapes)

        steps: list[tuple[str, Callable[[], object]]] = [
            ("validate the graph as it is (library)", validate_all),
            ("add_card --dry-run (library)", add(True)),
            ("add_card, writing (library)", add(False)),
            ("moikg add, writing (new process)", cli),
            ("cards build --check (all cards)", check_all),
        ]
        rows = [(name, _median(args.repeat, step, reset)) for name, step in steps]
    base = rows[0][1]
    print(f"graph: {files} files; card: {args.card.name}; median of {args.repeat} runs")
    print(f"| {'step':<40} | {'seconds':>8} | {'× validate':>10} |")
    print(f"|{'-' * 42}|{'-' * 9}:|{'-' * 11}:|")
    for name, seconds in rows:
        print(f"| {name:<40} | {seconds:8.3f} | {seconds / base:10.2f} |")


if __name__ == "__main__":
    main()
