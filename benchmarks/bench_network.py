"""Benchmark the network stage, side by side in one run, and print a table.

Measured (issue 4, "Speed"):

1. Page settle time in headless Chromium (Debian ``chromium``), from navigation to the page
   being drawn and answering a search: moikg's page for generated 1,000- and 20,000-node
   actor networks, and pyvis with its default options at 1,000 nodes (physics on, capped at
   ``--pyvis-cap`` seconds; vis-network inlined from pyvis' own copy with ``in_line``, since
   the CDN build's integrity hashes do not match that copy; its Bootstrap requests are
   aborted, so nothing leaves the machine).
2. Every metric of ``moikg analyse`` on a generated 20,000-node actor network.
3. Exact betweenness: igraph (as moikg runs it, one process) against NetworkX's own
   ``betweenness_centrality`` on the same generated network (``--compare-nodes``, default
   3,000), with the largest absolute difference and the speed ratio.

Run: ``python benchmarks/bench_network.py`` (from the repository, with moikg importable).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from generate import actor_network

from moikg.network.analysis import AnalysisOptions, analyse, simple_graph
from moikg.network.page import render_html

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _open(browser: Any, path: Path, external: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 800})

    def route(handle: Any) -> None:
        url = handle.request.url
        if url.startswith(("file:", "data:")):
            handle.continue_()
        else:
            external.append(url)
            handle.abort()

    page.route("**/*", route)
    return page


def settle_moikg(browser: Any, graph: nx.Graph, folder: Path, name: str) -> dict[str, Any]:
    """Write moikg's page for ``graph``; time navigation → drawn → a search answered."""
    write_s, text = _timed(lambda: render_html(graph))
    path = folder / f"{name}.html"
    path.write_text(text, encoding="utf-8")
    external: list[str] = []
    page = _open(browser, path, external)
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=120_000)
    drawn = time.perf_counter() - start
    target = graph.nodes[sorted(graph.nodes)[len(graph) // 2]]["label"]
    page.fill("#search", target)
    page.click("#search-form button")
    page.wait_for_function("window.moikg.network.getSelectedNodes().length === 1")
    interactive = time.perf_counter() - start
    page.close()
    return {"write_s": write_s, "drawn_s": drawn, "interactive_s": interactive,
            "bytes": len(text.encode()), "external": len(external)}  # fmt: skip


def settle_pyvis(browser: Any, graph: nx.Graph, folder: Path, cap: float) -> dict[str, Any]:
    """Pyvis with default options: time navigation → physics stabilised (or the cap)."""
    from pyvis.network import Network

    simple = simple_graph(graph)
    ids = sorted(simple.nodes)
    index = {n: i for i, n in enumerate(ids)}
    net = Network(cdn_resources="in_line")  # default options; vis inlined from pyvis' copy
    net.add_nodes(list(range(len(ids))), label=[simple.nodes[n]["label"] for n in ids])
    net.add_edges([(index[u], index[v]) for u, v in simple.edges()])
    cwd = Path.cwd()
    os.chdir(folder)  # pyvis copies its lib/ folder next to the page, into the working folder
    try:
        path = folder / "pyvis.html"
        net.write_html(str(path))
    finally:
        os.chdir(cwd)
    external: list[str] = []
    page = _open(browser, path, external)
    start = time.perf_counter()
    page.goto(path.as_uri())
    try:
        page.wait_for_function(
            "window.network && window.network.physics && window.network.physics.stabilized",
            timeout=cap * 1000,
            polling=200,
        )
        settled: float | None = time.perf_counter() - start
    except Exception:  # Playwright's TimeoutError: still moving at the cap
        settled = None
    page.close()
    return {"settled_s": settled, "external": len(external)}


def betweenness_race(n: int) -> dict[str, Any]:
    """Igraph (moikg, one process) against NetworkX on the same generated network."""
    graph = actor_network(n, seed=3)
    simple = simple_graph(graph)
    ours_s, analysis = _timed(
        lambda: analyse(graph, options=AnalysisOptions(metrics=("betweenness",), workers=1))
    )
    theirs_s, reference = _timed(lambda: nx.betweenness_centrality(simple))
    gap = max(abs(row.betweenness - reference[row.iri]) for row in analysis.nodes)
    return {"nodes": n, "edges": simple.number_of_edges(), "ours_s": ours_s,
            "nx_s": theirs_s, "gap": gap}  # fmt: skip


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pyvis-cap", type=float, default=120.0)
    parser.add_argument("--compare-nodes", type=int, default=3000)
    parser.add_argument("--big", type=int, default=20000)
    parser.add_argument(
        "--pages-only", action="store_true", help="only the page rows (no metrics, no race)"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, str, str, str]] = []
    small, big = actor_network(1000, seed=1), actor_network(args.big, seed=2)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ours_small = settle_moikg(browser, small, folder, "small")
        ours_big = settle_moikg(browser, big, folder, "big")
        theirs = settle_pyvis(browser, small, folder, args.pyvis_cap)
        browser.close()
    pyvis_text = (
        f"{theirs['settled_s']:.1f} s" if theirs["settled_s"] else f">{args.pyvis_cap:.0f} s"
    )
    ratio = (
        f"{theirs['settled_s'] / ours_small['interactive_s']:.0f}× faster"
        if theirs["settled_s"]
        else f">{args.pyvis_cap / ours_small['interactive_s']:.0f}× faster"
    )
    rows.append((
        "page settled + search answered, 1,000 nodes",
        f"{ours_small['interactive_s']:.2f} s (drawn {ours_small['drawn_s']:.2f} s)",
        f"pyvis defaults {pyvis_text}; {theirs['external']} CDN requests blocked",
        f"{ratio}; target ≤ 0.74 s (issue 12)",
    ))  # fmt: skip
    rows.append((
        f"page settled + search answered, {args.big:,} nodes",
        f"{ours_big['interactive_s']:.2f} s (drawn {ours_big['drawn_s']:.2f} s)",
        f"page {ours_big['bytes'] / 1e6:.1f} MB, written in {ours_big['write_s']:.1f} s",
        "target ≤ 4.7 s (issue 12)",
    ))  # fmt: skip
    if args.pages_only:
        _print(rows)
        return
    simple_big = simple_graph(big)
    all_s, analysis = _timed(lambda: analyse(big))
    rows.append((
        f"all metrics, {args.big:,} nodes / {simple_big.number_of_edges():,} links",
        f"{all_s:.1f} s ({os.cpu_count()} cores)",
        f"{len(analysis.metrics)} metrics, {len(analysis.component_sizes)} components",
        "target ≤ 20 s on 2 cores (issue 10)",
    ))  # fmt: skip
    race = betweenness_race(args.compare_nodes)
    rows.append((
        f"exact betweenness, {race['nodes']:,} nodes / {race['edges']:,} links",
        f"igraph {race['ours_s']:.2f} s",
        f"NetworkX {race['nx_s']:.1f} s; max |diff| {race['gap']:.1e}",
        f"{race['nx_s'] / race['ours_s']:.0f}× faster; target ≥ 20×, ≤ 1e-9",
    ))  # fmt: skip
    _print(rows)


def _print(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in [*rows, ("measure", "moikg", "reference", "ratio")])
              for i in range(4)]  # fmt: skip
    header = ("measure", "moikg", "reference", "ratio / target")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
