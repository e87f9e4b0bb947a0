"""Facts read straight from the Oxigraph store are the facts rdflib reads (issue 10.6).

The projections' facts are read by running ``moikg/network/queries/*.rq`` on the pyoxigraph
store and splitting its SPARQL TSV results (:mod:`moikg.network.rows`). Two independent
references:

* rdflib's own SPARQL engine over a plain in-memory store (``store="memory"``), reading
  every value as an rdflib term, on the project's graph, on generated data at two seeds and
  on a fixture of literals that a results reader can get wrong; the facts, and every
  projection as of several days, must be the same;
* the queries as they were before they were reshaped for speed
  (``tests/data/network-queries-before/``), whose rows the new ones must give on the same
  store (the first check already compares the new ones across engines).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef

from facts_support import canonical_facts
from moikg.cards.synthetic import generate
from moikg.ingest.load import StoreName, load_dataset
from moikg.network.facts import fetch_facts
from moikg.network.model import Facts
from moikg.network.projection import actor_graph, bipartite_graph, organisation_graph
from moikg.network.rows import query_file
from moikg.sparql.dispatch import query

DATA = Path(__file__).parents[1] / "data"
BEFORE = DATA / "network-queries-before"
TRICKY = sorted((DATA / "network-literals").glob("*.ttl"))


class Loader:
    """Loads one of the test graphs into the store named by the argument."""

    def __init__(self, name: str, folder: Path | None) -> None:
        self.name, self.folder = name, folder

    def __call__(self, store: StoreName) -> Dataset:
        """Load the graph into a new dataset on ``store``."""
        if self.name == "project":
            return load_dataset(store=store)
        if self.name == "tricky":
            return load_dataset(files=TRICKY, store=store)
        return load_dataset(self.folder, store=store)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folders = {}
    for seed in (1, 2):
        folder = tmp_path_factory.mktemp(f"gen-{seed}")
        generate(triples=3000, seed=seed, out_dir=folder)
        folders[f"seed-{seed}"] = folder
    return folders


@pytest.fixture(scope="module", params=["project", "seed-1", "seed-2", "tricky"])
def graphs(request: pytest.FixtureRequest, generated: dict[str, Path]) -> Loader:
    return Loader(request.param, generated.get(request.param))


def _days(facts: Facts) -> list[dt.date]:
    """Days to view the network as of: before, among and after the sources' issue days."""
    issued = sorted(d.day for d in facts.documents.values() if d.day is not None)
    if not issued:
        return [dt.date(2000, 1, 1), dt.date(2100, 1, 1)]
    middle = issued[len(issued) // 2]
    return [issued[0] - dt.timedelta(days=1), issued[0], middle, issued[-1] + dt.timedelta(days=1)]


def _as_json(graph: nx.Graph) -> str:
    data = nx.node_link_data(graph, edges="links")
    data["links"] = sorted(data["links"], key=lambda e: json.dumps(e, sort_keys=True))
    return json.dumps(data, sort_keys=True, default=str)


def test_store_facts_are_rdflib_engine_facts(graphs: Loader) -> None:
    fast = fetch_facts(graphs("oxigraph"))
    reference = fetch_facts(graphs("memory"))
    assert len(fast.actors) >= 4 and len(fast.relations) >= 2
    left, right = canonical_facts(fast), canonical_facts(reference)
    for key in left:
        assert left[key] == right[key], key
    for day in [None, *_days(reference)]:
        for build in (actor_graph, organisation_graph, bipartite_graph):
            assert _as_json(build(fast, as_of=day)) == _as_json(build(reference, as_of=day)), (
                build.__name__,
                day,
            )


def test_tricky_literals_read_exactly() -> None:
    """Expected texts written out here, from the fixture, not from either reader."""
    facts = fetch_facts(load_dataset(files=TRICKY))
    alpha, beta = "https://example.org/tricky/alpha", "https://example.org/tricky/beta"
    assert facts.labels[alpha] == 'Alpha "Institute"\nof C:\\Path'  # en-GB before @fr
    assert facts.actors[alpha].aliases == ("Alpha\tInstitute", "Älpha Ïnstitut")
    assert facts.actors[alpha].country == "Ruritania"
    assert facts.actors[beta].country == "Freedonia"
    assert facts.actors["https://example.org/tricky/person"].label == "Zoë \\ O'Brien"
    page = facts.documents["https://example.org/tricky/page"]
    assert page.title == 'Tricky "page"\twith a tab'
    assert page.issued == "2021-05-04T10:30:00+00:00"  # as rdflib writes xsd:dateTime in UTC
    assert facts.actors[alpha].span.start == dt.date(2019, 2, 1)
    assert facts.actors[beta].span.end == dt.date(2030, 12, 31)
    post = next(r for r in facts.relations if r.type == "holds_post")
    assert (post.span.start, post.span.end) == (dt.date(2020, 1, 1), dt.date(2022, 12, 31))
    hosted = [r for r in facts.relations if r.type == "hosted_by"]
    assert {(r.subject[-5:], r.object[-5:]) for r in hosted} == {
        ("gamma", "alpha"),
        ("alpha", "gamma"),
    }
    # Each is stated one way in one source and the other way in the other: both sources count.
    sources = {"https://example.org/tricky/page", "https://example.org/tricky/page-b"}
    assert all(set(r.sources) == sources for r in hosted)
    assert facts.evidence[alpha]["https://example.org/tricky/page-b"] == (
        'Alpha\tis hosted\nby "Gamma"',
    )


# --- The reshaped queries give the rows the queries before them gave --------------------------


def _rows(dataset: Dataset, path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = query(path, dataset=dataset, time_limit=None).to_dicts(
        terms=True
    )
    return rows


def _bag(rows: list[dict[str, object]], columns: list[str]) -> list[tuple[str, ...]]:
    return sorted(tuple(repr(row[c]) for c in columns) for row in rows)


@pytest.mark.parametrize(
    "name", ["provenance", "evidence", "agreements", "signatories", "events", "labels"]
)
def test_reshaped_query_gives_the_rows_before(graphs: Loader, name: str) -> None:
    dataset = graphs("oxigraph")
    before = _rows(dataset, BEFORE / f"{name}.rq")
    after = _rows(dataset, query_file(name))
    columns = list(before[0]) if before else []
    assert before or graphs.name == "tricky", name
    assert _bag(after, columns) == _bag(before, columns)
    if name == "labels":
        for row in after:
            value = row["value"]
            assert isinstance(value, Literal)
            assert str(row["lang"]) == (value.language or "")


def test_reshaped_actor_facts_give_the_rows_before(graphs: Loader) -> None:
    dataset = graphs("oxigraph")
    before = _rows(dataset, BEFORE / "actor-facts.rq")
    after = _rows(dataset, query_file("actor-facts"))
    columns = ["actor", "property", "value"]
    assert before and _bag(after, columns) == _bag(before, columns)
    for row in after:
        assert row["iri"] == Literal(isinstance(row["value"], URIRef))


def test_reshaped_relations_give_the_graphs_before(graphs: Loader) -> None:
    """Before: the graphs stating a relation's triple either way round, by OPTIONAL GRAPH.

    After: the graph stating each triple as read; a relation counts the graphs of the same
    property the other way round too (moikg.network.facts, ``_relations``).
    """
    dataset = graphs("oxigraph")

    def grouped(rows: list[dict[str, object]]) -> dict[tuple[str, ...], set[str]]:
        found: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for row in rows:
            key = tuple(str(row[c]) for c in ("type", "subject", "object", "property"))
            found[key].add(str(row["g"]))
        return found

    before = grouped(_rows(dataset, BEFORE / "relations.rq"))
    stated = grouped(_rows(dataset, query_file("relations")))
    after = {
        key: graphs | stated.get((key[0], key[2], key[1], key[3]), set())
        for key, graphs in stated.items()
    }
    assert before and after == before


_TWO_SOURCES = """\
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix moi: <https://w3id.org/moikg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
ex:x a org:Organization ; rdfs:label "X" ; prov:wasDerivedFrom ex:s1 ;
    prov:qualifiedDerivation ex:dx .
ex:dx a prov:Derivation ; prov:entity ex:s1 ; moi:evidence "X is named in s1." .
ex:y a org:Organization ; rdfs:label "Y" ; prov:wasDerivedFrom ex:s2 ;
    prov:qualifiedDerivation ex:dy .
ex:dy a prov:Derivation ; prov:entity ex:s2 ; moi:evidence "Y is named in s2." .
"""


def test_a_sentence_is_credited_to_the_source_it_quotes_in_a_file_of_many(tmp_path: Path) -> None:
    """A derivation's sentence goes to the source it names, not to every source of the file.

    Regression: it was credited to every source of the file (wrong, and 6.8 GB for 300k
    triples in one file, issue 13.11).
    """
    path = tmp_path / "two-sources.ttl"
    path.write_text(_TWO_SOURCES, encoding="utf-8")
    facts = fetch_facts(load_dataset(files=[path]))
    x, y = "https://example.org/x", "https://example.org/y"
    s1, s2 = "https://example.org/s1", "https://example.org/s2"
    assert {node: dict(by) for node, by in facts.evidence.items()} == {
        x: {s1: ("X is named in s1.",)},
        y: {s2: ("Y is named in s2.",)},
    }
