"""Turn a checked source card into triples, following the interop profile.

Every node the card describes is typed with a class of ``ontology/moi.ttl`` (or
a standard class), labelled, and derived from the card's source document
(``prov:wasDerivedFrom``; each quote on a qualified derivation,
:func:`moikg.cards.parts.derivations`). Actors are first looked up among those
the graph already holds (:mod:`moikg.cards.resolve`): a match keeps its IRI but
is typed and named only as the card says (issue 8, B); an ambiguous match or a
silent merge is refused; no match mints
``https://w3id.org/moikg/id/<org|person>/<key>``.

The conventions are those of the hand-encoded 2019 release, so its card
reproduces it triple for triple: organisations carry ``rdfs:label`` and
``skos:prefLabel`` (English), people ``foaf:name`` and ``rdfs:label`` (no
language); a unit is ``org:unitOf`` and ``org:subOrganizationOf`` its parent,
which ``org:hasUnit`` it; ``org:hasMember`` comes with ``org:memberOf`` from the
member; ``schema:superEvent`` with ``schema:subEvent`` from the parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from moikg.cards.parts import contact_point, dated, derivations, member_count, to_turtle
from moikg.cards.read import Card, signing_key
from moikg.cards.resolve import EN, Category, Index, Resolved, iri_of, resolve_actors
from moikg.rdf.namespaces import (
    DCTERMS,
    FOAF,
    INSTANCE_PREFIXES,
    MOI,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WD,
    XSD,
    bind_instance_prefixes,
)
from moikg.rdf.terms import fold_name

__all__ = ["card_to_graph", "convert_card", "to_turtle"]


_N: Final = INSTANCE_PREFIXES
_GOALS: Final = _N["scheme"]["goals"]
_SOURCE_TYPES: Final = {
    "news-article": SCHEMA.NewsArticle,
    "web-page": SCHEMA.WebPage,
    "curation-note": MOI.CurationNote,
}
_EVENT_TYPES: Final = {
    "event": SCHEMA.Event,
    "summit": MOI.Summit,
    "panel-discussion": MOI.PanelDiscussion,
    "gathering": MOI.Gathering,
    "festival": MOI.Festival,
    "launch": MOI.Launch,
    "speech": MOI.Speech,
}
_AGREEMENT_TYPES: Final = {
    "agreement": MOI.Agreement,
    "memorandum-of-understanding": MOI.MemorandumOfUnderstanding,
}
_ORG_RELATIONS: Final = (
    ("hosted_by", MOI.hostedBy),
    ("engagement_platform_of", MOI.policyEngagementPlatformOf),
    ("supported_by", MOI.supportedBy),
    ("founders", SCHEMA.founder),
    ("focal_points", MOI.focalPoint),
)


class _Builder:
    """Accumulates the triples of one card."""

    def __init__(self, card: Card, actors: Mapping[str, Resolved], index: Index, ontology: Graph):
        self.card = card
        self.data = card.data
        self.actors = actors
        self.index = index
        self.ontology = ontology
        self.graph = Graph()
        bind_instance_prefixes(self.graph)
        source = self.data["source"]
        self.sources = [URIRef(source["url"])] + [
            URIRef(s["url"]) for s in self.data.get("also_from") or []
        ]
        self.issued = source.get("issued")
        self.places = {
            key: iri_of(p["iri"]) if "iri" in p else _N["place"][key]
            for key, p in (self.data.get("places") or {}).items()
        }
        self.events = {key: _N["event"][key] for key in self.data.get("events") or {}}
        self.agreements = {key: _N["agreement"][key] for key in self.data.get("agreements") or {}}
        self.goals = {key: _N["goal"][key] for key in self.data.get("goals") or {}}
        self.frameworks = {key: _N["framework"][key] for key in self.data.get("frameworks") or {}}

    # -- helpers --------------------------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o: URIRef | RdfLiteral) -> None:
        self.graph.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value:
            self.add(s, p, RdfLiteral(value, lang=EN))

    def date(self, s: URIRef, p: URIRef, value: str | int | None) -> None:
        if value is not None and str(value):
            self.add(s, p, dated(value))

    def derive(self, node: URIRef, evidence: str | list[str] | None = None) -> None:
        for source in self.sources:
            self.add(node, PROV.wasDerivedFrom, source)
        quotes = [evidence] if isinstance(evidence, str) else evidence or []
        self.graph += derivations(node, self.sources, quotes)

    def ref(self, key: str) -> URIRef:
        """The IRI of any local key (actor, place, goal, framework, agreement, event)."""
        if key in self.actors:
            return self.actors[key].iri
        for table in (self.places, self.events, self.agreements, self.goals, self.frameworks):
            if key in table:
                return table[key]
        signing = self._signings().get(key)
        if signing is not None:
            return signing
        raise self.card.error((), f"{key!r} is not defined in this card")  # checked earlier

    def _signings(self) -> dict[str, URIRef]:
        return {
            signing_key(key, a): _N["event"][signing_key(key, a)]
            for key, a in (self.data.get("agreements") or {}).items()
        }

    def require(self, at: tuple[str | int, ...], key: str, category: Category) -> Resolved:
        actor = self.actors[key]
        if actor.category != category:
            wanted = "a person" if category == "person" else "an organisation"
            raise self.card.error(at, f"{key!r} must be {wanted}, but {actor.iri} is not")
        return actor

    # -- sections -------------------------------------------------------------------------------

    def source_documents(self) -> None:
        for i, source in enumerate([self.data["source"], *(self.data.get("also_from") or [])]):
            node = URIRef(source["url"])
            at = ("source",) if i == 0 else ("also_from", i - 1)
            self.add(node, RDF.type, _SOURCE_TYPES[source["type"]])
            self.add(node, RDF.type, PROV.Entity)
            # Title and publisher only where the source gives them (issue 8, B5).
            self.text(node, DCTERMS.title, source.get("title"))
            self.text(node, RDFS.label, source.get("title"))
            self.date(node, DCTERMS.issued, source.get("issued"))
            if source.get("publisher"):
                publisher = self.require((*at, "publisher"), source["publisher"], "org")
                self.add(node, DCTERMS.publisher, publisher.iri)
            self.add(node, SCHEMA.url, RdfLiteral(source["url"], datatype=XSD.anyURI))
            self.text(node, DCTERMS.description, source.get("description"))
            self.text(node, RDFS.comment, source.get("comment"))
            for key in source.get("about") or []:
                self.add(node, SCHEMA.about, self.ref(key))

    def actor_nodes(self) -> None:
        for key, actor in (self.data.get("actors") or {}).items():
            resolved = self.actors[key]
            node = resolved.iri
            at = ("actors", key)
            for cls in resolved.types:
                self.add(node, RDF.type, cls)
            for label in resolved.labels:
                self.add(node, RDFS.label, label)
                self.add(
                    node, FOAF.name if resolved.category == "person" else SKOS.prefLabel, label
                )
            if resolved.category == "person" and actor.get("title"):
                self.add(node, FOAF.title, RdfLiteral(actor["title"]))
            for alias in resolved.aliases:
                self.text(node, SKOS.altLabel, alias)
            for same in actor.get("same_as") or []:
                self.add(node, OWL.sameAs, WD[same] if same.startswith("Q") else URIRef(same))
            self.text(node, RDFS.comment, actor.get("comment"))
            self.text(node, DCTERMS.description, actor.get("description"))
            if actor.get("country"):
                self.add(node, SCHEMA.location, self.country(actor["country"]))
            self.derive(node, actor.get("evidence"))
            if resolved.category == "org":
                self.org_relations(at, node, actor)
            else:
                for name in _ORG_ONLY:
                    if name in actor:
                        raise self.card.error((*at, name), "applies to organisations, not people")

    def org_relations(self, at: tuple[str, ...], node: URIRef, actor: Mapping[str, Any]) -> None:
        if actor.get("unit_of"):
            parent = self.require((*at, "unit_of"), actor["unit_of"], "org").iri
            self.add(node, ORG.unitOf, parent)
            self.add(node, ORG.subOrganizationOf, parent)
            self.add(parent, ORG.hasUnit, node)
        if actor.get("part_of"):
            parent = self.require((*at, "part_of"), actor["part_of"], "org").iri
            self.add(node, ORG.subOrganizationOf, parent)
        for name, prop in _ORG_RELATIONS:
            value = actor.get(name)
            for i, key in enumerate([value] if isinstance(value, str) else value or []):
                category: Category = self.actors[key].category if name == "founders" else "org"
                self.add(node, prop, self.require((*at, name, i), key, category).iri)
        self.date(node, SCHEMA.foundingDate, actor.get("founded"))  # one property (B7)
        for i, key in enumerate(actor.get("members") or []):
            member = self.require((*at, "members", i), key, "org").iri
            self.add(node, ORG.hasMember, member)
            self.add(member, ORG.memberOf, node)
        for i, key in enumerate(actor.get("operational_partners") or []):
            # A close partner, not a member (issue 8, B2): no org:memberOf.
            partner = self.require((*at, "operational_partners", i), key, "org").iri
            self.add(node, MOI.operationalPartner, partner)
        if actor.get("established_by"):
            self.add(node, MOI.establishedBy, self.agreements[actor["established_by"]])
        for key in actor.get("purposes") or []:
            self.add(node, ORG.purpose, self.goals[key])
        for key in actor.get("frameworks") or []:
            self.add(node, MOI.framework, self.frameworks[key])
        for kind in actor.get("member_kinds") or []:
            self.add(node, MOI.memberKind, _N["kind"][kind])
        count = actor.get("member_count")
        if count is not None:
            when = count.get("date") or self.issued
            if not when:
                raise self.card.error((*at, "member_count"), "the count needs `date:` (no issued)")
            name = next(a.short for a in self.actors.values() if a.iri == node)
            obs, triples = member_count(node, name, count, when)
            self.graph += triples
            self.derive(obs, count.get("evidence"))
        self.text(node, MOI.memberDescription, actor.get("member_description"))

    def country(self, name: str) -> URIRef:
        for key, place in (self.data.get("places") or {}).items():
            if fold_name(place["name"]) == fold_name(name):
                return self.places[key]
        known = self.index.lookup(("place",), [name])
        countries = [k for k in known if SCHEMA.Country in k.types]
        node = countries[0].iri if countries else _N["place"][_slug(name)]
        label = countries[0].labels[0] if countries and countries[0].labels else None
        self.add(node, RDF.type, SCHEMA.Country)
        self.add(node, RDFS.label, label or RdfLiteral(name, lang=EN))
        self.add(node, SCHEMA.name, label or RdfLiteral(name, lang=EN))
        self.derive(node)
        return node

    def place_nodes(self) -> None:
        for key, place in (self.data.get("places") or {}).items():
            node = self.places[key]
            kind = SCHEMA.Country if place.get("kind") == "country" else SCHEMA.Place
            self.add(node, RDF.type, kind)
            self.text(node, RDFS.label, place["name"])
            self.text(node, SCHEMA.name, place["name"])
            for same in place.get("same_as") or []:
                self.add(node, OWL.sameAs, WD[same] if same.startswith("Q") else URIRef(same))
            if place.get("contained_in"):
                self.add(node, SCHEMA.containedInPlace, self.places[place["contained_in"]])
            self.text(node, RDFS.comment, place.get("comment"))
            self.derive(node, place.get("evidence"))

    def goal_nodes(self) -> None:
        # The scheme itself (scheme:goals) is vocabulary, defined in ontology/moi.ttl.
        goals = self.data.get("goals") or {}
        for key, goal in goals.items():
            node = self.goals[key]
            self.add(node, RDF.type, MOI.Goal)
            self.add(node, SKOS.inScheme, _GOALS)
            self.text(node, SKOS.prefLabel, goal["name"])
            self.text(node, RDFS.label, goal["name"])
            self.text(node, SKOS.definition, goal.get("definition"))
            self.derive(node, goal.get("evidence"))

    def framework_nodes(self) -> None:
        for key, framework in (self.data.get("frameworks") or {}).items():
            node = self.frameworks[key]
            self.add(node, RDF.type, MOI.Framework)
            self.text(node, RDFS.label, framework["name"])
            if framework.get("author"):
                self.add(node, SCHEMA.author, self.actors[framework["author"]].iri)
            if framework.get("citation"):
                self.add(node, DCTERMS.bibliographicCitation, RdfLiteral(framework["citation"]))
            self.text(node, RDFS.comment, framework.get("comment"))
            self.derive(node, framework.get("evidence"))

    def post_nodes(self) -> None:
        for i, post in enumerate(self.data.get("posts") or []):
            at: tuple[str | int, ...] = ("posts", i)
            person = self.require((*at, "person"), post["person"], "person")
            org = self.require((*at, "organization"), post["organization"], "org")
            role = _N["role"][post["role"]]
            node = _N["post"][f"{_tail(person.iri)}-{post['role']}-{_tail(org.iri)}"]
            role_label = self.ontology.value(role, RDFS.label)
            default = f"{person.label}, {role_label} of {org.short}"
            # W3C ORG §5.3 posts (issue 8, B1): a post is not a membership.
            self.add(node, RDF.type, ORG.Post)
            self.text(node, RDFS.label, post.get("label") or default)
            self.add(node, ORG.heldBy, person.iri)
            self.add(person.iri, ORG.holds, node)
            self.add(node, ORG.postIn, org.iri)
            self.add(node, ORG.role, role)
            self.date(node, MOI.attestedOn, post.get("attested"))
            self.date(node, SCHEMA.startDate, post.get("start"))
            self.date(node, SCHEMA.endDate, post.get("end"))
            if post.get("head"):
                self.add(person.iri, ORG.headOf, org.iri)
            self.derive(node, post.get("evidence"))

    def contact_point_nodes(self) -> None:
        for i, contact in enumerate(self.data.get("contact_points") or []):
            at: tuple[str | int, ...] = ("contact_points", i)
            org = self.require((*at, "organization"), contact["organization"], "org")
            person = self.require((*at, "person"), contact["person"], "person")
            node, triples = contact_point(org.iri, org.short, person.iri, contact)
            self.graph += triples
            self.derive(node, contact.get("evidence"))

    def membership_nodes(self) -> None:
        for i, membership in enumerate(self.data.get("memberships") or []):
            at: tuple[str | int, ...] = ("memberships", i)
            member = self.actors[membership["member"]]
            org = self.require((*at, "organization"), membership["organization"], "org")
            node = _N["membership"][f"{_tail(member.iri)}-{_tail(org.iri)}"]
            default = f"{member.label}, member of {org.short}"
            self.add(node, RDF.type, ORG.Membership)
            self.text(node, RDFS.label, membership.get("label") or default)
            self.add(node, ORG.member, member.iri)
            self.add(node, ORG.organization, org.iri)
            self.add(node, ORG.role, _N["role"]["member"])
            self.date(node, MOI.attestedOn, membership.get("attested"))
            self.date(node, SCHEMA.startDate, membership.get("start"))
            self.date(node, SCHEMA.endDate, membership.get("end"))
            self.add(org.iri, ORG.hasMember, member.iri)
            self.add(member.iri, ORG.memberOf, org.iri)
            self.derive(node, membership.get("evidence"))

    def agreement_nodes(self) -> None:
        for key, agreement in (self.data.get("agreements") or {}).items():
            at = ("agreements", key)
            node = self.agreements[key]
            signing = agreement["signing"]
            activity = _N["event"][signing_key(key, agreement)]
            self.add(node, RDF.type, _AGREEMENT_TYPES[agreement.get("kind", "agreement")])
            self.text(node, RDFS.label, agreement["name"])
            for alias in agreement.get("aliases") or []:
                self.text(node, SKOS.altLabel, alias)
            self.date(node, DCTERMS.date, agreement.get("date") or signing["date"])
            for i, party in enumerate(agreement["parties"]):
                self.add(node, MOI.hasParty, self.require((*at, "parties", i), party, "org").iri)
            self.add(node, PROV.wasGeneratedBy, activity)
            self.text(node, DCTERMS.description, agreement.get("description"))
            self.derive(node, agreement.get("evidence"))
            self.add(activity, RDF.type, MOI.Signing)
            self.text(activity, RDFS.label, signing["name"])
            self.text(activity, SCHEMA.name, signing["name"])
            self.date(activity, SCHEMA.startDate, signing["date"])
            for j, who in enumerate(signing["signatories"]):
                where = (*at, "signing", "signatories", j)
                person = self.require((*where, "person"), who["person"], "person")
                party = self.require((*where, "on_behalf_of"), who["on_behalf_of"], "org")
                self.add(activity, MOI.signatory, person.iri)
                self.add(person.iri, PROV.actedOnBehalfOf, party.iri)
            place = self.places[signing["place"]]
            self.add(activity, PROV.atLocation, place)
            self.add(activity, SCHEMA.location, place)
            if signing.get("super_event"):
                parent = self.events[signing["super_event"]]
                self.add(activity, SCHEMA.superEvent, parent)
                self.add(parent, SCHEMA.subEvent, activity)
            self.derive(activity, signing.get("evidence"))

    def event_nodes(self) -> None:
        for key, event in (self.data.get("events") or {}).items():
            at = ("events", key)
            node = self.events[key]
            self.add(node, RDF.type, _EVENT_TYPES[event["kind"]])
            self.text(node, RDFS.label, event["name"])
            self.text(node, SCHEMA.name, event["name"])
            self.date(node, SCHEMA.startDate, event.get("start"))
            self.date(node, SCHEMA.endDate, event.get("end"))
            if event.get("location"):
                self.add(node, SCHEMA.location, self.places[event["location"]])
            if event.get("super_event"):
                parent = self.events[event["super_event"]]
                self.add(node, SCHEMA.superEvent, parent)
                self.add(parent, SCHEMA.subEvent, node)
            for key_ in event.get("performers") or []:
                self.add(node, SCHEMA.performer, self.actors[key_].iri)
            for i, key_ in enumerate(event.get("attended_by") or []):
                org = self.require((*at, "attended_by", i), key_, "org")
                self.add(node, MOI.organisationAttended, org.iri)
            if event.get("organizer"):
                self.add(node, SCHEMA.organizer, self.actors[event["organizer"]].iri)
            for key_ in event.get("about") or []:
                self.add(node, SCHEMA.about, self.ref(key_))
            self.text(node, MOI.theme, event.get("theme"))
            self.text(node, DCTERMS.description, event.get("description"))
            self.text(node, RDFS.comment, event.get("comment"))
            self.derive(node, event.get("evidence"))

    def quotation_nodes(self) -> None:
        for i, quotation in enumerate(self.data.get("quotations") or []):
            at: tuple[str | int, ...] = ("quotations", i)
            speaker = self.require((*at, "speaker"), quotation["speaker"], "person")
            key = quotation.get("key")
            if key is None:
                if not self.issued:
                    raise self.card.error(
                        at, "the source has no issued date, so the quotation needs its own key"
                    )
                key = f"{self.issued}-{_tail(speaker.iri)}"
            node = _N["quote"][key]
            self.add(node, RDF.type, SCHEMA.Quotation)
            self.text(node, RDFS.label, quotation.get("label"))
            self.add(node, SCHEMA.creator, speaker.iri)
            self.text(node, SCHEMA.text, quotation["text"])
            self.add(node, SCHEMA.isPartOf, self.sources[0])
            for key_ in quotation.get("about") or []:
                self.add(node, SCHEMA.about, self.ref(key_))
            self.derive(node, quotation.get("evidence"))


_ORG_ONLY: Final = (
    "unit_of", "part_of", "hosted_by", "supported_by", "founders", "founded", "members",
    "operational_partners", "established_by", "focal_points", "purposes", "member_kinds",
    "member_count", "member_description", "frameworks", "engagement_platform_of",
)  # fmt: skip


def _tail(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _slug(name: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in fold_name(name)).split())


def card_to_graph(card: Card, index: Index, ontology: Graph) -> Graph:
    """Convert a checked card to triples (see :func:`convert_card`)."""
    return convert_card(card, index, ontology)[0]


def convert_card(card: Card, index: Index, ontology: Graph) -> tuple[Graph, Mapping[str, Resolved]]:
    """Convert a checked card to triples.

    Args:
        card: The card (from :func:`moikg.cards.read_card`).
        index: The actors and places the graph already holds, excluding the card's own output.
        ontology: ``ontology/moi.ttl``, for kinds and role labels.

    Returns:
        The triples (with the project prefixes bound) and the card's actors, resolved.

    Raises:
        CardError: An actor is ambiguous or conflicts with the graph, or a reference
            points at the wrong kind of thing.
    """
    actors = resolve_actors(card, index, ontology)
    builder = _Builder(card, actors, index, ontology)
    for role_at, role in _roles(card.data):
        if (_N["role"][role], RDF.type, ORG.Role) not in ontology:
            raise card.error(role_at, f"unknown role {role!r}")
    builder.source_documents()
    builder.actor_nodes()
    builder.place_nodes()
    builder.goal_nodes()
    builder.framework_nodes()
    builder.post_nodes()
    builder.contact_point_nodes()
    builder.membership_nodes()
    builder.agreement_nodes()
    builder.event_nodes()
    builder.quotation_nodes()
    return builder.graph, actors


def _roles(data: Mapping[str, Any]) -> Iterable[tuple[tuple[str | int, ...], str]]:
    yield from ((("posts", i, "role"), p["role"]) for i, p in enumerate(data.get("posts") or []))
