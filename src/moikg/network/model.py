"""The facts the network projections are built from: actors, artefacts, relations, affiliations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeVar

from moikg.network.dates import Span, bounds

__all__ = ["Actor", "Affiliation", "Artefact", "Document", "Fact", "Facts", "Relation"]


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
        found = bounds(self.issued) if self.issued else None
        return found[0] if found else None


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
        """The first day a fact is in the as-of view (the rule in :mod:`moikg.network.projection`).

        Its own date (a start, a founding, an event's or agreement's date, the day a post is
        attested on) if it has one; else the day its earliest dated source was issued; else
        None: it is known only from undated sources and is in every view.
        """
        own = fact.span.start
        if own is None and isinstance(fact, Relation) and fact.date:
            found = bounds(fact.date)
            own = found[0] if found else None
        if own is not None:
            return own
        days = [d for d in (self._issued(s) for s in fact.sources) if d is not None]
        return min(days) if days else None

    def undated(self, fact: Fact) -> bool:
        """True when a fact has no date of its own and none of its sources is dated."""
        return self.since(fact) is None

    def _issued(self, source: str) -> dt.date | None:
        return self._issue_days.get(source)

    @cached_property
    def _issue_days(self) -> dict[str, dt.date | None]:
        """Each document's first day of issue, read once (since() asks for it very often)."""
        return {iri: document.day for iri, document in self.documents.items()}

    def in_view(self, fact: Fact, day: dt.date) -> bool:
        """True if the fact is in the view of ``day``: begun (or first reported) and not ended."""
        since = self.since(fact)
        end = fact.span.end
        return (since is None or since <= day) and (end is None or end >= day)

    def sources_by(self, sources: Iterable[str], day: dt.date) -> tuple[str, ...]:
        """The sources issued on or before ``day``, and the undated ones."""
        return tuple(s for s in sources if (issued := self._issued(s)) is None or issued <= day)

    def as_of(self, day: dt.date) -> Facts:
        """Keep what the sources knew on ``day`` (the as-of rule of the projections)."""

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
