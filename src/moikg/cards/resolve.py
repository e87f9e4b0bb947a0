"""Find the actors and places a source card names among those the graph already holds.

An actor keeps one IRI whichever source names it. A card
names an actor by its ``name`` and ``aliases``; this module looks those up
among the labels of the existing organisations, people and places
(``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, ``foaf:name``,
``schema:name``), comparing them case- and accent-insensitively: both sides
are brought to Unicode compatibility decomposition (NFKD, Unicode Standard
Annex #15), stripped of combining marks, case-folded and whitespace-collapsed.

No silent merges (issue 8, A4): a card whose key would land on an existing actor
that it does not name by any of its labels or aliases is refused
(:class:`~moikg.errors.CardMergeError`, exit 1) unless it says so (``iri:``, or
the names in ``also_known_as``); a new actor whose name is close to an existing
one is refused with "did you mean" unless marked ``new: true``. A resolved actor
carries only the kind and the names its card gives, so that a card's graph says
only what its source says (issue 8, B4, B9).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from moikg.cards.actor_index import NAME_PROPERTIES, Category, Index, Known, categories
from moikg.cards.read import Card
from moikg.errors import CardMergeError
from moikg.rdf.namespaces import FOAF, ID, MOI, ORG
from moikg.rdf.terms import fold_name

__all__ = [
    "EN",
    "NAME_PROPERTIES",
    "Category",
    "Index",
    "Known",
    "Resolved",
    "categories",
    "iri_of",
    "resolve_actors",
]

# --- Resolving a card's actors ------------------------------------------------------------

EN: Final = "en"
"""The language tag of the labels cards write."""

_ROOT_CLASSES: Final = {"org": ORG.Organization, "person": FOAF.Person}
_SIMILAR: Final = 0.85
"""difflib ratio from which a new actor's name counts as close to an existing one."""


@dataclass(frozen=True)
class Resolved:
    """An actor of the card, with its IRI.

    Attributes:
        key: Its local key in the card.
        iri: The IRI it resolved to or was given.
        category: ``org`` or ``person``.
        types: Its classes.
        label: Its canonical label, for generated labels (rdfs:label; people foaf:name).
        short: Its short name for generated labels (first alias, or the label).
        existing: The graph already held it.
        labels: The names this card states as its label (rdfs:label, skos:prefLabel /
            foaf:name).
        aliases: The names this card states as skos:altLabel.
    """

    key: str
    iri: URIRef
    category: Category
    types: tuple[URIRef, ...]
    label: RdfLiteral
    short: str
    existing: bool
    labels: tuple[RdfLiteral, ...] = ()
    aliases: tuple[str, ...] = ()


def _kind_classes(ontology: Graph) -> dict[str, URIRef]:
    """Actor kind slug → class, read from ``moi:kindConcept`` in the ontology."""
    found: dict[str, URIRef] = {}
    for cls, concept in ontology.subject_objects(MOI.kindConcept):
        if isinstance(cls, URIRef):
            found[str(concept).rsplit("/", 1)[-1]] = cls
    found["organisation"] = ORG.Organization
    found["person"] = FOAF.Person
    return found


def iri_of(value: str) -> URIRef:
    """A card's ``iri:`` value as an IRI: absolute as given, else under ``id/``."""
    return URIRef(value if value.startswith("http") else f"{ID}{value}")


