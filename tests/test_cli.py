"""Tests for moikg.cli: in-process through Typer's CliRunner, and as ``python -m moikg``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_support import run_cli
from conftest import BROKEN, BROKEN_LINE, NONCONFORMING, MiniProject
from moikg.pipeline import OUTPUTS

SRC = Path(__file__).resolve().parents[1] / "src"
runner = CliRunner()


def _cli(*args: str) -> tuple[int, str]:
    code, stdout, stderr = run_cli(*args)
    return code, stdout + stderr


def _python_m(project: MiniProject, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MOIKG_HOME=str(project.root))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "moikg", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=project.root,
        timeout=120,
        check=False,
    )


def test_version() -> None:
    code, output = _cli("--version")
    assert code == 0
    assert output.startswith("moikg ")


def test_build_succeeds_and_reports(mini_project: MiniProject, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _cli("build", "--out", str(out), "--store", "memory")
    assert code == 0, output
    assert "total (union)" in output
    written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    assert sorted(written) == sorted(OUTPUTS)


def test_a_second_build_says_what_it_redid(mini_project: MiniProject, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _cli("build", "--out", str(out))
    assert code == 0, output
    assert "since the last build" not in output  # the first: everything done
    source = mini_project.graph_dir / "b.ttl"
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code, output = _cli("build", "--out", str(out))
    assert code == 0, output
    # a.ttl and the ontology kept; b.ttl's triples are the same, so only its subjects again.
    assert "since the last build: 2 graphs unchanged;" in output, output
    assert "focus nodes validated again" in output
    before = (out / "graph.trig").read_bytes()
    code, output = _cli("build", "--out", str(out), "--full")  # the record not read
    assert code == 0, output
    assert "since the last build" not in output
    assert (out / "graph.trig").read_bytes() == before


def test_validate_conforming_exits_0(mini_project: MiniProject) -> None:
    code, output = _cli("validate")
    assert code == 0, output
    assert "conforms" in output


def test_validate_nonconforming_exits_1_and_lists_violations(mini_project: MiniProject) -> None:
    mini_project.write_source("c.ttl", NONCONFORMING)
    code, output = _cli("validate")
    assert code == 1
    assert "c.ttl: Violation" in output
    assert "focus node: https://w3id.org/moikg/id/org-c" in output
    assert "path:       http://www.w3.org/2000/01/rdf-schema#label" in output
    assert "message:    an organisation needs an rdfs:label" in output
    assert "OrganizationShape" in output


def test_validate_given_files_only(mini_project: MiniProject, tmp_path: Path) -> None:
    mini_project.write_source("c.ttl", NONCONFORMING)
    code, _ = _cli("validate", str(mini_project.graph_dir / "a.ttl"))
    assert code == 0


def test_syntax_error_exits_2_with_location(mini_project: MiniProject) -> None:
    mini_project.write_source("broken.ttl", BROKEN)
    code, output = _cli("validate")
    assert code == 2
    assert f"broken.ttl:{BROKEN_LINE}:5: syntax error" in output


def test_build_nonconforming_exits_1(mini_project: MiniProject, tmp_path: Path) -> None:
    mini_project.write_source("c.ttl", NONCONFORMING)
    code, output = _cli("build", "--out", str(tmp_path / "out"))
    assert code == 1
    assert "does not conform" in output
    assert not (tmp_path / "out").exists()


def test_missing_file_exits_2(mini_project: MiniProject) -> None:
    code, output = _cli("validate", str(mini_project.root / "nope.ttl"))
    assert code == 2
    assert "nope.ttl: file not found" in output


@pytest.mark.parametrize(
    ("source", "args", "expected"),
    [
        (None, ["build"], 0),
        (None, ["validate"], 0),
        (NONCONFORMING, ["validate"], 1),
        (NONCONFORMING, ["build"], 1),
        (BROKEN, ["validate"], 2),
        (BROKEN, ["build"], 2),
    ],
    ids=["build-ok", "validate-ok", "validate-1", "build-1", "validate-2", "build-2"],
)
def test_python_m_exit_codes(
    mini_project: MiniProject, source: str | None, args: list[str], expected: int
) -> None:
    if source is not None:
        mini_project.write_source("extra.ttl", source)
    done = _python_m(mini_project, *args)
    assert done.returncode == expected, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    if expected == 0 and args == ["build"]:
        assert (mini_project.build_dir / "graph.trig").is_file()
    if expected == 2:
        assert f"extra.ttl:{BROKEN_LINE}:5: syntax error" in done.stderr


def test_queries_name_describes_the_query_from_its_header() -> None:
    import re

    text = (Path(__file__).resolve().parents[1] / "queries" / "partners-of.rq").read_text()
    question = re.search(r"^# Question: (.*(?:\n#\s{2,}.*)*)", text, re.MULTILINE)
    columns = re.search(r"^# Columns: (.*)$", text, re.MULTILINE)
    assert question and columns
    code, output = _cli("queries", "partners-of")
    assert code == 0, output
    flat = " ".join(output.split())
    assert " ".join(re.sub(r"\n#\s+", " ", question[1]).split()) in flat
    assert f"Columns: {columns[1].strip()}" in output
    assert "org (IRI, default id:org/iipp)" in output
    code, output = _cli("queries", "partnrs-of")
    assert code == 2 and "partners-of" in output


def test_formats_are_case_insensitive_and_tables_show_curies() -> None:
    code, stdout, _ = run_cli("query", "partners-of", "--format", "CSV")
    assert code == 0 and stdout.startswith("partner,partnerLabel")
    code, stdout, _ = run_cli("query", "partners-of", "-p", "org=id:org/oecd")
    assert code == 0
    assert "id:org/iipp" in stdout and "https://w3id.org/moikg/id/org/iipp" not in stdout


REPO = Path(__file__).parents[1]


def test_a_piped_table_breaks_no_cell() -> None:
    """Regression: piped, tables were fitted to 80 columns and cells broke mid-word."""
    done = subprocess.run(
        [sys.executable, "-m", "moikg", "query", "people-posts"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if "person" in line)
    cells = [cell.strip() for cell in header.strip("┃ ").split("┃")]
    assert cells[:3] == ["person", "name", "role"] and "organisationLabel" in cells
    rows = [line for line in done.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 6  # one line per row of the answer: nothing wrapped
    assert any("│ id:person/angel-gurria " in row and "Angel Gurria" in row for row in rows)


def test_output_to_a_full_disk_is_one_line_and_exit_2() -> None:
    """Regression: ``moikg query timeline > /dev/full`` ended in an OSError traceback."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "moikg", "query", "timeline", "--format", "csv"],
            cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == ["error: cannot write the output: No space left on device"]


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_a_closed_pipe_ends_the_command_quietly(fmt: str) -> None:
    """Regression: ``moikg query timeline | head -3`` ended in a BrokenPipeError traceback."""
    child = subprocess.Popen(
        [sys.executable, "-m", "moikg", "query", "timeline", "--format", fmt],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    child.stdout.close()  # the reader is gone before the first row is written
    _, errors = child.communicate(timeout=120)
    assert child.returncode in (0, 141), errors
    assert "Traceback" not in errors and "Exception ignored" not in errors
    assert re.fullmatch(r"(\d+ row\(s\))?", errors.strip()), errors


def test_a_bad_choice_is_one_line_and_exit_2() -> None:
    """Regression: ``--format yaml`` gave Typer's boxed usage error."""
    code, stdout, stderr = run_cli("query", "timeline", "--format", "yaml")
    assert code == 2 and stdout == ""
    (line,) = stderr.strip().splitlines()
    assert line.startswith("error: Invalid value for '--format'") and "'yaml'" in line
    assert "'csv'" in line and "╭" not in line
