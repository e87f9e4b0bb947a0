"""The network read from an endpoint is the network read from the embedded store (issue 11).

The facts behind every projection are read by the SELECTs in ``moikg/network/queries/``; run
on a real Virtuoso 7 (the session's, loaded with the project's named graphs by its own bulk
loader) they must give the same facts, and ``analyse``, ``export`` and ``render`` with
``--endpoint`` the same output as from ``graph/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from rdflib import Dataset

from cli_support import run_cli
from facts_support import canonical_facts
from moikg.network.facts import fetch_facts
from moikg.network.projection import actor_graph
from virtuoso_process import Virtuoso


@pytest.fixture(scope="module")
def project_on_virtuoso(virtuoso: Virtuoso, sparql_dataset: Dataset) -> Virtuoso:
    quads = pyoxigraph.parse(
        sparql_dataset.serialize(format="trig"), format=pyoxigraph.RdfFormat.TRIG
    )
    virtuoso.load("project", list(quads))
    return virtuoso


def test_facts_from_virtuoso_are_the_facts_from_the_embedded_store(
    project_on_virtuoso: Virtuoso, sparql_dataset: Dataset
) -> None:
    local = canonical_facts(fetch_facts(sparql_dataset))
    remote = canonical_facts(fetch_facts(project_on_virtuoso.sparql))
    assert len(local["actors"]) > 20 and len(local["relations"]) > 10  # type: ignore[arg-type]
    for key in local:
        assert remote[key] == local[key], key


def test_actor_projection_from_virtuoso_is_the_same_graph(
    project_on_virtuoso: Virtuoso, sparql_dataset: Dataset
) -> None:
    local = actor_graph(fetch_facts(sparql_dataset))
    remote = actor_graph(fetch_facts(project_on_virtuoso.sparql))
    assert nx.utils.graphs_equal(local, remote)


@pytest.mark.parametrize("command", ["analyse", "export", "render"])
def test_cli_with_endpoint_writes_what_it_writes_from_graph(
    project_on_virtuoso: Virtuoso, command: str, tmp_path: Path
) -> None:
    outputs = []
    for where in ([], ["--endpoint", project_on_virtuoso.sparql]):
        args = [command, *where]
        if command == "analyse":
            args += ["--format", "json"]
        else:
            target = tmp_path / f"{len(outputs)}.{'html' if command == 'render' else 'json'}"
            args += ["-o", str(target)] + (["--format", "json"] if command == "export" else [])
        code, out, err = run_cli(*args)
        assert code == 0, out + err
        if command == "analyse":
            report = json.loads(out)
            report.pop("computed_at")  # the clock, not the graph
            outputs.append(report)
        else:
            outputs.append(target.read_text())
    assert outputs[0] == outputs[1]
