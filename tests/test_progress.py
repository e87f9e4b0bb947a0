"""Progress bars: drawn on a terminal (a real pseudo-terminal), absent when piped or --quiet."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from moikg import _paths

SRC = Path(__file__).resolve().parents[1] / "src"


def _on_terminal(args: list[str], cwd: Path, timeout: float = 240) -> tuple[int, str]:
    """Run ``moikg ARGS`` with stdout and stderr on a pseudo-terminal; return exit and output."""
    primary, secondary = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(SRC), COLUMNS="120", TERM="xterm")
    env.pop("NO_COLOR", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "moikg", *args], cwd=cwd, env=env,
        stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True,
    )  # fmt: skip
    os.close(secondary)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 0.2)
            if ready:
                try:
                    data = os.read(primary, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif child.poll() is not None:
                break
        code = child.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
        os.close(primary)
    return code, b"".join(chunks).decode("utf-8", errors="replace")


def _piped(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run(
        [sys.executable, "-m", "moikg", *args], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip


@pytest.mark.timeout(600)
def test_build_shows_its_steps_on_a_terminal_only(tmp_path: Path) -> None:
    graph = str(_paths.graph_dir())
    code, shown = _on_terminal(
        ["build", "--graph-dir", graph, "--out", str(tmp_path / "a")], tmp_path
    )
    assert code == 0, shown
    assert "building: validating" in shown and "building: network page" in shown
    assert "wrote" in shown  # the bar is transient; the report stays
    code, shown = _on_terminal(
        ["build", "--graph-dir", graph, "--out", str(tmp_path / "b"), "--quiet"], tmp_path
    )
    assert code == 0, shown
    assert "building:" not in shown and "wrote" in shown
    done = _piped(["build", "--graph-dir", graph, "--out", str(tmp_path / "c")], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "building:" not in done.stderr + done.stdout
    assert (tmp_path / "a" / "graph.trig").read_bytes() == (
        tmp_path / "c" / "graph.trig"
    ).read_bytes()


@pytest.mark.timeout(300)
def test_generate_shows_a_bar_on_a_terminal_only(tmp_path: Path) -> None:
    args = ["generate", "--triples", "3000", "--seed", "2"]
    code, shown = _on_terminal([*args, "-o", str(tmp_path / "a")], tmp_path)
    assert code == 0, shown
    assert "generating" in shown
    done = _piped([*args, "-o", str(tmp_path / "b")], tmp_path)
    assert done.returncode == 0 and "generating" not in done.stderr
    code, shown = _on_terminal([*args, "-o", str(tmp_path / "c"), "--quiet"], tmp_path)
    assert code == 0 and "generating" not in shown


@pytest.mark.timeout(300)
def test_add_shows_its_steps_on_a_terminal_only(tmp_path: Path) -> None:
    card = str(next(iter(sorted((_paths.graph_dir() / "cards").glob("*.yaml")))))
    args = ["add", card, "--dry-run"]
    code, shown = _on_terminal(args, _paths.graph_dir().parent)
    assert code == 0, shown
    assert "adding: converting and validating" in shown and "would write" in shown
    done = _piped(args, _paths.graph_dir().parent)
    assert done.returncode == 0, done.stderr
    assert "adding:" not in done.stderr and "would write" in done.stderr
    code, shown = _on_terminal([*args, "--quiet"], _paths.graph_dir().parent)
    assert code == 0 and "adding:" not in shown
