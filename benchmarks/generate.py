"""Generated actor networks shaped like moikg's actor projection, for the benchmarks.

The generator mimics what :func:`moikg.network.projection.actor_graph` produces from the graph:
organisations of the ontology's kinds (some of them networks and partnerships), units
under parents, memberships in networks (preferential: big networks grow), two-party
agreements with their signatories, events with a handful of participants, and people
holding one or two posts. Nothing here is data: IRIs are under ``https://example.org/``.
"""

from __future__ import annotations

import random
from itertools import combinations

import networkx as nx

ORG_KINDS = (
    "University", "Institute", "Intergovernmental organisation", "Observatory",
    "State investment bank", "Innovation agency", "Strategic or sectoral government unit",
    "Government department", "City", "Foundation", "Private organisation", "Public agency",
)  # fmt: skip
ROLES = ("Director", "Deputy Director", "President", "Secretary-General", "Member", "Contact")
BASE = "https://example.org/generated/"


def actor_network(n: int, *, seed: int = 1, people_share: float = 0.35) -> nx.MultiDiGraph:
    """Generate an actor network with ``n`` nodes (organisations and people).

    Args:
        n: Number of actors.
        seed: Random seed; the same seed gives the same network.
        people_share: Share of people among the actors.

    Returns:
        A MultiDiGraph with the node and edge attributes of an actor projection.
    """
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(projection="actor", as_of="")
    n_people = int(n * people_share)
    n_orgs = n - n_people
    n_networks = max(1, n_orgs // 40)
    orgs = [f"{BASE}org/{i}" for i in range(n_orgs)]
    people = [f"{BASE}person/{i}" for i in range(n_people)]
    networks = orgs[:n_networks]
    for i, iri in enumerate(orgs):
        kind = ("Network" if i % 3 else "Partnership") if i < n_networks else rng.choice(ORG_KINDS)
        graph.add_node(iri, **_node(iri, f"Organisation {i}", kind, person=False, rng=rng))
    for i, iri in enumerate(people):
        graph.add_node(iri, **_node(iri, f"Person {i}", "Person", person=True, rng=rng))

    def edge(u: str, v: str, type_: str, **extra: object) -> None:
        date = f"{rng.randint(2015, 2023)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        graph.add_edge(
            u,
            v,
            type=type_,
            label=type_.replace("_", " "),
            weight=1,
            date=date,
            sources=[f"{BASE}source/{rng.randint(0, n // 10)}"],
            via=None,
            via_label=None,
            detail=extra.get("detail"),
            role=extra.get("role"),
        )

    plain = orgs[n_networks:]
    for iri in plain:
        if rng.random() < 0.2:
            edge(iri, rng.choice(plain), "unit_of")
    weights = [1.0] * n_networks
    for iri in plain:
        for _ in range(rng.choice((0, 1, 1, 2))):
            target = rng.choices(range(n_networks), weights=weights)[0]
            weights[target] += 1
            edge(iri, networks[target], "member_of")
    for _ in range(int(n_orgs * 0.3)):
        one, two = rng.sample(plain, 2)
        edge(one, two, "party_to")
        if rng.random() < 0.5:
            for signer, party in ((rng.choice(people), one), (rng.choice(people), two)):
                edge(signer, party, "signed", detail="on behalf of")
    for _ in range(n // 50):
        for u, v in combinations(rng.sample(orgs + people, rng.randint(3, 8)), 2):
            edge(u, v, "took_part")
    for iri in people:
        for _ in range(1 if rng.random() < 0.8 else 2):
            role = rng.choice(ROLES)
            edge(iri, rng.choice(plain), "holds_post", role=role, detail=role)
    return graph


def _node(
    iri: str, label: str, kind: str, *, person: bool, rng: random.Random
) -> dict[str, object]:
    return {
        "iri": iri, "label": label, "kind": kind, "kind_iri": "", "person": person,
        "country": rng.choice(("UK", "France", "Brazil", "Sweden", None)),
        "aliases": [], "sources": [f"{BASE}source/0"], "posts": [], "bipartite": 0,
    }  # fmt: skip
