"""The as-of rule (issue 8, A3): a view of day D holds only what the sources knew on D.

A fact is in the view if its own date is on or before D or, when it has none, if a dated
source stating it was issued on or before D; facts known only from undated sources stay and
are marked ``undated``; the sources listed on nodes and edges are filtered the same way.
Expected values come from the source files, read here by pyoxigraph, not from moikg.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph
import pytest

from cli_support import run_cli
from moikg.network.projection import actor_graph

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/moikg/id/"
KRAMER, HEWLETT = ID + "person/larry-kramer", ID + "org/hewlett-foundation"
SOUTH_AFRICA, RED_ES = ID + "org/moin-south-africa", ID + "org/red-es"


def _issued() -> dict[str, str]:
    """Source IRI → dcterms:issued, read from graph/*.ttl by pyoxigraph."""
    store = pyoxigraph.Store()
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    rows = store.query("SELECT ?s ?d WHERE { ?s <http://purl.org/dc/terms/issued> ?d }")
    return {row["s"].value: row["d"].value for row in rows}  # type: ignore[union-attr]


def _analysed(*args: str) -> set[str]:
    code, out, err = run_cli("analyse", "--format", "csv", *args)
    assert code == 0, err
    return {row["label"] for row in csv.DictReader(io.StringIO(out))}


def test_analyse_as_of_2019_drops_what_only_later_sources_report() -> None:
    everything = _analysed()
    assert {"MOIN South Africa", "Larry Kramer"} <= everything
    before = _analysed("--as-of", "2019-12-31")
    assert "MOIN South Africa" not in before  # first reported on 2022-04-28
    assert "Larry Kramer" not in before  # his post is attested 2021-04-28
    assert {"Mission-Oriented Innovation Network", "Mariana Mazzucato"} <= before


def test_kramers_post_enters_the_view_on_the_day_it_is_attested() -> None:
    def posts(day: str) -> set[tuple[str, str]]:
        graph = actor_graph(as_of=day)
        return {(u, v) for u, v, t in graph.edges(data="type") if t == "holds_post"}

    assert (KRAMER, HEWLETT) not in posts("2021-04-27")
    assert (KRAMER, HEWLETT) in posts("2021-04-28")


def test_facts_known_only_from_undated_sources_stay_and_are_marked() -> None:
    issued = _issued()
    graph = actor_graph(as_of="2019-12-31")
    assert RED_ES in graph
    assert graph.nodes[RED_ES]["undated"] is True
    assert graph.nodes[RED_ES]["since"] is None
    assert not any(s in issued for s in graph.nodes[RED_ES]["sources"])
    assert SOUTH_AFRICA not in graph
    full = actor_graph()
    assert full.nodes[SOUTH_AFRICA]["since"] == issued[full.nodes[SOUTH_AFRICA]["sources"][0]]


@pytest.mark.parametrize("day", ["2019-02-11", "2019-12-31", "2021-04-28", "2022-12-31"])
def test_sources_listed_in_a_view_were_issued_by_its_day(day: str) -> None:
    issued = _issued()
    graph = actor_graph(as_of=day)
    listed = {s for _, d in graph.nodes(data="sources") for s in d}
    listed |= {s for *_, d in graph.edges(data="sources") for s in d}
    assert listed
    late = {s for s in listed if s in issued and issued[s] > day}
    assert late == set()
    evidence = {s for _, d in graph.nodes(data="evidence") for s in d}
    assert {s for s in evidence if s in issued and issued[s] > day} == set()
