"""What the network page shows: node and edge styles, the layout, and the page's data block.

Layout is computed here (igraph's Fruchterman–Reingold, seeded) and physics is off, so the
page draws once and is ready. Nodes are coloured and shaped by kind, sized by a chosen metric
(:mod:`moikg.network.analysis`), and edges styled by type; :mod:`moikg.network.page` puts the
data block into the HTML page.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Any, Final

import networkx as nx
import numpy as np

from moikg._collect import no_cycle_collection
from moikg.errors import InputError
from moikg.network.analysis import METRICS, AnalysisOptions, analyse_view, igraph_seed
from moikg.network.view import SimpleView, simple_view

__all__ = [
    "COMMUNITY_COLOURS",
    "CO_ATTENDANCE_LIMIT",
    "EDGE_STYLES",
    "KIND_COLOURS",
    "KIND_STYLES",
    "default_title",
    "layout",
    "page_data",
]

# Okabe & Ito's colour-blind-safe palette (Okabe and Ito 2008, "Color Universal Design").
_ORANGE, _SKY, _GREEN, _YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
_BLUE, _VERMILLION, _PURPLE, _BLACK, _GREY = "#0072B2", "#D55E00", "#CC79A7", "#000000", "#999999"

KIND_STYLES: Final[dict[str, tuple[str, str]]] = {
    # people: dots
    "Person": (_VERMILLION, "dot"),
    # research and knowledge: squares
    "University": (_BLUE, "square"),
    "Institute": (_SKY, "square"),
    "Observatory": (_GREEN, "square"),
    "Research project": (_YELLOW, "square"),
    # public bodies: triangles
    "Intergovernmental organisation": (_ORANGE, "triangle"),
    "Innovation agency": (_PURPLE, "triangle"),
    "Public agency": (_SKY, "triangle"),
    "Strategic or sectoral government unit": (_GREEN, "triangle"),
    "Government department": (_BLUE, "triangle"),
    "City": (_YELLOW, "triangle"),
    "State investment bank": (_VERMILLION, "triangle"),
    # networks and collaborations: diamonds
    "Network": (_GREEN, "diamond"),
    "Network chapter": (_YELLOW, "diamond"),
    "Partnership": (_PURPLE, "diamond"),
    # private and civil society: hexagons
    "Foundation": (_ORANGE, "hexagon"),
    "Private organisation": (_BLUE, "hexagon"),
    "Organisation": (_GREY, "hexagon"),
}
"""Colour and shape of each kind of actor (labels of the ontology's classes): the shape says
the family (people, research, public bodies, collaborations, private), the colour (Okabe–Ito)
the kind within it, so no two kinds look alike even to a colour-blind reader."""

KIND_COLOURS: Final[dict[str, str]] = {kind: colour for kind, (colour, _) in KIND_STYLES.items()}
"""Colour of each kind of actor (see :data:`KIND_STYLES`)."""

_SPARE_STYLES: Final = tuple(
    (colour, shape)
    for shape in ("star", "triangleDown", "hexagon", "square", "diamond", "triangle", "dot")
    for colour in (_ORANGE, _SKY, _GREEN, _YELLOW, _BLUE, _VERMILLION, _PURPLE, _BLACK)
)
_ARTEFACT_SHAPES: Final = {"event": "star", "agreement": "triangleDown"}
_ARTEFACT_COLOURS: Final = (_BLACK, _GREY, _ORANGE, _SKY, _GREEN, _YELLOW, _BLUE, _VERMILLION)

# Paul Tol's "muted" scheme (Tol 2021, "Colour schemes"), for communities; the rest grey.
COMMUNITY_COLOURS: Final = (
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
    "#882255", "#44AA99", "#999933", "#AA4499",
)  # fmt: skip
_PALE: Final = "#DDDDDD"

EDGE_STYLES: Final[dict[str, dict[str, Any]]] = {
    "party_to": {"color": _ORANGE, "dashes": False, "width": 3, "arrows": False},
    "signed": {"color": _VERMILLION, "dashes": [2, 4], "width": 2, "arrows": True},
    "holds_post": {"color": _BLUE, "dashes": False, "width": 2, "arrows": True},
    "head_of": {"color": _BLACK, "dashes": [10, 4], "width": 2, "arrows": True},
    "member_of": {"color": _GREEN, "dashes": False, "width": 1.5, "arrows": True},
    "unit_of": {"color": _SKY, "dashes": [8, 4], "width": 2, "arrows": True},
    "took_part": {"color": _GREY, "dashes": [3, 3], "width": 1, "arrows": False},
    "shared": {"color": _GREY, "dashes": False, "width": 1.5, "arrows": False},
}
"""Style of each edge type: colour (Okabe–Ito), dash pattern, width and arrow differ so that
no two relation types look alike. Other types (``hosted_by``, ``focal_point``…) take the
purple of :data:`_OTHER_DASHES`, each with its own dash pattern."""
_OTHER_DASHES: Final = ([12, 3, 2, 3], [1, 3], [6, 2, 1, 2, 1, 2], [4, 1], [14, 6], [2, 2, 8, 2])
_SYMMETRIC: Final = frozenset({"party_to", "took_part", "shared"})
"""Relations that read the same both ways (undirected in GEXF)."""

CO_ATTENDANCE_LIMIT: Final = 40
"""Above this many "took part in the same event" edges, the page starts with them hidden:
they would hide the rest of the structure (they stay one click away)."""


def layout(graph: nx.Graph, *, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Place the nodes with igraph's Fruchterman–Reingold layout, reproducibly.

    Args:
        graph: Any projection.
        seed: Seed of the starting positions.

    Returns:
        Node → (x, y) in screen units, spread so that labels have room.
    """
    return _layout(simple_view(graph), seed)


def _layout(view: SimpleView, seed: int) -> dict[Any, tuple[float, float]]:
    order = view.order
    n = len(order)
    if n == 0:
        return {}
    g = view.igraph(weighted=False)
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


def _kind_styles(kinds: list[str], artefacts: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Colour and shape per kind: the fixed ones, then unused pairs; artefacts by their kind."""
    styles: dict[str, tuple[str, str]] = {}
    used = {KIND_STYLES[k] for k in kinds if k in KIND_STYLES and k not in artefacts}
    spare = (pair for pair in _SPARE_STYLES if pair not in used)
    counters: Counter[str] = Counter()
    for kind in kinds:
        if kind in artefacts:
            family = artefacts[kind]
            colour = _ARTEFACT_COLOURS[counters[family] % len(_ARTEFACT_COLOURS)]
            counters[family] += 1
            styles[kind] = (colour, _ARTEFACT_SHAPES.get(family, "star"))
        elif kind in KIND_STYLES:
            styles[kind] = KIND_STYLES[kind]
        else:
            styles[kind] = next(spare, (_GREY, "dot"))
    return styles


def _edge_styles(types: list[str]) -> dict[str, dict[str, Any]]:
    styles = {}
    others = iter(_OTHER_DASHES * (len(types) // len(_OTHER_DASHES) + 1))
    for type_ in types:
        style = EDGE_STYLES.get(type_) or {
            "color": _PURPLE, "dashes": next(others), "width": 1.5, "arrows": True
        }  # fmt: skip
        styles[type_] = {**style, "symmetric": type_ in _SYMMETRIC}
    return styles


def _metrics(
    graph: nx.Graph, view: SimpleView, size_by: str, seed: int
) -> tuple[dict[str, float], dict[str, int]]:
    """The sizing metric and the Leiden communities (numbered from the largest), in one pass."""
    if size_by not in METRICS or size_by in ("community", "component", "articulation"):
        usable = [m for m in METRICS if m not in ("community", "component", "articulation")]
        raise InputError(
            f"size_by={size_by!r}: use one of {', '.join(usable)}", parameter="size_by"
        )
    if graph.number_of_nodes() == 0:
        return {}, {}
    options = AnalysisOptions(metrics=(size_by, "community"), seed=seed)
    analysis = analyse_view(graph, view, options=options)
    values = {}
    for row in analysis.nodes:
        value = getattr(row, size_by)
        values[row.iri] = 0.0 if value is None or math.isnan(float(value)) else float(value)
    raw = {row.iri: row.community for row in analysis.nodes if row.community is not None}
    sizes = Counter(raw.values())
    order = {c: i for i, c in enumerate(sorted(sizes, key=lambda c: (-sizes[c], c)))}
    return values, {iri: order[c] for iri, c in raw.items()}


def _text_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return [str(value)]


class _SourceTable:
    """The page's list of source documents; nodes and edges refer to them by index."""

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents
        self.index: dict[str, int] = {}
        self.rows: list[dict[str, Any]] = []

    def refs(self, sources: object, evidence: object) -> list[list[Any]]:
        """``[[index, [sentence…]], …]`` for a node's or edge's sources.

        A source that gives no sentence is ``[index]`` alone.
        """
        texts = evidence if isinstance(evidence, dict) else {}
        refs = []
        for source in _text_list(sources):
            if source not in self.index:
                doc = self.documents.get(source, {})
                url = doc.get("url") or (source if re.match(r"https?://", source) else None)
                self.index[source] = len(self.rows)
                self.rows.append(
                    {"iri": source, "title": doc.get("title"), "url": url,
                     "issued": doc.get("issued")}
                )  # fmt: skip
            sentences = _text_list(texts.get(source))
            refs.append([self.index[source], sentences] if sentences else [self.index[source]])
        return refs


def _timing(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "since": data.get("since") or None,
        "until": data.get("until") or None,
        "undated": bool(data.get("undated")),
    }


def _compact(item: dict[str, Any], keep: frozenset[str]) -> dict[str, Any]:
    """The item without its empty fields (None, False, empty lists), except those in ``keep``.

    The page reads a missing field as empty; at 20,000 nodes this halves the data block.
    """
    return {
        k: v
        for k, v in item.items()
        if k in keep or not (v is None or v is False or (isinstance(v, list) and not v))
    }


_NODE_KEEP: Final = frozenset({"id", "label", "kind", "community", "x", "y", "size"})
_EDGE_KEEP: Final = frozenset({"s", "t", "type"})


@no_cycle_collection()
def page_data(graph: nx.Graph, *, title: str, size_by: str, seed: int) -> dict[str, Any]:
    """The page's data block: nodes, edges, styles, legend and sources, as the page script reads it.

    Python's cycle collector is paused meanwhile (:mod:`moikg._collect`): the block is a few
    hundred thousand small dictionaries and lists, none in a cycle.

    Raises:
        InputError: Unknown ``size_by`` metric (naming ``size_by``).
    """
    view = simple_view(graph)
    metric, community = _metrics(graph, view, size_by, seed)  # first: checks size_by
    positions = _layout(view, seed)
    top = max(metric.values(), default=0.0) or 1.0
    kinds = Counter(str(graph.nodes[n].get("kind") or "Unknown") for n in graph.nodes)
    artefacts = {
        str(d.get("kind") or "Unknown"): str(d.get("artefact") or "event")
        for _, d in graph.nodes(data=True)
        if d.get("bipartite") == 1
    }
    kind_order = sorted(kinds, key=lambda k: (k in artefacts, -kinds[k], k))
    styles = _kind_styles(kind_order, artefacts)
    table = _SourceTable(dict(graph.graph.get("documents") or {}))
    days: set[str] = set()
    nodes = []
    order = sorted(graph.nodes, key=str)
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        data = graph.nodes[node]
        x, y = positions[node]
        value = metric.get(str(node), 0.0)
        timing = _timing(data)
        days.update(d for d in (timing["since"], timing["until"]) if d)
        nodes.append(
            _compact(
                {
                    "id": str(node),
                    "label": str(data.get("label") or node),
                    "kind": str(data.get("kind") or "Unknown"),
                    "country": data.get("country") or None,
                    "date": data.get("date") or None,
                    "aliases": _text_list(data.get("aliases")),
                    "posts": _text_list(data.get("posts")),
                    "sources": table.refs(data.get("sources"), data.get("evidence")),
                    "community": community.get(str(node)),
                    "x": round(x, 2),
                    "y": round(y, 2),
                    "size": round(10.0 + 30.0 * math.sqrt(value / top), 2) if value > 0 else 8.0,
                    "metricText": f"{value:.4g}",
                    **timing,
                },
                _NODE_KEEP,
            )
        )
    edges = []
    parallel: defaultdict[frozenset[str], int] = defaultdict(int)
    types: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for u, v, data in sorted(
        graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("type")))
    ):
        pair = frozenset((str(u), str(v)))
        k = parallel[pair]
        parallel[pair] += 1
        curve = 0 if k == 0 else (k + 1) // 2 * (1 if k % 2 else -1)
        type_ = str(data.get("type") or "related")
        types[type_] += 1
        label = str(data.get("label") or type_.replace("_", " "))
        labels.setdefault(type_, label)
        timing = _timing(data)
        days.update(d for d in (timing["since"], timing["until"]) if d)
        tail, head = (data["tail"], data["head"]) if "tail" in data else (u, v)
        weight = data.get("weight", 1)
        edges.append(
            _compact(
                {
                    "s": position[tail],
                    "t": position[head],
                    "type": type_,
                    "label": None if label == labels[type_] else label,
                    "date": data.get("date") or None,
                    "detail": data.get("detail") or None,
                    "via_label": data.get("via_label") or None,
                    "weight": None if weight == 1 else weight,
                    "sources": table.refs(data.get("sources"), data.get("evidence")),
                    "curve": curve or None,
                    **timing,
                },
                _EDGE_KEEP,
            )
        )
    type_order = sorted(types, key=lambda t: (-types[t], t))
    edge_styles = _edge_styles(type_order)
    bipartite = graph.graph.get("projection") == "bipartite"
    crowded = not bipartite and types["took_part"] > CO_ATTENDANCE_LIMIT
    edge_types = [
        {
            "type": type_,
            "label": labels[type_],
            "count": types[type_],
            "on": not (crowded and type_ == "took_part"),
            **edge_styles[type_],
        }
        for type_ in type_order
    ]
    sizes = Counter(community.values())
    communities: list[dict[str, Any]] = [
        {"id": c, "color": COMMUNITY_COLOURS[c], "count": sizes[c]}
        for c in sorted(sizes)
        if c < len(COMMUNITY_COLOURS)
    ]
    rest = sum(n for c, n in sizes.items() if c >= len(COMMUNITY_COLOURS))
    if rest:
        communities.append({"id": None, "color": _PALE, "count": rest})
    stem = "moikg-" + str(graph.graph.get("projection") or "actor") + "-network"
    return {
        "title": title,
        "fileStem": stem,
        "projection": str(graph.graph.get("projection") or ""),
        "sizeBy": size_by.replace("_", " "),
        "note": (
            f"“{labels['took_part']}” ({types['took_part']} edges) is off at first: "
            "tick it under Relations to draw it."
            if crowded
            else ""
        ),
        "kinds": [
            {
                "name": k,
                "color": styles[k][0],
                "shape": styles[k][1],
                "count": kinds[k],
                "artefact": k in artefacts,
            }
            for k in kind_order
        ],
        "edgeTypes": edge_types,
        "communities": communities,
        "sources": table.rows,
        "dates": sorted(days),
        "nodes": nodes,
        "edges": edges,
    }


def default_title(graph: nx.Graph) -> str:
    """The page's title: the projection, its focus and radius, its day."""
    projection = str(graph.graph.get("projection") or "actor")
    parts = [f"moikg: {projection} network"]
    focus = graph.graph.get("focus")
    if focus:
        label = graph.nodes[focus].get("label", focus) if focus in graph else focus
        parts.append(f"around {label} (radius {graph.graph.get('radius', 1)})")
    if graph.graph.get("as_of"):
        parts.append(f"as of {graph.graph['as_of']}")
    return " ".join(parts)
