"""people-posts before and after its reshaping (issues 10 and 11), on the project replicated.

Each source graph is copied N times with every instance and source IRI suffixed per copy
(so the copies are disjoint, as in issue 10's measurements), the ontology and its closed
hierarchy added once, and both query texts run by raw pyoxigraph on the same store. Prints one
table: rows and seconds of each shape, and the ratio. No timing is asserted anywhere.

Run: ``.venv/bin/python benchmarks/people_posts.py [--copies 1 10 100]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyoxigraph as ox

from moikg.ingest.load import load_dataset, source_graphs
from moikg.sparql.prepare import prepare

ROOT = Path(__file__).resolve().parents[1]
SUFFIXED = ("https://w3id.org/moikg/id/", "https://www.ucl.ac.uk/", "https://w3id.org/moikg/graph/")

# The shape before: every post joined with `a/rdfs:subClassOf*`, dates and sources from the
# union (so each date met every source of the post).
BEFORE = """
PREFIX moi: <https://w3id.org/moikg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT DISTINCT ?person ?name ?role ?roleLabel ?organisation ?organisationLabel
                ?attestedOn ?start ?end ?source
WHERE {
  ?post org:member ?person ; org:organization ?organisation .
  ?person a/rdfs:subClassOf* foaf:Person .
  OPTIONAL { ?person foaf:name ?name }
  OPTIONAL { ?post org:role ?role . OPTIONAL { ?role rdfs:label ?roleLabel } }
  OPTIONAL { ?organisation rdfs:label ?organisationLabel }
  OPTIONAL { ?post moi:attestedOn ?attestedOn }
  OPTIONAL { ?post (schema:startDate|org:memberDuring/time:hasBeginning/time:inXSDDate) ?start }
  OPTIONAL { ?post (schema:endDate|org:memberDuring/time:hasEnd/time:inXSDDate) ?end }
  OPTIONAL { ?post prov:wasDerivedFrom ?source }
}
ORDER BY STR(?name) STR(COALESCE(?start, ?attestedOn)) ?person STR(?roleLabel) ?role
         ?organisation STR(?organisationLabel) STR(?attestedOn) STR(?start) STR(?end) ?source
"""


def _suffix(term: ox.NamedNode | ox.BlankNode | ox.Literal, k: int) -> object:
    if isinstance(term, ox.NamedNode) and term.value.startswith(SUFFIXED):
        return ox.NamedNode(f"{term.value}-{k}")
    return term


def replicated_store(copies: int) -> tuple[ox.Store, int]:
    """The project's sources ``copies`` times over, with the ontology and its closure once."""
    dataset = load_dataset()
    trig = dataset.serialize(format="trig")
    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    sources = {str(g) for g in source_graphs(dataset)}
    store = ox.Store()
    shared = [q for q in quads if q.graph_name.value not in sources]  # type: ignore[union-attr]
    store.extend(shared)
    own = [q for q in quads if q.graph_name.value in sources]  # type: ignore[union-attr]
    for k in range(copies):
        store.extend(
            ox.Quad(
                _suffix(q.subject, k), q.predicate, _suffix(q.object, k), _suffix(q.graph_name, k)
            )  # type: ignore[arg-type]
            for q in own
        )
    return store, len(store)


def _time(store: ox.Store, text: str) -> tuple[int, float]:
    start = time.perf_counter()
    rows = sum(1 for _ in store.query(text, use_default_graph_as_union=True))  # type: ignore[union-attr]
    return rows, time.perf_counter() - start


def main() -> None:
    """Print the table for the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    after = prepare("people-posts").text
    print("| copies | triples | before: rows | before: s | after: rows | after: s | before/after |")
    print("|---|---|---|---|---|---|---|")
    for copies in args.copies:
        store, size = replicated_store(copies)
        rows_before, before = _time(store, BEFORE)
        rows_after, after_s = _time(store, after)
        print(
            f"| {copies} | {size} | {rows_before} | {before:.3f} | {rows_after} | {after_s:.3f} "
            f"| {before / after_s:.1f} |"
        )


if __name__ == "__main__":
    main()
