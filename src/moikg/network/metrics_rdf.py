"""An analysis as RDF: the metrics as one named graph that says how and when they were computed.

The quads are built with pyoxigraph and written by its TriG serialiser (RDF 1.1
TriG), which keeps every ``xsd:double`` in full (rdflib's writer shortens them).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

import igraph as ig
import networkx as nx
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize
from rdflib import Namespace, URIRef

from moikg._atomic import write_text_atomic
from moikg.network.analysis import Analysis
from moikg.rdf.namespaces import BASE, GRAPH, OWL, PROV, RDF, RDFS, XSD

__all__ = ["METRIC", "metrics_graph_iri", "to_rdf", "write_rdf"]

METRIC: Final = Namespace(BASE + "metric#")
"""Properties of the metrics graph: ``metric:betweenness`` etc., described in the graph itself."""

_PREFIXES: Final = {
    "metric": str(METRIC),
    "prov": str(PROV),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


def metrics_graph_iri(projection: str) -> URIRef:
    """The named graph of a projection's metrics: ``…/graph/metrics-<projection>``.

    >>> str(metrics_graph_iri("actor"))
    'https://w3id.org/moikg/graph/metrics-actor'
    """
    return URIRef(f"{GRAPH}metrics-{projection or 'graph'}")


def _iri(value: object) -> NamedNode:
    return NamedNode(str(value))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _typed(value: object) -> Literal:
    """A metric value as ``xsd:boolean``, ``xsd:integer`` or ``xsd:double`` (full precision)."""
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_iri(XSD.boolean))
    if isinstance(value, int):
        return Literal(str(value), datatype=_iri(XSD.integer))
    return Literal(repr(float(value)), datatype=_iri(XSD.double))  # type: ignore[arg-type]


def to_rdf(analysis: Analysis) -> list[Quad]:
    """The metrics as quads of one named graph, with how and when they were computed.

    Each node gets ``metric:<name>`` values (``xsd:double``, ``xsd:integer`` or
    ``xsd:boolean``). The graph describes itself with PROV-O: it is a ``prov:Entity``
    ``prov:wasGeneratedBy`` a ``prov:Activity`` with ``prov:endedAtTime``, the software
    (``prov:used``) and the seed; each metric property carries its method as
    ``rdfs:comment`` (:data:`~moikg.network.analysis.METRIC_METHODS`).

    Returns:
        The quads, all in the graph :func:`metrics_graph_iri` names.
    """
    graph = _iri(metrics_graph_iri(analysis.projection))
    activity = _iri(f"{graph.value}#computation")
    when = Literal(analysis.computed_at.isoformat(), datatype=_iri(XSD.dateTime))
    quads: list[Quad] = []

    def add(s: NamedNode, p: object, o: NamedNode | Literal) -> None:
        quads.append(Quad(s, _iri(p), o, graph))

    add(graph, RDF.type, _iri(PROV.Entity))
    add(graph, RDFS.label, Literal(f"Network metrics of the {analysis.projection} projection"))
    add(graph, PROV.wasGeneratedBy, activity)
    add(graph, PROV.generatedAtTime, when)
    add(activity, RDF.type, _iri(PROV.Activity))
    add(activity, RDFS.label, Literal("moikg analyse"))
    add(activity, PROV.endedAtTime, when)
    add(activity, METRIC["projection"], Literal(analysis.projection))
    add(activity, METRIC["seed"], _typed(analysis.seed))
    if analysis.as_of:
        add(activity, METRIC["asOf"], Literal(analysis.as_of, datatype=_iri(XSD.date)))
    if analysis.modularity is not None and not math.isnan(analysis.modularity):
        add(activity, METRIC["modularity"], _typed(float(analysis.modularity)))
    for software, version in (("igraph", ig.__version__), ("networkx", nx.__version__)):
        add(activity, PROV.used, Literal(f"{software} {version}"))
    for name in analysis.metrics:
        prop = _iri(METRIC[_camel(name)])
        add(prop, RDF.type, _iri(OWL.DatatypeProperty))
        add(prop, RDFS.label, Literal(name.replace("_", " "), language="en"))
        add(prop, RDFS.comment, Literal(analysis.methods[name], language="en"))
        add(activity, METRIC["computed"], prop)
    for row in analysis.nodes:
        node = _iri(row.iri)
        for name in analysis.metrics:
            value = getattr(row, name)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            add(node, METRIC[_camel(name)], _typed(value))
    return quads


def write_rdf(analysis: Analysis, path: Path) -> Path:
    """Write :func:`to_rdf` as TriG, atomically (an earlier file stays untouched on failure)."""
    text = serialize(to_rdf(analysis), format=RdfFormat.TRIG, prefixes=_PREFIXES)
    if text is None:  # pragma: no cover - serialize returns bytes when given no output
        raise TypeError("pyoxigraph.serialize returned no bytes")
    return write_text_atomic(Path(path), text.decode("utf-8"))
