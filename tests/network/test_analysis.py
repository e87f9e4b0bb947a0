"""Tests for moikg.analyse: every metric against NetworkX's own computation (to 1e-9)."""

from __future__ import annotations

import csv
import io
import json
import math
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDFS
from typer.testing import CliRunner

from cli_support import run_cli
from moikg.cli import app
from moikg.errors import InputError
from moikg.ingest.load import load_dataset
from moikg.network.analysis import (
    Analysis,
    AnalysisOptions,
    analyse,
    simple_graph,
)
from moikg.network.metrics_rdf import METRIC, metrics_graph_iri, to_rdf, write_rdf
from moikg.network.projection import actor_graph
from moikg.network.tables import format_analysis

DATA = Path(__file__).parents[1] / "data" / "network"
TOLERANCE = 1e-9
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"  # not rdflib.XSD: pytest probes it


def _named(graph: nx.Graph) -> nx.Graph:
    return nx.relabel_nodes(graph, {n: f"https://example.org/n/{n:04d}" for n in graph})


def _weighted_random() -> nx.Graph:
    """A sparse weighted graph with a giant component, small components and isolated nodes."""
    rng = random.Random(7)
    graph = nx.gnm_random_graph(120, 170, seed=3)
    graph.add_edges_from([(200, 201), (201, 202), (300, 301)])
    graph.add_nodes_from([400, 401])
    for u, v in graph.edges():
        graph[u][v]["weight"] = rng.choice([1, 1, 2, 3])
    return _named(graph)


def _actor_multigraph() -> nx.MultiDiGraph:
    return actor_graph(load_dataset(files=[DATA / "a.ttl", DATA / "b.ttl"]))


GRAPHS = {
    "weighted-random": _weighted_random,
    "karate": lambda: _named(nx.karate_club_graph()),
    "actor-multigraph": _actor_multigraph,
}


def _pagerank_reference(graph: nx.Graph) -> dict[str, float]:
    """PageRank as the leading eigenvector of NetworkX's Google matrix (no scipy needed)."""
    nodes = list(graph)
    matrix = nx.google_matrix(graph, nodelist=nodes, alpha=0.85, weight="weight")
    values, vectors = np.linalg.eig(matrix.T)
    vector = np.real(vectors[:, int(np.argmax(np.real(values)))])
    return dict(zip(nodes, (vector / vector.sum()).tolist(), strict=True))


def _references(simple: nx.Graph) -> dict[str, dict[str, float]]:
    return {
        "degree": dict(simple.degree()),
        "weighted_degree": dict(simple.degree(weight="weight")),
        "betweenness": nx.betweenness_centrality(simple),
        "pagerank": _pagerank_reference(simple),
        "closeness": nx.closeness_centrality(simple),
        "core": nx.core_number(simple),
        "effective_size": nx.effective_size(simple, weight="weight"),
        "constraint": nx.constraint(simple, weight="weight"),
    }


def _gap(expected: float, found: float | None) -> float:
    assert found is not None
    if math.isnan(expected):
        return 0.0 if math.isnan(found) else math.inf
    return abs(expected - found)


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def case(request: pytest.FixtureRequest) -> tuple[nx.Graph, nx.Graph, Analysis]:
    graph = GRAPHS[request.param]()
    return graph, simple_graph(graph), analyse(graph)


@pytest.mark.parametrize(
    "metric",
    ["degree", "weighted_degree", "betweenness", "pagerank", "closeness", "core",
     "effective_size", "constraint"],
)  # fmt: skip
def test_metric_matches_networkx(case: tuple[nx.Graph, nx.Graph, Analysis], metric: str) -> None:
    _, simple, analysis = case
    expected = _references(simple)[metric]
    rows = analysis.by_iri()
    worst = max(_gap(float(expected[n]), getattr(rows[n], metric)) for n in simple)
    assert worst <= TOLERANCE


def test_articulation_points_and_components_match_networkx(
    case: tuple[nx.Graph, nx.Graph, Analysis],
) -> None:
    _, simple, analysis = case
    rows = analysis.by_iri()
    assert {n for n, r in rows.items() if r.articulation} == set(nx.articulation_points(simple))
    components = sorted(nx.connected_components(simple), key=len, reverse=True)
    assert list(analysis.component_sizes) == [len(c) for c in components]
    for component in components:
        assert len({rows[n].component for n in component}) == 1
    assert rows[min(components[0])].component == 0


def test_communities_partition_the_nodes_with_networkx_modularity(
    case: tuple[nx.Graph, nx.Graph, Analysis],
) -> None:
    _, simple, analysis = case
    groups: dict[int, set[str]] = {}
    for row in analysis.nodes:
        assert row.community is not None
        groups.setdefault(row.community, set()).add(row.iri)
    expected = nx.community.modularity(simple, groups.values(), weight="weight")
    assert analysis.modularity == pytest.approx(expected, abs=TOLERANCE)


