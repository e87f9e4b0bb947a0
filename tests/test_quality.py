"""Quality gates: ruff (lint and format) and mypy, run as the developer runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Python code only: ruff would also reformat the code blocks of the Markdown docs.
_FORMATTED = ["src", "tests", "benchmarks", "notebooks"]


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", *_FORMATTED], ["mypy", "src"]],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_tool_passes(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
