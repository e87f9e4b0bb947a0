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
from moikg.ingest.load import ONTOLOGY_GRAPH, named_graphs
from moikg.rdf.namespaces import BASE, MOI, SCHEMA, bind_prefixes

_DCAT_VERSION: Final = URIRef(str(DCAT) + "version")
"""``dcat:version`` (DCAT 3), which rdflib's closed DCAT namespace does not list yet."""

__all__ = ["DATASET", "LICENCE", "dataset_version", "describe_dataset"]

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
    store = oxigraph_store(dataset)
    graphs = named_graphs(dataset)
    ontology = Graph()
    ontology.addN((s, p, o, ontology) for s, p, o in dataset.graph(ONTOLOGY_GRAPH))
    version = dataset_version(ontology)
    out = Graph()
    bind_prefixes(out)
    out.bind("void", VOID)
    out.bind("dcat", DCAT)
    out.bind("sd", _SD)
    d = DATASET
    out.add((d, RDF.type, VOID.Dataset))
    out.add((d, RDF.type, DCAT.Dataset))
    out.add((d, DCTERMS.title, Literal(_TITLE, lang="en")))
    out.add((d, RDFS.label, Literal(_TITLE, lang="en")))
    out.add((d, DCTERMS.license, LICENCE))
    if version is not None:
        out.add((d, OWL.versionInfo, Literal(version)))
        out.add((d, _DCAT_VERSION, Literal(version)))
    out.add((d, DCTERMS.issued, Literal(_issued(), datatype=XSD.date)))
    out.add((d, VOID.vocabulary, URIRef(str(MOI))))
    out.add((d, DCTERMS.conformsTo, URIRef(BASE + "ontology")))
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
        out.add((d, VOID.subset, subset))
        out.add((subset, RDF.type, VOID.Dataset))
        out.add((subset, RDF.type, _SD.NamedGraph))
        out.add((subset, _SD.name, subset))
        out.add((subset, VOID.triples, Literal(size)))
        out.add((subset, DCTERMS.license, LICENCE))
        for source in map(URIRef, sorted(sources.get(str(iri), []))):
            out.add((subset, DCTERMS.source, source))
            out.add((subset, PROV.wasDerivedFrom, source))
            out.add((d, DCTERMS.source, source))
    out.add((d, VOID.triples, Literal(counted.merge)))
    return out


def _per_graph(store: ox.Store, select: str) -> list[tuple[str, str]]:
    """The (?g, ?n) rows of a SELECT on the store, as strings."""
    rows = store.query(select)
    return [(row["g"].value, row["n"].value) for row in rows]  # type: ignore[union-attr]
