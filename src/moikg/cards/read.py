"""Source cards: a YAML description of one document, read, checked and located line by line.

A card holds the source (URL, title, publisher, date), the actors it names and
the relations it states (see ``card_schema.json``, a JSON Schema, draft
2020-12, that ships with the package; ``moikg card-schema`` prints it). This
module reads a card and checks it in three passes, each reporting every
problem it finds with the card's file and line:

1. YAML 1.1 syntax (PyYAML), with timestamps left as strings so that dates
   reach the schema as written, and duplicate keys refused; the file's size, and
   the composed card's size with aliases expanded and its depth, are bounded
   first (:mod:`moikg.cards.limits`: no "billion laughs");
2. the JSON Schema (``jsonschema``, Draft 2020-12 validator);
3. what a schema cannot say: dates that are real calendar dates, local keys
   defined once, and every reference naming something the card defines.

Turning a checked card into triples is :mod:`moikg.cards.to_rdf`; adding it to the
graph is :mod:`moikg.cards.add`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from moikg._paths import display_path
from moikg.cards.limits import MAX_CARD_DEPTH, check_file_size, check_nodes
from moikg.errors import CardError

__all__ = [
    "Card",
    "card_schema",
    "card_schema_text",
    "read_card",
    "signing_key",
]

JsonPath = tuple[str | int, ...]

_SCHEMA_FILE: Final = "card_schema.json"
_STEM: Final = re.compile(r"^[a-z0-9]+([.-][a-z0-9]+)*$")
_DATE_FIELDS: Final = frozenset({"issued", "attested", "start", "end", "date", "founded"})

# Sections whose keys are local names, and what each is called in messages.
SECTIONS: Final[dict[str, str]] = {
    "actors": "actors",
    "places": "places",
    "goals": "goals",
    "frameworks": "frameworks",
    "agreements": "agreements",
    "events": "events",
}


@dataclass(frozen=True)
class Card:
    """A card that passed all three checks.

    Attributes:
        path: The card file.
        text: Its text, as read.
        data: The parsed card (plain dicts, lists, strings, numbers, booleans).
        lines: JSON path → 1-based line of the YAML node (keys and values).
    """

    path: Path
    text: str
    data: Mapping[str, Any]
    lines: Mapping[JsonPath, int] = field(repr=False)

    @property
    def stem(self) -> str:
        """The card's file stem: the name of the Turtle file it becomes."""
        return self.path.stem

    def line(self, path: JsonPath) -> int | None:
        """The line of the deepest node on ``path`` that the card has."""
        return _line(self.lines, path)

    def where(self, path: JsonPath) -> str:
        """``file:line: dotted.path`` for a message."""
        return _where(self.path, self.lines, path)

    def error(self, path: JsonPath, message: str) -> CardError:
        """A :class:`CardError` located at ``path``."""
        return CardError(
            f"{self.where(path)}: {message}", path=str(self.path), line=self.line(path)
        )


@lru_cache(maxsize=1)
def card_schema_text() -> str:
    """Return the packaged JSON Schema of cards, as text."""
    return (resources.files("moikg.cards") / _SCHEMA_FILE).read_text(encoding="utf-8")


def card_schema() -> dict[str, Any]:
    """Return the packaged JSON Schema of cards (JSON Schema draft 2020-12)."""
    schema: dict[str, Any] = json.loads(card_schema_text())
    return schema


def read_card(path: Path | str) -> Card:
    """Read a card and check it (YAML, schema, dates, keys and references).

    Args:
        path: The card file (``.yaml`` or ``.yml``).

    Returns:
        The checked card.

    Raises:
        CardError: The file is missing or unreadable, is not YAML, or has problems;
            the message lists each with its line.
    """
    card_path = Path(path)
    if not card_path.is_file():
        raise CardError(f"{display_path(card_path)}: card file not found", path=str(card_path))
    if not _STEM.match(card_path.stem) or card_path.stem == "ontology":
        raise CardError(
            f"{display_path(card_path)}: the card's file name becomes graph/<name>.ttl; use "
            "lower-case letters, digits and hyphens (e.g. 2021-04-28-moin-usa.yaml), not "
            f"{card_path.stem!r}",
            path=str(card_path),
        )
    try:
        check_file_size(card_path, card_path.stat().st_size)
        text = card_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CardError(
            f"{display_path(card_path)}: cannot read the card: {error}", path=str(card_path)
        ) from None
    data, lines = _parse_yaml(card_path, text)
    problems = _schema_problems(card_path, data, lines)
    if not problems:
        problems = _semantic_problems(data)
    if problems:
        raise _combined(card_path, lines, problems)
    return Card(path=card_path, text=text, data=data, lines=lines)


