"""Read the facts the network projections are built from: actors, agreements, events, relations.

The facts are read with the SPARQL SELECTs in ``moikg/network_queries/`` (one
file per question), run through :func:`moikg.sparql.dispatch.query`, so the same facts
come from the embedded dataset or from any SPARQL 1.1 endpoint whose default
graph is the union of its named graphs (``oxigraph serve
--union-default-graph``, as ``moikg serve`` runs it). Terms are found through
the interop profile (DESIGN.md, "Interop profile"): an actor is an instance
of ``org:Organization`` or ``foaf:Person`` or of a subclass; relations are
found through their standard properties and every sub-property of them
(RDFS 1.1 §5.1.2, rdfs7 and rdfs9, applied by property paths over the
ontology). :mod:`moikg.network.projection` projects the facts onto NetworkX graphs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Final, TypeVar

from rdflib import Dataset, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import FOAF, RDFS, SKOS
from rdflib.term import Node

from moikg.errors import InputError
from moikg.ingest.load import load_dataset
from moikg.rdf.namespaces import SCHEMA
from moikg.sparql.dispatch import query

__all__ = [
    "Actor",
    "Affiliation",
    "Artefact",
    "Document",
    "Fact",
    "Facts",
    "Relation",
    "Source",
    "Span",
    "fetch_facts",
    "local_name",
    "parse_day",
]

Source = Dataset | str
"""Where facts come from: a loaded dataset, or the URL of a SPARQL endpoint."""

_QUERY_DIR: Final = "queries"
_LABEL_PROPERTIES: Final = (RDFS.label, SKOS.prefLabel, FOAF.name, SCHEMA.name)
_START_PROPERTIES: Final = frozenset(
    str(p) for p in (SCHEMA.foundingDate, URIRef("http://purl.org/dc/terms/created"))
) | {str(SCHEMA.startDate)}
_END_PROPERTIES: Final = frozenset({str(SCHEMA.dissolutionDate), str(SCHEMA.endDate)})
_DATE: Final = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PERSON: Final = str(FOAF.Person)


# --- Dates -------------------------------------------------------------------------------------


def parse_day(value: str | dt.date | None) -> dt.date | None:
    """Read a day given as ``YYYY-MM-DD`` (or a date); None stays None.

    Raises:
        InputError: The text is not a calendar date.
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--as-of {value!r}: not a date; give it as YYYY-MM-DD") from None


def _bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """Earliest and latest day an xsd:date, dateTime, gYearMonth or gYear can mean."""
    match = _DATE.match(text.strip())
    if not match or match[1].startswith("-"):
        return None
    year = int(match[1])
    try:
        if match[3]:
            day = dt.date(year, int(match[2]), int(match[3]))
            return day, day
        if match[2]:
            month = int(match[2])
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year, month, 1), following - dt.timedelta(days=1)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


