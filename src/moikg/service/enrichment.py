"""Enrich: fetch facts about linked Wikidata items into a separate named graph, with provenance.

For every node of the sources with a verified ``owl:sameAs`` Wikidata IRI
(the catalogue query ``external-identifiers``), ``enrich`` asks a SPARQL
endpoint (Wikidata's by default) for the item's English label, country (with
the country's English label), inception, official website and, for places
only, coordinates (``queries/wikidata/enrich.rq``). The answers are kept as
Wikidata states them, on the Wikidata IRIs (``rdfs:label``, ``wdt:P17``,
``wdt:P571``, ``wdt:P856``, ``wdt:P625``), in the named graph
``https://w3id.org/moikg/graph/enrichment/wikidata``; the graph describes
itself with PROV-O (``prov:wasDerivedFrom`` the endpoint,
``prov:generatedAtTime`` the retrieval time). It is written to
``build/enrichment.trig``, never into ``graph/``: the sources stay what the
documents say. ``serve``, ``push`` and the embedded query pick it up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.term import Node

from moikg import _paths
from moikg._atomic import atomic_outputs
from moikg._paths import ENRICHMENT_FILE, display_path
from moikg.ingest.load import load_dataset
from moikg.rdf.namespaces import DCTERMS, GRAPH, PROV, RDF, RDFS, SCHEMA, WD, XSD, bind_prefixes
from moikg.rdf.terms import ancestors
from moikg.sparql.binding import bind_rows
from moikg.sparql.local import run_embedded
from moikg.sparql.prepare import PreparedQuery, check_syntax, prepare
from moikg.sparql.remote import RemoteOptions, select

__all__ = [
    "ENRICHMENT_GRAPH",
    "FIELDS",
    "WDT",
    "WIKIDATA_ENDPOINT",
    "EnrichResult",
    "enrich",
    "linked_items",
]

WIKIDATA_ENDPOINT: Final = "https://query.wikidata.org/sparql"
ENRICHMENT_GRAPH: Final = URIRef(str(GRAPH) + "enrichment/wikidata")
WDT: Final = Namespace("http://www.wikidata.org/prop/direct/")
FIELDS: Final[dict[str, URIRef]] = {
    "label": RDFS.label,
    "country": WDT.P17,
    "inception": WDT.P571,
    "website": WDT.P856,
    "coordinates": WDT.P625,
}
"""What is fetched, as the property it is stored under; coordinates only for places."""

_QUERY_FILE: Final = Path("wikidata") / "enrich.rq"


@dataclass(frozen=True)
class EnrichResult:
    """What ``enrich`` fetched and wrote.

    Attributes:
        path: The TriG file written.
        graph: The named graph it holds.
        endpoint: The endpoint asked.
        retrieved: When the answer arrived (UTC).
        items: The Wikidata IRIs asked about, sorted.
        triples: Triples in the graph, provenance included.
    """

    path: Path
    graph: URIRef
    endpoint: str
    retrieved: dt.datetime
    items: tuple[str, ...]
    triples: int


def linked_items(dataset: Dataset) -> dict[URIRef, bool]:
    """Return each Wikidata IRI a node of the dataset is ``owl:sameAs``, and whether it is a place.

    Args:
        dataset: The sources (and ontology), as from :func:`moikg.load_dataset`.

    Returns:
        Wikidata IRI → True if the linked node is a ``schema:Place`` (or a subclass).
    """
    result = run_embedded(prepare("external-identifiers"), dataset)
    closure = ancestors(dataset)
    items: dict[URIRef, bool] = {}
    for row in result.to_dicts(terms=True):
        item, node = row["identifier"], row["node"]
        if not (isinstance(item, URIRef) and str(item).startswith(str(WD))):
            continue
        items[item] = items.get(item, False) or _is_place(dataset, node, closure)
    return dict(sorted(items.items()))


def _is_place(dataset: Dataset, node: Node, closure: Mapping[URIRef, frozenset[URIRef]]) -> bool:
    return any(
        kind == SCHEMA.Place or SCHEMA.Place in closure.get(kind, frozenset())
        for kind in dataset.objects(node, RDF.type)
        if isinstance(kind, URIRef)
    )


def _enrichment_query(items: dict[URIRef, bool]) -> PreparedQuery:
    path = _paths.queries_dir() / _QUERY_FILE
    origin = display_path(path)
    text = path.read_text(encoding="utf-8")
    check_syntax(text, origin)
    rows = [
        (item, prop)
        for item, place in items.items()
        for name, prop in FIELDS.items()
        if place or name != "coordinates"
    ]
    return PreparedQuery(bind_rows(text, ("item", "property"), rows), origin, None, False)


def enrich(
    endpoint: str = WIKIDATA_ENDPOINT,
    *,
    dataset: Dataset | None = None,
    out: Path | None = None,
    options: RemoteOptions | None = None,
) -> EnrichResult:
    """Fetch facts about the linked Wikidata items and write them as a separate named graph.

    Args:
        endpoint: A SPARQL endpoint holding Wikidata (default: Wikidata's public endpoint).
        dataset: The sources; defaults to :func:`moikg.load_dataset`.
        out: The TriG file to write; defaults to ``build/enrichment.trig``.
        options: Timeout, retries and User-Agent for the endpoint.

    Returns:
        What was fetched and written.

    Raises:
        EndpointError: The endpoint cannot be reached, timed out or answered an HTTP error;
            nothing is written.
    """
    sources = dataset if dataset is not None else load_dataset()
    items = linked_items(sources)
    result = select(endpoint, _enrichment_query(items), options=options) if items else None
    retrieved = dt.datetime.now(dt.UTC).replace(microsecond=0)
    enrichment = Dataset()
    bind_prefixes(enrichment)
    enrichment.bind("wdt", WDT)
    graph = enrichment.graph(ENRICHMENT_GRAPH)
    for row in result.to_dicts(terms=True) if result else []:
        item, prop, value, label = row["item"], row["property"], row["value"], row["valueLabel"]
        if item is None or prop is None or value is None:
            continue
        graph.add((item, prop, value))
        if label is not None:
            graph.add((value, RDFS.label, label))
    source = URIRef(endpoint)
    graph.add((ENRICHMENT_GRAPH, RDF.type, PROV.Entity))
    graph.add(
        (
            ENRICHMENT_GRAPH,
            RDFS.label,
            Literal("Wikidata facts about the items moikg nodes are owl:sameAs", lang="en"),
        )
    )
    graph.add((ENRICHMENT_GRAPH, PROV.wasDerivedFrom, source))
    graph.add((ENRICHMENT_GRAPH, DCTERMS.source, source))
    stamp = Literal(retrieved.isoformat(), datatype=XSD.dateTime)
    graph.add((ENRICHMENT_GRAPH, PROV.generatedAtTime, stamp))
    target = Path(out) if out is not None else _paths.build_dir() / ENRICHMENT_FILE
    with atomic_outputs(target.parent) as batch:
        enrichment.serialize(destination=str(batch.path(target.name)), format="trig")
    return EnrichResult(
        path=target,
        graph=ENRICHMENT_GRAPH,
        endpoint=endpoint,
        retrieved=retrieved,
        items=tuple(str(item) for item in items),
        triples=len(graph),
    )
