"""Issue 13.1: a card is bounded (file size, nodes with aliases expanded, depth) before it is built.

Before: nine levels of nine aliases (a "billion laughs" in under 1 kB) made ``moikg add`` grow to
1.9 GB in 20 s and never end. Now it is refused within seconds, exit 2, ``graph/`` unchanged.
The committed cards, which use anchors for evidence quoted twice, still read.

The expected sizes below are computed here from the YAML text by a separate count (PyYAML's
BaseLoader builds the expanded objects of the small cards), not by the code under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from moikg.cards.limits import MAX_CARD_DEPTH, MAX_CARD_NODES
from moikg.cards.read import read_card
from moikg.errors import CardError
from project_support import copy_project, folder_hash

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "graph" / "cards"


def bomb(levels: int = 9) -> str:
    """The billion laughs: each level a list of nine aliases of the level before."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for level in range(1, levels):
        name, previous = names[level], names[level - 1]
        lines.append(f"{name}: &{name} [{','.join(f'*{previous}' for _ in range(9))}]")
    return "source:\n  url: https://example.org/x\n  type: web-page\n" + "\n".join(lines) + "\n"


def expanded_nodes(value: Any) -> int:
    """Nodes of a plain Python value: one per scalar, list and mapping, plus one per key."""
    if isinstance(value, dict):
        return 1 + sum(1 + expanded_nodes(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(expanded_nodes(v) for v in value)
    return 1


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    return root


@pytest.mark.timeout(60)
def test_a_billion_laughs_is_refused_in_seconds_by_the_cli(project: Path, tmp_path: Path) -> None:
    card = tmp_path / "bomb.yaml"
    card.write_text(bomb(9), encoding="utf-8")
    assert card.stat().st_size < 1000
    before = folder_hash(project / "graph")
    done = subprocess.run(
        [sys.executable, "-m", "moikg", "add", str(card)],
        capture_output=True,
        text=True,
        timeout=30,  # a hang is a failure, not a stuck suite
        env={**os.environ, "MOIKG_HOME": str(project)},
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "bomb.yaml:" in line and f"more than {MAX_CARD_NODES:,} YAML nodes" in line
    assert folder_hash(project / "graph") == before


@pytest.mark.timeout(20)
def test_the_offending_node_is_named_by_line(tmp_path: Path) -> None:
    card = tmp_path / "bomb.yaml"
    text = bomb(9)
    card.write_text(text, encoding="utf-8")
    with pytest.raises(CardError) as caught:
        read_card(card)
    # 9**k scalars under level k: level 6 (9**6 = 531,441) is the first over 100,000; level 5
    # (59,049 plus its lists) is not.
    expected = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("f:"))
    assert caught.value.line == expected
    assert str(caught.value).startswith(f"{card}:{expected}: ") or f"bomb.yaml:{expected}:" in str(
        caught.value
    )


def test_a_small_alias_expansion_under_the_bound_is_read(tmp_path: Path) -> None:
    # Four levels: 9**4 = 6,561 scalars, well under the bound: aliases as such are fine (the
    # card then fails the schema on its unknown fields, which proves it was built).
    card = tmp_path / "small.yaml"
    card.write_text(bomb(4), encoding="utf-8")
    expected = expanded_nodes(yaml.load(card.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))
    assert 6561 < expected < MAX_CARD_NODES
    with pytest.raises(CardError, match="unknown field"):
        read_card(card)


@pytest.mark.parametrize("card", sorted(CARDS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_committed_card_is_well_under_the_bounds(card: Path) -> None:
    text = card.read_text(encoding="utf-8")
    assert expanded_nodes(yaml.load(text, Loader=yaml.BaseLoader)) < MAX_CARD_NODES // 10
    assert read_card(card).data  # anchors and aliases in committed cards still read


@pytest.mark.timeout(20)
def test_nesting_deeper_than_the_bound_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("source: " + "[" * (MAX_CARD_DEPTH + 5) + "]" * (MAX_CARD_DEPTH + 5) + "\n")
    with pytest.raises(CardError, match=f"deeper than {MAX_CARD_DEPTH} levels"):
        read_card(deep)
    # Far deeper than Python's recursion limit: still one clean error.
    abyss = tmp_path / "abyss.yaml"
    abyss.write_text("source: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(CardError, match="deeper than"):
        read_card(abyss)


@pytest.mark.timeout(20)
def test_an_anchor_holding_an_alias_of_itself_is_refused(tmp_path: Path) -> None:
    card = tmp_path / "loop.yaml"
    card.write_text("source: &a [*a]\n", encoding="utf-8")
    with pytest.raises(CardError, match="alias of itself") as caught:
        read_card(card)
    assert caught.value.line == 1


def test_a_card_file_over_the_byte_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    card = tmp_path / "huge.yaml"
    with card.open("w", encoding="utf-8") as handle:
        handle.write("source:\n  url: https://example.org/x\n# ")
        handle.write("x" * (6 * 1024 * 1024))
        handle.write("\n")
    with pytest.raises(CardError, match=r"over the limit of 5,242,880 bytes"):
        read_card(card)
