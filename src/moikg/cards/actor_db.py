"""The actors index of a large graph in an SQLite file beside its store, read entry by entry.

``moikg add`` resolves a card's few dozen actors against tens of thousands at a million
triples. Loading the whole index for that (and writing it whole after each add) is work in
proportion to the graph; here an add reads the entries its names and IRIs hit (indexed
lookups), and an accepted add rewrites only the entries of the card's subjects, in one
transaction that also records the store's new token (:attr:`GraphStore.token`). The file
holds a format number and that token; one that does not match, or cannot be read, is built
again from the store by the caller.

Tables: ``meta(name, value)``; ``entry(iri, category, record)``, the record as JSON
(:data:`moikg.cards.actor_index.Record`); ``name_key(category, key, iri)``, one row per folded
name.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from rdflib import URIRef

from moikg.cards.actor_index import Index, Record

__all__ = ["IndexFile", "open_index", "update_index", "write_index"]

_FORMAT: Final = "1"
_SCHEMA: Final = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entry (iri TEXT PRIMARY KEY, category TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE name_key (
    category TEXT NOT NULL, key TEXT NOT NULL, iri TEXT NOT NULL,
    PRIMARY KEY (category, key, iri)
) WITHOUT ROWID;
"""


def _encode(record: Record) -> str:
    category, types, labels, names, aliases, keys = record
    return json.dumps([category, types, labels, names, aliases, sorted(keys)], ensure_ascii=False)


def _decode(text: str) -> Record:
    category, types, labels, names, aliases, keys = json.loads(text)
    return (
        category,
        tuple(types),
        tuple((v, lang, dt) for v, lang, dt in labels),
        tuple((v, lang, dt) for v, lang, dt in names),
        tuple((v, lang, dt) for v, lang, dt in aliases),
        frozenset(keys),
    )


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" for _ in values)


class IndexFile(Index):
    """An :class:`~moikg.cards.actor_index.Index` whose entries are read from the file.

    Args:
        connection: The open file.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__()
        self._db = connection

    def _record(self, iri: str) -> Record | None:
        row = self._db.execute("SELECT record FROM entry WHERE iri = ?", (iri,)).fetchone()
        return _decode(row[0]) if row is not None else None

    def _iris(self, categories: Iterable[str], key: str) -> set[str]:
        wanted = tuple(categories)
        rows = self._db.execute(
            f"SELECT iri FROM name_key WHERE key = ? AND category IN ({_marks(wanted)})",
            (key, *wanted),
        )
        return {iri for (iri,) in rows}

    def _keys(self, categories: Iterable[str]) -> set[str]:
        wanted = tuple(categories)
        rows = self._db.execute(
            f"SELECT DISTINCT key FROM name_key WHERE category IN ({_marks(wanted)})", wanted
        )
        return {key for (key,) in rows}

    def iris(self, categories: Iterable[str] = ("org", "person", "place")) -> list[str]:
        """The IRIs of the entries of these categories, sorted (by code point, as Python)."""
        wanted = tuple(categories)
        rows = self._db.execute(
            f"SELECT iri FROM entry WHERE category IN ({_marks(wanted)})", wanted
        )
        return sorted(iri for (iri,) in rows)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM entry").fetchone()[0])

    def close(self) -> None:
        """Close the file."""
        self._db.close()


def _meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT name, value FROM meta").fetchall())


def open_index(path: Path, token: str) -> IndexFile | None:
    """The index in ``path`` if it was written for this store state (``token``), else None."""
    if not path.is_file():
        return None
    db: sqlite3.Connection | None = None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
        if _meta(db) == {"format": _FORMAT, "token": token}:
            return IndexFile(db)
    except sqlite3.Error:
        pass
    if db is not None:
        db.close()
    return None


def _insert(db: sqlite3.Connection, iri: str, record: Record) -> None:
    db.execute("INSERT INTO entry VALUES (?, ?, ?)", (iri, record[0], _encode(record)))
    db.executemany(
        "INSERT INTO name_key VALUES (?, ?, ?)", [(record[0], key, iri) for key in record[5]]
    )


def write_index(path: Path, token: str, index: Index) -> None:
    """Write ``index`` (all of it) to ``path`` for this store state, replacing the file whole."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary, isolation_level=None)
    try:
        db.executescript(_SCHEMA)
        db.execute("BEGIN")
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", _FORMAT), ("token", token)])
        for iri in index.iris():
            record = index.record(iri)
            assert record is not None
            _insert(db, iri, record)
        db.execute("COMMIT")
    finally:
        db.close()
    os.replace(temporary, path)


def update_index(path: Path, token: str, iris: Iterable[URIRef], other: Index) -> None:
    """Replace the entries of ``iris`` in the file with ``other``'s (or drop them); new token.

    One transaction: a reader sees the old index or the new one.
    """
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        for iri in map(str, iris):
            row = db.execute("SELECT record FROM entry WHERE iri = ?", (iri,)).fetchone()
            if row is not None:
                old = _decode(row[0])
                db.execute("DELETE FROM entry WHERE iri = ?", (iri,))
                db.executemany(
                    "DELETE FROM name_key WHERE category = ? AND key = ? AND iri = ?",
                    [(old[0], key, iri) for key in old[5]],
                )
            record = other.record(iri)
            if record is not None:
                _insert(db, iri, record)
        db.execute("UPDATE meta SET value = ? WHERE name = 'token'", (token,))
        db.execute("COMMIT")
    finally:
        db.close()
