"""Tests for moikg.render in real headless Chromium (Debian ``chromium`` through Playwright).

Every request that is not ``file:`` or ``data:`` is aborted and counted; console errors and
page errors are collected. One browser serves the whole module.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx
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
    # The details panel describes IIPP (dimming: test_selecting_a_node_dims_the_rest).
    assert page.is_visible("#details")
    assert "Institute" in page.inner_text("#details-body")


CENTRE_PIXELS = """() => {
  const net = window.moikg.network, canvas = document.querySelector('#network canvas');
  const ctx = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth;
  const out = {};
  window.moikg.shownNodes().forEach(id => {
    const p = net.canvasToDOM(net.getPositions([id])[id]);
    if (p.x < 0 || p.y < 0 || p.x >= canvas.clientWidth || p.y >= canvas.clientHeight) return;
    out[id] = Array.from(ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1)
      .data.slice(0, 3));
  });
  return out;
}"""
"""Node → [r, g, b] of the pixel at its centre, for the nodes in view."""


def _hex(rgb: list[int]) -> str:
    return "#" + "".join(f"{c:02X}" for c in rgb)


def _kind_colours(page: Page) -> dict[str, str]:
    """Node → the colour of its kind, from the data block (not from what is drawn)."""
    data = json.loads(page.inner_text("#moikg-data"))
    colour = {k["name"]: k["color"] for k in data["kinds"]}
    return {n["id"]: colour[n["kind"]] for n in data["nodes"]}


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


# --- The page an analyst works in (issue 12) ----------------------------------------------------

MOIN_USA = "https://w3id.org/moikg/id/org/moin-usa"
EVIDENCE_QUERY = """
SELECT ?text WHERE {
  GRAPH <https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou> {
    <https://w3id.org/moikg/id/org/iipp> <http://www.w3.org/ns/prov#qualifiedDerivation> ?d .
    ?d <https://w3id.org/moikg/ontology#evidence> ?text
  }
}
"""
TITLE_QUERY = """
SELECT ?title WHERE {
  GRAPH <https://w3id.org/moikg/graph/2019-02-11-iipp-oecd-mou> {
    ?source a <https://schema.org/NewsArticle> ; <http://purl.org/dc/terms/title> ?title
  }
}
"""


def _store(project_build: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(project_build / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    return store


@pytest.fixture
def fresh_page(browser: Browser, project_build: Path) -> Iterator[Visit]:
    """The built page in its first state, at 1400×900."""
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    visit = Visit(page)

    def route(handle: Any) -> None:
        url = handle.request.url
        if url.startswith(("file:", "data:", "blob:")):
            handle.continue_()
        else:
            visit.blocked.append(url)
            handle.abort()

    page.route("**/*", route)
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.goto((project_build / "network.html").as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    yield visit
    page.close()


def _hidden_edge_types(page: Page) -> dict[str, int]:
    return page.evaluate(
        """() => { const out = {};
          window.moikg.edges.get().filter(e => e.hidden).forEach(e => {
            const t = window.moikg.shownEdges ? JSON.parse(document.getElementById('moikg-data')
              .textContent).edges[e.id].type : '';
            out[t] = (out[t] || 0) + 1; });
          return out; }"""
    )


def test_relation_filters_change_what_is_drawn(fresh_page: Visit, project_build: Path) -> None:
    page = fresh_page.page
    data = json.loads(page.inner_text("#moikg-data"))
    counts = {t["type"]: t["count"] for t in data["edgeTypes"]}
    # Co-attendance is most of the edges of the real graph: off at first, one click away.
    assert counts["took_part"] > 40
    assert _hidden_edge_types(page) == {"took_part": counts["took_part"]}
    page.check("#edge-types input[data-type='took_part']")
    assert _hidden_edge_types(page) == {}
    page.uncheck("#edge-types input[data-type='member_of']")
    assert _hidden_edge_types(page) == {"member_of": counts["member_of"]}
    assert fresh_page.errors == [] and fresh_page.blocked == []


def test_time_control_drops_moin_usa_before_2021(fresh_page: Visit) -> None:
    page = fresh_page.page

    def drawn(node: str) -> bool:
        return bool(page.evaluate(f"!window.moikg.nodes.get('{node}').hidden"))

    assert drawn(MOIN_USA)
    page.check("#time-on")
    page.fill("#time-date", "2020-12-31")
    page.dispatch_event("#time-date", "change")
    assert not drawn(MOIN_USA)
    assert drawn(IIPP)
    page.fill("#time-date", "2021-04-28")
    page.dispatch_event("#time-date", "change")
    assert drawn(MOIN_USA)
    page.uncheck("#time-on")
    assert drawn(MOIN_USA)
    assert fresh_page.errors == []


def test_time_control_applies_the_as_of_rule_of_the_projections(fresh_page: Visit) -> None:
    page = fresh_page.page
    for day in ["2019-02-10", "2019-02-11", "2019-12-31", "2021-03-30", "2022-04-28", "2023-12-31"]:
        page.evaluate(f"window.moikg.setDay('{day}')")
        shown = set(page.evaluate("window.moikg.shownNodes()"))
        assert shown == set(actor_graph(as_of=day)), day


def test_details_panel_shows_source_link_and_sentence_without_scrolling(
    fresh_page: Visit, project_build: Path
) -> None:
    page = fresh_page.page
    store = _store(project_build)
    sentences = {row["text"].value for row in store.query(EVIDENCE_QUERY)}  # type: ignore[union-attr]
    (title,) = [row["title"].value for row in store.query(TITLE_QUERY)]  # type: ignore[union-attr]
    page.fill("#search", "IIPP")
    page.click("#search-form button")
    link = page.locator("#details-body a", has_text=title)
    assert link.get_attribute("href", timeout=2_000) == (
        "https://www.ucl.ac.uk/bartlett/public-purpose/news/2019/feb/"
        "iipp-and-oecd-partner-rethink-and-drive-innovation-public-sector"
    )
    quoted = set(page.locator("#details-body .evidence").all_inner_texts())
    assert sentences and sentences <= quoted
    box = link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900
    assert page.evaluate("document.getElementById('panel').scrollTop") == 0


def test_first_view_fits_every_node_and_labels_do_not_overlap(fresh_page: Visit) -> None:
    page = fresh_page.page
    area = page.evaluate("[document.getElementById('network').clientWidth, "
                         "document.getElementById('network').clientHeight]")  # fmt: skip
    points = page.evaluate(
        "Object.values(window.moikg.network.getPositions()).map(p => "
        "window.moikg.network.canvasToDOM(p))"
    )
    assert points and all(0 <= p["x"] <= area[0] and 0 <= p["y"] <= area[1] for p in points)
    labels = page.evaluate("window.moikg.labels()")
    assert len(labels) >= 20
    for i, a in enumerate(labels):
        assert a["x"] >= 0 and a["x"] + a["w"] <= area[0]
        for b in labels[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
            )  # fmt: skip
            assert apart, (a["id"], b["id"])


def test_selecting_a_node_dims_the_rest(fresh_page: Visit) -> None:
    """Clicking IIPP keeps it, its neighbours and their relations in colour and dims the rest.

    Read from the drawn pixels at each node's centre, in the same view before and after the
    click, for the nodes whose centre shows their own kind's colour at first.
    """
    page = fresh_page.page
    frames = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    page.evaluate(frames)
    looks = _kind_colours(page)
    before = page.evaluate(CENTRE_PIXELS)
    clean = {n for n, rgb in before.items() if _srgb_distance(_hex(rgb), looks[n]) < 30}
    position = page.evaluate(
        f"window.moikg.network.canvasToDOM(window.moikg.network.getPositions(['{IIPP}'])['{IIPP}'])"
    )
    box = page.locator("#network").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    assert page.evaluate("window.moikg.network.getSelectedNodes()") == [IIPP]
    page.evaluate(frames)
    after = page.evaluate(CENTRE_PIXELS)
    near = {IIPP, *page.evaluate(f"window.moikg.network.getConnectedNodes('{IIPP}')")}
    assert clean & near and clean - near
    white = "#FFFFFF"
    for node in clean:
        colour = _hex(after[node])
        if node in near:
            assert _srgb_distance(colour, looks[node]) < 30, node
        else:
            paled = _srgb_distance(colour, looks[node])
            assert paled > 60 and _srgb_distance(colour, white) < paled, node
    assert "Institute" in page.inner_text("#details-body")
    assert fresh_page.errors == []


def test_colour_by_community(fresh_page: Visit) -> None:
    page = fresh_page.page
    before = page.evaluate(f"window.moikg.nodes.get('{IIPP}').color.background")
    page.check("input[name='colour-by'][value='community']")
    after = page.evaluate(f"window.moikg.nodes.get('{IIPP}').color.background")
    data = json.loads(page.inner_text("#moikg-data"))
    (iipp,) = [n for n in data["nodes"] if n["id"] == IIPP]
    palette = {c["id"]: c["color"] for c in data["communities"]}
    assert after == palette.get(iipp["community"], "#DDDDDD") and after != before
    assert page.is_visible("#communities")


def test_exports_of_the_view_read_back(fresh_page: Visit, tmp_path: Path) -> None:
    import csv as csv_module

    page = fresh_page.page
    page.check("#time-on")
    page.fill("#time-date", "2020-12-31")
    page.dispatch_event("#time-date", "change")
    shown = set(page.evaluate("window.moikg.shownNodes()"))
    files = {}
    for button in ("export-png", "export-nodes", "export-edges", "export-gexf"):
        with page.expect_download() as info:
            page.click(f"#{button}")
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        files[button] = target
    assert files["export-png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    raw = files["export-nodes"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv_module.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["id"] for r in rows} == shown and MOIN_USA not in shown
    edges = list(csv_module.DictReader(io.StringIO(files["export-edges"].read_text("utf-8-sig"))))
    assert edges and all(e["source"] in shown and e["target"] in shown for e in edges)
    assert "took_part" not in {e["type"] for e in edges}  # off at first
    # GEXF 1.3 with directed and undirected edges (Gephi reads "mixed" graphs; NetworkX does
    # not), so it is read back by ElementTree here and by NetworkX for the organisation page.
    root = ElementTree.parse(files["export-gexf"]).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    assert root.get("version") == "1.3"
    nodes = {n.get("id"): n for n in root.iterfind("g:graph/g:nodes/g:node", ns)}
    assert set(nodes) == shown
    assert nodes[IIPP].get("label") == "UCL Institute for Innovation and Public Purpose"
    written = root.findall("g:graph/g:edges/g:edge", ns)
    assert len(written) == len(edges) and len({e.get("id") for e in written}) == len(written)
    for edge in written:
        (relation,) = [
            v.get("value") for v in edge.iterfind("g:attvalues/g:attvalue", ns)
            if v.get("for") == "relation"
        ]  # fmt: skip
        symmetric = relation in ("party_to", "took_part", "shared")
        assert edge.get("type") == ("undirected" if symmetric else "directed"), relation
    assert fresh_page.blocked == [] and fresh_page.errors == []


def test_gexf_of_the_organisation_page_reads_in_networkx(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "orgs.html"
    done = CliRunner().invoke(app, ["render", "--projection", "organisation", "-o", str(out)])
    assert done.exit_code == 0, done.output
    visit = _visit(browser, out)
    page = visit.page
    with page.expect_download() as info:
        page.click("#export-gexf")
    target = tmp_path / "orgs.gexf"
    info.value.save_as(target)
    shown = set(page.evaluate("window.moikg.shownNodes()"))
    drawn = len(page.evaluate("window.moikg.shownEdges()"))
    back = nx.read_gexf(target)
    assert not back.is_directed()
    assert set(back.nodes) == shown and back.number_of_edges() == drawn
    spells = [d for _, d in back.nodes(data=True) if "start" in d]
    assert spells and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["start"]) for d in spells)
    page.close()


@pytest.fixture(scope="module")
def bipartite_page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Visit]:
    out = tmp_path_factory.mktemp("bipartite") / "bipartite.html"
    code = CliRunner().invoke(app, ["render", "--projection", "bipartite", "-o", str(out)])
    assert code.exit_code == 0, code.output
    visit = _visit(browser, out)
    yield visit
    visit.page.close()


def test_bipartite_page_shows_events_apart_and_memberships(bipartite_page: Visit) -> None:
    page = bipartite_page.page
    data = json.loads(page.inner_text("#moikg-data"))
    events = {k["name"] for k in data["kinds"] if k["artefact"]}
    assert {"Launch", "Memorandum of understanding"} <= events
    listed = set(page.locator("#artefact-kinds li").all_inner_texts())
    assert all(any(name in item for item in listed) for name in events)
    actor_shapes = {k["shape"] for k in data["kinds"] if not k["artefact"]}
    event_shapes = {k["shape"] for k in data["kinds"] if k["artefact"]}
    assert not actor_shapes & event_shapes
    labels = {t["type"]: t["label"] for t in data["edgeTypes"]}
    assert labels["took_part"] == "took part in" and labels["party_to"] == "party to"
    assert {"member_of", "holds_post"} <= set(labels)
    assert bipartite_page.errors == [] and bipartite_page.blocked == []


def _srgb_distance(one: str, two: str) -> float:
    a = [int(one[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(two[i : i + 2], 16) for i in (1, 3, 5)]
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5)


def test_no_two_kinds_or_relation_styles_look_alike(fresh_page: Visit) -> None:
    """Each kind has its own shape and colour, each relation its own line style.

    The colours of one shape family are far apart, so not only their hue tells them apart.
    """
    data = json.loads(fresh_page.page.inner_text("#moikg-data"))
    looks = [(k["shape"], k["color"].upper()) for k in data["kinds"]]
    assert len(set(looks)) == len(looks)
    for i, (shape, colour) in enumerate(looks):
        for other_shape, other in looks[i + 1 :]:
            if shape == other_shape:
                assert _srgb_distance(colour, other) > 60, (colour, other)
    styles = [
        (t["color"].upper(), json.dumps(t["dashes"]), t["width"], t["arrows"])
        for t in data["edgeTypes"]
    ]
    assert len(set(styles)) == len(styles)
    # What the legend draws is what the network draws.
    drawn = fresh_page.page.evaluate(
        "window.moikg.nodes.get().map(n => [n.shape, n.color.background])"
    )
    assert {(s, c.upper()) for s, c in drawn} <= set(looks)
