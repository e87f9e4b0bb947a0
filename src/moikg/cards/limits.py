"""Bounds on a card, checked before any Python object is built from it (issue 13.1).

YAML anchors and aliases let a few hundred bytes expand into billions of nodes (the
"billion laughs"): nine levels of nine aliases each. The committed cards use anchors
for evidence quoted more than once, so aliases stay allowed; instead the card is
bounded:

* its file size, before it is read (:data:`MAX_CARD_BYTES`);
* the number of nodes it expands to, every alias counted as a full copy of what it
  names (:data:`MAX_CARD_NODES`), and its nesting depth (:data:`MAX_CARD_DEPTH`),
  both computed on the composed node graph (PyYAML's composer makes every alias the
  very node its anchor names, so the graph is a DAG, or holds a cycle for a recursive
  anchor). Each node's expanded size and height are memoised by identity, so the walk
  is linear in the size of the text, whatever the expansion.

The reader (:mod:`moikg.cards.read`) calls these; a card over a bound is refused with a
:class:`~moikg.errors.CardError` naming the file and the line of the offending node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml

from moikg._paths import display_path
from moikg.errors import CardError

__all__ = ["MAX_CARD_BYTES", "MAX_CARD_DEPTH", "MAX_CARD_NODES", "check_file_size", "check_nodes"]

MAX_CARD_BYTES: Final = 5 * 1024 * 1024
"""Largest card file read (5 MiB; the committed cards are under 50 kB)."""

MAX_CARD_NODES: Final = 100_000
"""Most YAML nodes a card may expand to, aliases expanded (the committed cards: under 3,000)."""

MAX_CARD_DEPTH: Final = 50
"""Deepest nesting of mappings and sequences in a card (the schema needs 7)."""


def check_file_size(path: Path, size: int) -> None:
    """Refuse a card file larger than :data:`MAX_CARD_BYTES`.

    Args:
        path: The card file.
        size: Its size in bytes.

    Raises:
        CardError: The file is too large.
    """
    if size > MAX_CARD_BYTES:
        raise CardError(
            f"{display_path(path)}: the card is {size:,} bytes, over the limit of "
            f"{MAX_CARD_BYTES:,} bytes; a card describes one source document: split it",
            path=str(path),
        )


def check_nodes(path: Path, root: yaml.Node) -> None:
    """Refuse a composed card that expands to too many nodes or nests too deeply.

    Args:
        path: The card file (for messages).
        root: The composed YAML document (``yaml.compose``), not yet constructed.

    Raises:
        CardError: The card is over :data:`MAX_CARD_NODES` or :data:`MAX_CARD_DEPTH`; the
            message names the line of the smallest node over the bound.
    """
    known: dict[int, tuple[int, int]] = {}  # id(node) → (expanded size, height)

    def too_deep(node: yaml.Node) -> CardError:
        line = node.start_mark.line + 1
        return CardError(
            f"{display_path(path)}:{line}: the card nests deeper than {MAX_CARD_DEPTH} "
            "levels (or an anchor holds an alias of itself); a card has no use for this",
            path=str(path),
            line=line,
        )

    def walk(node: yaml.Node, level: int) -> tuple[int, int]:
        if level > MAX_CARD_DEPTH:
            raise too_deep(node)
        seen = known.get(id(node))
        if seen is not None:
            if level + seen[1] - 1 > MAX_CARD_DEPTH:
                raise too_deep(node)
            return seen
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        total, height = 1, 1
        for child in children:
            child_size, child_height = walk(child, level + 1)
            total += child_size
            height = max(height, child_height + 1)
        if total > MAX_CARD_NODES:
            line = node.start_mark.line + 1
            raise CardError(
                f"{display_path(path)}:{line}: the card expands to more than "
                f"{MAX_CARD_NODES:,} YAML nodes once its aliases (*name) are replaced by what "
                "they name (a 'billion laughs' alias bomb?); a card has no need for this",
                path=str(path),
                line=line,
            )
        known[id(node)] = (total, height)
        return total, height

    walk(root, 1)
