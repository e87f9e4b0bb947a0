"""Small pieces of a card's triples that stand on their own (issue 8, B3, B7, B8, B1).

* :func:`dated`: a date as precise as the source gives it, ``xsd:date``,
  ``xsd:gYearMonth`` or ``xsd:gYear`` (XML Schema 1.1 Part 2, §3.3.9, §3.3.10, §3.3.11).
* :func:`derivations`: the words of a source a node rests on, on a PROV
  qualified derivation (PROV-O §3.3, ``prov:qualifiedDerivation``): a
  ``prov:Derivation`` whose ``prov:entity`` is the source and whose
  ``moi:evidence`` values are the quotes. One per (node, source), with an IRI
  made from the two, so the same card always gives the same IRIs.
* :func:`member_count`: a dated count of a collaboration's members, a
  ``moi:MemberCount`` (a ``schema:QuantitativeValue``) with its value, unit,
  date and source.
* :func:`contact_point`: an organisation's ``schema:ContactPoint`` and the
  person to contact (``moi:contactPerson``): a contact is not a member.
* :func:`to_turtle`: a card's triples as the text of ``graph/<stem>.ttl``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from rdflib import Graph, Literal, URIRef

from moikg.cards.read import Card
from moikg.rdf.namespaces import DCTERMS, INSTANCE_PREFIXES, MOI, PROV, RDF, RDFS, SCHEMA, XSD
from moikg.rdf.terms import fold_name

__all__ = ["Triple", "contact_point", "dated", "derivations", "member_count", "to_turtle"]

Triple = tuple[URIRef, URIRef, URIRef | Literal]

_N: Final = INSTANCE_PREFIXES
_EN: Final = "en"
_DATE_TYPES: Final = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def dated(value: str | int) -> Literal:
    """``2019-03-01`` as xsd:date, ``2019-03`` as xsd:gYearMonth, ``2019`` as xsd:gYear."""
    text = str(value)
    return Literal(text, datatype=_DATE_TYPES[len(text)])


def derivations(node: URIRef, sources: Sequence[URIRef], quotes: Iterable[str]) -> list[Triple]:
    """The qualified derivations of ``node`` from each source, carrying the quotes."""
    words = list(quotes)
    if not words:
        return []
    out: list[Triple] = []
    for source in sources:
        digest = hashlib.sha256(f"{node}\n{source}".encode()).hexdigest()[:16]
        derivation = _N["derivation"][digest]
        out += [
            (node, PROV.qualifiedDerivation, derivation),
            (derivation, RDF.type, PROV.Derivation),
            (derivation, PROV.entity, source),
        ]
        out += [(derivation, MOI.evidence, Literal(q, lang=_EN)) for q in words]
    return out


def member_count(
    collaboration: URIRef, name: str, count: Mapping[str, Any], when: str
) -> tuple[URIRef, list[Triple]]:
    """A ``moi:MemberCount`` of ``collaboration`` on ``when``: ``more_than`` or ``value``."""
    bound = "more_than" in count
    value = int(count["more_than"] if bound else count["value"])
    node = _N["count"][f"{str(collaboration).rsplit('/', 1)[-1]}-members-{when}"]
    words = f"more than {value}" if bound else str(value)
    return node, [
        (collaboration, MOI.memberCount, node),
        (node, RDF.type, MOI.MemberCount),
        (node, RDFS.label, Literal(f"{name}: {words} members ({when})", lang=_EN)),
        (node, MOI.moreThan if bound else SCHEMA.value, Literal(value)),
        (node, SCHEMA.unitText, Literal("members", lang=_EN)),
        (node, DCTERMS.date, dated(when)),
    ]


def contact_point(
    organization: URIRef, name: str, person: URIRef, contact: Mapping[str, Any]
) -> tuple[URIRef, list[Triple]]:
    """An organisation's contact point for ``contact_type`` (e.g. joining), and its person."""
    kind = contact.get("contact_type")
    folded = fold_name(kind) if kind else "contact"
    slug = "-".join("".join(c if c.isalnum() else " " for c in folded).split())
    node = _N["contact"][f"{str(organization).rsplit('/', 1)[-1]}-{slug}"]
    default = f"Contact for {kind} {name}" if kind else f"Contact of {name}"
    label = contact.get("label") or default
    out: list[Triple] = [
        (organization, SCHEMA.contactPoint, node),
        (node, RDF.type, SCHEMA.ContactPoint),
        (node, RDFS.label, Literal(label, lang=_EN)),
        (node, MOI.contactPerson, person),
    ]
    if kind:
        out.append((node, SCHEMA.contactType, Literal(kind, lang=_EN)))
    return node, out


def to_turtle(graph: Graph, card: Card, *, card_name: str) -> str:
    """Serialise a card's triples as the Turtle file ``graph/<stem>.ttl``.

    Args:
        graph: The triples from :func:`moikg.cards.to_rdf.card_to_graph`.
        card: The card (its note becomes the header comment).
        card_name: How the header names the card file (e.g. ``graph/cards/x.yaml``).

    Returns:
        The file's text: a header comment, then rdflib's Turtle (subjects and
        properties sorted, so the same triples always give the same text).
    """
    header = [
        f"# Generated from {card_name} by `moikg add` / `moikg cards build`.",
        "# Edit the card, not this file: the tests regenerate it and compare.",
    ]
    note = card.data.get("note")
    if note:
        header.append("#")
        header += [f"# {line}".rstrip() for line in str(note).strip().splitlines()]
    body = graph.serialize(format="turtle")
    return "\n".join(header) + "\n\n" + body
