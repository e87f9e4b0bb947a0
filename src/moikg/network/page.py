"""Render a projection as one self-contained, offline HTML page drawn by vis-network.

The page is ``templates/network.html`` with its style (``network.css``), its script
(``network.js``), vis-network's script and style (the copy that ships inside the pyvis
package, ``pyvis/templates/lib/vis-9.1.2/``) and the graph as a JSON block, all inline:
no request leaves the page, and a Content-Security-Policy (CSP Level 3) forbids any. Scripts
are allowed by their SHA-256 hashes only, so markup smuggled into a label could not run even
if it reached the DOM; it does not, since the page script writes data with ``textContent``.

Layout is computed here (igraph's Fruchterman–Reingold, seeded) and physics is off, so the
page draws once and is ready: no stabilisation iterations in the browser. Nodes are coloured
by kind (legend, with a filter), sized by a chosen metric (:mod:`moikg.network.analysis`), and edges
styled by type.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import igraph as ig
import networkx as nx
import numpy as np

from moikg import _paths
from moikg._atomic import write_text_atomic
from moikg._version import __version__
from moikg.errors import InputError, MoikgError
from moikg.network.analysis import METRICS, AnalysisOptions, analyse, igraph_seed, simple_graph
from moikg.network.facts import Source
from moikg.network.projection import EDGE_TYPES, ProjectionName, ProjectionOptions, project

__all__ = [
    "EDGE_STYLES",
    "KIND_COLOURS",
    "VIS_VERSION",
    "RenderOptions",
    "layout",
    "render",
    "render_html",
]

VIS_VERSION: Final = "9.1.2"
_VIS_DIR: Final = ("templates", "lib", f"vis-{VIS_VERSION}")

KIND_COLOURS: Final[dict[str, str]] = {
    "Person": "#e15759",
    "University": "#4e79a7",
    "Institute": "#76b7b2",
    "Intergovernmental organisation": "#f28e2b",
    "Observatory": "#edc948",
    "Network": "#59a14f",
    "Network chapter": "#8cd17d",
    "Partnership": "#b07aa1",
    "Research project": "#d4a6c8",
    "State investment bank": "#9c755f",
    "Innovation agency": "#ff9da7",
    "Public agency": "#86bcb6",
    "Strategic or sectoral government unit": "#bab0ac",
    "Government department": "#d37295",
    "City": "#fabfd2",
    "Foundation": "#b6992d",
    "Private organisation": "#499894",
}
"""Colour of each kind of actor (labels of the ontology's classes)."""

_FALLBACK_COLOURS: Final = (
    "#a0cbe8", "#ffbe7d", "#f1ce63", "#79706e", "#d7b5a6", "#8cd17d", "#b6992d", "#9d7660",
)  # fmt: skip

EDGE_STYLES: Final[dict[str, dict[str, Any]]] = {
    "party_to": {"color": "#f28e2b", "dashes": False, "arrows": False},
    "signed": {"color": "#e15759", "dashes": [2, 4], "arrows": True},
    "holds_post": {"color": "#4e79a7", "dashes": False, "arrows": True},
    "head_of": {"color": "#1f3b73", "dashes": [6, 3], "arrows": True},
    "member_of": {"color": "#59a14f", "dashes": False, "arrows": True},
    "unit_of": {"color": "#76b7b2", "dashes": [8, 4], "arrows": True},
    "took_part": {"color": "#b07aa1", "dashes": [4, 4], "arrows": False},
    "shared": {"color": "#7f7f7f", "dashes": False, "arrows": False},
}
"""Style of each edge type; other types (``hosted_by``, ``focal_point``…) are dotted brown."""
_OTHER_EDGE: Final = {"color": "#9c755f", "dashes": [1, 3], "arrows": True}


@dataclass(frozen=True)
class RenderOptions:
    """What to draw and how.

    Attributes:
        projection: ``actor``, ``organisation`` or ``bipartite``.
        focus: Draw only the ego network of this actor (IRI, label or alias).
        radius: Steps from ``focus``.
        as_of: Draw what was valid on this day (``YYYY-MM-DD``).
        size_by: The metric that sizes nodes (one of :data:`moikg.network.analysis.METRICS`).
        title: Page title; a default names the projection, focus and date.
        seed: Seed of the layout.
    """

    projection: ProjectionName = "actor"
    focus: str | None = None
    radius: int = 1
    as_of: str | None = None
    size_by: str = "degree"
    title: str | None = None
    seed: int = 42


def layout(graph: nx.Graph, *, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Place the nodes with igraph's Fruchterman–Reingold layout, reproducibly.

    Args:
        graph: Any projection.
        seed: Seed of the starting positions.

    Returns:
        Node → (x, y) in screen units, spread so that labels have room.
    """
    simple = simple_graph(graph)
    order = sorted(simple.nodes, key=str)
    n = len(order)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(order)}
    g = ig.Graph(n=n, edges=[(index[u], index[v]) for u, v in simple.edges()])
    if n > 1:
        with igraph_seed(seed):
            coords = np.array(g.layout_fruchterman_reingold(niter=500, grid="auto").coords)
    else:
        coords = np.zeros((1, 2))
    coords -= coords.mean(axis=0)
    spread = float(np.abs(coords).max()) or 1.0
    radius = 120.0 * math.sqrt(n) + 150.0
    coords *= radius / spread
    return {node: (float(x), float(y)) for node, (x, y) in zip(order, coords, strict=True)}


def _read(package: str, *parts: str) -> str:
    try:
        return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as error:
        raise MoikgError(
            f"cannot read {package}/{'/'.join(parts)} ({error}); reinstall moikg and pyvis"
        ) from None


def _json_block(value: object) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _check_inline(name: str, script: str) -> str:
    if re.search(r"</script", script, re.IGNORECASE):
        raise MoikgError(f"{name} contains '</script' and cannot be inlined")
    return script


def _colours(kinds: list[str]) -> dict[str, str]:
    colours: dict[str, str] = {}
    spare = iter(_FALLBACK_COLOURS * (len(kinds) // len(_FALLBACK_COLOURS) + 1))
    for kind in kinds:
        colours[kind] = KIND_COLOURS.get(kind) or next(spare)
    return colours


def _metric_values(graph: nx.Graph, size_by: str) -> dict[str, float]:
    if size_by not in METRICS or size_by in ("community", "component", "articulation"):
        usable = [m for m in METRICS if m not in ("community", "component", "articulation")]
        raise InputError(f"--size-by {size_by!r}: use one of {', '.join(usable)}")
    analysis = analyse(graph, options=AnalysisOptions(metrics=(size_by,)))
    values = {}
    for row in analysis.nodes:
        value = getattr(row, size_by)
        values[row.iri] = 0.0 if value is None or math.isnan(float(value)) else float(value)
    return values


def _text_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return [str(value)]


def _page_data(graph: nx.Graph, *, title: str, size_by: str, seed: int) -> dict[str, Any]:
    positions = layout(graph, seed=seed)
    metric = _metric_values(graph, size_by)
    top = max(metric.values(), default=0.0) or 1.0
    kinds = Counter(str(graph.nodes[n].get("kind") or "Unknown") for n in graph.nodes)
    kind_order = sorted(kinds, key=lambda k: (-kinds[k], k))
    colours = _colours(kind_order)
    nodes = []
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        x, y = positions[node]
        value = metric.get(str(node), 0.0)
        nodes.append(
            {
                "id": str(node),
                "label": str(data.get("label") or node),
                "kind": str(data.get("kind") or "Unknown"),
                "country": data.get("country") or None,
                "aliases": _text_list(data.get("aliases")),
                "posts": _text_list(data.get("posts")),
                "sources": _text_list(data.get("sources")),
                "x": round(x, 2),
                "y": round(y, 2),
                "size": round(10.0 + 30.0 * math.sqrt(value / top), 2) if value > 0 else 8.0,
                "metricText": f"{value:.4g}",
            }
        )
    edges = []
    parallel: defaultdict[frozenset[str], int] = defaultdict(int)
    types: Counter[str] = Counter()
    for u, v, data in sorted(
        graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("type")))
    ):
        pair = frozenset((str(u), str(v)))
        k = parallel[pair]
        parallel[pair] += 1
        curve = 0 if k == 0 else (k + 1) // 2 * (1 if k % 2 else -1)
        type_ = str(data.get("type") or "related")
        types[type_] += 1
        edges.append(
            {
                "from": str(u),
                "to": str(v),
                "type": type_,
                "label": str(data.get("label") or type_.replace("_", " ")),
                "date": data.get("date") or None,
                "detail": data.get("detail") or None,
                "via_label": data.get("via_label") or None,
                "weight": data.get("weight", 1),
                "sources": _text_list(data.get("sources")),
                "curve": curve,
            }
        )
    edge_types = []
    for type_ in sorted(types, key=lambda t: (-types[t], t)):
        style = EDGE_STYLES.get(type_, _OTHER_EDGE)
        edge_types.append(
            {
                "type": type_,
                "label": EDGE_TYPES.get(type_) or type_.replace("_", " "),
                "count": types[type_],
                **style,
            }
        )
    return {
        "title": title,
        "sizeBy": size_by.replace("_", " "),
        "kinds": [{"name": k, "color": colours[k], "count": kinds[k]} for k in kind_order],
        "edgeTypes": edge_types,
        "nodes": nodes,
        "edges": edges,
    }


def _default_title(graph: nx.Graph) -> str:
    projection = str(graph.graph.get("projection") or "actor")
    parts = [f"moikg: {projection} network"]
    focus = graph.graph.get("focus")
    if focus:
        label = graph.nodes[focus].get("label", focus) if focus in graph else focus
        parts.append(f"around {label} (radius {graph.graph.get('radius', 1)})")
    if graph.graph.get("as_of"):
        parts.append(f"as of {graph.graph['as_of']}")
    return " ".join(parts)


def render_html(
    graph: nx.Graph, *, size_by: str = "degree", title: str | None = None, seed: int = 42
) -> str:
    """Write the page for a projection (module docstring).

    Args:
        graph: A projection from :mod:`moikg.network.projection`, or any graph whose nodes carry
            ``label`` and ``kind`` (and optionally ``aliases``, ``posts``, ``sources``,
            ``country``) and whose edges carry ``type`` (and optionally ``date``, ``sources``).
        size_by: The metric that sizes nodes.
        title: Page title; defaults to the projection's name, focus and date.
        seed: Seed of the layout.

    Returns:
        The HTML text.

    Raises:
        InputError: Unknown ``size_by`` metric.
        MoikgError: vis-network's files are missing from the pyvis package.
    """
    page_title = title or _default_title(graph)
    vis_js = _check_inline("vis-network.min.js", _read("pyvis", *_VIS_DIR, "vis-network.min.js"))
    page_js = _check_inline("network.js", _read("moikg.network", "templates", "network.js"))
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_script_hash(vis_js)} {_script_hash(page_js)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "font-src 'none'",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    data = _page_data(graph, title=page_title, size_by=size_by, seed=seed)
    values = {
        "CSP": html.escape(csp),
        "VERSION": html.escape(__version__),
        "VIS_VERSION": VIS_VERSION,
        "TITLE": html.escape(page_title),
        "VIS_CSS": _read("pyvis", *_VIS_DIR, "vis-network.css"),
        "PAGE_CSS": _read("moikg.network", "templates", "network.css"),
        "DATA": _json_block(data),
        "VIS_JS": vis_js,
        "PAGE_JS": page_js,
    }
    template = _read("moikg.network", "templates", "network.html")
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m[1]], template)


def render(
    source: Source | None = None,
    *,
    out: Path | None = None,
    options: RenderOptions | None = None,
) -> Path:
    """Project, lay out and write the page, atomically.

    Args:
        source: A dataset, a SPARQL endpoint URL, or None for the project's ``graph/``.
        out: The file to write; defaults to ``build/network.html``.
        options: Projection, focus, date, sizing and title.

    Returns:
        The path written.

    Raises:
        InputError: Bad projection, date, focus actor or metric.
    """
    chosen = options or RenderOptions()
    graph = project(
        source,
        options=ProjectionOptions(
            projection=chosen.projection,
            as_of=chosen.as_of,
            focus=chosen.focus,
            radius=chosen.radius,
        ),
    )
    text = render_html(graph, size_by=chosen.size_by, title=chosen.title, seed=chosen.seed)
    target = Path(out) if out is not None else _paths.build_dir() / "network.html"
    return write_text_atomic(target, text)
