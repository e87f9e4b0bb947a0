"""Tests for moikg.load and moikg._paths: named graphs, syntax errors, project root."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import BROKEN, BROKEN_LINE, MiniProject
from moikg import _paths
from moikg.errors import InputError
from moikg.ingest.closure import CLOSURE_GRAPH
from moikg.ingest.load import ONTOLOGY_GRAPH, graph_iri, load_dataset, named_graphs, source_graphs

STORES = ["oxigraph", "memory"]


@pytest.mark.parametrize("store", STORES)
def test_each_source_file_becomes_a_named_graph(mini_project: MiniProject, store: str) -> None:
    dataset = load_dataset(mini_project.graph_dir, store=store)  # type: ignore[arg-type]
    assert named_graphs(dataset) == sorted(
        [ONTOLOGY_GRAPH, CLOSURE_GRAPH, graph_iri("a"), graph_iri("b")]
    )
    assert source_graphs(dataset) == [graph_iri("a"), graph_iri("b")]
    assert str(graph_iri("a")) == "https://w3id.org/moikg/graph/a"
    assert (URIRef("https://w3id.org/moikg/id/ada"), None, None) in dataset.graph(graph_iri("b"))
    assert len(dataset.graph(ONTOLOGY_GRAPH)) > 0


def test_subfolders_of_graph_are_not_sources(mini_project: MiniProject) -> None:
    dataset = load_dataset(mini_project.graph_dir)
    assert graph_iri("ignored") not in named_graphs(dataset)


def test_default_graph_dir_comes_from_moikg_home(mini_project: MiniProject) -> None:
    assert _paths.graph_dir() == mini_project.graph_dir.resolve()
    assert _paths.ontology_file() == mini_project.ontology.resolve()
    assert _paths.build_dir() == mini_project.build_dir.resolve()
    assert source_graphs(load_dataset()) == [graph_iri("a"), graph_iri("b")]


def test_without_ontology(mini_project: MiniProject) -> None:
    dataset = load_dataset(mini_project.graph_dir, include_ontology=False)
    assert ONTOLOGY_GRAPH not in named_graphs(dataset)


@pytest.mark.parametrize("store", STORES)
def test_syntax_error_names_file_line_column_and_text(
    mini_project: MiniProject, store: str
) -> None:
    broken = mini_project.write_source("broken.ttl", BROKEN)
    with pytest.raises(InputError) as caught:
        load_dataset(mini_project.graph_dir, store=store)  # type: ignore[arg-type]
    error = caught.value
    assert error.exit_code == 2
    assert error.path == str(broken)
    assert error.line == BROKEN_LINE
    assert error.column == 5
    assert error.near is not None and error.near.startswith("id:org-e")
    assert f"broken.ttl:{BROKEN_LINE}:5: syntax error:" in str(error)
    assert "near 'id:org-e" in str(error)


def test_missing_graph_dir_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="graph folder not found"):
        load_dataset(tmp_path / "nowhere", include_ontology=False)


def test_missing_ontology_is_an_input_error(mini_project: MiniProject) -> None:
    mini_project.ontology.unlink()
    with pytest.raises(InputError, match=r"moi\.ttl: file not found"):
        load_dataset(mini_project.graph_dir)


def test_reserved_stem_is_rejected(mini_project: MiniProject) -> None:
    mini_project.write_source("ontology.ttl", "")
    with pytest.raises(InputError, match="reserved"):
        load_dataset(mini_project.graph_dir)


def test_project_root_falls_back_to_cwd(
    mini_project: MiniProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_paths.ENV_HOME)
    monkeypatch.chdir(mini_project.root)
    assert _paths.project_root() == _paths.ProjectRoot(mini_project.root)
