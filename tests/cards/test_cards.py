"""Source cards (moikg.cards, moikg.card_rdf, moikg.card_add, moikg.resolve) and the CLI over them.

Every test that writes runs against a COPY of the project in ``tmp_path`` (``MOIKG_HOME``), never
the repository's ``graph/``. "Unchanged" is checked with a SHA-256 over every file of the copy's
``graph/`` folder, names included.
"""

from __future__ import annotations

import json
import re
import shutil
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import ORG
from typer.testing import CliRunner

from cli_support import run_cli
from moikg.cards.add import add_card, build_cards
from moikg.cards.read import card_schema, read_card
from moikg.cards.resolve import Index
from moikg.cards.to_rdf import card_to_graph
from moikg.errors import CardError, ConformanceError, InputError, MoikgError, SkippedInputWarning
from moikg.ingest.load import read_graph
from moikg.rdf.terms import fold_name as normalise
from project_support import copy_project, folder_hash

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "graph" / "cards"
DATA = Path(__file__).parents[1] / "data" / "cards"
SAMPLE = DATA / "2024-05-01-example-agency-joins-moin.yaml"
HAND_2019 = DATA / "hand-encoded-2019-02-11-iipp-oecd-mou.ttl"
ID = "https://w3id.org/moikg/id/"
MOI = "https://w3id.org/moikg/ontology#"
SCHEMA = "https://schema.org/"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ontology/ and graph/ in tmp_path; MOIKG_HOME points at it."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("MOIKG_HOME", str(root))
    return root


