"""Project the knowledge graph onto NetworkX graphs of actors.

The facts come from :func:`moikg.network.facts.fetch_facts`, which reads them from the
embedded dataset or from a SPARQL endpoint.

Projections (each node is an IRI string):

* ``actor`` — :func:`actor_graph`, a MultiDiGraph of organisations and people;
  one edge per relation, parallel relations kept, each with its ``type``
  (:data:`EDGE_TYPES`), ``date``, ``sources`` and the node it goes ``via``.
* ``organisation`` — :func:`organisation_graph`, organisations linked when
  they share an agreement, a collaboration (network, partnership…) or a
  parent, ``weight`` the number of things shared.
* ``bipartite`` — :func:`bipartite_graph`, actors (``bipartite=0``) and the
  agreements and events they are party to, signed or took part in
  (``bipartite=1``).
* :func:`ego_network` — the actors within ``radius`` steps of one actor.

``as_of`` keeps what was valid on that day where the data dates it:
relations (and actors) that begin after the day or end before it are
dropped, undated ones are kept, and an actor all of whose relations were
dropped is dropped with them (it enters the network only later).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Final, Literal

import networkx as nx

from moikg.errors import InputError
from moikg.network.facts import (
    Actor,
    Affiliation,
    Facts,
    Source,
    fetch_facts,
    local_name,
    parse_day,
)

__all__ = [
    "EDGE_TYPES",
    "PROJECTIONS",
    "ProjectionName",
    "ProjectionOptions",
    "actor_graph",
    "bipartite_graph",
    "ego_network",
    "find_actor",
    "organisation_graph",
    "project",
]

ProjectionName = Literal["actor", "organisation", "bipartite"]
PROJECTIONS: Final[tuple[ProjectionName, ...]] = ("actor", "organisation", "bipartite")

EDGE_TYPES: Final[dict[str, str]] = {
    "party_to": "party to the same agreement",
    "signed": "signed an agreement with",
    "holds_post": "holds a post in",
    "head_of": "head of",
    "member_of": "member of",
    "unit_of": "unit of",
    "took_part": "took part in the same event",
    "linked_to": "linked to",
    "shared": "shares an agreement, a collaboration or a parent",
}
"""Edge types and how they read. Sub-properties of ``org:linkedTo`` (hosted by, focal point,
supported by…) take their own type, named after the property's label."""


# --- Projections ------------------------------------------------------------------------------


def _facts(source: Source | Facts | None, as_of: str | dt.date | None) -> Facts:
    facts = source if isinstance(source, Facts) else fetch_facts(source)
    day = parse_day(as_of)
    return facts.as_of(day) if day is not None else facts


def _node_attributes(actor: Actor, posts: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "iri": actor.iri,
        "label": actor.label,
        "kind": actor.kind,
        "kind_iri": actor.kind_iri,
        "person": actor.person,
        "country": actor.country,
        "aliases": list(actor.aliases),
        "sources": list(actor.sources),
        "posts": list(posts),
        "bipartite": 0,
    }


def _posts(facts: Facts) -> dict[str, list[str]]:
    """Posts as text: "Role, Organisation" on a person, "Person, Role" on an organisation."""
    posts: dict[str, list[str]] = defaultdict(list)
    for rel in facts.relations:
        if rel.type != "holds_post":
            continue
        role = rel.detail or "post"
        when = f" ({rel.date})" if rel.date else ""
        posts[rel.subject].append(f"{role}, {facts.actors[rel.object].label}{when}")
        posts[rel.object].append(f"{facts.actors[rel.subject].label}, {role}{when}")
    return {iri: sorted(items) for iri, items in posts.items()}


def _edge(type_: str, **attributes: Any) -> dict[str, Any]:
    label = EDGE_TYPES.get(type_) or type_.replace("_", " ")
    return {"type": type_, "label": label, "weight": 1, **attributes}


