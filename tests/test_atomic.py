"""Tests for moikg._atomic: a batch of outputs replaces its targets all together or not at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from moikg._atomic import atomic_outputs, write_text_atomic
from moikg.cards.synthetic import generate


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_batch_replaces_every_target_on_success(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    with atomic_outputs(tmp_path) as batch:
        batch.write_text("a.txt", "new a – ünïcode")
        batch.path("b.bin").write_bytes(b"\x00\x01")
        assert _listing(tmp_path)["a.txt"] == b"old a"  # nothing moves before the block ends
    assert _listing(tmp_path) == {"a.txt": "new a – ünïcode".encode(), "b.bin": b"\x00\x01"}


def test_a_failed_batch_leaves_earlier_outputs_and_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    with pytest.raises(RuntimeError, match="half way"), atomic_outputs(tmp_path) as batch:
        batch.write_text("a.txt", "new a")
        batch.write_text("b.txt", "new b")
        raise RuntimeError("half way")
    assert _listing(tmp_path) == {"a.txt": b"old a"}


def test_asking_twice_for_a_name_gives_the_same_temporary_file(tmp_path: Path) -> None:
    with atomic_outputs(tmp_path / "new") as batch:
        first = batch.path("x.txt")
        assert batch.path("x.txt") == first
        first.write_text("once", encoding="utf-8")
    assert _listing(tmp_path / "new") == {"x.txt": b"once"}


def test_write_text_atomic_creates_the_folder_and_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.txt"
    assert write_text_atomic(target, "first") == target
    write_text_atomic(target, "second\n")
    assert target.read_bytes() == b"second\n"
    assert _listing(target.parent) == {"file.txt": b"second\n"}
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True, timeout=30)  # fmt: skip
    return int(done.stdout)


def test_temporaries_of_a_dead_writer_go_those_of_a_live_one_stay(tmp_path: Path) -> None:
    """Issue 13 point 9: the next batch removes what a killed writer left, never a live one's."""
    dead = tmp_path / f".graph.trig.{_dead_pid()}.k3j2x9a1.tmp"
    live = tmp_path / f".graph.ttl.{os.getppid()}.q8w7e6r5.tmp"
    other = tmp_path / ".hidden-notes.txt"
    for path in (dead, live, other):
        path.write_text("x", encoding="utf-8")
    write_text_atomic(tmp_path / "summary.md", "new\n")
    assert not dead.exists()
    assert live.exists() and other.exists()
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == "new\n"


def test_sigkill_during_a_build_leaves_temporaries_the_next_build_removes(tmp_path: Path) -> None:
    """Issue 13 point 9, for real: kill -9 a build while it writes, then build again."""
    repo = Path(__file__).resolve().parents[1]
    graph, out = tmp_path / "graph", tmp_path / "build"
    generate(triples=20_000, seed=9, out_dir=graph)
    env = dict(os.environ, MOIKG_HOME=str(repo))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo / "src"), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "moikg", "build", "--graph-dir", str(graph), "--out", str(out)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    left: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None and not left:
        left = list(out.glob(".*.tmp")) if out.is_dir() else []
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert left, "the build ended before it wrote a temporary file"
    assert list(out.glob(".*.tmp"))  # the killed build could not clean up
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    assert not list(out.glob(".*.tmp"))
    assert (out / "graph.trig").is_file()
