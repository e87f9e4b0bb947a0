"""Write a projection for other tools: GraphML, GEXF, node-link JSON, nodes and edges CSV.

(:mod:`moikg.ingest.export` writes the RDF outputs of the build; this module writes the network
projections of :mod:`moikg.network.projection`.)

* GraphML (GraphML Primer, 2002; NetworkX ``write_graphml``) and GEXF take only scalar
  attributes: a list (sources, aliases, posts…) is written as its items joined by `` | ``,
  a mapping (the evidence sentences by source) and an absent value are left out. GraphML
  edges have unique ids (``e0``, ``e1``…; NetworkX would repeat a multigraph's keys).
* GEXF 1.3 (gexf.net/1.3, written here with ElementTree): relations that read the same both
  ways (:data:`SYMMETRIC`) are undirected edges, the others directed. When both kinds occur
  no file suits both readers: Gephi's importer takes only ``directed`` and ``undirected`` as
  an edge's type (``ImporterGEXF.readEdge``), and NetworkX's ``read_gexf`` refuses an
  ``undirected`` edge in a directed graph. So by default the file is for Gephi (symmetric
  edges ``undirected``); with ``mutual=True`` a symmetric edge is ``type="mutual"`` (GEXF
  1.3's "both ways"), which NetworkX reads as the two directions. Dates are spells,
  ``start``/``end`` on each node and edge (the as-of ``since``/``until``) with
  ``timeformat="date"``, so Gephi's timeline plays the network's growth; a node's spell is
  widened to cover its edges' dated spells (an edge never starts before its nodes); no
  internal key is written. GEXF reserves an edge's ``type`` for its direction, so there the
  relation type is the edge attribute ``relation``.
* Node-link JSON (NetworkX ``node_link_data``, ``edges="edges"``) keeps lists as lists.
* CSV: ``<stem>-nodes.csv`` (``id`` and the node attributes) and ``<stem>-edges.csv``
  (``source``, ``target`` and the edge attributes), lists joined by `` | ``, in UTF-8 with a
  byte-order mark so that Excel reads "IIPP–OECD" right (Python reads it with
  ``encoding="utf-8-sig"``).

Every file is written atomically: a failure leaves earlier files as they were.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Final, Literal
from xml.etree import ElementTree

import networkx as nx

from moikg._atomic import atomic_outputs
from moikg.errors import InputError

__all__ = [
    "EXPORT_FORMATS",
    "SYMMETRIC",
    "ExportFormat",
    "export_network",
    "flat_graph",
    "gexf_text",
]

ExportFormat = Literal["graphml", "gexf", "json", "csv"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = ("graphml", "gexf", "json", "csv")
SEPARATOR: Final = " | "
SYMMETRIC: Final = frozenset({"party_to", "took_part", "shared"})
"""Relation types that read the same both ways: undirected (or mutual) in GEXF."""
_GEXF_NS: Final = "http://gexf.net/1.3"
_INTERNAL: Final = frozenset({"iri", "tail", "head", "since", "until", "evidence", "key"})
"""Attributes that are not written as GEXF attributes (ids, ends, spells, mappings)."""


def _ends(u: object, v: object, data: dict[str, Any]) -> tuple[str, str]:
    """An edge's tail and head: undirected projections record them as ``tail``/``head``."""
    return str(data.get("tail", u)), str(data.get("head", v))


def _gexf_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "double"
    return "string"


def _attribute_block(
    graph_el: ElementTree.Element, kind: str, rows: list[dict[str, Any]]
) -> dict[str, str]:
    """Declare the attributes of nodes or edges; return name → GEXF id."""
    types: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            types.setdefault(name, _gexf_type(value))
    block = ElementTree.SubElement(graph_el, "attributes", {"class": kind})
    ids = {}
    for number, name in enumerate(types):
        ids[name] = str(number)
        ElementTree.SubElement(
            block, "attribute", {"id": str(number), "title": name, "type": types[name]}
        )
    return ids


