"""Tests for moikg.enrich against a local ``oxigraph serve`` holding a Wikidata-shaped fixture.

No test touches the internet: the endpoint is a real Oxigraph server on
127.0.0.1 loaded with ``tests/data/wikidata/fixture.ttl`` (test data, labelled
as such, not a copy of Wikidata).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from typer.testing import CliRunner

from moikg.cli import app
from moikg.errors import EndpointError
from moikg.ingest.load import load_dataset
from moikg.service.enrichment import ENRICHMENT_GRAPH, enrich, linked_items
from moikg.sparql.dispatch import query
from oxigraph_process import Oxigraph, free_port, start_oxigraph

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parents[1] / "data" / "wikidata" / "fixture.ttl"
RELEASE = ROOT / "graph" / "2019-02-11-iipp-oecd-mou.ttl"
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
XSD_DATETIME = URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
GEO_WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
runner = CliRunner()

# What the fixture holds for the three items the release links to, restricted to what enrich
# asks for: English labels, country (and its English label), inception, website, and
# coordinates only for the place (Dubai), not for UCL.
EXPECTED = {
    (WD.Q193196, RDFS.label, Literal("University College London", lang="en")),
    (WD.Q193196, WDT.P17, WD.Q145),
    (WD.Q145, RDFS.label, Literal("United Kingdom", lang="en")),
    (WD.Q193196, WDT.P571, Literal("1826-02-11T00:00:00Z", datatype=XSD_DATETIME)),
    (WD.Q193196, WDT.P856, URIRef("https://www.ucl.ac.uk/")),
    (
        WD.Q41550,
        RDFS.label,
        Literal("Organisation for Economic Co-operation and Development", lang="en"),
    ),
    (WD.Q41550, WDT.P571, Literal("1961-09-30T00:00:00Z", datatype=XSD_DATETIME)),
    (WD.Q41550, WDT.P856, URIRef("https://www.oecd.org/")),
    (WD.Q612, RDFS.label, Literal("Dubai", lang="en")),
    (WD.Q612, WDT.P17, WD.Q878),
    (WD.Q878, RDFS.label, Literal("United Arab Emirates", lang="en")),
    (WD.Q612, WDT.P625, Literal("Point(55.2962 25.2631)", datatype=GEO_WKT)),
}


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    folder = tmp_path_factory.mktemp("wikidata")
    server = start_oxigraph(location=folder / "store", files=[FIXTURE], read_only=True)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def release() -> Dataset:
    return load_dataset(files=[RELEASE])


def test_linked_items_are_the_verified_wikidata_links(release: Dataset) -> None:
    assert linked_items(release) == {WD.Q41550: False, WD.Q193196: False, WD.Q612: True}


def test_enrich_writes_the_facts_into_a_separate_named_graph(
    wikidata: Oxigraph, release: Dataset, tmp_path: Path
) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = enrich(wikidata.query, dataset=release, out=tmp_path / "enrichment.trig")
    after = dt.datetime.now(dt.UTC)
    written = Dataset()
    written.parse(result.path, format="trig")
    graphs = {g.identifier for g in written.graphs() if len(g)}
    assert graphs == {ENRICHMENT_GRAPH}
    graph = written.graph(ENRICHMENT_GRAPH)
    facts = {t for t in graph if t[0] != ENRICHMENT_GRAPH}
    assert facts == EXPECTED
    # Provenance: where and when.
    assert (ENRICHMENT_GRAPH, RDF.type, PROV.Entity) in graph
    assert graph.value(ENRICHMENT_GRAPH, PROV.wasDerivedFrom) == URIRef(wikidata.query)
    assert graph.value(ENRICHMENT_GRAPH, DCTERMS.source) == URIRef(wikidata.query)
    stamp = graph.value(ENRICHMENT_GRAPH, PROV.generatedAtTime)
    assert isinstance(stamp, Literal) and stamp.datatype == XSD_DATETIME
    assert before <= stamp.toPython() <= after
    assert set(result.items) == {str(WD.Q41550), str(WD.Q193196), str(WD.Q612)}


def test_enriched_labels_show_in_the_catalogue(
    wikidata: Oxigraph, release: Dataset, tmp_path: Path
) -> None:
    result = enrich(wikidata.query, dataset=release, out=tmp_path / "enrichment.trig")
    combined = load_dataset(files=[RELEASE])
    combined.parse(result.path, format="trig")
    rows = query("external-identifiers", dataset=combined).to_dicts()
    labels = {r["identifier"]: r["externalLabel"] for r in rows}
    assert labels["http://www.wikidata.org/entity/Q612"] == "Dubai"
    assert labels["https://ror.org/02jx3x895"] is None


def test_unreachable_endpoint_writes_nothing(release: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "enrichment.trig"
    out.write_text("# earlier output\n", encoding="utf-8")
    with pytest.raises(EndpointError, match=r"cannot connect"):
        enrich(f"http://127.0.0.1:{free_port()}/sparql", dataset=release, out=out)
    assert out.read_text(encoding="utf-8") == "# earlier output\n"


def test_cli_enrich(wikidata: Oxigraph, tmp_path: Path) -> None:
    out = tmp_path / "enrichment.trig"
    result = runner.invoke(app, ["enrich", "--endpoint", wikidata.query, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    failed = runner.invoke(
        app, ["enrich", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql", "--out", str(out)]
    )
    assert failed.exit_code == 2
    assert len(failed.stderr.strip().splitlines()) == 1