def actor_graph(
    source: Source | Facts | None = None, *, as_of: str | dt.date | None = None
) -> nx.MultiDiGraph:
    """Project the actors and every relation between them.

    Edges: ``member_of``, ``unit_of``, ``holds_post`` (``role``), ``head_of``, ``signed``
    (person → each party; ``detail`` says whether on behalf of it), ``linked_to`` sub-types
    (``hosted_by``, ``focal_point``…), and between every two co-parties of an agreement
    (``party_to``) or co-participants of an event (``took_part``; taking part in a
    sub-event counts for the events it is part of). Each edge carries ``type``, ``label``,
    ``date``, ``sources``, ``via`` and ``via_label``, ``detail``, and ``weight`` 1.

    Args:
        source: A dataset, an endpoint URL, facts from :func:`fetch_facts`, or None for
            the project's ``graph/``.
        as_of: Keep only what was valid on this day (``YYYY-MM-DD``).

    Returns:
        A MultiDiGraph keyed by actor IRI.
    """
    facts = _facts(source, as_of)
    graph = nx.MultiDiGraph(projection="actor", as_of=str(parse_day(as_of) or ""))
    posts = _posts(facts)
    for iri in sorted(facts.actors):
        graph.add_node(iri, **_node_attributes(facts.actors[iri], posts.get(iri, ())))
    for rel in facts.relations:
        graph.add_edge(
            rel.subject,
            rel.object,
            **_edge(
                rel.type,
                date=rel.date,
                sources=list(rel.sources),
                via=rel.via,
                via_label=facts.labels.get(rel.via or "") or None,
                detail=rel.detail,
                role=rel.detail if rel.type == "holds_post" else None,
            ),
        )
    by_artefact: dict[tuple[str, str], list[Affiliation]] = defaultdict(list)
    for aff in facts.affiliations:
        if aff.type in ("party_to", "took_part"):
            by_artefact[(aff.type, aff.artefact)].append(aff)
    for (type_, iri), members in sorted(by_artefact.items()):
        artefact = facts.artefacts[iri]
        for one, two in combinations(sorted(members, key=lambda a: a.actor), 2):
            if one.actor == two.actor:
                continue
            graph.add_edge(
                one.actor,
                two.actor,
                **_edge(
                    type_,
                    date=artefact.date,
                    sources=sorted({*one.sources, *two.sources}),
                    via=iri,
                    via_label=artefact.label,
                    detail=None if one.direct and two.direct else "through a sub-event",
                    role=None,
                ),
            )
    return graph


def organisation_graph(
    source: Source | Facts | None = None, *, as_of: str | dt.date | None = None
) -> nx.Graph:
    """Project organisations, linked when they share an agreement, a collaboration or a parent.

    Each edge has ``weight`` (how many things the two share), ``shared`` (their IRIs),
    ``shared_labels``, ``shares`` (which of agreement, collaboration, parent), ``date`` (the
    earliest dated shared thing), ``sources`` and ``type`` ``shared``.

    Args:
        source: As for :func:`actor_graph`.
        as_of: As for :func:`actor_graph`.

    Returns:
        An undirected weighted graph keyed by organisation IRI.
    """
    facts = _facts(source, as_of)
    orgs = {iri: a for iri, a in facts.actors.items() if not a.person}
    groups: dict[tuple[str, str], dict[str, tuple[str | None, tuple[str, ...]]]] = defaultdict(dict)
    for aff in facts.affiliations:
        if aff.type == "party_to" and aff.actor in orgs:
            art = facts.artefacts[aff.artefact]
            groups[("agreement", aff.artefact)][aff.actor] = (art.date, aff.sources)
    for rel in facts.relations:
        if rel.subject in orgs and rel.type in ("member_of", "unit_of"):
            shared = "collaboration" if rel.type == "member_of" else "parent"
            groups[(shared, rel.object)][rel.subject] = (rel.date, rel.sources)
    graph = nx.Graph(projection="organisation", as_of=str(parse_day(as_of) or ""))
    posts = _posts(facts)
    for iri in sorted(orgs):
        graph.add_node(iri, **_node_attributes(orgs[iri], posts.get(iri, ())))
    for (shared, thing), members in sorted(groups.items()):
        label = facts.labels.get(thing) or local_name(thing)
        for one, two in combinations(sorted(members), 2):
            dates = [d for d in (members[one][0], members[two][0]) if d]
            date = max(dates) if len(dates) == 2 or (dates and shared == "agreement") else None
            sources = {*members[one][1], *members[two][1]}
            if graph.has_edge(one, two):
                data = graph[one][two]
                data["weight"] += 1
                data["shared"].append(thing)
                data["shared_labels"].append(label)
                data["shares"] = sorted({*data["shares"], shared})
                data["sources"] = sorted({*data["sources"], *sources})
                data["date"] = (
                    min(d for d in (data["date"], date) if d) if data["date"] or date else None
                )
            else:
                graph.add_edge(
                    one,
                    two,
                    **_edge(
                        "shared",
                        weight=1,
                        shared=[thing],
                        shared_labels=[label],
                        shares=[shared],
                        date=date,
                        sources=sorted(sources),
                    ),
                )
    return graph


def bipartite_graph(
    source: Source | Facts | None = None, *, as_of: str | dt.date | None = None
) -> nx.MultiGraph:
    """Project actors and the agreements and events they are linked to.

    Actor nodes have ``bipartite`` 0; agreement and event nodes ``bipartite`` 1 with
    ``kind`` their class. Edges: ``party_to``, ``signed``, ``took_part`` (direct only).

    Args:
        source: As for :func:`actor_graph`.
        as_of: As for :func:`actor_graph`.

    Returns:
        An undirected multigraph.
    """
    facts = _facts(source, as_of)
    graph = nx.MultiGraph(projection="bipartite", as_of=str(parse_day(as_of) or ""))
    posts = _posts(facts)
    for iri in sorted(facts.actors):
        graph.add_node(iri, **_node_attributes(facts.actors[iri], posts.get(iri, ())))
    direct = [a for a in facts.affiliations if a.direct]
    for iri in sorted({a.artefact for a in direct}):
        art = facts.artefacts[iri]
        graph.add_node(
            iri,
            iri=iri,
            label=art.label,
            kind=art.cls or art.kind.capitalize(),
            kind_iri="",
            person=False,
            country=None,
            aliases=[],
            sources=list(art.sources),
            posts=[],
            bipartite=1,
            date=art.date,
        )
    for aff in direct:
        graph.add_edge(
            aff.actor,
            aff.artefact,
            **_edge(
                aff.type,
                date=facts.artefacts[aff.artefact].date,
                sources=list(aff.sources),
                via=aff.artefact,
                via_label=facts.artefacts[aff.artefact].label,
                detail=aff.detail,
                role=None,
            ),
        )
    return graph


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def find_actor(graph: nx.Graph, text: str) -> str:
    """Find a node by IRI, label or alias, ignoring case and accents.

    Raises:
        InputError: No node or more than one node matches; the message lists candidates.
    """
    if text in graph:
        return text
    wanted = _fold(text)
    exact = [
        n
        for n, data in graph.nodes(data=True)
        if wanted in {_fold(data.get("label", "")), *map(_fold, data.get("aliases", []))}
    ]
    if len(exact) == 1:
        return str(exact[0])
    if len(exact) > 1:
        names = ", ".join(f"{graph.nodes[n]['label']} <{n}>" for n in sorted(exact))
        raise InputError(f"actor {text!r} is ambiguous: it names {names}; give the IRI")
    partial = sorted(
        n for n, data in graph.nodes(data=True) if wanted in _fold(data.get("label", ""))
    )
    if len(partial) == 1:
        return str(partial[0])
    hint = (
        "; did you mean " + ", ".join(graph.nodes[n]["label"] for n in partial[:5]) + "?"
        if partial
        else ""
    )
    raise InputError(f"actor {text!r} not found in the network{hint}")


def ego_network(graph: nx.Graph, actor: str, *, radius: int = 1) -> nx.Graph:
    """Return the actors within ``radius`` steps of ``actor`` (edges followed both ways).

    Args:
        graph: A projection.
        actor: IRI, label or alias (see :func:`find_actor`).
        radius: How many steps; 0 keeps the actor alone.

    Returns:
        The induced subgraph, of the same type as ``graph``.

    Raises:
        InputError: Unknown or ambiguous actor, or a negative radius.
    """
    if radius < 0:
        raise InputError(f"--radius {radius}: give 0 or more steps")
    center = find_actor(graph, actor)
    ego: nx.Graph = nx.ego_graph(graph, center, radius=radius, undirected=True)
    ego.graph.update(graph.graph, focus=center, radius=radius)
    return ego


@dataclass(frozen=True)
class ProjectionOptions:
    """Which projection, at which date, around which actor.

    Attributes:
        projection: ``actor``, ``organisation`` or ``bipartite``.
        as_of: Keep what was valid on this day.
        focus: Keep only the ego network of this actor (IRI, label or alias).
        radius: Steps from ``focus``.
    """

    projection: ProjectionName = "actor"
    as_of: str | dt.date | None = None
    focus: str | None = None
    radius: int = 1


_BUILDERS: Final = {
    "actor": actor_graph,
    "organisation": organisation_graph,
    "bipartite": bipartite_graph,
}


def project(
    source: Source | Facts | None = None, *, options: ProjectionOptions | None = None
) -> nx.Graph:
    """Build the projection the options name (see :class:`ProjectionOptions`).

    Raises:
        InputError: Unknown projection, a bad date, or an unknown focus actor.
    """
    chosen = options or ProjectionOptions()
    if chosen.projection not in _BUILDERS:
        raise InputError(
            f"unknown projection {chosen.projection!r}; use one of {', '.join(PROJECTIONS)}"
        )
    graph: nx.Graph = _BUILDERS[chosen.projection](source, as_of=chosen.as_of)
    if chosen.focus is not None:
        graph = ego_network(graph, chosen.focus, radius=chosen.radius)
    return graph
