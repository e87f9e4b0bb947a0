"""Outputs written from pieces are the writers' bytes; clean pieces are copied, dirty ones remade.

The reference is :mod:`moikg.ingest.export`'s writers, one Oxigraph call per output; the
pieces (a TriG block per graph, the merge cut into chunks at subject boundaries) must give the
same bytes on the project's graph, generated data and data with blank nodes, unicode, long and
multi-line literals. Reuse is checked by marking the last build's bytes: a marked clean piece
shows up in the output (it was copied), a dirty one does not (it was serialised again).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset

from moikg.cards.synthetic import generate
from moikg.ingest import pieces
from moikg.ingest.build_cache import DATA_OUTPUTS
from moikg.ingest.export import Snapshot, snapshot, write_jsonld, write_trig, write_turtle
from moikg.ingest.load import load_dataset, sources
from moikg.ingest.pieces import Before, Layout, write_pieces

ROOT = Path(__file__).resolve().parents[2]
ODD = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a rdfs:label "Zürich — «quoted» \\"x\\"", "line one\\nline two"@en ;
    rdfs:seeAlso [ rdfs:label "a blank node" ; rdfs:seeAlso [ rdfs:label "nested" ] ] .
ex:b rdfs:comment \"\"\"three
lines\"\"\" ; rdfs:seeAlso ex:a, ex:c .
_:x rdfs:label "a labelled blank node" .
"""


def _dataset(tmp_path: Path, kind: str) -> Dataset:
    if kind == "project":
        return load_dataset(files=list(sources(ROOT / "graph").values()))
    folder = tmp_path / kind
    if kind == "generated":
        generate(triples=3000, seed=7, out_dir=folder)
    else:
        folder.mkdir()
        (folder / "odd.ttl").write_text(ODD, encoding="utf-8")
        (folder / "odd-too.ttl").write_text(ODD.replace("ex:a", "ex:z"), encoding="utf-8")
    return load_dataset(files=list(sources(folder).values()))


def _digests(taken: Snapshot) -> dict[str, str]:
    return {iri: hashlib.sha256(b"".join(lines)).hexdigest() for iri, lines in taken.graphs}


def _write(taken: Snapshot, folder: Path, **kwargs: object) -> tuple[Layout, dict[str, bytes]]:
    folder.mkdir(exist_ok=True)
    paths = {name: folder / name for name in DATA_OUTPUTS}
    layout = write_pieces(taken, paths, digests=_digests(taken), **kwargs)  # type: ignore[arg-type]
    return layout, {name: path.read_bytes() for name, path in paths.items()}


def _reference(taken: Snapshot, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    for name, writer in zip(DATA_OUTPUTS, (write_trig, write_turtle, write_jsonld), strict=True):
        writer(taken, folder / name)
    return {name: (folder / name).read_bytes() for name in DATA_OUTPUTS}


@pytest.mark.parametrize("chunk", [400, 2])
@pytest.mark.parametrize("kind", ["project", "generated", "odd"])
def test_pieces_make_the_writers_bytes(
    kind: str, chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pieces, "_CHUNK", chunk)  # 2: a cut after nearly every subject
    taken = snapshot(_dataset(tmp_path, kind))
    layout, ours = _write(taken, tmp_path / "pieces")
    assert ours == _reference(taken, tmp_path / "reference")
    assert len(layout.graphs) == len(taken.graphs)
    if chunk == 2:  # many cuts, blank nodes' statements among them
        assert len(layout.starts) > len(taken.merge) // 10
    # Every piece is where the layout says: each graph's block names that graph first.
    for iri, (_, (a, b)) in layout.graphs.items():
        assert ours["graph.trig"][a:b].startswith(f"<{iri}> {{".encode()), iri
    # And reused whole (nothing changed), the pieces make the same bytes again.
    before = Before(layout, *(ours[name] for name in DATA_OUTPUTS))
    _, again = _write(taken, tmp_path / "again", before=before, changed=[])
    assert again == ours


def test_clean_pieces_are_copied_and_dirty_ones_made_again(tmp_path: Path) -> None:
    taken = snapshot(_dataset(tmp_path, "generated"))
    layout, ours = _write(taken, tmp_path / "first")
    assert len(layout.starts) >= 4  # several chunks, so that some stay clean
    # Mark every chunk of the last build's Turtle and JSON-LD: what is copied keeps the mark.
    turtle, jsonld = bytearray(ours["graph.ttl"]), bytearray(ours["graph.jsonld"])
    for text, spans in ((turtle, layout.turtle), (jsonld, layout.jsonld)):
        for a, b in spans:
            if b > a:
                text[a] = ord("#") if text is turtle else ord(" ")
    marked = Before(layout, ours["graph.trig"], bytes(turtle), bytes(jsonld))
    dirty_line = taken.merge[len(taken.merge) // 2]
    _, out = _write(taken, tmp_path / "second", before=marked, changed=[dirty_line])
    index = max(i for i, s in enumerate(layout.starts) if s.encode() <= dirty_line)
    for i, (a, b) in enumerate(layout.turtle):
        if b > a:
            piece = out["graph.ttl"][a:b]
            assert (piece[:1] == b"#") == (i != index), i  # copied, except the dirty one
    assert out["graph.ttl"] != ours["graph.ttl"]
    # With the marks gone, the copied pieces are the writers' bytes.
    clean = Before(layout, *(ours[name] for name in DATA_OUTPUTS))
    _, out = _write(taken, tmp_path / "third", before=clean, changed=[dirty_line])
    assert out == ours


def test_other_prefixes_or_no_known_changes_make_every_piece_again(tmp_path: Path) -> None:
    taken = snapshot(_dataset(tmp_path, "project"))
    layout, ours = _write(taken, tmp_path / "first")
    garbage = Before(layout, *(b"x" * len(ours[name]) for name in DATA_OUTPUTS))
    _, unknown = _write(taken, tmp_path / "unknown", before=garbage, changed=None)
    assert (
        unknown["graph.ttl"] == ours["graph.ttl"]
        and unknown["graph.jsonld"] == ours["graph.jsonld"]
    )
    other = Snapshot(taken.graphs, taken.merge, {**taken.prefixes, "zz": "urn:zz:"})
    _, renamed = _write(other, tmp_path / "renamed", before=garbage, changed=[])
    assert b"x" * 20 not in renamed["graph.trig"] and b"@prefix zz:" in renamed["graph.trig"]
