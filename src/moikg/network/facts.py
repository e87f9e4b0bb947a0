"""Read the facts the network projections are built from: actors, agreements, events, relations.

The facts are read with the SPARQL SELECTs in ``moikg/network/queries/`` (one file per
question), run by :func:`moikg.network.rows.reader` straight on the embedded Oxigraph store,
or through :func:`moikg.sparql.dispatch.query` on any other dataset or SPARQL 1.1 endpoint
whose default graph is the union of its named graphs (``oxigraph serve
--union-default-graph``, as ``moikg serve`` runs it), so the same facts come from each.
Terms are found through the interop profile (docs/ARCHITECTURE.md, "Interop profile"): an
actor is an instance of ``org:Organization`` or ``foaf:Person`` or of a subclass; relations
are found through their standard properties and every sub-property of them (RDFS 1.1
§5.1.2, rdfs7 and rdfs9, applied by property paths over the ontology).
:mod:`moikg.network.projection` projects the facts onto NetworkX graphs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Final

from moikg._collect import no_cycle_collection
from moikg.ingest.load import load_dataset
from moikg.network.dates import Span
from moikg.network.model import Actor, Affiliation, Artefact, Document, Facts, Relation
from moikg.network.rows import Row, Source, reader
from moikg.rdf.namespaces import DCTERMS, FOAF, ORG, PROV, SCHEMA
from moikg.rdf.terms import local_name, rank_label

__all__ = ["Source", "fetch_facts"]

_START_PROPERTIES: Final = frozenset(
    str(p) for p in (SCHEMA.foundingDate, DCTERMS.created, SCHEMA.startDate)
)
_ARTEFACT_STARTS: Final = tuple(
    str(p) for p in (SCHEMA.startDate, PROV.startedAtTime, DCTERMS.date)
)
_ARTEFACT_ENDS: Final = tuple(str(p) for p in (SCHEMA.endDate, PROV.endedAtTime))
_END_PROPERTIES: Final = frozenset({str(SCHEMA.dissolutionDate), str(SCHEMA.endDate)})
_PERSON: Final = str(FOAF.Person)
_COUNTRY: Final = str(SCHEMA.addressCountry)


# --- Reading the facts -------------------------------------------------------------------------


def _label_table(
    rows: Iterable[Row],
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Choose one label per node (:func:`~moikg.rdf.terms.rank_label`); other names are aliases."""
    best: dict[str, tuple[tuple[int, int, str], str]] = {}
    names: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        node, prop, text = row["node"], row["property"], row["value"]
        if node is None or prop is None or text is None:
            continue
        names[node].add(text)
        key = rank_label(prop, row["lang"], text)
        if key is None:
            continue
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
        self.select = reader(source)
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

    def _rows(self, name: str) -> list[Row]:
        return self.select(name)

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
        starts = [v for p in _ARTEFACT_STARTS for v in props.get(p, [])]
        ends = [v for p in _ARTEFACT_ENDS for v in props.get(p, [])]
        span = Span.of(starts, ends)
        return (min(starts) if starts else None), span

    def read(self) -> Facts:
        actors = self._actors()
        relations = _merge_memberships(self._relations(actors) + self._memberships(actors))
        agreements, party_links, signed = self._agreements(actors)
        events, event_links = self._events(actors, agreements)
        return Facts(
            actors,
            {**agreements, **events},
            (*relations, *signed),
            (*party_links, *event_links),
            self.labels,
            self._documents(),
            self._evidence(),
        )

    def _documents(self) -> dict[str, Document]:
        found = {}
        for row in self._rows("documents"):
            iri = str(row["source"])
            url = row["url"] or (iri if re.match(r"https?://", iri) else None)
            found[iri] = Document(iri, row["title"], row["issued"], url)
        return found

    def _evidence(self) -> dict[str, dict[str, tuple[str, ...]]]:
        texts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in self._rows("evidence"):
            node, text, source = str(row["node"]), str(row["text"]), row["source"]
            if source is not None:
                texts[node][source].add(text)
                continue
            # self.sources((g,), node), without sorting for each of many rows.
            by_graph = self.graph_sources.get(row["g"] or "")
            for found in by_graph or self.node_sources.get(node) or ():
                texts[node][found].add(text)
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
            # "1": Virtuoso 7 writes booleans as integers.
            is_place = prop == _COUNTRY and row["iri"] in ("true", "1")
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
                sources=tuple(sorted(set(own.get(str(PROV.wasDerivedFrom), [])))),
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
            grouped[(kind, subject, obj, prop)].add(row["g"])
        # A graph stating the property between the same two the other way round states it too.
        reverse = {
            stated: grouped[back]
            for stated in grouped
            if (back := (stated[0], stated[2], stated[1], stated[3])) in grouped
        }
        for stated, graphs in reverse.items():
            grouped[stated] = grouped[stated] | graphs
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
        self, actors: Mapping[str, Actor]
    ) -> tuple[dict[str, Artefact], list[Affiliation], list[Relation]]:
        """The agreements, who is party to and who signed each, and signatory→party relations."""
        artefacts: dict[str, Artefact] = {}
        relations: list[Relation] = []
        parties: dict[str, dict[str, set[str | None]]] = defaultdict(lambda: defaultdict(set))
        signings: dict[str, set[str]] = defaultdict(set)
        for row in self._rows("agreements"):
            agreement, party = str(row["agreement"]), str(row["party"])
            if party in actors:
                parties[agreement][party].add(row["g"])
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
            graphs.add(row["g"])
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
        return artefacts, affiliations, relations

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
        self, actors: Mapping[str, Actor], known: Mapping[str, Artefact]
    ) -> tuple[dict[str, Artefact], list[Affiliation]]:
        """The events not already ``known`` (as agreements), and who took part in which."""
        artefacts: dict[str, Artefact] = {}

        def artefact(iri: str) -> Artefact:
            if iri in known:
                return known[iri]
            if iri not in artefacts:
                artefacts[iri] = self._artefact(iri, "event")
            return artefacts[iri]

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
            graphs.add(row["g"])
        affiliations = []
        direct = set(taking_part)
        for (event, participant), (props, graphs) in sorted(taking_part.items()):
            for target in [event, *sorted(supers[event])]:
                target_span = artefact(target).span
                if target != event and (target, participant) in direct:
                    continue
                affiliations.append(
                    Affiliation(
                        "took_part",
                        participant,
                        target,
                        detail="; ".join(sorted(self.label(p) for p in props)),
                        direct=target == event,
                        span=target_span.meet(artefact(event).span),
                        sources=self.sources(graphs, event),
                    )
                )
        return artefacts, _dedupe_affiliations(affiliations)


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
    str(p)
    for p in (
        ORG.hasMember,
        ORG.memberOf,
        ORG.subOrganizationOf,
        ORG.unitOf,
        ORG.hasUnit,
        ORG.hasSubOrganization,
        ORG.headOf,
        ORG.linkedTo,
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
    with no_cycle_collection():
        return _Reader(source).read()
