"""The shapes and ontology kept prepared beside the store (:mod:`moikg.ingest.prepared`).

What comes from the cache must equal what is made afresh from the files (parsed by rdflib
here, translated and walked again); a changed file, a broken cache, a missing file and shapes
the SPARQL engine cannot translate each take the slow path with its own answer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from test_shacl_sparql import UNTRANSLATED

from moikg.errors import InputError
from moikg.ingest.prepared import Prepared, prepare
from moikg.ingest.shacl_reach import reach
from moikg.ingest.shacl_sparql import translate

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "moi.ttl"
EXTRA = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:Extra a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
"""


def _same_as_files(ready: Prepared, shapes: Path, ontology: Path) -> None:
    shapes_graph = Graph().parse(shapes, format="turtle")
    assert ready.shapes.isomorphic(shapes_graph)
    assert ready.ontology.isomorphic(Graph().parse(ontology, format="turtle"))
    # The plan and the paths of the graph it holds (blank node labels as in that graph).
    assert ready.plan == translate(ready.shapes)
    assert ready.reach == reach(shapes_graph)


def test_the_cache_gives_what_the_files_give(tmp_path: Path) -> None:
    shapes, ontology = tmp_path / "shapes.ttl", tmp_path / "moi.ttl"
    shutil.copyfile(SHAPES, shapes)
    shutil.copyfile(ONTOLOGY, ontology)
    first = prepare(shapes, ontology, tmp_path)
    assert (tmp_path / "prepared.pickle").is_file()
    cached = prepare(shapes, ontology, tmp_path)
    assert cached is not first and cached.plan == first.plan
    _same_as_files(cached, shapes, ontology)
    # A changed shapes file: made again from it.
    shapes.write_text(SHAPES.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    changed = prepare(shapes, ontology, tmp_path)
    assert changed.plan != first.plan and changed.shapes_digest != first.shapes_digest
    _same_as_files(changed, shapes, ontology)
    _same_as_files(prepare(shapes, ontology, tmp_path), shapes, ontology)
    # A broken cache: made again, and written again.
    (tmp_path / "prepared.pickle").write_bytes(b"\x80\x05garbage")
    again = prepare(shapes, ontology, tmp_path)
    _same_as_files(again, shapes, ontology)
    assert prepare(shapes, ontology, tmp_path).plan == again.plan  # its blank nodes: cached


def test_missing_files_and_untranslatable_shapes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.ttl: file not found"):
        prepare(tmp_path / "missing.ttl", ONTOLOGY, tmp_path)
    shapes = tmp_path / "qualified.ttl"
    shapes.write_text(UNTRANSLATED, encoding="utf-8")
    for _ in range(2):  # made, then from the cache
        ready = prepare(shapes, ONTOLOGY, tmp_path)
        assert ready.plan is None and ready.reach is None and len(ready.shapes) > 0
