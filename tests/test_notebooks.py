"""The notebooks in ``notebooks/``: executed top to bottom by a real Jupyter kernel.

They are documentation that runs (DESIGN.md, house style 8): stripped of outputs in git, using
only the public API, and each of their ``assert`` cells must hold on the current graph.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import moikg

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_MOIKG_NAME = re.compile(r"\bmoikg\.([A-Za-z_]\w*)")


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stripped(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: commit notebooks without outputs"
            assert cell.execution_count is None, f"{path.name}: commit without execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "from moikg" not in source and "import moikg." not in source
    used = set(_MOIKG_NAME.findall(source))
    assert used <= set(moikg.__all__), (
        f"{path.name} uses non-public names {used - set(moikg.__all__)}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOIKG_HOME", str(ROOT))
    # The kernel imports this tree's moikg, like pytest does (pythonpath = ["src"]).
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any failure
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors
