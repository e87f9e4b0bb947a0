"""Generate a synthetic graph of sources, for benchmarks and scale tests.

``generate(triples=N, seed=S, out_dir=DIR)`` writes source cards to ``DIR/cards/`` and the Turtle
each becomes to ``DIR/<stem>.ttl``, through the same card → RDF converter as ``moikg add``
(:mod:`moikg.cards.to_rdf`), so generated data follows the ontology and the shapes as real cards do.

The world is connected the way real sources are: one pool of organisations (of every kind, some
units of a parent), networks hosted by an organisation, people holding posts in one to three
organisations over the years, places and goals. Each source (a news article or a web page, dated
2012-2025, published by one of the organisations) reports a slice of that world: a few
organisations picked with preferential attachment (popular actors recur in many sources), their
dated memberships of a network, the posts of some of their people, often an agreement between two
of them with its signing, an event with performers, and quotations. Every node a source states is
derived from that source. The same seed gives the same files, byte for byte.

IRIs are the project's (``https://w3id.org/moikg/id/...``) with keys prefixed ``gen-``; names
are made up and marked as synthetic in each card's note.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyoxigraph
import yaml
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from moikg import _paths
from moikg._atomic import atomic_outputs
from moikg.cards.read import Card
from moikg.cards.resolve import Index
from moikg.cards.to_rdf import convert_card
from moikg.errors import InputError
from moikg.ingest.load import read_graph
from moikg.rdf.namespaces import INSTANCE_PREFIXES, PREFIXES

__all__ = ["MAX_TRIPLES", "MIN_TRIPLES", "GenerateResult", "generate"]

MIN_TRIPLES: Final = 100
MAX_TRIPLES: Final = 20_000_000

_ORG_KINDS: Final = (
    "university", "institute", "intergovernmental-organisation", "observatory",
    "state-investment-bank", "innovation-agency", "strategic-unit", "government-department",
    "public-agency", "city", "foundation", "private-organisation",
)  # fmt: skip
_UNIT_KINDS: Final = ("institute", "observatory", "strategic-unit", "public-agency")
_ROLES: Final = ("director", "deputy-director", "president", "secretary-general", "member")
_HEAD_ROLES: Final = ("director", "president", "secretary-general")
_EVENT_KINDS: Final = ("gathering", "summit", "festival", "launch", "speech", "panel-discussion")
_WORDS: Final = (
    "Mission", "Public", "Value", "Green", "Digital", "Future", "Health", "Climate", "Ocean",
    "Urban", "Energy", "Water", "Inclusive", "Circular", "Civic", "Open", "Social", "Frontier",
)  # fmt: skip
_ORG_NOUNS: Final = {
    "university": "University", "institute": "Institute", "observatory": "Observatory",
    "intergovernmental-organisation": "Organisation", "state-investment-bank": "Investment Bank",
    "innovation-agency": "Innovation Agency", "strategic-unit": "Strategy Unit",
    "government-department": "Department", "public-agency": "Agency", "city": "City",
    "foundation": "Foundation", "private-organisation": "Company", "network": "Network",
}  # fmt: skip
_GIVEN: Final = ("Ana", "Ben", "Chiara", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas")
_FAMILY: Final = ("Ahmed", "Berg", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Haddad")
_TRIPLES_PER_SOURCE: Final = 180
_BASE_URL: Final = "https://example.org/generated/source/"
_PREFIXES: Final = {**PREFIXES, **{k: str(v) for k, v in INSTANCE_PREFIXES.items()}}
_Dumper: Final = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class GenerateResult:
    """What :func:`generate` wrote.

    Attributes:
        out_dir: The folder: ``<stem>.ttl`` per source, the cards in ``cards/``.
        sources: Number of sources (cards).
        triples: Triples written, summed over the source files.
    """

    out_dir: Path
    sources: int
    triples: int


@dataclass
class _Org:
    key: str
    name: str
    kind: str
    parent: int | None = None
    host: int | None = None


@dataclass
class _Post:
    org: int
    role: str
    start: int
    start_date: str


@dataclass
class _Person:
    key: str
    name: str
    title: str | None
    posts: list[_Post] = field(default_factory=list)


@dataclass
class _World:
    orgs: list[_Org]
    networks: list[int]
    people: list[_Person]
    staff: dict[int, list[int]]
    places: list[tuple[str, str]]
    goals: list[tuple[str, str]]
    joined: dict[tuple[int, int], str | None] = field(default_factory=dict)


def generate(
    *,
    triples: int,
    seed: int = 1,
    out_dir: Path,
    ontology: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> GenerateResult:
    """Write synthetic sources of about ``triples`` triples in all.

    Args:
        triples: Target size; sources are added until their triples reach it
            (between :data:`MIN_TRIPLES` and :data:`MAX_TRIPLES`).
        seed: Random seed; the same seed and size give the same files.
        out_dir: Folder to write to; made if missing. Existing ``gen-*`` files are replaced.
        ontology: Ontology file; defaults to ``ontology/moi.ttl``.
        progress: Called with (triples so far, target) after each source.

    Returns:
        The folder, the number of sources and of triples.

    Raises:
        InputError: ``triples`` is out of range, or ``out_dir`` is not a folder.
    """
    if not MIN_TRIPLES <= triples <= MAX_TRIPLES:
        raise InputError(f"triples: {triples} is out of range; give {MIN_TRIPLES}..{MAX_TRIPLES}")
    target = Path(out_dir)
    if target.exists() and not target.is_dir():
        raise InputError(f"out_dir: {target} is not a folder", path=str(target))
    ontology_graph = read_graph(ontology or _paths.ontology_file())
    rng = random.Random(seed)
    world = _world(rng, max(1, triples // _TRIPLES_PER_SOURCE))
    index = Index.from_graph(Graph(), ontology_graph)
    total = 0
    count = 0
    cards = target / "cards"
    cards.mkdir(parents=True, exist_ok=True)
    for stale in [*target.glob("gen-*.ttl"), *cards.glob("gen-*.yaml")]:
        stale.unlink()
    mentions: list[int] = []
    while total < triples:
        stem = f"gen-{count:06d}"
        data = _source(rng, world, mentions, count)
        card = Card(path=cards / f"{stem}.yaml", text="", data=data, lines={})
        graph, _ = convert_card(card, index, ontology_graph)
        with atomic_outputs(target) as batch:
            batch.write_text(f"{stem}.ttl", _turtle(graph, stem))
        with atomic_outputs(cards) as batch:
            batch.write_text(f"{stem}.yaml", yaml.dump(data, Dumper=_Dumper, sort_keys=False))
        total += len(graph)
        count += 1
        if progress is not None:
            progress(min(total, triples), triples)
    return GenerateResult(out_dir=target, sources=count, triples=total)


def _world(rng: random.Random, n_sources: int) -> _World:
    n_orgs = max(12, n_sources * 3)
    orgs: list[_Org] = []
    for i in range(n_orgs):
        kind = rng.choice(_ORG_KINDS)
        parent = None
        if i > 10 and rng.random() < 0.15:
            parent = rng.randrange(i)
            kind = rng.choice(_UNIT_KINDS)
        name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {_ORG_NOUNS[kind]} {i}"
        orgs.append(_Org(key=f"gen-org-{i}", name=name, kind=kind, parent=parent))
    networks: list[int] = []
    for j in range(max(2, n_orgs // 25)):
        host = rng.randrange(len(orgs))
        orgs.append(
            _Org(
                key=f"gen-network-{j}",
                name=f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} Network {j}",
                kind="network",
                host=host,
            )
        )
        networks.append(len(orgs) - 1)
    people: list[_Person] = []
    staff: dict[int, list[int]] = {}
    for k in range(n_orgs):
        title = rng.choice((None, None, "Professor", "Dr"))
        name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)} {k}"
        person = _Person(key=f"gen-person-{k}", name=name, title=title)
        start = rng.randint(2008, 2020)
        for _ in range(rng.choice((1, 1, 2, 3))):
            org = rng.randrange(n_orgs)
            role = rng.choice(_ROLES)
            person.posts.append(_Post(org, role, start, _date(rng, start)))
            staff.setdefault(org, []).append(k)
            start += rng.randint(1, 4)
        people.append(person)
    places = [(f"gen-place-{i}", f"Place {i}") for i in range(max(5, n_sources // 10))]
    goals = [
        (f"gen-goal-{i}", f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} goal {i}")
        for i in range(max(5, n_sources // 20))
    ]
    return _World(orgs, networks, people, staff, places, goals)


def _date(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _source(rng: random.Random, world: _World, mentions: list[int], number: int) -> dict[str, Any]:
    year = rng.randint(2012, 2025)
    issued = _date(rng, year)
    n_plain = len(world.orgs) - len(world.networks)
    picked: list[int] = []
    wanted = min(rng.randint(3, 7), n_plain)
    while len(picked) < wanted:
        # preferential attachment: half the picks repeat an earlier mention (popular actors recur)
        use_earlier = mentions and rng.random() < 0.5
        org = rng.choice(mentions) if use_earlier else rng.randrange(n_plain)
        if org not in picked:
            picked.append(org)
            mentions.append(org)
    network = rng.choice(world.networks)
    actors: dict[str, dict[str, Any]] = {}
    evidence = f"Synthetic sentence {number} of a generated source."

    def add_org(i: int) -> str:
        org = world.orgs[i]
        if org.key in actors:
            return org.key
        entry: dict[str, Any] = {"kind": org.kind, "name": org.name, "evidence": evidence}
        actors[org.key] = entry
        if org.parent is not None:
            entry["unit_of"] = add_org(org.parent)
        if org.host is not None:
            entry["hosted_by"] = add_org(org.host)
        return org.key

    for i in picked:
        add_org(i)
    net_key = add_org(network)
    goal_key, goal_name = rng.choice(world.goals)
    actors[net_key]["purposes"] = [goal_key]
    memberships = []
    for i in picked[: rng.randint(2, len(picked))]:
        member = {"member": world.orgs[i].key, "organization": net_key, "attested": issued}
        if (i, network) not in world.joined:  # a world fact: the same in every source
            known = rng.random() < 0.5
            world.joined[i, network] = _date(rng, rng.randint(2010, year)) if known else None
        joined = world.joined[i, network]
        if joined is not None and joined <= issued:
            member["start"] = joined
        memberships.append(member)
    posts = []
    people: list[str] = []
    for i in picked:
        for k in world.staff.get(i, [])[:2]:
            person = world.people[k]
            post = next(p for p in person.posts if p.org == i)
            if person.key not in actors:
                actors[person.key] = {"kind": "person", "name": person.name, "evidence": evidence}
                if person.title:
                    actors[person.key]["title"] = person.title
            entry: dict[str, Any] = {
                "person": person.key,
                "organization": world.orgs[i].key,
                "role": post.role,
                "attested": issued,
            }
            if post.role in _HEAD_ROLES and rng.random() < 0.5:
                entry["head"] = True
            if post.start_date <= issued and rng.random() < 0.4:
                entry["start"] = post.start_date
            posts.append(entry)
            people.append(person.key)
    place_key, place_name = rng.choice(world.places)
    card: dict[str, Any] = {
        "note": f"Synthetic source {number}, generated by moikg generate (not real data).",
        "source": {
            "url": f"{_BASE_URL}{number}",
            "type": rng.choice(("news-article", "web-page")),
            "title": f"Generated report {number}: {world.orgs[picked[0]].name}",
            "publisher": world.orgs[picked[0]].key,
            "issued": issued,
        },
        "actors": actors,
        "places": {place_key: {"name": place_name, "evidence": evidence}},
        "goals": {goal_key: {"name": goal_name, "definition": f"To pursue {goal_name}."}},
        "memberships": memberships,
    }
    if posts:
        card["posts"] = posts
    event_key = f"gen-event-{number}"
    events: dict[str, Any] = {
        event_key: {
            "kind": rng.choice(_EVENT_KINDS),
            "name": f"Generated event {number}",
            "start": issued,
            "location": place_key,
            "performers": people[:3],
            "evidence": evidence,
        }
    }
    signers = _signers(rng, world, picked)
    if signers is not None:
        (one, one_person), (two, two_person) = signers
        card["agreements"] = {
            f"gen-agreement-{number}": {
                "kind": rng.choice(("agreement", "memorandum-of-understanding")),
                "name": f"Generated agreement {number}",
                "date": issued,
                "parties": [world.orgs[one].key, world.orgs[two].key],
                "evidence": evidence,
                "signing": {
                    "key": f"gen-signing-{number}",
                    "name": f"Signing of generated agreement {number}",
                    "date": issued,
                    "place": place_key,
                    "super_event": event_key,
                    "signatories": [
                        {"person": one_person, "on_behalf_of": world.orgs[one].key},
                        {"person": two_person, "on_behalf_of": world.orgs[two].key},
                    ],
                },
            }
        }
    card["events"] = events
    if people:
        card["quotations"] = [
            {
                "key": f"gen-quote-{number}-{n}",
                "speaker": speaker,
                "label": f"Quotation {number}.{n}",
                "text": f"Generated statement {n} of source {number} about public value.",
            }
            for n, speaker in enumerate(people[:2])
        ]
    return card


def _signers(
    rng: random.Random, world: _World, picked: list[int]
) -> tuple[tuple[int, str], tuple[int, str]] | None:
    """Two picked organisations with a person in the card who holds a post in each, or None."""
    if rng.random() < 0.4:
        return None
    found = list(_staffed(world, picked))
    if len(found) < 2 or found[0][0] == found[1][0]:
        return None
    return found[0], found[1]


def _staffed(world: _World, picked: list[int]) -> Iterator[tuple[int, str]]:
    seen: set[int] = set()
    for i in picked:
        for k in world.staff.get(i, [])[:1]:
            if i not in seen:
                seen.add(i)
                yield i, world.people[k].key


def _turtle(graph: Graph, stem: str) -> str:
    """The card's triples as Turtle, written by Oxigraph (in N-Triples order: reproducible)."""
    triples = sorted(
        (pyoxigraph.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in graph),  # type: ignore[arg-type]
        key=str,
    )
    body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=_PREFIXES)
    header = (
        f"# Generated by `moikg generate` from cards/{stem}.yaml: synthetic, not real data.\n\n"
    )
    return header + (body or b"").decode("utf-8")


def _ox(term: Node) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
