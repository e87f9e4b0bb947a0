"""Find an actor in a projection by name, and the actors around it (its ego network)."""

from __future__ import annotations

import networkx as nx

from moikg.errors import InputError
from moikg.rdf.namespaces import expand_curie
from moikg.rdf.terms import fold_name

__all__ = ["ego_network", "find_actor"]


def find_actor(graph: nx.Graph, text: str) -> str:
    """Find a node by IRI, project CURIE (``id:org/iipp``), label or alias (case, accents ignored).

    Raises:
        InputError: No node or more than one node matches; the message lists candidates.
    """
    iri = expand_curie(text) or text
    if iri in graph:
        return iri
    wanted = fold_name(text)
    exact = [
        n
        for n, data in graph.nodes(data=True)
        if wanted in {fold_name(data.get("label", "")), *map(fold_name, data.get("aliases", []))}
    ]
    if len(exact) == 1:
        return str(exact[0])
    if len(exact) > 1:
        names = ", ".join(f"{graph.nodes[n]['label']} <{n}>" for n in sorted(exact))
        raise InputError(f"actor {text!r} is ambiguous: it names {names}; give the IRI")
    partial = sorted(
        n for n, data in graph.nodes(data=True) if wanted in fold_name(data.get("label", ""))
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
        raise InputError(f"radius={radius}: give 0 or more steps", parameter="radius")
    center = find_actor(graph, actor)
    ego: nx.Graph = nx.ego_graph(graph, center, radius=radius, undirected=True)
    ego.graph.update(graph.graph, focus=center, radius=radius)
    return ego
