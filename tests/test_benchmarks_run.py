"""benchmarks/run.py writes its own section of results.md and keeps the rest of the file."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = importlib.import_module("run")
    yield module
    sys.modules.pop("run", None)
    sys.modules.pop("run_stages", None)


def test_the_first_write_goes_after_the_title_and_keeps_the_rest(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    results = tmp_path / "results.md"
    results.write_text("# moikg benchmarks\n\n## By hand\n\nkept\n", encoding="utf-8")
    run.write_section(results, "## One run\n\n| a |")
    text = results.read_text(encoding="utf-8")
    assert text.startswith(f"# moikg benchmarks\n\n{run.BEGIN}\n## One run\n\n| a |\n{run.END}\n")
    assert text.endswith("## By hand\n\nkept\n")


def test_a_second_write_replaces_only_its_section(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    results = tmp_path / "results.md"
    results.write_text("# T\n\nbefore\n", encoding="utf-8")
    run.write_section(results, "old table")
    with results.open("a", encoding="utf-8") as handle:
        handle.write("\n## Written after\n")
    run.write_section(results, "new table")
    text = results.read_text(encoding="utf-8")
    assert "old table" not in text
    assert text.count(run.BEGIN) == 1
    assert text.count("new table") == 1
    assert text.endswith("before\n\n## Written after\n")
    assert not list(tmp_path.glob(".*.tmp"))


def test_verdicts_name_each_missed_row(run) -> None:  # type: ignore[no-untyped-def]
    rows = [
        run.Row("query a", 10, 1.0, target="≤ 2 s", met=True),
        run.Row("query b", 10, 3.0, target="≤ 2 s", met=False),
        run.Row("build", 10, 9.0, target="≤ 120 s", met=True),
        run.Row("load", 10, 0.1),
    ]
    assert run.verdicts(rows).splitlines() == [
        "- ≤ 2 s: **missed** by 1 of 2: query b",
        "- ≤ 120 s: met",
    ]
