"""Issue 8, A4: no silent merges. A card lands on an existing actor only under a name it has.

Before: a card with key ``vinnova``, ``kind: innovation-agency`` and ``name: Vinova`` reused
``orgs:vinnova`` and added the label "Vinova"; the dry run showed nothing and validation passed.
Now such a card is refused (exit 1, ``graph/`` unchanged) unless it says so explicitly, and a
name that is close to an existing one gets "did you mean …" (accents and case folded).

Every test runs on a copy of the project (``MOIKG_HOME``); "unchanged" is a SHA-256 over the
copy's ``graph/`` folder. Added files are read back with pyoxigraph, a second RDF reader.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_support import run_cli
from moikg.cards.add import add_card
from moikg.errors import CardMergeError
from project_support import copy_project, folder_hash

ROOT = Path(__file__).resolve().parents[1]
VINNOVA = ox.NamedNode("https://w3id.org/moikg/id/org/vinnova")
ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

HEAD = """\
source:
  url: https://example.org/news/vinnova
  type: news-article
  issued: 2024-01-01
actors:
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("MOIKG_HOME", str(root))
    return root


def card(tmp_path: Path, actor: str) -> Path:
    path = tmp_path / "2024-01-01-vinnova-news.yaml"
    path.write_text(HEAD + actor, encoding="utf-8")
    return path


def literals(path: Path, subject: ox.NamedNode, predicate: ox.NamedNode) -> set[str]:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return {q.object.value for q in store.quads_for_pattern(subject, predicate, None)}


def refused(project: Path, path: Path) -> str:
    before = folder_hash(project / "graph")
    with pytest.raises(CardMergeError) as caught:
        add_card(path)
    assert folder_hash(project / "graph") == before
    code, stdout, stderr = run_cli("add", str(path))
    assert code == 1
    assert "Traceback" not in stdout + stderr
    assert folder_hash(project / "graph") == before
    code, _, _ = run_cli("add", "--dry-run", str(path))
    assert code == 1
    return " ".join(str(caught.value).split())


def test_a_misspelt_name_under_an_existing_key_is_refused(project: Path, tmp_path: Path) -> None:
    path = card(tmp_path, "  vinnova:\n    kind: innovation-agency\n    name: Vinova\n")
    message = refused(project, path)
    assert "2024-01-01-vinnova-news.yaml:6: actors.vinnova" in message
    assert "would land on the existing https://w3id.org/moikg/id/org/vinnova (Vinnova)" in message
    assert "did you mean 'Vinnova'" in message
    assert "iri: org/vinnova" in message and "also_known_as" in message


def test_an_unknown_name_gets_did_you_mean_with_accents_and_case_folded(
    project: Path, tmp_path: Path
) -> None:
    path = card(tmp_path, "  vinova:\n    kind: innovation-agency\n    name: VÌNOVA\n")
    message = refused(project, path)
    assert "actor 'vinova' ('VÌNOVA') matches no actor in the graph" in message
    assert "did you mean 'Vinnova' (https://w3id.org/moikg/id/org/vinnova)?" in message
    assert "new: true" in message


def test_a_new_actor_with_a_close_name_is_accepted_when_marked_new(
    project: Path, tmp_path: Path
) -> None:
    path = card(
        tmp_path, "  vinova:\n    kind: innovation-agency\n    name: Vinova\n    new: true\n"
    )
    result = add_card(path)
    assert result.written
    assert literals(result.target, ox.NamedNode("https://w3id.org/moikg/id/org/vinova"), LABEL) == {
        "Vinova"
    }
    assert literals(result.target, VINNOVA, LABEL) == set()


@pytest.mark.parametrize(
    "explicit",
    ["    also_known_as: [Vinova]\n", "    iri: org/vinnova\n"],
    ids=["also_known_as", "iri"],
)
def test_a_merge_on_purpose_is_accepted(project: Path, tmp_path: Path, explicit: str) -> None:
    path = card(tmp_path, "  vinnova:\n    name: Vinova\n" + explicit)
    result = add_card(path)
    assert result.written
    assert ("vinnova", str(VINNOVA.value)) in result.existing_actors
    names = literals(result.target, VINNOVA, LABEL) | literals(result.target, VINNOVA, ALT_LABEL)
    assert "Vinova" in names


def test_a_known_name_in_another_spelling_restates_the_graphs_own(
    project: Path, tmp_path: Path
) -> None:
    """Case and accents folded: "vínnova" is Vinnova, and the new graph says "Vinnova"."""
    path = card(tmp_path, "  vinnova:\n    name: vínnova\n    evidence: vínnova\n")
    result = add_card(path)
    assert literals(result.target, VINNOVA, LABEL) == {"Vinnova"}
    assert literals(result.target, VINNOVA, ALT_LABEL) == set()
