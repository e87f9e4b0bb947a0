"""Describe a build as a dataset, so that it can be cited: VoID and DCAT (issue 8, part C).

``describe_dataset`` returns a small graph about the build: the dataset as a
``void:Dataset`` and ``dcat:Dataset`` (VoID §4, "Describing datasets"; DCAT 3
§6.6) with its title, licence, version (``owl:versionInfo`` and
``dcat:version``, read from ``ontology/moi.ttl``, the one place the version
lives), date of issue, triple count (``void:triples``, the RDF merge: each
triple once), the source documents (``dcterms:source``) and one
``void:subset`` per named graph, each with its own triple count and source.

The date of issue is the day of the build in UTC, or the day of
``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/)
when that is set, so that a build can be made byte for byte again.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Final

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from moikg.ingest.counts import GraphCounts, graph_counts
from moikg.ingest.export import oxigraph_store
from moikg.ingest.flat_turtle import flat_turtle
from moikg.ingest.load import ONTOLOGY_GRAPH, named_graphs
from moikg.rdf.namespaces import BASE, MOI, SCHEMA, bind_prefixes

_DCAT_VERSION: Final = URIRef(str(DCAT) + "version")
"""``dcat:version`` (DCAT 3), which rdflib's closed DCAT namespace does not list yet."""

__all__ = ["DATASET", "LICENCE", "dataset_turtle", "dataset_version", "describe_dataset"]

DATASET: Final = URIRef(BASE + "dataset")
"""The IRI of the moikg dataset."""

LICENCE: Final = URIRef("https://creativecommons.org/licenses/by/4.0/")
"""The data licence (CC BY 4.0; LICENSE-DATA in the repository)."""

_TITLE: Final = "moikg: a knowledge graph of mission-oriented innovation actors"
_SD: Final = Namespace("http://www.w3.org/ns/sparql-service-description#")
_SOURCE_CLASSES: Final = (SCHEMA.NewsArticle, SCHEMA.WebPage, MOI.CurationNote)


def dataset_version(ontology: Graph) -> str | None:
    """Return the version of the data: the one ``owl:versionInfo`` of the ontology.

    Args:
        ontology: ``ontology/moi.ttl``, parsed.

    Returns:
        The version, e.g. ``"0.3.0"``; None when the ontology does not state exactly one.
    """
    versions = {
        str(v) for onto in ontology.subjects(RDF.type, OWL.Ontology)
        for v in ontology.objects(onto, OWL.versionInfo)
    }  # fmt: skip
    return versions.pop() if len(versions) == 1 else None


def _issued() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return when.date().isoformat()


def describe_dataset(dataset: Dataset, *, counts: GraphCounts | None = None) -> Graph:
    """Describe a loaded dataset (sources and ontology) with VoID and DCAT.

    Args:
        dataset: The dataset of a build: one named graph per source, plus the ontology graph.
        counts: The dataset's triple counts, if already computed (:func:`graph_counts`).

    Returns:
        The description, a graph with the project prefixes and ``void:``/``dcat:`` bound.
    """
    out = _bound()
    out.addN((s, p, o, out) for s, p, o in _statements(dataset, counts))
    return out


def dataset_turtle(dataset: Dataset, *, counts: GraphCounts | None = None) -> str:
    """The text of ``dataset.ttl``: :func:`describe_dataset`'s graph in Turtle.

    The same text as ``describe_dataset(dataset).serialize(format="turtle")``, written by
    :func:`moikg.ingest.flat_turtle.flat_turtle` without rdflib's per-triple work (at 1M
    triples a fraction of the time: ``benchmarks/summary_describe.py``).

    Args:
        dataset: The dataset of a build: one named graph per source, plus the ontology graph.
        counts: The dataset's triple counts, if already computed (:func:`graph_counts`).

    Returns:
        The Turtle text.
    """
    return flat_turtle(_statements(dataset, counts), _bound())


def _bound() -> Graph:
    """An empty graph with the prefixes the description is written with."""
    out = Graph()
    bind_prefixes(out)
    out.bind("void", VOID)
    out.bind("dcat", DCAT)
    out.bind("sd", _SD)
    return out


def _statements(
    dataset: Dataset, counts: GraphCounts | None
) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The triples of the description, in the order they are stated."""
    store = oxigraph_store(dataset)
    graphs = named_graphs(dataset)
    ontology = Graph()
    ontology.addN((s, p, o, ontology) for s, p, o in dataset.graph(ONTOLOGY_GRAPH))
    version = dataset_version(ontology)
    d = DATASET
    out: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (d, RDF.type, VOID.Dataset),
        (d, RDF.type, DCAT.Dataset),
        (d, DCTERMS.title, Literal(_TITLE, lang="en")),
        (d, RDFS.label, Literal(_TITLE, lang="en")),
        (d, DCTERMS.license, LICENCE),
    ]
    if version is not None:
        out.append((d, OWL.versionInfo, Literal(version)))
        out.append((d, _DCAT_VERSION, Literal(version)))
    out.append((d, DCTERMS.issued, Literal(_issued(), datatype=XSD.date)))
    out.append((d, VOID.vocabulary, URIRef(str(MOI))))
    out.append((d, DCTERMS.conformsTo, URIRef(BASE + "ontology")))
    counted = counts if counts is not None else graph_counts(dataset)
    classes = " ".join(f"<{c}>" for c in _SOURCE_CLASSES)
    found = _per_graph(
        store,
        f"SELECT DISTINCT ?g ?n WHERE {{ VALUES ?c {{ {classes} }} GRAPH ?g {{ ?n a ?c }} "
        "FILTER(isIRI(?n)) }",
    )
    sources: dict[str, list[str]] = {}
    for graph, source in found:
        sources.setdefault(graph, []).append(source)
    for iri in graphs:
        size = counted.per_graph.get(str(iri), 0)
        if not size:
            continue
        subset = URIRef(str(iri))
        out.append((d, VOID.subset, subset))
        out.append((subset, RDF.type, VOID.Dataset))
        out.append((subset, RDF.type, _SD.NamedGraph))
        out.append((subset, _SD.name, subset))
        out.append((subset, VOID.triples, Literal(size)))
        out.append((subset, DCTERMS.license, LICENCE))
        for source in map(URIRef, sorted(sources.get(str(iri), []))):
            out.append((subset, DCTERMS.source, source))
            out.append((subset, PROV.wasDerivedFrom, source))
            out.append((d, DCTERMS.source, source))
    out.append((d, VOID.triples, Literal(counted.merge)))
    return out


def _per_graph(store: ox.Store, select: str) -> list[tuple[str, str]]:
    """The (?g, ?n) rows of a SELECT on the store, as strings."""
    rows = store.query(select)
    return [(row["g"].value, row["n"].value) for row in rows]  # type: ignore[union-attr]