@dataclass(frozen=True)
class Span:
    """When something held, as far as the data says.

    Attributes:
        start: The earliest day it can have begun (None: undated).
        end: The latest day it can have ended (None: not known to have ended).
    """

    start: dt.date | None = None
    end: dt.date | None = None

    def valid_at(self, day: dt.date) -> bool:
        """Return True unless the data says it began after ``day`` or ended before it."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    @staticmethod
    def of(starts: Iterable[str], ends: Iterable[str] = ()) -> Span:
        """Build a span from date texts: the earliest start and the latest end."""
        lows = [b[0] for b in map(_bounds, starts) if b]
        highs = [b[1] for b in map(_bounds, ends) if b]
        return Span(min(lows) if lows else None, max(highs) if highs else None)

    def meet(self, other: Span) -> Span:
        """The span during which both held."""
        starts = [d for d in (self.start, other.start) if d is not None]
        ends = [d for d in (self.end, other.end) if d is not None]
        return Span(max(starts) if starts else None, min(ends) if ends else None)


# --- Facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """An organisation or person.

    Attributes:
        iri: Its IRI.
        label: Its name (``rdfs:label``, else ``skos:prefLabel``, ``foaf:name``, ``schema:name``).
        kind: The label of its most specific class (e.g. ``Institute``, ``Person``).
        kind_iri: That class.
        person: True for people (``foaf:Person``).
        aliases: Other names (``skos:altLabel``, other labels).
        country: The country the data gives, if any.
        sources: Documents it was derived from (``prov:wasDerivedFrom``).
        span: When it existed, where the data says (founding and dissolution dates).
    """

    iri: str
    label: str
    kind: str
    kind_iri: str
    person: bool
    aliases: tuple[str, ...] = ()
    country: str | None = None
    sources: tuple[str, ...] = ()
    span: Span = Span()


@dataclass(frozen=True)
class Artefact:
    """An agreement or an event that actors are linked through.

    Attributes:
        iri: Its IRI.
        label: Its name.
        kind: ``agreement`` or ``event``.
        cls: The label of its most specific class (e.g. ``Memorandum of understanding``).
        date: The date the data gives (ISO text), if any.
        span: When it began and ended.
        sources: Documents it was derived from.
    """

    iri: str
    label: str
    kind: str
    cls: str
    date: str | None = None
    span: Span = Span()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A relation from one actor to another.

    Attributes:
        type: One of :data:`moikg.network.EDGE_TYPES`, or a ``linked_to`` sub-type such as
            ``hosted_by``.
        subject: Source actor IRI (the member, unit, post holder, signatory…).
        object: Target actor IRI.
        via: The node the relation rests on (membership, agreement, collaboration), if any.
        detail: The role, the property's label, or for whom a signatory signed.
        date: The date the data gives for it (ISO text), if any.
        span: When it held, for ``as_of``.
        sources: Source documents stating it.
    """

    type: str
    subject: str
    object: str
    via: str | None = None
    detail: str | None = None
    date: str | None = None
    span: Span = Span()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Affiliation:
    """An actor's link to an agreement or event.

    Attributes:
        type: ``party_to``, ``signed`` or ``took_part``.
        actor: The actor's IRI.
        artefact: The agreement's or event's IRI.
        detail: E.g. the participation property's label (``performer``, ``organisation attended``).
        direct: False when inferred from taking part in a sub-event.
        span: When it held.
        sources: Source documents stating it.
    """

    type: str
    actor: str
    artefact: str
    detail: str | None = None
    direct: bool = True
    span: Span = Span()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A source document facts are derived from.

    Attributes:
        iri: Its IRI (what ``prov:wasDerivedFrom`` points at).
        title: Its ``dcterms:title``, if the data gives one.
        issued: Its ``dcterms:issued`` (ISO text), if the data gives one.
        url: Its ``schema:url``, else its IRI when that is a web address.
    """

    iri: str
    title: str | None = None
    issued: str | None = None
    url: str | None = None

    @property
    def day(self) -> dt.date | None:
        """The earliest day the issue date can mean (None: undated)."""
        bounds = _bounds(self.issued) if self.issued else None
        return bounds[0] if bounds else None


Fact = Actor | Artefact | Relation | Affiliation
"""Anything the as-of rule applies to."""
_F = TypeVar("_F", Actor, Artefact, Relation, Affiliation)


@dataclass(frozen=True)
class Facts:
    """Everything the projections are built from, read once from a source.

    Attributes:
        actors: Actor IRI → actor.
        artefacts: Agreement or event IRI → artefact.
        relations: Actor-to-actor relations.
        affiliations: Actor-to-artefact links.
        labels: IRI → label, for roles, classes and other nodes named in edges.
        documents: Source IRI → the document (title, issue day, address).
        evidence: Node IRI → source IRI → the sentences of that source the node rests on.
    """

    actors: Mapping[str, Actor]
    artefacts: Mapping[str, Artefact]
    relations: tuple[Relation, ...]
    affiliations: tuple[Affiliation, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    documents: Mapping[str, Document] = field(default_factory=dict)
    evidence: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def since(self, fact: Fact) -> dt.date | None:
        """The first day a fact is in the as-of view (the rule in :mod:`moikg.network`).

        Its own date (a start, a founding, an event's or agreement's date, the day a post is
        attested on) if it has one; else the day its earliest dated source was issued; else
        None: it is known only from undated sources and is in every view.
        """
        own = fact.span.start
        if own is None and isinstance(fact, Relation) and fact.date:
            bounds = _bounds(fact.date)
            own = bounds[0] if bounds else None
        if own is not None:
            return own
        days = [d for d in (self._issued(s) for s in fact.sources) if d is not None]
        return min(days) if days else None

    def undated(self, fact: Fact) -> bool:
        """True when a fact has no date of its own and none of its sources is dated."""
        return self.since(fact) is None

    def _issued(self, source: str) -> dt.date | None:
        document = self.documents.get(source)
        return document.day if document else None

    def in_view(self, fact: Fact, day: dt.date) -> bool:
        """True if the fact is in the view of ``day``: begun (or first reported) and not ended."""
        since = self.since(fact)
        end = fact.span.end
        return (since is None or since <= day) and (end is None or end >= day)

    def sources_by(self, sources: Iterable[str], day: dt.date) -> tuple[str, ...]:
        """The sources issued on or before ``day``, and the undated ones."""
        return tuple(s for s in sources if (issued := self._issued(s)) is None or issued <= day)

    def as_of(self, day: dt.date) -> Facts:
        """Keep what the sources knew on ``day`` (see ``as_of`` in :mod:`moikg.network`)."""

        def seen(fact: _F) -> _F:
            return replace(fact, sources=self.sources_by(fact.sources, day))

        artefacts = {i: seen(a) for i, a in self.artefacts.items() if self.in_view(a, day)}
        actors = {i: seen(a) for i, a in self.actors.items() if self.in_view(a, day)}
        relations = tuple(
            seen(r)
            for r in self.relations
            if self.in_view(r, day) and r.subject in actors and r.object in actors
        )
        affiliations = tuple(
            seen(a)
            for a in self.affiliations
            if self.in_view(a, day) and a.actor in actors and a.artefact in artefacts
        )
        linked_before = _linked(self.relations, self.affiliations)
        linked_now = _linked(relations, affiliations)
        actors = {i: a for i, a in actors.items() if i in linked_now or i not in linked_before}
        return Facts(
            actors,
            artefacts,
            relations,
            affiliations,
            self.labels,
            self.documents,
            self.evidence,
        )


def _linked(relations: Iterable[Relation], affiliations: Iterable[Affiliation]) -> set[str]:
    found = {r.subject for r in relations} | {r.object for r in relations}
    return found | {a.actor for a in affiliations}


# --- Reading the facts -------------------------------------------------------------------------


def _query_file(name: str) -> Path:
    return Path(str(resources.files("moikg.network") / _QUERY_DIR / f"{name}.rq"))


def _select(source: Source, name: str) -> list[dict[str, Node | None]]:
    """Run one projection query on the dataset or the endpoint; rows of rdflib terms."""
    path = _query_file(name)
    if isinstance(source, str):
        result = query(path, endpoint=source)
    else:
        result = query(path, dataset=source)
    rows: list[dict[str, Node | None]] = result.to_dicts(terms=True)
    return rows


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def local_name(iri: str) -> str:
    """A readable name from an IRI's last segment (``moi:InnovationAgency``: Innovation Agency)."""
    name = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("-", " ").replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