# --- Pass 1: YAML ------------------------------------------------------------------------------


class _CardLoader(yaml.SafeLoader):
    """YAML 1.1 safe loader that leaves timestamps as strings (dates are checked later)."""


_CardLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(path: Path, text: str) -> tuple[dict[str, Any], dict[JsonPath, int]]:
    lines: dict[JsonPath, int] = {}
    try:
        loader = _CardLoader(text)  # its reader already refuses non-printable characters
        try:
            node = loader.get_single_node()
            if node is not None:
                check_nodes(path, node)  # before any object is built: no alias bomb, no abyss
            data = _construct(loader, node, (), lines, path) if node is not None else None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise CardError(
            f"{display_path(path)}:{line}: not valid YAML: character #x{error.character:04x} "
            f"({error.reason}) is not allowed",
            path=str(path),
            line=line,
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{display_path(path)}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = " ".join(filter(None, [error.context, error.problem])) or "syntax error"
        raise CardError(
            f"{where}: not valid YAML: {what}",
            path=str(path),
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as error:
        raise CardError(f"{display_path(path)}: not valid YAML: {error}", path=str(path)) from None
    except RecursionError:  # PyYAML's composer recurses once per level of nesting
        raise CardError(
            f"{display_path(path)}: the card nests deeper than {MAX_CARD_DEPTH} levels; a card "
            "has no use for this",
            path=str(path),
        ) from None
    if data is None:
        raise CardError(
            f"{display_path(path)}: the card is empty; start from `moikg card-schema` or a card "
            "in graph/cards/",
            path=str(path),
        )
    if not isinstance(data, dict):
        raise CardError(
            f"{display_path(path)}:1: a card is a YAML mapping (source:, actors:, …), not a "
            f"{type(data).__name__}",
            path=str(path),
            line=1,
        )
    return data, lines


def _construct(
    loader: _CardLoader, node: yaml.Node, at: JsonPath, lines: dict[JsonPath, int], path: Path
) -> Any:
    lines.setdefault(at, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise CardError(
                    f"{_where(path, lines, at)}: line {key_node.start_mark.line + 1}: "
                    "a key must be plain text",
                    path=str(path),
                    line=key_node.start_mark.line + 1,
                )
            key = str(key_node.value)
            if key in out:
                raise CardError(
                    f"{display_path(path)}:{key_node.start_mark.line + 1}: "
                    f"{_dotted((*at, key))}: duplicate key {key!r} (YAML keeps only the last)",
                    path=str(path),
                    line=key_node.start_mark.line + 1,
                )
            lines[(*at, key)] = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, (*at, key), lines, path)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*at, i), lines, path) for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


# --- Pass 2: the JSON Schema -------------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    path: JsonPath
    message: str


def _schema_problems(
    path: Path, data: dict[str, Any], lines: Mapping[JsonPath, int]
) -> list[_Problem]:
    validator = Draft202012Validator(card_schema())
    problems = [_explain(error) for error in validator.iter_errors(data)]
    return sorted(problems, key=lambda p: (_line(lines, p.path) or 0, _dotted(p.path)))


def _explain(error: ValidationError) -> _Problem:
    """Turn a schema error into a message a card author can act on."""
    at: JsonPath = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        if at == () and name == "source":
            return _Problem(
                at,
                "the card has no source: add `source:` with the document's url and type (and "
                "its title, publisher and date where the source gives them)",
            )
        return _Problem(at, f"missing field {name!r}")
    if error.validator == "additionalProperties" and isinstance(value, dict):
        allowed = set(schema.get("properties", {}))
        extra = sorted(k for k in value if k not in allowed)
        known = ", ".join(sorted(allowed))
        return _Problem(
            (*at, extra[0]) if extra else at, f"unknown field(s) {extra}; known: {known}"
        )
    if error.validator == "enum":
        options = ", ".join(str(o) for o in schema.get("enum", []))
        last = at[-1] if at else ""
        noun = {"kind": "kind", "role": "role"}.get(str(last), "value")
        if "member_kinds" in at:
            noun = "kind"
        return _Problem(at, f"unknown {noun} {value!r}; use one of: {options}")
    if error.validator == "pattern":
        return _Problem(at, _pattern_message(at, value, str(schema.get("pattern", ""))))
    if error.validator == "type":
        wanted = schema.get("type")
        wanted_text = " or ".join(wanted) if isinstance(wanted, list) else str(wanted)
        return _Problem(at, f"{value!r} is not of type {wanted_text}")
    if error.validator == "propertyNames":
        return _Problem(at, f"{error.message}")
    return _Problem(at, error.message)


