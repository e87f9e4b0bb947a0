"""Issue 8, A8: every README code block that is meant to run, runs.

A block is meant to run when the line before its opening fence is ``<!-- runs: KIND … -->``:
``python`` blocks run in a fresh interpreter, ``card`` blocks are added with ``moikg add``; each
in its own copy of the project (``MOIKG_HOME``), never the repository's ``graph/``. Every
``yaml`` block of the README is a card and must be marked. Files written are read back with
pyoxigraph, a second reader.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_support import run_cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
MARK = re.compile(r"<!-- runs: (\w+)")


def _blocks() -> list[tuple[int, str, str | None, str]]:
    """(line, language, what the mark says runs it or None, body) of every fenced block."""
    found = []
    for match in FENCE.finditer(README):
        before = README[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = MARK.match(before.strip())
        line = README[: match.start()].count("\n") + 1
        found.append((line, match.group(1), mark.group(1) if mark else None, match.group(2)))
    return found


BLOCKS = _blocks()
RUNNABLE = [(line, kind, body) for line, _, kind, body in BLOCKS if kind is not None]


def test_the_readme_marks_its_runnable_blocks() -> None:
    assert {kind for _, kind, _ in RUNNABLE} == {"python", "card"}
    assert len(RUNNABLE) >= 3
    for line, language, kind, _ in BLOCKS:
        if language == "yaml":
            assert kind == "card", f"README.md:{line}: a yaml block is a card; mark it"
        if kind is not None:
            assert language == {"python": "python", "card": "yaml"}[kind], line


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for folder in ("ontology", "graph", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    monkeypatch.setenv("MOIKG_HOME", str(root))
    return root


@pytest.mark.parametrize(
    ("line", "kind", "body"), RUNNABLE, ids=[f"README.md:{line}" for line, _, _ in RUNNABLE]
)
def test_readme_block_runs(project: Path, line: int, kind: str, body: str) -> None:
    if kind == "python":
        env = {**os.environ, "MOIKG_HOME": str(project)}
        result = subprocess.run(
            [sys.executable, "-c", body],
            cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert result.returncode == 0, f"README.md:{line}:\n{result.stderr[-3000:]}"
        return
    card = project / "2024-05-01-example-agency.yaml"
    card.write_text(body, encoding="utf-8")
    code, stdout, stderr = run_cli("add", str(card))
    assert code == 0, f"README.md:{line}: {stdout}{stderr}"
    written = project / "graph" / "2024-05-01-example-agency.ttl"
    store = ox.Store()
    store.load(path=str(written), format=ox.RdfFormat.TURTLE)
    member = ox.NamedNode("https://w3id.org/moikg/id/org/example-agency")
    moin = ox.NamedNode("https://w3id.org/moikg/id/org/moin")
    has_member = ox.NamedNode("http://www.w3.org/ns/org#hasMember")
    assert list(store.quads_for_pattern(moin, has_member, member))
    assert (project / "graph" / "cards" / card.name).is_file()