def _label_table(
    rows: Iterable[Mapping[str, Node | None]],
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Choose one label per node; collect every other name as an alias."""
    rank = {str(p): i for i, p in enumerate(_LABEL_PROPERTIES)}
    best: dict[str, tuple[tuple[int, int, str], str]] = {}
    names: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        node, prop, value = _text(row["node"]), _text(row["property"]), row["value"]
        if node is None or prop is None or value is None:
            continue
        text = str(value)
        names[node].add(text)
        if prop not in rank:
            continue
        lang = value.language if isinstance(value, RdfLiteral) else None
        lang_rank = 0 if lang and lang.lower().startswith("en") else (1 if not lang else 2)
        key = (rank[prop], lang_rank, text)
        if node not in best or key < best[node][0]:
            best[node] = (key, text)
    labels = {node: text for node, (_, text) in best.items()}
    aliases = {node: texts - {labels.get(node, "")} for node, texts in names.items()}
    return labels, aliases


def _most_specific(
    classes: set[str], supers: Mapping[str, set[str]], labels: Mapping[str, str]
) -> str:
    specific = [c for c in classes if not any(c in supers.get(o, set()) for o in classes if o != c)]
    return sorted(specific, key=lambda c: (labels.get(c, local_name(c)), c))[0]


class _Reader:
    """Runs the projection queries once and turns their rows into :class:`Facts`."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.labels, self.aliases = _label_table(self._rows("labels"))
        self.supers: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("classes"):
            self.supers[str(row["class"])].add(str(row["super"]))
        self.node_sources: dict[str, set[str]] = defaultdict(set)
        self.graph_sources: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("provenance"):
            self.node_sources[str(row["node"])].add(str(row["source"]))
            if row["g"] is not None:
                self.graph_sources[str(row["g"])].add(str(row["source"]))
        self.artefact_types: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("artefacts"):
            self.artefact_types[str(row["node"])].add(str(row["class"]))
        self.dates: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in self._rows("dates"):
            self.dates[str(row["node"])][str(row["property"])].append(str(row["value"]))

    def _rows(self, name: str) -> list[dict[str, Node | None]]:
        return _select(self.source, name)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or local_name(iri)

    def sources(self, graphs: Iterable[str | None], node: str | None = None) -> tuple[str, ...]:
        """Sources of a statement: those of the named graphs stating it, else of its node."""
        found: set[str] = set()
        for g in graphs:
            if g is not None:
                found |= self.graph_sources.get(g, set())
        if not found and node is not None:
            found = self.node_sources.get(node, set())
        return tuple(sorted(found))

    def date_of(self, iri: str) -> tuple[str | None, Span]:
        props = self.dates.get(iri, {})
        starts = [
            v
            for p in (
                str(SCHEMA.startDate),
                "http://www.w3.org/ns/prov#startedAtTime",
                "http://purl.org/dc/terms/date",
            )
            for v in props.get(p, [])
        ]
        ends = [
            v
            for p in (str(SCHEMA.endDate), "http://www.w3.org/ns/prov#endedAtTime")
            for v in props.get(p, [])
        ]
        span = Span.of(starts, ends)
        return (min(starts) if starts else None), span

    def read(self) -> Facts:
        actors = self._actors()
        artefacts: dict[str, Artefact] = {}
        relations = self._relations(actors)
        relations = _merge_memberships(relations + self._memberships(actors))
        affiliations = self._agreements(actors, artefacts, relations)
        affiliations += self._events(actors, artefacts)
        return Facts(
            actors,
            artefacts,
            tuple(relations),
            tuple(affiliations),
            self.labels,
            self._documents(),
            self._evidence(),
        )

    def _documents(self) -> dict[str, Document]:
        found = {}
        for row in self._rows("documents"):
            iri = str(row["source"])
            url = _text(row["url"]) or (iri if re.match(r"https?://", iri) else None)
            found[iri] = Document(iri, _text(row["title"]), _text(row["issued"]), url)
        return found

    def _evidence(self) -> dict[str, dict[str, tuple[str, ...]]]:
        texts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in self._rows("evidence"):
            node, text = str(row["node"]), str(row["text"])
            sources = (
                (str(row["source"]),)
                if row["source"] is not None
                else self.sources((_text(row["g"]),), node)
            )
            for source in sources:
                texts[node][source].add(text)
        return {
            node: {s: tuple(sorted(t)) for s, t in sorted(by.items())} for node, by in texts.items()
        }

    def _actors(self) -> dict[str, Actor]:
        types: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("actors"):
            types[str(row["actor"])].add(str(row["class"]))
        facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in self._rows("actor-facts"):
            value, prop = row["value"], str(row["property"])
            is_place = prop == str(SCHEMA.addressCountry) and isinstance(value, URIRef)
            facts[str(row["actor"])][prop].append(
                self.label(str(value)) if is_place else str(value)
            )
        actors: dict[str, Actor] = {}
        for iri, classes in types.items():
            kind_iri = _most_specific(classes, self.supers, self.labels)
            person = kind_iri == _PERSON or _PERSON in self.supers.get(kind_iri, set())
            own = facts.get(iri, {})
            countries = sorted(set(own.get(str(SCHEMA.addressCountry), [])))
            starts = [v for p in _START_PROPERTIES for v in own.get(p, [])]
            ends = [v for p in _END_PROPERTIES for v in own.get(p, [])]
            actors[iri] = Actor(
                iri=iri,
                label=self.label(iri),
                kind=self.labels.get(kind_iri) or local_name(kind_iri),
                kind_iri=kind_iri,
                person=person,
                aliases=tuple(sorted(self.aliases.get(iri, set()))),
                country="; ".join(countries) or None,
                sources=tuple(sorted(set(own.get("http://www.w3.org/ns/prov#wasDerivedFrom", [])))),
                span=Span.of(starts, ends),
            )
        return actors

    def _relations(self, actors: Mapping[str, Actor]) -> list[Relation]:
        grouped: dict[tuple[str, str, str, str], set[str | None]] = defaultdict(set)
        for row in self._rows("relations"):
            subject, obj = str(row["subject"]), str(row["object"])
            if subject not in actors or obj not in actors or subject == obj:
                continue
            kind, prop = str(row["type"]), str(row["property"])
            grouped[(kind, subject, obj, prop)].add(_text(row["g"]))
        merged: dict[tuple[str, str, str], tuple[set[str], set[str | None]]] = {}
        for (kind, subject, obj, prop), graphs in grouped.items():
            if kind == "linked_to":
                kind = re.sub(r"\W+", "_", self.label(prop).strip().lower()).strip("_") or kind
            key = (kind, subject, obj)
            props, all_graphs = merged.setdefault(key, (set(), set()))
            props.add(prop)
            all_graphs |= graphs
        relations = []
        for (kind, subject, obj), (props, graphs) in sorted(merged.items()):
            details = sorted(self.label(p) for p in props if not _is_core(p))
            relations.append(
                Relation(
                    type=kind,
                    subject=subject,
                    object=obj,
                    via=obj if kind == "member_of" else None,
                    detail="; ".join(details) or None,
                    sources=self.sources(graphs, subject),
                )
            )
        return relations

    def _memberships(self, actors: Mapping[str, Actor]) -> list[Relation]:
        rows: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in self._rows("memberships"):
            node = str(row["membership"])
            for column in ("member", "organization", "role", "start", "end", "attested"):
                if row[column] is not None:
                    rows[node][column].add(str(row[column]))
        found = []
        for node, values in sorted(rows.items()):
            for member in sorted(values["member"]):
                for org in sorted(values["organization"]):
                    if member not in actors or org not in actors or member == org:
                        continue
                    person = actors[member].person
                    span = Span.of(values["start"], values["end"])
                    dates = sorted(values["start"]) or sorted(values["attested"])
                    roles = sorted(self.label(r) for r in values["role"])
                    found.append(
                        Relation(
                            type="holds_post" if person else "member_of",
                            subject=member,
                            object=org,
                            via=node,
                            detail="; ".join(roles) or None,
                            date=dates[0] if dates else None,
                            span=span,
                            sources=self.sources((), node),
                        )
                    )
        return found

    def _agreements(
        self, actors: Mapping[str, Actor], artefacts: dict[str, Artefact], relations: list[Relation]
    ) -> list[Affiliation]:
        parties: dict[str, dict[str, set[str | None]]] = defaultdict(lambda: defaultdict(set))
        signings: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("agreements"):
            agreement, party = str(row["agreement"]), str(row["party"])
            if party in actors:
                parties[agreement][party].add(_text(row["g"]))
            if row["signing"] is not None:
                signings[agreement].add(str(row["signing"]))
        affiliations = []
        for agreement in sorted(parties):
            artefacts[agreement] = self._artefact(agreement, "agreement", signings[agreement])
            art = artefacts[agreement]
            for party, graphs in sorted(parties[agreement].items()):
                affiliations.append(
                    Affiliation(
                        "party_to",
                        party,
                        agreement,
                        span=art.span,
                        sources=self.sources(graphs, agreement),
                    )
                )
        signers: dict[tuple[str, str], tuple[set[str], set[str | None]]] = {}
        for row in self._rows("signatories"):
            agreement, person = str(row["agreement"]), str(row["person"])
            if person not in actors:
                continue
            if agreement not in artefacts:
                artefacts[agreement] = self._artefact(agreement, "agreement", signings[agreement])
            behalf, graphs = signers.setdefault((agreement, person), (set(), set()))
            if row["behalf"] is not None:
                behalf.add(str(row["behalf"]))
            graphs.add(_text(row["g"]))
        for (agreement, person), (behalf, graphs) in sorted(signers.items()):
            art = artefacts[agreement]
            sources = self.sources(graphs, agreement)
            affiliations.append(
                Affiliation("signed", person, agreement, span=art.span, sources=sources)
            )
            for party in sorted(parties.get(agreement, {})):
                if party == person:
                    continue
                relations.append(
                    Relation(
                        type="signed",
                        subject=person,
                        object=party,
                        via=agreement,
                        detail="on behalf of" if party in behalf else "counterparty",
                        date=art.date,
                        span=art.span,
                        sources=sources,
                    )
                )
        return affiliations

    def _artefact(self, iri: str, kind: str, related: Iterable[str] = ()) -> Artefact:
        date, span = self.date_of(iri)
        for other in sorted(related):
            if date is None:
                date, span = self.date_of(other)
        cls = self._class_label(iri)
        return Artefact(
            iri,
            self.label(iri),
            kind,
            cls,
            date,
            span,
            tuple(sorted(self.node_sources.get(iri, set()))),
        )

    def _class_label(self, iri: str) -> str:
        classes = self.artefact_types.get(iri)
        if not classes:
            return ""
        cls = _most_specific(classes, self.supers, self.labels)
        return self.labels.get(cls) or local_name(cls)

    def _events(
        self, actors: Mapping[str, Actor], artefacts: dict[str, Artefact]
    ) -> list[Affiliation]:
        taking_part: dict[tuple[str, str], tuple[set[str], set[str | None]]] = {}
        supers: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("events"):
            event, participant = str(row["event"]), str(row["participant"])
            if row["super"] is not None:
                supers[event].add(str(row["super"]))
            if participant not in actors:
                continue
            props, graphs = taking_part.setdefault((event, participant), (set(), set()))
            props.add(str(row["property"]))
            graphs.add(_text(row["g"]))
        affiliations = []
        direct = set(taking_part)
        for (event, participant), (props, graphs) in sorted(taking_part.items()):
            for target in [event, *sorted(supers[event])]:
                if target not in artefacts:
                    artefacts[target] = self._artefact(target, "event")
                if target != event and (target, participant) in direct:
                    continue
                affiliations.append(
                    Affiliation(
                        "took_part",
                        participant,
                        target,
                        detail="; ".join(sorted(self.label(p) for p in props)),
                        direct=target == event,
                        span=artefacts[target].span.meet(artefacts[event].span),
                        sources=self.sources(graphs, event),
                    )
                )
        return _dedupe_affiliations(affiliations)


def _merge_memberships(relations: list[Relation]) -> list[Relation]:
    """Fold an undated ``org:hasMember``/``org:memberOf`` triple into the membership node.

    A dated ``org:Membership`` and a plain triple between the same two actors state one
    membership: the node keeps its dates and gains the triple's sources and detail.
    """
    reified: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, rel in enumerate(relations):
        if rel.type == "member_of" and rel.via not in (None, rel.object):
            reified[(rel.subject, rel.object)].append(index)
    merged = list(relations)
    dropped: set[int] = set()
    for index, rel in enumerate(relations):
        pair = (rel.subject, rel.object)
        if rel.type != "member_of" or rel.via != rel.object or pair not in reified:
            continue
        dropped.add(index)
        for target in reified[pair]:
            old = merged[target]
            details = sorted({d for d in (old.detail, rel.detail) if d})
            merged[target] = replace(
                old,
                detail="; ".join(details) or None,
                sources=tuple(sorted({*old.sources, *rel.sources})),
            )
    return [rel for index, rel in enumerate(merged) if index not in dropped]


def _dedupe_affiliations(items: list[Affiliation]) -> list[Affiliation]:
    """One inferred (sub-event) link per actor and event, merging their sources."""
    seen: dict[tuple[str, str, str, bool], Affiliation] = {}
    for item in items:
        key = (item.type, item.actor, item.artefact, item.direct)
        if key in seen:
            old = seen[key]
            seen[key] = replace(old, sources=tuple(sorted({*old.sources, *item.sources})))
        else:
            seen[key] = item
    return list(seen.values())


_CORE_PROPERTIES: Final = frozenset(
    "http://www.w3.org/ns/org#" + name
    for name in (
        "hasMember",
        "memberOf",
        "subOrganizationOf",
        "unitOf",
        "hasUnit",
        "hasSubOrganization",
        "headOf",
        "linkedTo",
    )
)


def _is_core(prop: str) -> bool:
    return prop in _CORE_PROPERTIES


# --- Public API -------------------------------------------------------------------------------


def fetch_facts(source: Source | None = None) -> Facts:
    """Read the facts every projection is built from.

    Args:
        source: A dataset from :func:`moikg.load_dataset`, or a SPARQL endpoint URL;
            defaults to the project's ``graph/`` loaded into the embedded store.

    Returns:
        The actors, agreements, events and relations.

    Raises:
        InputError: The default graph folder is missing or a file is malformed.
        QueryError: A projection query failed on the store.
        EndpointError: The endpoint cannot be reached or answered an error.
    """
    if source is None:
        source = load_dataset()
    return _Reader(source).read()