def test_communities_are_reproducible_with_a_seed_and_find_planted_groups() -> None:
    graph = _named(nx.ring_of_cliques(4, 6))
    first, second = analyse(graph), analyse(graph)
    assert [r.community for r in first.nodes] == [r.community for r in second.nodes]
    found = {frozenset(r.iri for r in first.nodes if r.community == c) for c in range(4)}
    cliques = {frozenset(_named_ids(range(i * 6, i * 6 + 6))) for i in range(4)}
    assert found == cliques


def _named_ids(ids: range) -> list[str]:
    return [f"https://example.org/n/{n:04d}" for n in ids]


def test_worker_processes_give_the_same_paths_metrics() -> None:
    graph = _weighted_random()
    metrics = ("betweenness", "closeness")
    alone = analyse(graph, options=AnalysisOptions(metrics=metrics, workers=1))
    shared = analyse(graph, options=AnalysisOptions(metrics=metrics, workers=2))
    for one, two in zip(alone.nodes, shared.nodes, strict=True):
        assert one.betweenness == pytest.approx(two.betweenness, abs=TOLERANCE)
        assert one.closeness == pytest.approx(two.closeness, abs=TOLERANCE)


def test_unknown_metric_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown metric"):
        analyse(nx.Graph(), options=AnalysisOptions(metrics=("fame",)))


def test_csv_and_json_hold_every_node_and_metric() -> None:
    analysis = analyse(_named(nx.karate_club_graph()))
    rows = list(csv.DictReader(io.StringIO(format_analysis(analysis, fmt="csv"))))
    assert len(rows) == 34
    assert float(rows[0]["betweenness"]) == max(r.betweenness or 0 for r in analysis.nodes)
    document = json.loads(format_analysis(analysis, fmt="json"))
    assert document["seed"] == 42 and len(document["nodes"]) == 34
    assert set(document["methods"]) == set(analysis.metrics)
    with pytest.raises(InputError):
        format_analysis(analysis, fmt="xml")


def test_rdf_is_a_named_graph_with_method_and_date(tmp_path: Path) -> None:
    graph = _actor_multigraph()
    analysis = analyse(graph)
    path = write_rdf(analysis, tmp_path / "metrics-actor.trig")
    dataset = Dataset()
    dataset.parse(path, format="trig")
    iri = metrics_graph_iri("actor")
    named = dataset.graph(iri)
    assert {g.identifier for g in dataset.graphs() if len(g)} == {iri}
    activity = named.value(iri, PROV.wasGeneratedBy)
    assert activity is not None
    when = named.value(activity, PROV.endedAtTime)
    assert isinstance(when, Literal) and when.datatype == URIRef(XSD_DATETIME)
    assert named.value(METRIC.betweenness, RDFS.comment) is not None
    for row in analysis.nodes:
        value = named.value(URIRef(row.iri), METRIC.betweenness)
        assert value is not None and float(value) == pytest.approx(row.betweenness, abs=1e-15)
    assert len(to_rdf(analysis)) > 0


def test_cli_analyse_prints_table_csv_json_and_writes_rdf(tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["--graph-dir", str(DATA)]
    table = runner.invoke(app, ["analyse", *common])
    assert table.exit_code == 0, table.output
    assert "Alpha Lab" in table.output and "betweenness" in table.output
    done = runner.invoke(
        app, ["analyse", *common, "--format", "json", "--rdf", "--out", str(tmp_path)]
    )
    assert done.exit_code == 0, done.output
    assert (tmp_path / "metrics-actor.trig").is_file()
    orgs = runner.invoke(
        app, ["analyse", *common, "--projection", "organisation", "--format", "csv"]
    )
    assert orgs.exit_code == 0 and "Pat Example" not in orgs.output
    bad = runner.invoke(app, ["analyse", *common, "--as-of", "2019-13-45"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


@pytest.mark.parametrize("focus", ["id:org/oecd", "orgs:oecd"])
def test_focus_takes_a_project_curie_as_query_parameters_do(focus: str) -> None:
    """Regression: ``--focus id:org/oecd`` said "actor not found" while the full IRI worked."""
    by_curie = run_cli("analyse", "--focus", focus, "--radius", "1", "--format", "csv")
    by_iri = run_cli(
        "analyse", "--focus", "https://w3id.org/moikg/id/org/oecd", "--radius", "1",
        "--format", "csv",
    )  # fmt: skip
    assert by_curie[0] == by_iri[0] == 0, by_curie
    assert by_curie[1] == by_iri[1] and "Organisation for Economic" in by_curie[1]
