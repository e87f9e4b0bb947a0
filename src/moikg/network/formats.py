"""Write a projection for other tools: GraphML, GEXF, node-link JSON, nodes and edges CSV.

(:mod:`moikg.ingest.export` writes the RDF outputs of the build; this module writes the network
projections of :mod:`moikg.network.projection`.)

* GraphML (GraphML Primer, 2002; NetworkX ``write_graphml``) and GEXF 1.2 (opens in
  Gephi; NetworkX ``write_gexf``) take only scalar attributes: a list (sources, aliases,
  posts…) is written as its items joined by `` | ``, and an absent value is left out.
  GEXF reserves an edge's ``type`` for its direction, so there the relation type is the
  edge attribute ``relation``.
* Node-link JSON (NetworkX ``node_link_data``, ``edges="edges"``) keeps lists as lists.
* CSV: ``<stem>-nodes.csv`` (``id`` and the node attributes) and ``<stem>-edges.csv``
  (``source``, ``target`` and the edge attributes), lists joined by `` | ``.

Every file is written atomically: a failure leaves earlier files as they were.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Final, Literal

import networkx as nx

from moikg._atomic import atomic_outputs
from moikg.errors import InputError

__all__ = ["EXPORT_FORMATS", "ExportFormat", "export_network", "flat_graph"]

ExportFormat = Literal["graphml", "gexf", "json", "csv"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = ("graphml", "gexf", "json", "csv")
SEPARATOR: Final = " | "


def _flat(value: object) -> str | int | float | bool | None:
    if value is None:
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


def export_network(graph: nx.Graph, path: Path, *, fmt: ExportFormat) -> tuple[Path, ...]:
    """Write a projection in one format.

    Args:
        graph: A projection from :mod:`moikg.network.projection`.
        path: The file to write; for ``csv``, the stem of ``<stem>-nodes.csv`` and
            ``<stem>-edges.csv`` in its folder.
        fmt: ``graphml``, ``gexf``, ``json`` or ``csv``.

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
            nx.write_graphml(flat_graph(graph), batch.path(target.name), encoding="utf-8")
            names = [target.name]
        elif fmt == "gexf":
            flat = flat_graph(graph, edge_names={"type": "relation"})
            nx.write_gexf(flat, batch.path(target.name), encoding="utf-8")
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
            batch.write_text(names[0], _csv_text(nodes, ["id", "label", "kind"]))
            batch.write_text(names[1], _csv_text(edges, ["source", "target", "type"]))
    return tuple(target.parent / name for name in names)
