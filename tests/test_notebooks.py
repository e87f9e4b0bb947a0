"""The five notebooks in ``notebooks/``: executed top to bottom by a real Jupyter kernel.

They are documentation that runs: stripped of outputs in git, using
only the public API, with no checks in the reader's way. The checks are here: each notebook
runs without an error, and what it shows is what the graph holds (read independently, by
pyoxigraph) or works as promised (the inline pages load offline in real Chromium).
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pyoxigraph
import pytest
from nbclient import NotebookClient
from playwright.sync_api import sync_playwright

import moikg

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "01-tour",
    "02-sparql-catalogue",
    "03-network-analysis",
    "04-interactive-page",
    "05-add-a-source-card",
]
_MOIKG_NAME = re.compile(r"\bmoikg\.([A-Za-z_]\w*)")
MOIN_USA = "https://w3id.org/moikg/id/org/moin-usa"


def test_the_five_notebooks_are_there() -> None:
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stripped(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: commit notebooks without outputs"
            assert cell.execution_count is None, f"{path.name}: commit without execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api_and_no_asserts(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "from moikg" not in source and "import moikg." not in source
    used = set(_MOIKG_NAME.findall(source))
    assert used <= set(moikg.__all__), (
        f"{path.name} uses non-public names {used - set(moikg.__all__)}"
    )
    assert not re.search(r"^\s*assert\b", source, re.MULTILINE), "checks go in the tests"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Each notebook run once by a fresh kernel: name → (notebook with outputs, seconds)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("MOIKG_HOME", str(ROOT))
    # The kernel imports this tree's moikg, like pytest does (pythonpath = ["src"]).
    patch.setenv("PYTHONPATH", str(ROOT / "src"))
    runs: dict[str, Any] = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        )
        start = time.perf_counter()
        client.execute()  # raises CellExecutionError, with the cell and traceback, on failure
        runs[path.stem] = (nb, time.perf_counter() - start)
    yield runs
    patch.undo()


def _outputs(nb: Any, kind: str | None = None) -> list[Any]:
    return [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if kind is None or output.output_type == kind
    ]


def _text(nb: Any) -> str:
    parts = [o.text for o in _outputs(nb, "stream")]
    parts += [o.data.get("text/plain", "") for o in _outputs(nb) if "data" in o]
    return "\n".join(parts)


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs_without_errors_or_warnings(
    executed: dict[str, Any], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    nb, seconds = executed[name]
    assert _outputs(nb, "error") == []
    stderr = [o.text for o in _outputs(nb, "stream") if o.name == "stderr"]
    assert stderr == []
    with capsys.disabled():
        print(f"\n{name}: {seconds:.1f} s")


def _graph_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def test_tour_shows_iipp_facts_with_their_sources_and_sentences(executed: dict[str, Any]) -> None:
    text = _text(executed["01-tour"][0])
    rows = _graph_store().query(
        """PREFIX prov: <http://www.w3.org/ns/prov#>
           PREFIX moi: <https://w3id.org/moikg/ontology#>
           SELECT DISTINCT ?title ?evidence WHERE {
             { <https://w3id.org/moikg/id/org/iipp> prov:wasDerivedFrom ?s ;
                 moi:evidence ?evidence }
             UNION
             { <https://w3id.org/moikg/id/org/iipp> prov:qualifiedDerivation ?d .
               ?d prov:entity ?s ; moi:evidence ?evidence }
             ?s <http://purl.org/dc/terms/title> ?title }"""
    )
    found = [(r["title"].value, r["evidence"].value) for r in rows]  # type: ignore[union-attr]
    assert found
    for title, evidence in found:
        assert title in text and f"“{evidence}”" in text
    assert "hosted by (of): Mission-Oriented Innovation Network" in text


def test_catalogue_notebook_asks_moikg_serve_too(executed: dict[str, Any]) -> None:
    text = _text(executed["02-sparql-catalogue"][0])
    assert re.search(r"SPARQL endpoint: http://127\.0\.0\.1:\d+/query", text)
    assert re.search(r"(\d+) rows served, \1 rows embedded; the same rows", text)
    assert "0 rows for the hostile value" in text


def test_analysis_notebook_draws_its_figures(executed: dict[str, Any]) -> None:
    images = [o.data["image/png"] for o in _outputs(executed["03-network-analysis"][0])
              if "image/png" in o.get("data", {})]  # fmt: skip
    assert len(images) == 4
    assert all(base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n" for image in images)


def test_page_notebook_shows_working_pages_inline_without_internet(
    executed: dict[str, Any], tmp_path: Path
) -> None:
    """Each inline page, placed in a host page as Jupyter places HTML output, runs offline."""
    shown = [o.data["text/html"] for o in _outputs(executed["04-interactive-page"][0])
             if "text/html" in o.get("data", {}) and "moikg-page" in o.data["text/html"]]  # fmt: skip
    assert len(shown) == 4
    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        def route(handle: Any) -> None:
            if handle.request.url.startswith(("file:", "data:", "about:", "blob:")):
                handle.continue_()
            else:
                blocked.append(handle.request.url)
                handle.abort()

        page.route("**/*", route)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        has_moin_usa, sizes = [], []
        for number, fragment in enumerate(shown):
            host = tmp_path / f"output-{number}.html"
            host.write_text(
                f"<!DOCTYPE html><html><body><div class='output'>{fragment}</div></body></html>",
                encoding="utf-8",
            )
            page.goto(host.as_uri())
            frame = page.frame_locator("iframe")
            frame.locator("body[data-ready=true]").wait_for(timeout=30_000)
            inner = page.frames[1]
            has_moin_usa.append(inner.evaluate(f"window.moikg.info.has('{MOIN_USA}')"))
            sizes.append(inner.evaluate("window.moikg.info.size"))
        browser.close()
    assert blocked == [] and errors == []
    # The whole network, IIPP's neighbours, the end of 2019 (no MOIN USA yet), the bipartite.
    whole, around, in_2019, bipartite = sizes
    assert around < whole and in_2019 < whole and bipartite > whole
    assert has_moin_usa[0] and not has_moin_usa[2]


def test_card_notebook_shows_the_new_member(executed: dict[str, Any]) -> None:
    text = _text(executed["05-add-a-source-card"][0])
    before = re.search(r"(\d+) actors and (\d+) relations before", text)
    after = re.search(r"(\d+) actors and (\d+) relations after", text)
    assert before and after
    assert int(after[1]) == int(before[1]) + 1 and int(after[2]) == int(before[2]) + 1
    assert "Example Agency for Innovation" in text and "member of" in text
    assert not (ROOT / "graph" / "2024-05-01-example-agency-joins-moin.ttl").exists()
