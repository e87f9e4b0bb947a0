"""Issue 8, B8: every evidence string is an exact quote of its source's text.

The texts of the sources are those of ``shared/sources/`` (``MOIKG_SOURCES`` to point
elsewhere): the 2019 release verbatim, and the notes that restate the MOIN pages (their quotes
are quotes of the notes, as each card says). The graph files are read with pyoxigraph, and each
quote is matched to the source of its own qualified derivation (``prov:entity``), so a quote of
one source cited to another fails.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = Path(os.environ.get("MOIKG_SOURCES", "/work/shared/sources"))
PROV = "http://www.w3.org/ns/prov#"
MOI = "https://w3id.org/moikg/ontology#"
CURATION_NOTE = "https://w3id.org/moikg/id/note/project-curation"

pytestmark = pytest.mark.skipif(
    not (SOURCES / "README.md").is_file(),
    reason=f"the source texts are not available at {SOURCES} (set MOIKG_SOURCES)",
)


def _texts() -> dict[str, str]:
    """Source IRI → the text it can be quoted from, read from the sources folder itself."""
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    texts: dict[str, str] = {}
    for path in sorted(SOURCES.iterdir()):
        if path.name == "README.md" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        # The README's table names the IRI to cite for a file; the notes name theirs inline.
        row = next((line for line in readme.splitlines() if f"`{path.name}`" in line), "")
        for url in re.findall(r"https?://[^\s|)>`]+", row + "\n" + text):
            texts[url.rstrip(".,;:")] = text
    # The project's curation notes quote the notes of the sources folder.
    texts[CURATION_NOTE] = (
        readme
        + "\n"
        + "\n".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.md")))
    )
    return texts


def _quotes() -> list[tuple[str, str, str]]:
    """(graph file, source IRI, quote) of every moi:evidence in graph/*.ttl."""
    found = []
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        rows = store.query(
            f"SELECT ?source ?quote WHERE {{ ?d a <{PROV}Derivation> ; <{PROV}entity> ?source ;"
            f" <{MOI}evidence> ?quote }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        found += [(path.name, row["source"].value, row["quote"].value) for row in rows]
    return found


QUOTES = _quotes()


def test_there_are_quotes_and_none_sits_on_a_node() -> None:
    assert len(QUOTES) > 50
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        rows = store.query(
            f"ASK {{ ?n <{MOI}evidence> ?q FILTER NOT EXISTS {{ ?n a <{PROV}Derivation> }} }}"
        )
        assert rows is False or not bool(rows), path.name


@pytest.mark.parametrize(
    ("graph_file", "source", "quote"),
    QUOTES,
    ids=[f"{g}:{q[:40]}" for g, _, q in QUOTES],
)
def test_every_quote_is_verbatim_in_its_source(graph_file: str, source: str, quote: str) -> None:
    texts = _texts()
    assert source in texts, f"{graph_file}: no text for {source} in {SOURCES}"
    assert quote in texts[source], f"{graph_file}: not a verbatim quote of {source}: {quote!r}"