def _spell(element: dict[str, str], data: dict[str, Any]) -> None:
    if data.get("since"):
        element["start"] = str(data["since"])
    if data.get("until"):
        element["end"] = str(data["until"])


def _covering_spells(
    graph: nx.Graph, edges: list[tuple[str, str, dict[str, Any]]]
) -> dict[str, dict[str, str]]:
    """Node spells widened to cover their edges: the earliest start, the latest end.

    Only dated bounds widen: an undated node already spans all time, and an edge's missing
    date says nothing about when its nodes began.
    """
    spells: dict[str, dict[str, str]] = {}
    for node, data in graph.nodes(data=True):
        _spell(spells.setdefault(str(node), {}), data)
    for tail, head, data in edges:
        edge: dict[str, str] = {}
        _spell(edge, data)
        for spell in (spells[tail], spells[head]):
            if "start" in spell and "start" in edge:
                spell["start"] = min(spell["start"], edge["start"])
            if "end" in spell and "end" in edge:
                spell["end"] = max(spell["end"], edge["end"])
    return spells


def _values(parent: ElementTree.Element, ids: dict[str, str], row: dict[str, Any]) -> None:
    values = ElementTree.SubElement(parent, "attvalues")
    for name, value in row.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        ElementTree.SubElement(values, "attvalue", {"for": ids[name], "value": text})


def _scalars(data: dict[str, Any], skip: frozenset[str]) -> dict[str, Any]:
    flat = {k: _flat(v) for k, v in data.items() if k not in skip}
    return {k: v for k, v in flat.items() if v is not None and v != ""}


def gexf_text(graph: nx.Graph, *, title: str | None = None, mutual: bool = False) -> str:
    """The projection as GEXF 1.3 text (module docstring).

    Args:
        graph: A projection.
        title: The description written in the file's ``meta``.
        mutual: Write symmetric edges of a mixed graph as ``mutual`` (for NetworkX), not
            ``undirected`` (for Gephi).

    Returns:
        The XML text.
    """
    edges = [
        (*_ends(u, v, data), data)
        for u, v, data in sorted(
            graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("type")))
        )
    ]
    symmetric = [str(d.get("type")) in SYMMETRIC or (not graph.is_directed() and "tail" not in d)
                 for _, _, d in edges]  # fmt: skip
    default = "undirected" if all(symmetric) else "directed"
    root = ElementTree.Element("gexf", {"xmlns": _GEXF_NS, "version": "1.3"})
    meta = ElementTree.SubElement(root, "meta")
    ElementTree.SubElement(meta, "creator").text = "moikg"
    projection = graph.graph.get("projection") or "network"
    as_of = f" as of {graph.graph['as_of']}" if graph.graph.get("as_of") else ""
    ElementTree.SubElement(meta, "description").text = title or f"moikg {projection}{as_of}"
    graph_el = ElementTree.SubElement(
        root, "graph", {"defaultedgetype": default, "mode": "dynamic", "timeformat": "date"}
    )
    node_rows = {n: _scalars(d, _INTERNAL | {"label"}) for n, d in graph.nodes(data=True)}
    edge_rows = [_scalars(d, _INTERNAL | {"label", "weight"}) for *_, d in edges]
    edge_rows = [{("relation" if k == "type" else k): v for k, v in r.items()} for r in edge_rows]
    node_ids = _attribute_block(graph_el, "node", list(node_rows.values()))
    edge_ids = _attribute_block(graph_el, "edge", edge_rows)
    nodes_el = ElementTree.SubElement(graph_el, "nodes")
    spells = _covering_spells(graph, edges)
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        attrs = {"id": str(node), "label": str(data.get("label") or node), **spells[str(node)]}
        _values(ElementTree.SubElement(nodes_el, "node", attrs), node_ids, node_rows[node])
    edges_el = ElementTree.SubElement(graph_el, "edges")
    for number, ((tail, head, data), sym, row) in enumerate(
        zip(edges, symmetric, edge_rows, strict=True)
    ):
        attrs = {"id": f"e{number}", "source": tail, "target": head}
        if default == "directed":
            attrs["type"] = ("mutual" if mutual else "undirected") if sym else "directed"
        if data.get("label"):
            attrs["label"] = str(data["label"])
        attrs["weight"] = str(float(data.get("weight", 1) or 1))
        _spell(attrs, data)
        _values(ElementTree.SubElement(edges_el, "edge", attrs), edge_ids, row)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _flat(value: object) -> str | int | float | bool | None:
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def flat_graph(graph: nx.Graph, *, edge_names: dict[str, str] | None = None) -> nx.Graph:
    """Copy a graph with scalar attributes only (lists joined, None left out).

    Args:
        graph: Any projection.
        edge_names: Edge attributes to rename (GEXF reserves ``type`` for edge direction).
    """
    rename = edge_names or {}
    flat = graph.__class__()
    flat.graph.update({k: v for k, v in ((k, _flat(v)) for k, v in graph.graph.items()) if v})
    # (``documents``, a mapping, is left out; node-link JSON keeps it)
    for node, data in graph.nodes(data=True):
        flat.add_node(
            node, **{k: v for k, v in ((k, _flat(v)) for k, v in data.items()) if v is not None}
        )
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        *ends, data = edge
        attributes = {
            rename.get(k, k): v
            for k, v in ((k, _flat(v)) for k, v in data.items())
            if v is not None
        }
        flat.add_edge(*ends, **attributes)
    return flat


