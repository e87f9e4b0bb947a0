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

``as_of`` (the view of day D) keeps what the sources knew on D. A fact (an actor, a
relation, an agreement or event, a link to one) is in the view if its own date (start,
founding, the event's or agreement's date, the day a post is attested on) is on or before
D; when it has no date of its own, if a dated source stating it was issued on or before D
(``dcterms:issued``). Facts known only from undated sources stay in every view and are
marked ``undated``. A fact that ended before D leaves the view; an actor all of whose
relations left the view leaves with them (it enters the network only later). The sources
listed on nodes and edges are filtered the same way: those issued after D are left out.

Every node and edge carries ``since`` (the first day it is in the view, ISO text, or None
when undated), ``until`` (its end, if the data gives one) and ``undated``, so a front end
(the network page's time control) can apply the same rule; ``evidence`` maps each source
to the sentences it rests on, and the graph attribute ``documents`` maps each source to its
title, day of issue and address.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Final, Literal

import networkx as nx

from moikg._collect import no_cycle_collection
from moikg.errors import InputError
from moikg.network.dates import parse_day
from moikg.network.ego import ego_network, find_actor
from moikg.network.facts import Source, fetch_facts
from moikg.network.model import Actor, Affiliation, Artefact, Fact, Facts, Relation
from moikg.rdf.terms import local_name

__all__ = [
    "BIPARTITE_EDGE_TYPES",
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


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


_When = tuple[dt.date | None, dt.date | None]
"""When a fact is in the as-of views: its first day (None: undated) and its end."""


def _when(facts: Facts, item: Fact) -> _When:
    return facts.since(item), item.span.end


def _timing(facts: Facts, *items: Fact) -> dict[str, Any]:
    """``since``/``until``/``undated`` of what needs every one of ``items`` to hold."""
    return _timing_of(*(_when(facts, item) for item in items))


def _timing_of(*whens: _When) -> dict[str, Any]:
    """:func:`_timing` from each item's :func:`_when`, for items met in many pairs."""
    dated = [since for since, _ in whens if since is not None]
    ends = [end for _, end in whens if end is not None]
    return {
        "since": _iso(max(dated)) if dated else None,
        "until": _iso(min(ends)) if ends else None,
        "undated": not dated,
    }


def _evidence(facts: Facts, node: str | None, sources: Iterable[str]) -> dict[str, list[str]]:
    """The sentences of ``sources`` that ``node`` rests on."""
    by_source = facts.evidence.get(node or "", {})
    return {s: list(by_source[s]) for s in sources if s in by_source}


def _documents(facts: Facts) -> dict[str, dict[str, str | None]]:
    return {
        iri: {"title": d.title, "issued": d.issued, "url": d.url}
        for iri, d in sorted(facts.documents.items())
    }


def _node_attributes(actor: Actor, facts: Facts, posts: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "iri": actor.iri,
        "label": actor.label,
        "kind": actor.kind,
        "kind_iri": actor.kind_iri,
        "person": actor.person,
        "country": actor.country,
        "aliases": list(actor.aliases),
        "sources": list(actor.sources),
        "evidence": _evidence(facts, actor.iri, actor.sources),
        "posts": list(posts),
        "bipartite": 0,
        **_timing(facts, actor),
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


@no_cycle_collection()
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
    graph = nx.MultiDiGraph(
        projection="actor", as_of=str(parse_day(as_of) or ""), documents=_documents(facts)
    )
    posts = _posts(facts)
    for iri in sorted(facts.actors):
        graph.add_node(iri, **_node_attributes(facts.actors[iri], facts, posts.get(iri, ())))
    for rel in facts.relations:
        graph.add_edge(rel.subject, rel.object, **_relation_edge(facts, rel))
    by_artefact: dict[tuple[str, str], list[Affiliation]] = defaultdict(list)
    for aff in facts.affiliations:
        if aff.type in ("party_to", "took_part"):
            by_artefact[(aff.type, aff.artefact)].append(aff)
    for (type_, iri), members in sorted(by_artefact.items()):
        artefact = facts.artefacts[iri]
        when = {id(member): _when(facts, member) for member in members}
        for one, two in combinations(sorted(members, key=lambda a: a.actor), 2):
            if one.actor == two.actor:
                continue
            sources = sorted({*one.sources, *two.sources})
            graph.add_edge(
                one.actor,
                two.actor,
                **_edge(
                    type_,
                    date=artefact.date,
                    sources=sources,
                    evidence=_evidence(facts, iri, sources),
                    via=iri,
                    via_label=artefact.label,
                    detail=None if one.direct and two.direct else "through a sub-event",
                    role=None,
                    **_timing_of(when[id(one)], when[id(two)]),
                ),
            )
    return graph


def _relation_edge(facts: Facts, rel: Relation) -> dict[str, Any]:
    """Attributes of the edge of an actor-to-actor relation."""
    return _edge(
        rel.type,
        date=rel.date,
        sources=list(rel.sources),
        evidence=_evidence(facts, rel.via or rel.subject, rel.sources)
        or _evidence(facts, rel.subject, rel.sources),
        via=rel.via,
        via_label=facts.labels.get(rel.via or "") or None,
        detail=rel.detail,
        role=rel.detail if rel.type == "holds_post" else None,
        **_timing(facts, rel),
    )


@no_cycle_collection()
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
    groups: dict[tuple[str, str], dict[str, tuple[str | None, Fact]]] = defaultdict(dict)
    for aff in facts.affiliations:
        if aff.type == "party_to" and aff.actor in orgs:
            art = facts.artefacts[aff.artefact]
            groups[("agreement", aff.artefact)][aff.actor] = (art.date, aff)
    for rel in facts.relations:
        if rel.subject in orgs and rel.type in ("member_of", "unit_of"):
            shared = "collaboration" if rel.type == "member_of" else "parent"
            groups[(shared, rel.object)][rel.subject] = (rel.date, rel)
    graph = nx.Graph(
        projection="organisation", as_of=str(parse_day(as_of) or ""), documents=_documents(facts)
    )
    posts = _posts(facts)
    for iri in sorted(orgs):
        graph.add_node(iri, **_node_attributes(orgs[iri], facts, posts.get(iri, ())))
    for (shared, thing), members in sorted(groups.items()):
        label = facts.labels.get(thing) or local_name(thing)
        when = {member: _when(facts, fact) for member, (_, fact) in members.items()}
        for one, two in combinations(sorted(members), 2):
            dates = [d for d in (members[one][0], members[two][0]) if d]
            date = max(dates) if len(dates) == 2 or (dates and shared == "agreement") else None
            sources = {*members[one][1].sources, *members[two][1].sources}
            timing = _timing_of(when[one], when[two])
            if graph.has_edge(one, two):
                data = graph[one][two]
                data["weight"] += 1
                data["shared"].append(thing)
                data["shared_labels"].append(label)
                data["shares"] = sorted({*data["shares"], shared})
                data["sources"] = sorted({*data["sources"], *sources})
                data["evidence"] = {**_evidence(facts, thing, sources), **data["evidence"]}
                data["date"] = (
                    min(d for d in (data["date"], date) if d) if data["date"] or date else None
                )
                _widen(data, timing)
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
                        evidence=_evidence(facts, thing, sources),
                        **timing,
                    ),
                )
    return graph


def _widen(data: dict[str, Any], timing: dict[str, Any]) -> None:
    """An edge resting on several shared things holds while any of them does."""
    if data["undated"] or timing["undated"]:
        data["since"], data["undated"] = None, True
    else:
        data["since"] = min(data["since"], timing["since"])
    ends = (data["until"], timing["until"])
    data["until"] = max(ends) if None not in ends else None


@no_cycle_collection()
def bipartite_graph(
    source: Source | Facts | None = None, *, as_of: str | dt.date | None = None
) -> nx.MultiGraph:
    """Project actors and the agreements and events they are linked to.

    Actor nodes have ``bipartite`` 0; agreement and event nodes ``bipartite`` 1 with
    ``kind`` their class and ``artefact`` ``agreement`` or ``event``. Edges, named for what
    they are (:data:`BIPARTITE_EDGE_TYPES`): ``party_to``, ``signed``, ``took_part`` (direct
    only) between an actor and an agreement or event, and the actor-to-actor memberships
    (``member_of``, ``unit_of``, ``holds_post``, ``head_of``). The graph is undirected, so
    each edge names its ``tail`` and ``head`` (actor → agreement or event, member → whole).

    Args:
        source: As for :func:`actor_graph`.
        as_of: As for :func:`actor_graph`.

    Returns:
        An undirected multigraph.
    """
    facts = _facts(source, as_of)
    graph = nx.MultiGraph(
        projection="bipartite", as_of=str(parse_day(as_of) or ""), documents=_documents(facts)
    )
    posts = _posts(facts)
    for iri in sorted(facts.actors):
        graph.add_node(iri, **_node_attributes(facts.actors[iri], facts, posts.get(iri, ())))
    direct = [a for a in facts.affiliations if a.direct]
    for iri in sorted({a.artefact for a in direct}):
        graph.add_node(iri, **_artefact_attributes(facts, facts.artefacts[iri]))
    for aff in direct:
        art = facts.artefacts[aff.artefact]
        graph.add_edge(
            aff.actor,
            aff.artefact,
            type=aff.type,
            label=BIPARTITE_EDGE_TYPES[aff.type],
            weight=1,
            date=art.date,
            sources=list(aff.sources),
            evidence=_evidence(facts, aff.artefact, aff.sources),
            via=aff.artefact,
            via_label=art.label,
            detail=aff.detail,
            role=None,
            tail=aff.actor,
            head=aff.artefact,
            **_timing(facts, aff),
        )
    for rel in facts.relations:
        if rel.type in _MEMBERSHIP_TYPES:
            graph.add_edge(
                rel.subject,
                rel.object,
                tail=rel.subject,
                head=rel.object,
                **_relation_edge(facts, rel),
            )
    return graph


_MEMBERSHIP_TYPES: Final = frozenset({"member_of", "unit_of", "holds_post", "head_of"})

BIPARTITE_EDGE_TYPES: Final[dict[str, str]] = {
    "party_to": "party to",
    "signed": "signed",
    "took_part": "took part in",
}
"""How the actor-to-agreement and actor-to-event edges of the bipartite projection read."""


def _artefact_attributes(facts: Facts, art: Artefact) -> dict[str, Any]:
    return {
        "iri": art.iri,
        "label": art.label,
        "kind": art.cls or art.kind.capitalize(),
        "kind_iri": "",
        "artefact": art.kind,
        "person": False,
        "country": None,
        "aliases": [],
        "sources": list(art.sources),
        "evidence": _evidence(facts, art.iri, art.sources),
        "posts": [],
        "bipartite": 1,
        "date": art.date,
        **_timing(facts, art),
    }


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
            f"projection={chosen.projection!r}: unknown projection; "
            f"use one of {', '.join(PROJECTIONS)}",
            parameter="projection",
        )
    graph: nx.Graph = _BUILDERS[chosen.projection](source, as_of=chosen.as_of)
    if chosen.focus is not None:
        graph = ego_network(graph, chosen.focus, radius=chosen.radius)
    return graph