def resolve_actors(card: Card, index: Index, ontology: Graph) -> dict[str, Resolved]:
    """Give every actor of the card its IRI: an existing one if it matches, else a new one.

    Args:
        card: The checked card.
        index: The actors the graph already holds (excluding this card's own output).
        ontology: Supplies the kind classes.

    Returns:
        Local key → resolved actor.

    Raises:
        CardError: An actor matches more than one existing actor, has a kind that
            conflicts with the existing one, or is new and lacks its kind or name.
    """
    kinds = _kind_classes(ontology)
    out: dict[str, Resolved] = {}
    for key, actor in (card.data.get("actors") or {}).items():
        at = ("actors", key)
        kind = actor.get("kind")
        categories: tuple[Category, ...] = (
            ("person",) if kind == "person" else ("org",) if kind else ("org", "person")
        )
        known = _match(card, at, key, actor, index, categories)
        if known is None:
            _refuse_near_duplicate(card, at, key, actor, index, categories)
            out[key] = _new_actor(card, at, key, actor, kinds)
            continue
        specific = {t for t in known.types if t not in _ROOT_CLASSES.values()}
        specific &= set(kinds.values())
        generic = kind in (None, "organisation", "person")
        if not generic and specific and kinds[kind] not in known.types:
            have = ", ".join(sorted(_qname(t) for t in specific))
            raise card.error(
                (*at, "kind"),
                f"the card says kind {kind!r} but {known.iri} is already a {have}; "
                "use the existing kind or leave kind out",
            )
        label = known.labels[0] if known.labels else RdfLiteral(known.label)
        aliases = actor.get("aliases") or [str(a) for a in known.aliases]
        root = _ROOT_CLASSES.get(known.category, ORG.Organization)
        out[key] = Resolved(
            key=key,
            iri=known.iri,
            category=known.category,
            types=(kinds[kind],) if kind else (root,),
            label=label,
            short=aliases[0] if aliases else str(label),
            existing=True,
            **_stated_names(actor, known),
        )
    return out


def _stated_names(actor: Mapping[str, Any], known: Known) -> dict[str, Any]:
    """The names a card states for an existing actor, in the graph's own spelling and role.

    A name the actor already has (compared folded) is restated as it is written there and in
    the role it has there (a label stays a label, an acronym an alias), so "iipp" restates
    the alias "IIPP" and adds no second label. A name it does not have yet (the card says so
    by ``iri:``, ``also_known_as`` or a matching alias) becomes its label (``name``) or an
    alias (``aliases``, ``also_known_as``).
    """
    labels = {fold_name(str(v)): v for v in (*known.labels, *known.names)}
    aliases = {fold_name(str(v)): v for v in known.aliases}
    out_labels: list[RdfLiteral] = []
    out_aliases: list[str] = []
    name = actor.get("name")
    if name:
        folded = fold_name(name)
        if folded in labels:
            out_labels.append(labels[folded])
        elif folded in aliases:
            out_aliases.append(str(aliases[folded]))
        else:
            person = known.category == "person"
            out_labels.append(RdfLiteral(name) if person else RdfLiteral(name, lang=EN))
    for alias in [*(actor.get("aliases") or []), *(actor.get("also_known_as") or [])]:
        out_aliases.append(str(aliases.get(fold_name(alias), alias)))
    return {"labels": tuple(out_labels), "aliases": tuple(dict.fromkeys(out_aliases))}


def _refuse_near_duplicate(
    card: Card,
    at: tuple[str, ...],
    key: str,
    actor: Mapping[str, Any],
    index: Index,
    categories: tuple[Category, ...],
) -> None:
    """Refuse a new actor whose name is close to an existing one, unless marked ``new: true``."""
    if actor.get("new") or not actor.get("name"):
        return
    close = _suggestions(index, categories, [actor["name"], *(actor.get("aliases") or [])])
    if close:
        raise _merge_error(
            card,
            at,
            f"actor {key!r} ({actor['name']!r}) matches no actor in the graph, but did you mean "
            f"{_listed(close)}? Use that name (or `iri:`) for the existing actor, or add "
            "`new: true` if this is a different one",
        )


def _suggestions(
    index: Index, categories: tuple[Category, ...], names: Iterable[str]
) -> list[tuple[str, Known]]:
    """Existing (name, actor) pairs whose folded name is close to one of ``names``."""
    found: dict[str, tuple[str, Known]] = {}
    for name in names:
        for candidate, known in index.similar(categories, fold_name(name), _SIMILAR):
            found.setdefault(f"{candidate}|{known.iri}", (candidate, known))
    return [found[k] for k in sorted(found)]