def _columns(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _csv_text(rows: list[dict[str, Any]], first: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(rows, first), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def export_network(
    graph: nx.Graph, path: Path, *, fmt: ExportFormat, mutual: bool = False
) -> tuple[Path, ...]:
    """Write a projection in one format.

    Args:
        graph: A projection from :mod:`moikg.network.projection`.
        path: The file to write; for ``csv``, the stem of ``<stem>-nodes.csv`` and
            ``<stem>-edges.csv`` in its folder.
        fmt: ``graphml``, ``gexf``, ``json`` or ``csv``.
        mutual: GEXF only: symmetric edges of a mixed graph as ``mutual``, so that NetworkX's
            ``read_gexf`` reads the file (Gephi's importer does not take ``mutual``).

    Returns:
        The files written.

    Raises:
        InputError: Unknown format.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"fmt={fmt!r}: use one of {', '.join(EXPORT_FORMATS)}", parameter="fmt")
    target = Path(path)
    with atomic_outputs(target.parent) as batch:
        if fmt == "graphml":
            flat = flat_graph(graph)
            edges = flat.edges(keys=True) if flat.is_multigraph() else flat.edges()
            for number, edge in enumerate(sorted(edges, key=str)):
                flat.edges[edge]["edge_id"] = f"e{number}"
            nx.write_graphml(
                flat, batch.path(target.name), encoding="utf-8", edge_id_from_attribute="edge_id"
            )
            names = [target.name]
        elif fmt == "gexf":
            batch.write_text(target.name, gexf_text(graph, mutual=mutual))
            names = [target.name]
        elif fmt == "json":
            document = nx.node_link_data(graph, edges="edges")
            batch.write_text(
                target.name, json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
            )
            names = [target.name]
        else:
            stem = target.name.removesuffix(".csv")
            flat = flat_graph(graph)
            nodes = [{"id": n, **data} for n, data in flat.nodes(data=True)]
            edges = [{"source": u, "target": v, **data} for u, v, data in flat.edges(data=True)]
            names = [f"{stem}-nodes.csv", f"{stem}-edges.csv"]
            batch.write_text(names[0], "\ufeff" + _csv_text(nodes, ["id", "label", "kind"]))
            batch.write_text(names[1], "\ufeff" + _csv_text(edges, ["source", "target", "type"]))
    return tuple(target.parent / name for name in names)
