"""``ontology/shapes.ttl``: each shape rejects its invalid fixture, with its own message.

Every file in ``tests/data/invalid/`` names in its first line the shapes it must break
(``# expect: SigningShape AgreementShape``); validation must report exactly those shapes, and
each message must start with the shape's name and name the fixture file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import SH

import moikg

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
VALID = sorted((DATA / "valid").glob("*.ttl"))


def _expected(path: Path) -> set[str]:
    match = re.match(r"# expect: (.+)", path.read_text(encoding="utf-8"))
    assert match, f"{path} lacks its '# expect:' line"
    return set(match.group(1).split())


def _node_shape(source_shape: str) -> str:
    """``shape:DateShape → sh:property [sh:path …]`` → ``DateShape``."""
    return source_shape.split(" → ", 1)[0].rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def test_every_shape_has_an_invalid_fixture() -> None:
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    names = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = set().union(*(_expected(p) for p in INVALID))
    assert names == covered


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_with_its_shape(path: Path) -> None:
    report = moikg.validate([path])
    assert not report.conforms
    # The shape that failed is read from sh:sourceShape (a property shape is named after its
    # node shape: "shape:DateShape → sh:property [...]"), not from the message text.
    found = {_node_shape(v.source_shape) for v in report.violations}
    assert found == _expected(path)
    for v in report.violations:
        assert v.message.startswith(f"{_node_shape(v.source_shape)}:"), v
        assert v.severity == "Violation"
        assert any(path.name in f for f in v.source_files), v


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(path: Path) -> None:
    report = moikg.validate([path])
    assert report.conforms, "\n".join(map(str, report.violations))


def test_the_graph_conforms() -> None:
    report = moikg.validate(sorted((ROOT / "graph").glob("*.ttl")))
    assert report.conforms, "\n".join(map(str, report.violations))
