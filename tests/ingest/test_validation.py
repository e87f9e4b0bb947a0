"""Tests for moikg.validate: pySHACL over the union of source graphs, results with source files."""

from __future__ import annotations

import pytest

from conftest import NONCONFORMING, SOURCE_A, MiniProject
from moikg.errors import ConformanceError, InputError
from moikg.ingest.load import load_dataset
from moikg.ingest.validation import raise_for_violations, validate, validate_files, validate_sources

ORG_C = "https://w3id.org/moikg/id/org-c"


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_minimal_graph_conforms(mini_project: MiniProject, store: str) -> None:
    report = validate(load_dataset(mini_project.graph_dir, store=store))  # type: ignore[arg-type]
    assert report.conforms, report.text
    assert report.violations == ()
    raise_for_violations(report)  # no error


def test_subclass_instance_is_targeted_and_named_with_its_file(
    mini_project: MiniProject,
) -> None:
    bad = mini_project.write_source("c.ttl", NONCONFORMING)
    report = validate_sources(mini_project.graph_dir)
    assert not report.conforms
    (violation,) = report.violations
    assert violation.focus_node == ORG_C
    assert violation.result_path == "http://www.w3.org/2000/01/rdf-schema#label"
    assert violation.message == "an organisation needs an rdfs:label"
    assert violation.severity == "Violation"
    assert "OrganizationShape" in violation.source_shape
    assert len(violation.source_files) == 1
    assert violation.source_files[0].endswith("graph/c.ttl")
    assert bad.name in str(violation)


def test_focus_node_in_two_files_names_both(mini_project: MiniProject) -> None:
    mini_project.write_source("c.ttl", NONCONFORMING)
    mini_project.write_source("d.ttl", NONCONFORMING)
    (violation,) = validate_sources(mini_project.graph_dir).violations
    assert [f.rsplit("/", 1)[-1] for f in violation.source_files] == ["c.ttl", "d.ttl"]


def test_nonconformance_raises_with_violations(mini_project: MiniProject) -> None:
    mini_project.write_source("c.ttl", NONCONFORMING)
    with pytest.raises(ConformanceError) as caught:
        raise_for_violations(validate_sources(mini_project.graph_dir))
    assert caught.value.exit_code == 1
    assert caught.value.violations[0].source_files[0].endswith("c.ttl")
    assert "c.ttl" in str(caught.value) and "rdfs:label" in str(caught.value)


def test_validate_files_loads_only_those_files(mini_project: MiniProject, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere.ttl"
    elsewhere.write_text(NONCONFORMING, encoding="utf-8")
    report = validate_files([elsewhere])
    assert [v.source_files for v in report.violations] == [(str(elsewhere),)]
    assert validate_files([mini_project.graph_dir / "a.ttl"]).conforms


def test_validate_accepts_a_list_of_files(mini_project: MiniProject) -> None:
    assert validate([mini_project.graph_dir / "b.ttl"]).conforms


def test_default_message_when_shape_has_none(mini_project: MiniProject) -> None:
    mini_project.write_source("e.ttl", SOURCE_A.split("ex:article")[0] + "id:bob a foaf:Person .\n")
    (violation,) = validate_sources(mini_project.graph_dir).violations
    assert violation.focus_node.endswith("/bob")
    assert violation.message  # pySHACL's or our fallback text, never empty
    assert "PersonShape" in violation.source_shape


def test_missing_shapes_file_is_an_input_error(mini_project: MiniProject) -> None:
    mini_project.shapes.unlink()
    with pytest.raises(InputError, match=r"shapes\.ttl: file not found"):
        validate_sources(mini_project.graph_dir)


def test_public_functions_are_not_shadowed_by_submodules() -> None:
    # Regression: a lazy __init__ let `import moikg.validate` replace moikg.validate (the
    # function) with the module, so `moikg.validate([...])` raised "module is not callable".
    import moikg
    import moikg.ingest.validation
    import moikg.pipeline

    assert callable(moikg.validate) and callable(moikg.build)
    assert moikg.validate.__module__ == "moikg.ingest.validation"
