"""moikg._forked: a function in a forked child, its text or its error handed back; no child left.

Each test that waits on a child is bounded: a hang fails after seconds.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import moikg.pipeline as pipeline
from moikg._forked import Forked, can_fork, forked
from moikg.errors import InputError

pytestmark = [
    pytest.mark.skipif(not can_fork(), reason="forks only on Linux with two cores or more"),
    pytest.mark.timeout(60),
]
ROOT = Path(__file__).resolve().parents[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_the_text_comes_from_another_process_and_can_be_large() -> None:
    with forked(lambda: f"{os.getpid()} " + "é" * 5_000_000) as job:
        text = job.result()
    pid, tail = text.split(" ", 1)
    assert int(pid) != os.getpid() and tail == "é" * 5_000_000


def test_an_error_is_raised_again_in_the_parent() -> None:
    def fail() -> str:
        raise InputError("graph/x.ttl:3:1: syntax error", path="graph/x.ttl")

    with forked(fail) as job, pytest.raises(InputError, match=r"graph/x\.ttl:3:1"):
        job.result()


def test_an_error_that_does_not_pickle_is_named() -> None:
    class Local(Exception):  # defined here: pickle cannot find it by name
        pass

    def fail() -> str:
        raise Local("no pickling")

    with forked(fail) as job, pytest.raises(RuntimeError, match="Local: no pickling"):
        job.result()


def test_a_child_that_dies_without_answering_is_an_error() -> None:
    with forked(lambda: str(os._exit(3))) as job, pytest.raises(RuntimeError, match="without"):
        job.result()


def test_leaving_the_block_early_kills_and_reaps_the_child() -> None:
    job = Forked(lambda: str(time.sleep(120)))
    pid = job._pid
    assert pid is not None and _alive(pid)
    job.stop()
    assert not _alive(pid)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_the_child_dies_with_its_parent(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from moikg._forked import Forked
        job = Forked(lambda: str(time.sleep(120)))
        print(job._pid, flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert _alive(child)
    finally:
        parent.kill()
        parent.wait(10)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def test_a_build_with_the_page_made_in_a_child_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "FORK_AT", 10**12)
    pipeline.build(ROOT / "graph", tmp_path / "inline")
    monkeypatch.setattr(pipeline, "FORK_AT", 0)
    pipeline.build(ROOT / "graph", tmp_path / "forked")
    for name in pipeline.OUTPUTS:
        assert filecmp.cmp(tmp_path / "inline" / name, tmp_path / "forked" / name, shallow=False)


def test_a_build_that_does_not_conform_stops_its_child_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moikg.errors import ConformanceError

    graph = tmp_path / "graph"
    graph.mkdir()
    for path in (ROOT / "graph").glob("*.ttl"):
        (graph / path.name).write_bytes(path.read_bytes())
    broken = graph / "broken.ttl"
    broken.write_text(
        "<https://w3id.org/moikg/id/org/nameless> a <http://www.w3.org/ns/org#Organization> .\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(pipeline, "FORK_AT", 0)  # the network page forked at once
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    before = set(children.read_text().split())  # servers other tests started, say
    with pytest.raises(ConformanceError):
        pipeline.build(graph, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    new = set(children.read_text().split()) - before
    assert [pid for pid in new if _alive(int(pid))] == []
