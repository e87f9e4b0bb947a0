"""Tests for moikg.render in real headless Chromium (Debian ``chromium`` through Playwright).

Every request that is not ``file:`` or ``data:`` is aborted and counted; console errors and
page errors are collected. One browser serves the whole module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from typer.testing import CliRunner

from moikg.cli import app
from moikg.ingest.load import load_dataset
from moikg.network.page import render_html
from moikg.network.projection import actor_graph

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IIPP = "https://w3id.org/moikg/id/org/iipp"
INJECTED = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>window.__pwned = 1</script>"

ACTORS_QUERY = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?actor ?label ?class ?classLabel WHERE {
  VALUES ?root { org:Organization foaf:Person }
  ?actor a ?class .
  ?class rdfs:subClassOf* ?root .
  FILTER NOT EXISTS {
    ?actor a ?other .
    ?other rdfs:subClassOf+ ?class .
    FILTER(?other != ?class)
  }
  ?actor rdfs:label ?label .
  OPTIONAL { ?class rdfs:label ?classLabel }
}
"""


@dataclass
class Visit:
    """What one page load did."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def _visit(browser: Browser, path: Path) -> Visit:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    visit = Visit(page)

    def route(handle: Any) -> None:
        url = handle.request.url
        if url.startswith(("file:", "data:")):
            handle.continue_()
        else:
            visit.blocked.append(url)
            handle.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda request: visit.failed.append(request.url))
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return visit


@pytest.fixture(scope="module")
def built_page(browser: Browser, project_build: Path) -> Iterator[Visit]:
    """The page ``moikg build`` wrote for the real graph."""
    visit = _visit(browser, project_build / "network.html")
    yield visit
    visit.page.close()


def _expected_actors(project_build: Path) -> set[tuple[str, str, str]]:
    """(IRI, label, kind) of every actor, by SPARQL over the build's TriG, independently."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(project_build / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    found = set()
    for row in store.query(ACTORS_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        cls = row["class"].value
        kind = row["classLabel"].value if row["classLabel"] else re.split(r"[#/]", cls)[-1]
        found.add((row["actor"].value, row["label"].value, kind))
    return found


def test_built_page_works_offline_without_errors(built_page: Visit) -> None:
    assert built_page.blocked == []
    assert built_page.failed == []
    assert built_page.errors == []
    html = built_page.page.content()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_every_actor_is_a_node_with_its_label_and_kind(
    built_page: Visit, project_build: Path
) -> None:
    shown = built_page.page.evaluate(
        "Array.from(window.moikg.info.values()).map(n => [n.id, n.label, n.kind])"
    )
    drawn = built_page.page.evaluate("window.moikg.nodes.getIds().length")
    expected = _expected_actors(project_build)
    assert len(expected) >= 9
    assert {tuple(row) for row in shown} == expected
    assert drawn == len(expected)


def test_search_finds_iipp_and_focuses_it(built_page: Visit) -> None:
    page = built_page.page
    page.fill("#search", "IIPP")
    page.click("#search-form button")
    assert page.evaluate("window.moikg.network.getSelectedNodes()") == [IIPP]
    assert "UCL Institute for Innovation and Public Purpose" in page.inner_text("#search-status")
    centre = page.evaluate("window.moikg.network.getViewPosition()")
    node = page.evaluate(f"window.moikg.network.getPositions(['{IIPP}'])['{IIPP}']")
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    # Neighbours stay coloured, the rest is dimmed; the details panel describes IIPP.
    dimmed = page.evaluate(
        "window.moikg.nodes.get().filter(n => typeof n.color === 'string').map(n => n.id)"
    )
    neighbours = page.evaluate(f"window.moikg.network.getConnectedNodes('{IIPP}')")
    assert dimmed and not set(dimmed) & {IIPP, *neighbours}
    assert page.is_visible("#details")
    assert "Institute" in page.inner_text("#details-body")


def test_kind_filter_hides_people(built_page: Visit) -> None:
    page = built_page.page
    page.uncheck("#kinds input[data-kind='Person']")
    hidden = page.evaluate("window.moikg.nodes.get().filter(n => n.hidden).map(n => n.id)")
    people = page.evaluate(
        "Array.from(window.moikg.info.values()).filter(n => n.kind === 'Person').map(n => n.id)"
    )
    assert people and sorted(hidden) == sorted(people)
    page.check("#kinds input[data-kind='Person']")
    assert page.evaluate("window.moikg.nodes.get().filter(n => n.hidden).length") == 0


INJECTION_TTL = f"""
@prefix moi: <https://w3id.org/moikg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/evil/> .
ex:doc a schema:WebPage , prov:Entity .
ex:org a moi:Institute ; rdfs:label {json.dumps(INJECTED)} ;
    skos:altLabel {json.dumps(BREAKOUT)} ; org:unitOf ex:parent ; prov:wasDerivedFrom ex:doc .
ex:parent a moi:University ; rdfs:label "Parent <b>University</b>" ; prov:wasDerivedFrom ex:doc .
"""


@pytest.fixture(scope="module")
def injected_page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Visit]:
    folder = tmp_path_factory.mktemp("injection")
    source = folder / "evil.ttl"
    source.write_text(INJECTION_TTL, encoding="utf-8")
    page_path = folder / "network.html"
    page_path.write_text(render_html(actor_graph(load_dataset(files=[source]))), encoding="utf-8")
    visit = _visit(browser, page_path)
    yield visit
    visit.page.close()


def test_injected_label_shows_as_text_and_runs_nothing(injected_page: Visit) -> None:
    page = injected_page.page
    node = "https://example.org/evil/org"
    position = page.evaluate(
        f"window.moikg.network.canvasToDOM(window.moikg.network.getPositions(['{node}'])['{node}'])"
    )
    box = page.locator("#network").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    page.wait_for_selector("#tooltip:not([hidden])", timeout=5_000)
    tooltip = page.inner_text("#tooltip")
    assert INJECTED in tooltip and BREAKOUT in tooltip
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    assert INJECTED in page.inner_text("#details-body")
    page.fill("#search", "<img")
    page.click("#search-form button")
    assert INJECTED in page.inner_text("#search-status")
    assert page.evaluate("document.querySelectorAll('img, svg, b').length") == 0
    assert page.evaluate("window.__pwned") is None
    assert injected_page.dialogs == []
    assert injected_page.errors == []
    assert injected_page.blocked == []


def test_as_of_page_drops_the_2021_us_chapter(tmp_path: Path) -> None:
    def labels(*extra: str) -> set[str]:
        out = tmp_path / f"page{len(extra)}.html"
        done = CliRunner().invoke(app, ["render", "-o", str(out), *extra])
        assert done.exit_code == 0, done.output
        block = re.search(
            r'<script type="application/json" id="moikg-data">(.*?)</script>',
            out.read_text(encoding="utf-8"),
            re.DOTALL,
        )
        assert block is not None
        return {node["label"] for node in json.loads(block[1])["nodes"]}

    everything = labels()
    assert "MOIN USA" in everything and "Mission-Oriented Innovation Network" in everything
    before = labels("--as-of", "2019-12-31")
    assert "MOIN USA" not in before and "Mission-Oriented Innovation Network" in before