def _listed(close: list[tuple[str, Known]]) -> str:
    return " or ".join(f"{name!r} ({known.iri})" for name, known in close)


def _merge_error(card: Card, at: tuple[str, ...], message: str) -> CardMergeError:
    return CardMergeError(f"{card.where(at)}: {message}", path=str(card.path), line=card.line(at))


def _match(
    card: Card,
    at: tuple[str, ...],
    key: str,
    actor: Mapping[str, Any],
    index: Index,
    categories: tuple[Category, ...],
) -> Known | None:
    if "iri" in actor:
        return index.get(iri_of(actor["iri"]))
    names = [n for n in [actor.get("name"), *(actor.get("aliases") or [])] if n]
    candidates = {k.iri: k for k in index.lookup(categories, names)}
    for category in categories:
        by_key = index.get(URIRef(f"{ID}{category}/{key}"))
        if by_key is None or candidates:
            continue
        on_purpose = {fold_name(n) for n in actor.get("also_known_as") or []}
        if by_key.keys and names and not {fold_name(n) for n in names} <= on_purpose:
            # Issue 8, A4: the key would land on an existing actor under a name it does not
            # have. Silently merging would add a wrong label; refuse, and say what it is called.
            unknown = " / ".join(repr(n) for n in names)
            close = _suggestions(index, categories, names)
            hint = f"did you mean {_listed(close)}? " if close else ""
            raise _merge_error(
                card,
                at,
                f"actor {key!r} ({unknown}) would land on the existing {by_key.iri} "
                f"({by_key.label}), which has no such name; {hint}use one of its names, or say "
                f"it is the same actor on purpose with `iri: {category}/{key}` or "
                "`also_known_as: [...]` listing the new names",
            )
        candidates[by_key.iri] = by_key
    if len(candidates) > 1:
        listed = "; ".join(f"{iri} ({k.label})" for iri, k in sorted(candidates.items()))
        shown = " / ".join(repr(n) for n in names)
        raise card.error(
            at,
            f"actor {key!r} ({shown}) is ambiguous: it matches {len(candidates)} existing actors: "
            f"{listed}; add `iri:` with the one you mean",
        )
    return next(iter(candidates.values()), None)


def _new_actor(
    card: Card, at: tuple[str, ...], key: str, actor: Mapping[str, Any], kinds: Mapping[str, URIRef]
) -> Resolved:
    kind = actor.get("kind")
    name = actor.get("name")
    given = iri_of(actor["iri"]) if "iri" in actor else None
    named = name or actor.get("aliases")
    if given is None and (not kind or not named):
        missing = " and ".join(f for f, v in (("kind", kind), ("name", named)) if not v)
        raise card.error(
            at,
            f"actor {key!r} matches no actor in the graph, so it is new and needs its {missing}",
        )
    # An actor named by `iri:` that no other graph holds yet: the card refers to it on purpose;
    # without a kind it is typed by its IRI (org/ or person/) only.
    person = kind == "person" or (not kind and str(given).startswith(f"{ID}person/"))
    category: Category = "person" if person else "org"
    iri = given if given is not None else URIRef(f"{ID}{category}/{key}")
    if not str(iri).startswith(f"{ID}{category}/"):
        raise card.error((*at, "iri"), f"a {kind}'s IRI lies under {ID}{category}/, not {iri}")
    label = None
    if name:
        label = RdfLiteral(name) if category == "person" else RdfLiteral(name, lang=EN)
    aliases = actor.get("aliases") or []
    tail = str(iri).rsplit("/", 1)[-1]
    return Resolved(
        key=key,
        iri=iri,
        category=category,
        types=(kinds[kind] if kind else _ROOT_CLASSES[category],),
        label=label if label is not None else RdfLiteral(aliases[0] if aliases else tail),
        short=aliases[0] if aliases else (name or tail),
        existing=False,
        labels=(label,) if label is not None else (),
        aliases=tuple(dict.fromkeys([*aliases, *(actor.get("also_known_as") or [])])),
    )


def _qname(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]
