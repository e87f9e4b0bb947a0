"""Issue 13.2: writers to graph/ are serialised (an exclusive flock on the folder, bounded wait).

Before: two ``moikg add`` of conflicting cards started together both exited 0 and ``graph/`` then
failed validation; two cards with the same name from two folders both said "wrote" and one
was lost. Every test here runs real ``moikg`` processes, concurrently, on a copy of the project
(``MOIKG_HOME``), each bounded by a subprocess timeout; the graph is checked afterwards with
``moikg validate`` and ``moikg cards build --check`` in further processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_support import run_cli
from moikg.cards.add import add_card
from moikg.errors import InputError
from project_support import copy_project, folder_hash

ROOT = Path(__file__).resolve().parents[2]

# Two cards that each conform alone, but not together: the same agreement signed on two dates
# (SigningShape: one schema:startDate).
CARD = """\
source:
  url: https://example.org/news/{name}
  type: news-article
  issued: 2024-07-01
actors:
  iipp:
    name: IIPP
  ruritania-agency:
    kind: innovation-agency
    name: Ruritania Agency
    evidence: Ruritania Agency signed with IIPP.
  erika-example:
    kind: person
    name: Erika Example
    evidence: Erika Example signed for the agency.
places:
  example-city:
    name: Example City
    evidence: Signed in Example City.
agreements:
  ruritania-iipp-mou:
    kind: memorandum-of-understanding
    name: Memorandum of Understanding between Ruritania Agency and IIPP
    parties: [ruritania-agency, iipp]
    signing:
      name: Signing of the MOU
      date: {date}
      place: example-city
      signatories:
        - {{person: erika-example, on_behalf_of: ruritania-agency}}
      evidence: The agreement was signed on {date}.
"""

HOLD = """\
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    return root


def card(folder: Path, stem: str, name: str, date: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.yaml"
    path.write_text(CARD.format(name=name, date=date), encoding="utf-8")
    return path


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "moikg", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MOIKG_HOME": str(project)},
    )


def finish(process: subprocess.Popen[str], timeout: float = 240) -> tuple[int, str]:
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    assert "Traceback" not in stderr
    return process.returncode, stderr


def moikg(project: Path, *args: str) -> tuple[int, str]:
    return finish(start(project, *args), timeout=240)


@pytest.mark.timeout(300)
def test_two_conflicting_adds_at_once_one_wins_and_the_graph_conforms(
    project: Path, tmp_path: Path
) -> None:
    first = card(tmp_path, "2024-07-01-ruritania-a", "a", "2024-04-01")
    second = card(tmp_path, "2024-07-01-ruritania-b", "b", "2024-06-01")
    runs = [start(project, "add", str(path), "--lock-timeout", "200") for path in (first, second)]
    results = [finish(run) for run in runs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(stderr for code, stderr in results if code == 1)
    assert "not added: with it, the graph would not conform" in loser
    written = sorted(p.name for p in (project / "graph").glob("2024-07-01-ruritania-*.ttl"))
    assert len(written) == 1
    assert moikg(project, "validate")[0] == 0
    assert moikg(project, "cards", "build", "--check")[0] == 0


@pytest.mark.timeout(300)
def test_two_cards_of_the_same_name_at_once_lose_nothing(project: Path, tmp_path: Path) -> None:
    stem = "2024-07-01-ruritania"
    cards = [card(tmp_path / "one", stem, "one", "2024-04-01")]
    cards.append(card(tmp_path / "two", stem, "two", "2024-04-01"))
    runs = [start(project, "add", str(path), "--lock-timeout", "200") for path in cards]
    results = [finish(run) for run in runs]
    assert sorted(code for code, _ in results) == [0, 2], results
    winner = cards[[code for code, _ in results].index(0)]
    loser = next(stderr for code, stderr in results if code == 2)
    assert f"{stem}.ttl already exists" in loser and "--replace" in loser
    # The card kept is the one whose add said "wrote", and the Turtle file is made from it.
    kept = project / "graph" / "cards" / f"{stem}.yaml"
    assert kept.read_text(encoding="utf-8") == winner.read_text(encoding="utf-8")
    assert moikg(project, "cards", "build", "--check")[0] == 0
    assert moikg(project, "validate")[0] == 0


@pytest.mark.timeout(120)
def test_a_lock_held_too_long_is_refused_promptly_and_freed_when_its_holder_dies(
    project: Path, tmp_path: Path
) -> None:
    graph = project / "graph"
    path = card(tmp_path, "2024-07-01-ruritania-a", "a", "2024-04-01")
    before = folder_hash(graph)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(graph)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        for args in (("add", str(path)), ("cards", "build")):
            code, stderr = finish(start(project, *args, "--lock-timeout", "1"), timeout=60)
            assert code == 2, stderr
            [line] = stderr.strip().splitlines()
            assert line.startswith("error: ") and f"another writer (PID {holder.pid})" in line
            assert "waited 1 s" in line and "pass --lock-timeout <seconds>" in line
            assert folder_hash(graph) == before  # and the lock made no file in graph/
    finally:
        holder.kill()  # kill -9: the kernel drops the lock with its holder
        holder.wait(timeout=30)
    code, stderr = moikg(project, "add", str(path), "--lock-timeout", "5")
    assert code == 0, stderr
    assert (graph / "2024-07-01-ruritania-a.ttl").is_file()


@pytest.mark.timeout(120)
def test_a_writer_waits_for_the_lock_and_then_writes(project: Path, tmp_path: Path) -> None:
    graph = project / "graph"
    path = card(tmp_path, "2024-07-01-ruritania-a", "a", "2024-04-01")
    before = folder_hash(graph)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(graph)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        writer = start(project, "add", str(path), "--lock-timeout", "90")
        time.sleep(5)  # an unlocked add would have read the graph by now
        assert writer.poll() is None
        assert folder_hash(graph) == before
        assert holder.stdin is not None
        holder.stdin.write("release\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()
        holder.wait(timeout=30)
    code, stderr = finish(writer, timeout=90)
    assert code == 0, stderr
    assert (graph / "2024-07-01-ruritania-a.ttl").is_file()


def test_a_negative_lock_timeout_is_refused(project: Path, tmp_path: Path) -> None:
    path = card(tmp_path, "2024-07-01-ruritania-a", "a", "2024-04-01")
    with pytest.raises(InputError, match=r"lock_timeout=-1: .* 0 seconds or more") as caught:
        add_card(path, graph_dir=project / "graph", lock_timeout=-1)
    assert caught.value.parameter == "lock_timeout"
    code, _, stderr = run_cli(
        "add", str(path), "--graph-dir", str(project / "graph"), "--lock-timeout", "-1"
    )
    assert code == 2 and "--lock-timeout -1" in stderr and "lock_timeout" not in stderr