def write_card(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` (computed from the text, not the code)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the card")


def cli(*args: str) -> tuple[int, str]:
    code, stdout, stderr = run_cli(*args)
    return code, stdout + stderr


# --- The schema --------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = card_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (ROOT / "src" / "moikg" / "cards" / "card_schema.json").is_file()


def test_card_schema_command_prints_the_packaged_schema() -> None:
    code, output = cli("card-schema")
    assert code == 0
    assert json.loads(output) == json.loads(
        (ROOT / "src" / "moikg" / "cards" / "card_schema.json").read_text(encoding="utf-8")
    )


def test_schema_kinds_and_roles_are_those_of_the_ontology() -> None:
    ontology = Graph().parse(ROOT / "ontology" / "moi.ttl")
    kinds = {str(c).rsplit("/", 1)[1] for c in ontology.objects(None, URIRef(MOI + "kindConcept"))}
    roles = {str(r).rsplit("/", 1)[1] for r in ontology.subjects(RDF.type, ORG.Role)}
    defs = card_schema()["$defs"]
    assert set(defs["actor"]["properties"]["kind"]["enum"]) == kinds | {"organisation", "person"}
    assert set(defs["actor"]["properties"]["member_kinds"]["items"]["enum"]) == kinds
    assert set(defs["post"]["properties"]["role"]["enum"]) == roles


@pytest.mark.parametrize("card", sorted(CARDS.glob("*.yaml")), ids=lambda p: p.stem)
def test_committed_cards_follow_the_schema(card: Path) -> None:
    data = yaml.load(card.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    errors = list(Draft202012Validator(_string_schema()).iter_errors(data))
    assert not errors, [e.message for e in errors]


def _string_schema() -> dict[str, Any]:
    """The card schema with numbers and booleans widened to strings.

    The committed cards are read here with YAML's BaseLoader (every scalar a string), independently
    of moikg's reader, so integer and boolean fields arrive as text.
    """
    text = json.dumps(card_schema())
    text = text.replace('"type": "integer"', '"type": "string"').replace(
        '"type": "boolean"', '"type": "string"'
    )
    text = text.replace('"type": ["string", "integer"]', '"type": "string"').replace(
        '"minimum": 0, ', ""
    )
    return dict(json.loads(text))


# --- Cards are the path: the committed graph files are their cards' output ---------------------


def test_every_graph_file_is_generated_from_a_card() -> None:
    stems = {p.stem for p in (ROOT / "graph").glob("*.ttl")}
    assert stems == {p.stem for p in CARDS.glob("*.yaml")}


def test_regenerating_every_card_gives_the_committed_files(tmp_path: Path) -> None:
    before = folder_hash(ROOT / "graph")
    result = build_cards(ROOT / "graph", check=True)
    assert result.changed == ()
    assert len(result.outputs) == len(list(CARDS.glob("*.yaml")))
    assert folder_hash(ROOT / "graph") == before


def test_cards_alone_rebuild_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From an empty graph folder (cards only), one build reproduces every committed file byte for byte."""
    graph = tmp_path / "graph"
    shutil.copytree(CARDS, graph / "cards")
    result = build_cards(
        graph, ontology=ROOT / "ontology" / "moi.ttl", shapes=ROOT / "ontology" / "shapes.ttl"
    )
    assert result.written
    for path in result.outputs:
        assert path.read_bytes() == (ROOT / "graph" / path.name).read_bytes(), path.name


def test_the_2019_card_reproduces_the_hand_encoded_release() -> None:
    ontology = read_graph(ROOT / "ontology" / "moi.ttl")
    card = read_card(CARDS / "2019-02-11-iipp-oecd-mou.yaml")
    alone = card_to_graph(card, Index.from_graph(Graph(), ontology), ontology)
    hand = Graph().parse(HAND_2019)
    committed = Graph().parse(ROOT / "graph" / "2019-02-11-iipp-oecd-mou.ttl")
    assert len(hand) > 200
    assert isomorphic(alone, hand)
    assert isomorphic(committed, hand)


def test_cards_build_check_command(project: Path) -> None:
    code, output = cli("cards", "build", "--check")
    assert code == 0, output
    (project / "graph" / "undated-growinpro-moin.ttl").write_text("# hand edit\n", encoding="utf-8")
    code, output = cli("cards", "build", "--check")
    assert code == 1
    assert "undated-growinpro-moin.ttl" in output
    code, output = cli("cards", "build")
    assert code == 0, output
    assert (project / "graph" / "undated-growinpro-moin.ttl").read_bytes() == (
        ROOT / "graph" / "undated-growinpro-moin.ttl"
    ).read_bytes()


# --- moikg add: the sample card ----------------------------------------------------------------


def test_add_sample_card(project: Path) -> None:
    graph_dir = project / "graph"
    before = {p.name: p.read_bytes() for p in graph_dir.glob("*.ttl")}
    result = add_card(SAMPLE)
    assert result.written
    target = graph_dir / "2024-05-01-example-agency-joins-moin.ttl"
    assert result.target == target and target.is_file()
    assert (graph_dir / "cards" / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()
    # nothing else changed
    assert {p.name: p.read_bytes() for p in graph_dir.glob("*.ttl") if p != target} == before
    added = Graph().parse(target)
    assert len(added) == result.triples
    eai = URIRef(ID + "org/example-agency")
    moin = URIRef(ID + "org/moin")
    assert (moin, ORG.hasMember, eai) in added
    assert (eai, ORG.memberOf, moin) in added
    membership = URIRef(ID + "membership/example-agency-moin")
    assert (
        membership,
        URIRef(SCHEMA + "startDate"),
        Literal("2024-04-01", datatype=XSD_DATE),
    ) in added
    post = URIRef(ID + "post/erika-example-director-example-agency")
    assert (post, URIRef(SCHEMA + "startDate"), Literal("2024-01-01", datatype=XSD_DATE)) in added
    assert (URIRef(ID + "person/erika-example"), ORG.headOf, eai) in added
    assert (eai, URIRef(SCHEMA + "location"), URIRef(ID + "place/ruritania")) in added
    # the whole graph still conforms and the new card now round-trips through `cards build`
    assert build_cards(check=True).changed == ()


def test_add_resolves_existing_actors_ignoring_case_and_accents(project: Path) -> None:
    result = add_card(SAMPLE, dry_run=True)
    assert dict(result.existing_actors) == {
        "iipp": ID + "org/iipp",
        "moin": ID + "org/moin",
        "angel-gurria": ID + "person/angel-gurria",
    }
    g = Graph().parse(data=result.turtle, format="turtle")
    gurria = URIRef(ID + "person/angel-gurria")
    # the graph's own spelling is kept; the card's spelling was only used to find him
    assert set(g.objects(gurria, URIRef("http://xmlns.com/foaf/0.1/name"))) == {
        Literal("Angel Gurria")
    }


def test_normalise_folds_case_accents_and_spaces() -> None:
    assert normalise("  Angel   GURRÍA ") == normalise("angel gurria") == "angel gurria"
    assert normalise("Ｆｉｎｅｐ") == "finep"  # NFKD folds full-width letters too


def test_dry_run_prints_the_triples_and_writes_nothing(project: Path) -> None:
    before = folder_hash(project / "graph")
    code, output = cli("add", str(SAMPLE), "--dry-run")
    assert code == 0, output
    turtle = output[output.index("# Generated") :].split("\niipp: existing actor")[0]
    printed = Graph().parse(data=turtle, format="turtle")
    assert (
        URIRef(ID + "org/example-agency"),
        RDF.type,
        URIRef(MOI + "InnovationAgency"),
    ) in printed
    assert re.search(
        r"would write .*2024-05-01-example-agency-joins-moin\.ttl: \d+ triples", output
    )
    assert folder_hash(project / "graph") == before


def test_adding_the_same_card_again_is_idempotent(project: Path) -> None:
    add_card(SAMPLE)
    once = folder_hash(project / "graph")
    add_card(project / "graph" / "cards" / SAMPLE.name)
    assert folder_hash(project / "graph") == once


def test_add_refuses_to_overwrite_another_file(project: Path, tmp_path: Path) -> None:
    clash = tmp_path / "undated-growinpro-moin.yaml"
    shutil.copy(SAMPLE, clash)
    before = folder_hash(project / "graph")
    with pytest.raises(
        InputError, match=r"undated-growinpro-moin\.ttl already exists .* replace=True"
    ):
        add_card(clash)
    assert folder_hash(project / "graph") == before
    # The CLI names its flag where the library names its parameter (issue 9.7).
    code, output = cli("add", str(clash))
    assert code == 2 and "or pass --replace" in output and "replace=True" not in output
    assert folder_hash(project / "graph") == before


def test_a_failed_add_keeps_no_card_copy_without_its_turtle_file(project: Path) -> None:
    # Regression (issue 9.5): the card copy was committed before its Turtle file, so a failure
    # writing the Turtle file left graph/cards/<name>.yaml claiming a file that was not there.
    target = project / "graph" / f"{SAMPLE.stem}.ttl"
    target.mkdir()  # the Turtle file cannot replace a folder
    with pytest.warns(SkippedInputWarning), pytest.raises(OSError):
        add_card(SAMPLE, replace=True)
    cards = project / "graph" / "cards"
    assert not (cards / SAMPLE.name).exists()
    assert not [p.name for p in (project / "graph").rglob(".*.tmp")]


def test_add_command_writes_and_reports(project: Path) -> None:
    code, output = cli("add", str(SAMPLE))
    assert code == 0, output
    assert "angel-gurria: existing actor https://w3id.org/moikg/id/person/angel-gurria" in output
    assert (project / "graph" / "2024-05-01-example-agency-joins-moin.ttl").is_file()
    assert "next: 'moikg build' rebuilds build/" in output  # what to rebuild (issue 12)


# --- Each kind of error: its own message, exit code, and graph/ unchanged -----------------------

GOOD_HEAD = """\
source:
  url: https://example.org/news/one
  type: news-article
  title: One
  publisher: iipp
  issued: 2024-01-01
actors:
  iipp:
    name: IIPP
"""

ERRORS: list[tuple[str, str, str, str | None]] = [
    # (id, card text, message pattern, text on the line the message must name)
    ("bad-yaml", GOOD_HEAD + "  moin: [unclosed\n", r"not valid YAML", None),
    (
        "unknown-kind",
        GOOD_HEAD + "  lab:\n    kind: laboratory\n    name: A Lab\n",
        r"actors\.lab\.kind: unknown kind 'laboratory'; use one of: university, ",
        "kind: laboratory",
    ),
    (
        "ambiguous-actor",
        GOOD_HEAD + "  dc:\n    name: design COUNCIL\n",
        r"actor 'dc' \('design COUNCIL'\) is ambiguous: it matches 2 existing actors: "
        r"https://w3id.org/moikg/id/org/another-design-council \(Design council\); "
        r"https://w3id.org/moikg/id/org/design-council \(Design Council\)",
        "dc:",
    ),
    (
        "missing-source",
        "actors:\n  iipp:\n    name: IIPP\n",
        r"the card has no source: add `source:`",
        None,
    ),
    (
        "not-a-date",
        GOOD_HEAD.replace("issued: 2024-01-01", "issued: 2024-02-30"),
        r"source\.issued: '2024-02-30' is not a date",
        "issued: 2024-02-30",
    ),
    (
        "date-not-iso",
        GOOD_HEAD.replace("issued: 2024-01-01", "issued: 1 May 2024"),
        r"source\.issued: '1 May 2024' is not a date \(write YYYY-MM-DD\)",
        "issued: 1 May 2024",
    ),
    (
        "undefined-actor",
        GOOD_HEAD + "posts:\n  - person: someone\n    organization: iipp\n    role: director\n",
        r"posts\[0\]\.person: 'someone' is not an actor this card defines; define it under actors:",
        "person: someone",
    ),
    (
        "unknown-field",
        GOOD_HEAD + "    homepage: https://example.org\n",
        r"actors\.iipp\.homepage: unknown field\(s\) \['homepage'\]",
        "homepage:",
    ),
    (
        "new-actor-without-kind",
        GOOD_HEAD + "  newcomer:\n    name: A Newcomer\n",
        r"actor 'newcomer' matches no actor in the graph, so it is new and needs its kind",
        "newcomer:",
    ),
    (
        "kind-conflict",
        GOOD_HEAD.replace("    name: IIPP\n", "    name: IIPP\n    kind: city\n"),
        r"the card says kind 'city' but https://w3id.org/moikg/id/org/iipp is already a Institute",
        "kind: city",
    ),
    (
        "duplicate-key",
        GOOD_HEAD + "  iipp:  # again\n    name: IIPP again\n",
        r"duplicate key 'iipp'",
        "# again",
    ),
    ("not-a-mapping", "- just\n- a list\n", r"a card is a YAML mapping", None),
    ("empty", "", r"the card is empty", None),
]

ANOTHER_DESIGN_COUNCIL = """\
@prefix orgs: <https://w3id.org/moikg/id/org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
orgs:another-design-council a <http://www.w3.org/ns/org#Organization> ; rdfs:label "Design council"@en .
"""


@pytest.mark.parametrize(
    ("text", "pattern", "marker"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_each_error_has_its_message_and_changes_nothing(
    project: Path, tmp_path: Path, text: str, pattern: str, marker: str | None
) -> None:
    if "design COUNCIL" in text:
        (project / "graph" / "another.ttl").write_text(ANOTHER_DESIGN_COUNCIL, encoding="utf-8")
    card = write_card(tmp_path, "2024-01-01-broken.yaml", text)
    before = folder_hash(project / "graph")
    with pytest.raises(CardError) as caught:
        add_card(card)
    message = str(caught.value)
    assert re.search(pattern, message), message
    assert "2024-01-01-broken.yaml" in message
    if marker is not None:
        assert f"2024-01-01-broken.yaml:{line_of(text, marker)}:" in message, message
    assert folder_hash(project / "graph") == before
    # and through the CLI: exit 2, the same message, no traceback, still nothing written
    code, output = cli("add", str(card))
    assert code == 2
    assert re.search(pattern, " ".join(output.split())) or re.search(pattern, output), output
    assert folder_hash(project / "graph") == before


def test_bad_yaml_names_line_and_column(project: Path, tmp_path: Path) -> None:
    text = GOOD_HEAD + "  moin: {name: MOIN\n"
    card = write_card(tmp_path, "2024-01-01-broken.yaml", text)
    with pytest.raises(
        CardError, match=r"2024-01-01-broken\.yaml:\d+:\d+: not valid YAML"
    ) as caught:
        add_card(card)
    assert caught.value.line is not None and caught.value.line >= line_of(text, "moin:")


def test_card_violating_a_shape_exits_1_and_changes_nothing(project: Path, tmp_path: Path) -> None:
    text = GOOD_HEAD + "  orphan:\n    kind: network-chapter\n    name: Orphan chapter\n"
    card = write_card(tmp_path, "2024-01-01-orphan.yaml", text)
    before = folder_hash(project / "graph")
    with pytest.raises(ConformanceError, match=r"not added: .* would not conform") as caught:
        add_card(card)
    assert "ChapterShape" in str(caught.value)
    assert "2024-01-01-orphan.ttl" in str(caught.value)
    code, output = cli("add", str(card))
    assert code == 1
    assert "ChapterShape" in output
    assert folder_hash(project / "graph") == before


def test_missing_card_file(project: Path) -> None:
    code, output = cli("add", str(project / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: card file not found" in output


def test_card_file_name_must_be_a_slug(project: Path, tmp_path: Path) -> None:
    card = write_card(tmp_path, "My Card.yaml", GOOD_HEAD)
    with pytest.raises(CardError, match="lower-case letters, digits and hyphens"):
        add_card(card)


# --- Property-based: malformed cards never raise anything but MoikgError, never write ----------

# The sample card as read (dates as strings, booleans as booleans): the base every mutation damages.
SAMPLE_DATA: dict[str, Any] = json.loads(json.dumps(read_card(SAMPLE).data))


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at] if at else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*at, i))
    return found


PATHS = _paths(SAMPLE_DATA)
DATE_PATHS = [p for p in PATHS if p[-1] in {"issued", "start", "end", "attested", "date"}]
REF_PATHS = [
    p for p in PATHS
    if p[-1] in {"publisher", "person", "organization", "member", "on_behalf_of", "place", "super_event", "location", "speaker"}
    or (len(p) > 1 and p[-2] in {"performers", "attended_by", "parties", "about"})
]  # fmt: skip
# A source needs no title or publisher: a card states them only where the source gives them.
REQUIRED = [("source",), ("source", "url"), ("source", "type"),
            ("posts", 0, "role"), ("memberships", 0, "member"), ("events", "eai-welcome-event-2024", "kind"),
            ("agreements", "eai-iipp-mou-2024", "signing"), ("quotations", 0, "text")]  # fmt: skip


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _copy() -> Any:
    return json.loads(json.dumps(SAMPLE_DATA))


NOT_A_DATE = st.text(min_size=1, max_size=12).filter(
    # not even a month or a year, which event dates may be (issue 8, B7)
    lambda s: not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s.strip())
)
NOT_A_KEY = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=10).map(
    lambda s: f"zz-{s}"
)
# Never a string nor a list (a list of strings is a valid value of some string-or-list fields).
JUNK = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.dictionaries(st.text(max_size=5), st.text(max_size=5) | st.integers(), max_size=3)
)


@st.composite
def malformed_cards(draw: st.DrawFn) -> str:
    """A YAML card that must be refused: one of several kinds of damage to the sample card."""
    data = _copy()
    damage = draw(
        st.sampled_from(
            ["date", "ref", "required", "unknown-field", "kind", "junk-value", "junk-text"]
        )
    )
    if damage == "junk-text":
        return draw(st.text(max_size=200))
    if damage == "date":
        _set(data, draw(st.sampled_from(DATE_PATHS)), draw(NOT_A_DATE))
    elif damage == "ref":
        _set(data, draw(st.sampled_from(REF_PATHS)), draw(NOT_A_KEY))
    elif damage == "required":
        path = draw(st.sampled_from(REQUIRED))
        del _get(data, path[:-1])[path[-1]]
    elif damage == "unknown-field":
        target = draw(
            st.sampled_from(
                [
                    ("source",),
                    ("actors", "example-agency"),
                    ("posts", 0),
                    ("events", "eai-welcome-event-2024"),
                ]
            )
        )
        _get(data, target)[draw(NOT_A_KEY)] = draw(st.text(max_size=5))
    elif damage == "kind":
        _set(data, ("actors", "example-agency", "kind"), draw(NOT_A_KEY))
    else:  # a value of the wrong type where a string or list of strings belongs
        path = draw(st.sampled_from([p for p in PATHS if isinstance(_get(SAMPLE_DATA, p), str)]))
        _set(data, path, draw(JUNK))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def shared_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hypothesis") / "project")
    return root


def _refused(shared_project: Path, text: str, call: Callable[[Path], object]) -> None:
    before = folder_hash(shared_project / "graph")
    card = write_card(shared_project, "2024-01-01-fuzz.yaml", text)
    try:
        call(card)
    except MoikgError as error:
        assert "2024-01-01-fuzz.yaml" in str(error) or "2024-01-01-fuzz.ttl" in str(error)
    else:
        raise AssertionError(f"a malformed card was accepted:\n{text}")
    assert folder_hash(shared_project / "graph") == before


def test_the_undamaged_sample_dumped_again_is_accepted(shared_project: Path) -> None:
    """Control for the property tests below: without damage the dumped card is a valid card."""
    card = write_card(
        shared_project, "2024-01-01-fuzz.yaml", yaml.safe_dump(_copy(), allow_unicode=True)
    )
    result = add_card(
        card,
        graph_dir=shared_project / "graph",
        dry_run=True,
        ontology=shared_project / "ontology" / "moi.ttl",
        shapes=shared_project / "ontology" / "shapes.ttl",
    )
    assert result.triples > 50


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=malformed_cards())
def test_malformed_cards_are_refused_without_traceback_or_change(
    shared_project: Path, text: str
) -> None:
    graph_dir = shared_project / "graph"
    _refused(
        shared_project,
        text,
        lambda card: add_card(
            card,
            graph_dir=graph_dir,
            ontology=shared_project / "ontology" / "moi.ttl",
            shapes=shared_project / "ontology" / "shapes.ttl",
        ),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=malformed_cards())
def test_malformed_cards_through_the_cli(
    shared_project: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("MOIKG_HOME", str(shared_project))
    before = folder_hash(shared_project / "graph")
    card = write_card(shared_project, "2024-01-01-fuzz.yaml", text)
    code, output = cli("add", str(card))
    assert code in (1, 2), output
    assert "error: " in output
    assert folder_hash(shared_project / "graph") == before
