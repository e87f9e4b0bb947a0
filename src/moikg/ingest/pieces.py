"""Write TriG, Turtle and JSON-LD from pieces, serialising again only the pieces that changed.

Oxigraph's writers are piecewise: TriG is a prefix head, then one block per named graph; the
Turtle of the merge is the head, then one run of statements per subject, and its JSON-LD one
node object per subject, joined by commas. Cut at subject boundaries, the merge serialises
chunk by chunk into the same bytes (``tests/ingest/test_pieces.py`` checks it). So a build
keeps, beside its record (:mod:`moikg.ingest.build_cache`), a copy of each output and the
byte range of every piece in it (:class:`Layout`): a graph's block, keyed by its lines'
digest; the merge's chunks, each the subjects from one start key to the next. The next build
copies the pieces whose statements did not change and serialises the others: a graph taken
afresh, a chunk holding a line that came or went. New prefixes, or no usable copy, serialise
everything.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from moikg.ingest.export import Snapshot, jsonld_document

__all__ = ["Layout", "write_pieces"]

_TRIG: Final = ox.RdfFormat.TRIG
_TURTLE: Final = ox.RdfFormat.TURTLE
_JSONLD: Final = ox.RdfFormat.JSON_LD
_CHUNK: Final = 400
"""Statements per chunk of the merge, about (a chunk ends where a subject does)."""
_PROBE: Final = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode("urn:x"))

Span = tuple[int, int]


@dataclass(frozen=True)
class Layout:
    """Where each piece lies in a build's outputs (and in the record's copies of them).

    Attributes:
        prefixes: Digest of the prefixes the pieces were written with.
        graphs: Graph IRI → its lines' digest and its block's span in ``graph.trig``.
        starts: Each merge chunk's first line starts with this key (a subject and a space).
        turtle: Each chunk's span in ``graph.ttl``.
        jsonld: Each chunk's span in ``graph.jsonld`` (its node objects, no comma).
    """

    prefixes: str
    graphs: Mapping[str, tuple[str, Span]]
    starts: Sequence[str]
    turtle: Sequence[Span]
    jsonld: Sequence[Span]

    def to_json(self) -> dict[str, object]:
        """The layout as JSON values (for the record's manifest)."""
        return {
            "prefixes": self.prefixes,
            "graphs": {iri: [digest, *span] for iri, (digest, span) in self.graphs.items()},
            "starts": list(self.starts),
            "turtle": [list(s) for s in self.turtle],
            "jsonld": [list(s) for s in self.jsonld],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Layout:
        """Read :meth:`to_json`'s values back (raises on anything malformed)."""
        graphs = data["graphs"]
        assert isinstance(graphs, dict)
        return cls(
            prefixes=str(data["prefixes"]),
            graphs={str(i): (str(v[0]), (int(v[1]), int(v[2]))) for i, v in graphs.items()},
            starts=[str(s) for s in data["starts"]],  # type: ignore[attr-defined]
            turtle=[(int(a), int(b)) for a, b in data["turtle"]],  # type: ignore[attr-defined]
            jsonld=[(int(a), int(b)) for a, b in data["jsonld"]],  # type: ignore[attr-defined]
        )


@dataclass(frozen=True)
class Before:
    """The last build's pieces: its layout and its copies of the outputs, read whole."""

    layout: Layout
    trig: bytes
    turtle: bytes
    jsonld: bytes


def prefixes_digest(prefixes: Mapping[str, str]) -> str:
    """A digest of the prefixes (pieces written with other prefixes are not reused)."""
    return hashlib.sha256(json.dumps(sorted(prefixes.items())).encode()).hexdigest()


def write_pieces(
    taken: Snapshot,
    paths: Mapping[str, Path],
    *,
    digests: Mapping[str, str],
    before: Before | None = None,
    changed: Iterable[bytes] | None = None,
) -> Layout:
    """Write ``graph.trig``, ``graph.ttl`` and ``graph.jsonld``, reusing unchanged pieces.

    Args:
        taken: The snapshot to write.
        paths: ``graph.trig``, ``graph.ttl`` and ``graph.jsonld`` → the file to write each to.
        digests: Graph IRI → its lines' digest now (a block is reused when it is the same).
        before: The last build's pieces, or None (serialise everything).
        changed: Lines that came into or left some graph since then (their chunks are
            serialised again); None: every chunk.

    Returns:
        Where each piece now lies.
    """
    prefixes = prefixes_digest(taken.prefixes)
    usable = before if before is not None and before.layout.prefixes == prefixes else None
    trig_head = _head(taken.prefixes, _TRIG)
    blocks = _blocks(taken, digests, usable, trig_head)
    trig_spans = _write(paths["graph.trig"], trig_head, (b for _, b in blocks))
    graphs = {iri: (digests[iri], span) for (iri, _), span in zip(blocks, trig_spans, strict=True)}
    merge = taken.merge
    if usable is not None and changed is not None:
        starts = [s.encode() for s in usable.layout.starts]
        dirty = {bisect.bisect_right(starts, line) - 1 for line in changed}
    else:
        starts, dirty = _starts(merge), None
    bounds = [bisect.bisect_left(merge, s) for s in starts[1:]] + [len(merge)]
    chunks = [merge[lo:hi] for lo, hi in zip([0, *bounds[:-1]], bounds, strict=True)]
    keep = usable if dirty is not None else None
    head = _head(taken.prefixes, _TURTLE)
    turtle = [_piece(keep, i, ls, _TURTLE, taken, dirty, head) for i, ls in enumerate(chunks)]
    nodes = [_piece(keep, i, ls, _JSONLD, taken, dirty) for i, ls in enumerate(chunks)]
    turtle_spans = _write(paths["graph.ttl"], head if merge else b"", turtle)
    opening, closing = jsonld_document(taken.prefixes)
    jsonld_spans = _write(
        paths["graph.jsonld"], opening + b"[", _commas(nodes), tail=b"]" + closing
    )
    return Layout(
        prefixes=prefixes,
        graphs=graphs,
        starts=[s.decode() for s in starts],
        turtle=turtle_spans,
        jsonld=jsonld_spans[1::2],
    )


def _piece(
    before: Before | None,
    index: int,
    lines: Sequence[bytes],
    fmt: ox.RdfFormat,
    taken: Snapshot,
    dirty: set[int] | None,
    head: bytes = b"",
) -> bytes:
    """Chunk ``index`` of the merge in ``fmt``: the last build's bytes if it is clean."""
    if before is not None and dirty is not None and index not in dirty:
        spans = before.layout.turtle if fmt == _TURTLE else before.layout.jsonld
        a, b = spans[index]
        return (before.turtle if fmt == _TURTLE else before.jsonld)[a:b]
    return _body(lines, fmt, taken.prefixes, head)


def _commas(nodes: list[bytes]) -> Iterator[bytes]:
    """Each chunk's node objects, after a comma when an earlier chunk had some (two pieces)."""
    first = True
    for body in nodes:
        yield b"" if first or not body else b","
        yield body
        first = first and not body


def _blocks(
    taken: Snapshot, digests: Mapping[str, str], before: Before | None, head: bytes
) -> list[tuple[str, bytes]]:
    """Each graph's TriG block: the last build's when its lines are the same, else written."""
    out = []
    for iri, lines in taken.graphs:
        old = before.layout.graphs.get(iri) if before is not None else None
        if old is not None and before is not None and old[0] == digests[iri]:
            out.append((iri, before.trig[old[1][0] : old[1][1]]))
            continue
        suffix = b" <" + iri.encode() + b"> .\n"
        quads = ox.parse(b"".join(line[:-2] + suffix for line in lines), ox.RdfFormat.N_QUADS)
        text = ox.serialize(quads, format=_TRIG, prefixes=taken.prefixes) or b""
        out.append((iri, _strip(text, head)))
    return out


def _body(
    lines: Sequence[bytes], fmt: ox.RdfFormat, prefixes: dict[str, str], head: bytes
) -> bytes:
    """One chunk of the merge serialised, without the head (Turtle) or brackets (JSON-LD)."""
    if not lines:
        return b""
    triples = ox.parse(b"".join(lines), ox.RdfFormat.N_TRIPLES)
    if fmt == _JSONLD:
        return (ox.serialize(triples, format=fmt) or b"[]").strip()[1:-1]
    return _strip(ox.serialize(triples, format=fmt, prefixes=prefixes) or b"", head)


def _head(prefixes: Mapping[str, str], fmt: ox.RdfFormat) -> bytes:
    """What the writer puts before the first statement: the prefixes."""
    probe = ox.serialize([_PROBE], format=fmt, prefixes=dict(prefixes)) or b""
    return probe[: probe.index(b"<urn:x>")]


def _strip(text: bytes, head: bytes) -> bytes:
    if not text.startswith(head):
        raise RuntimeError("Oxigraph's writer changed how it begins a document")
    return text[len(head) :]


def _starts(merge: Sequence[bytes]) -> list[bytes]:
    """Chunk start keys: about every :data:`_CHUNK` lines, where a subject begins."""
    starts = [b""]
    i = _CHUNK
    while i < len(merge):
        subject = merge[i].split(b" ", 1)[0]
        while i < len(merge) and merge[i].startswith(subject + b" "):
            i += 1  # to the end of this subject's statements
        if i < len(merge):
            starts.append(merge[i].split(b" ", 1)[0] + b" ")
        i += _CHUNK
    return starts


def _write(path: Path, head: bytes, pieces: Iterable[bytes], *, tail: bytes = b"") -> list[Span]:
    """Write head, pieces and tail to ``path``; return each piece's span in the file."""
    spans = []
    with open(path, "wb") as handle:
        handle.write(head)
        at = len(head)
        for piece in pieces:
            handle.write(piece)
            spans.append((at, at + len(piece)))
            at += len(piece)
        handle.write(tail)
    return spans