def _pattern_message(at: JsonPath, value: Any, pattern: str) -> str:
    if "[0-9]{4}-[0-9]{2}-[0-9]{2}" in pattern and "w3id" not in pattern:
        return f"{value!r} is not a date (write YYYY-MM-DD)"
    if pattern.startswith("^[0-9]{4}(-[0-9]{2}"):
        return f"{value!r} is not a date (write YYYY-MM-DD, or YYYY-MM or YYYY for a month or year)"
    if pattern.startswith("^[a-z0-9]+(-[a-z0-9]+)*$"):
        return f"{value!r} is not a local key (lower-case letters, digits and hyphens)"
    if "w3id" in pattern:
        return f"{value!r} is not a project IRI (e.g. org/iipp)"
    if "wikidata" in pattern:
        return f"{value!r} is not a Wikidata id (Q…) or ROR IRI (https://ror.org/0…)"
    if at and at[-1] == "url":
        return f"{value!r} is not an http(s) URL"
    return f"{value!r} does not match {pattern}"


# --- Pass 3: dates, keys, references -----------------------------------------------------------

# Where each reference field may point: the sections of this card it may name.
_ACTORS: Final = ("actors",)
_ANY: Final = tuple(SECTIONS)


def signing_key(key: str, agreement: Mapping[str, Any]) -> str:
    """The local key of an agreement's signing: its ``signing.key``, else ``<key>-signing``.

    >>> signing_key("moin-mou", {"signing": {}})
    'moin-mou-signing'
    """
    return str((agreement.get("signing") or {}).get("key", f"{key}-signing"))


def _semantic_problems(data: Mapping[str, Any]) -> list[_Problem]:
    problems = list(_date_problems(data, ()))
    keys: dict[str, JsonPath] = {}
    for section in SECTIONS:
        for key in data.get(section, {}) or {}:
            _define(keys, key, (section, key), problems)
    for key, agreement in (data.get("agreements") or {}).items():
        _define(keys, signing_key(key, agreement), ("agreements", key, "signing"), problems)
    defined = {section: set(data.get(section) or {}) for section in SECTIONS}
    for at, value, allowed in _references(data):
        if not any(value in defined[s] for s in allowed):
            where = " or ".join(f"{s}:" for s in allowed) if allowed != _ANY else "this card"
            noun = "actor" if allowed == _ACTORS else "key"
            problems.append(
                _Problem(
                    at, f"{value!r} is not an {noun} this card defines; define it under {where}"
                )
            )
    return problems


def _define(keys: dict[str, JsonPath], key: str, at: JsonPath, problems: list[_Problem]) -> None:
    if key in keys:
        problems.append(
            _Problem(
                at, f"the key {key!r} is already used at {_dotted(keys[key])}; keys are unique"
            )
        )
    else:
        keys[key] = at


def _date_problems(value: Any, at: JsonPath) -> Iterator[_Problem]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _DATE_FIELDS and isinstance(item, str | int) and not isinstance(item, bool):
                yield from _check_date((*at, key), str(item))
            else:
                yield from _date_problems(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _date_problems(item, (*at, i))


def _check_date(at: JsonPath, text: str) -> Iterator[_Problem]:
    """A real calendar date; a year-month (YYYY-MM) or year (YYYY) where the schema allows one."""
    try:
        if re.fullmatch(r"[0-9]{4}", text):
            return
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
            date.fromisoformat(f"{text}-01")
            return
        date.fromisoformat(text)
    except ValueError as error:
        yield _Problem(at, f"{text!r} is not a date ({error})")


def _references(data: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str, tuple[str, ...]]]:
    """Every reference in the card: (where, the key it names, sections it may name)."""
    source = data.get("source") or {}
    yield from _one(("source", "publisher"), source.get("publisher"), _ACTORS)
    yield from _many(("source", "about"), source.get("about"), _ANY)
    for i, extra in enumerate(data.get("also_from") or []):
        yield from _one(("also_from", i, "publisher"), extra.get("publisher"), _ACTORS)
        yield from _many(("also_from", i, "about"), extra.get("about"), _ANY)
    for key, actor in (data.get("actors") or {}).items():
        at = ("actors", key)
        for name in ("unit_of", "part_of", "hosted_by", "engagement_platform_of"):
            yield from _one((*at, name), actor.get(name), _ACTORS)
        for name in ("supported_by", "founders", "members", "operational_partners", "focal_points"):
            yield from _many((*at, name), actor.get(name), _ACTORS)
        yield from _one((*at, "established_by"), actor.get("established_by"), ("agreements",))
        yield from _many((*at, "purposes"), actor.get("purposes"), ("goals",))
        yield from _many((*at, "frameworks"), actor.get("frameworks"), ("frameworks",))
    for key, place in (data.get("places") or {}).items():
        yield from _one(("places", key, "contained_in"), place.get("contained_in"), ("places",))
    for key, framework in (data.get("frameworks") or {}).items():
        yield from _one(("frameworks", key, "author"), framework.get("author"), _ACTORS)
    for i, post in enumerate(data.get("posts") or []):
        yield ("posts", i, "person"), post["person"], _ACTORS
        yield ("posts", i, "organization"), post["organization"], _ACTORS
    for i, contact in enumerate(data.get("contact_points") or []):
        yield ("contact_points", i, "organization"), contact["organization"], _ACTORS
        yield ("contact_points", i, "person"), contact["person"], _ACTORS
    for i, membership in enumerate(data.get("memberships") or []):
        yield ("memberships", i, "member"), membership["member"], _ACTORS
        yield ("memberships", i, "organization"), membership["organization"], _ACTORS
    for key, agreement in (data.get("agreements") or {}).items():
        at = ("agreements", key)
        yield from _many((*at, "parties"), agreement.get("parties"), _ACTORS)
        signing = agreement["signing"]
        yield (*at, "signing", "place"), signing["place"], ("places",)
        yield from _one((*at, "signing", "super_event"), signing.get("super_event"), ("events",))
        for j, who in enumerate(signing["signatories"]):
            yield (*at, "signing", "signatories", j, "person"), who["person"], _ACTORS
            yield (*at, "signing", "signatories", j, "on_behalf_of"), who["on_behalf_of"], _ACTORS
    for key, event in (data.get("events") or {}).items():
        at = ("events", key)
        yield from _one((*at, "location"), event.get("location"), ("places",))
        yield from _one((*at, "super_event"), event.get("super_event"), ("events",))
        yield from _one((*at, "organizer"), event.get("organizer"), _ACTORS)
        for name in ("performers", "attended_by"):
            yield from _many((*at, name), event.get(name), _ACTORS)
        yield from _many((*at, "about"), event.get("about"), _ANY)
    for i, quotation in enumerate(data.get("quotations") or []):
        yield ("quotations", i, "speaker"), quotation["speaker"], _ACTORS
        yield from _many(("quotations", i, "about"), quotation.get("about"), _ANY)


def _one(
    at: JsonPath, value: str | None, allowed: tuple[str, ...]
) -> Iterator[tuple[JsonPath, str, tuple[str, ...]]]:
    if value is not None:
        yield at, value, allowed


def _many(
    at: JsonPath, values: list[str] | None, allowed: tuple[str, ...]
) -> Iterator[tuple[JsonPath, str, tuple[str, ...]]]:
    for i, value in enumerate(values or []):
        yield (*at, i), value, allowed


# --- Messages ----------------------------------------------------------------------------------


def _dotted(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _line(lines: Mapping[JsonPath, int], path: JsonPath) -> int | None:
    for cut in range(len(path), -1, -1):
        found = lines.get(tuple(path[:cut]))
        if found is not None:
            return found
    return None


def _where(card: Path, lines: Mapping[JsonPath, int], path: JsonPath) -> str:
    line = _line(lines, path)
    prefix = f"{display_path(card)}:{line}" if line is not None else display_path(card)
    return f"{prefix}: {_dotted(path)}"


def _combined(card: Path, lines: Mapping[JsonPath, int], problems: list[_Problem]) -> CardError:
    rendered = [f"{_where(card, lines, p.path)}: {p.message}" for p in problems]
    first_line = _line(lines, problems[0].path)
    if len(rendered) == 1:
        message = rendered[0]
    else:
        message = f"{display_path(card)}: {len(rendered)} problems in the card\n" + "\n".join(
            f"  {r}" for r in rendered
        )
    return CardError(message, path=str(card), line=first_line)
