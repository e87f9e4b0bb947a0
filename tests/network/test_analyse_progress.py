"""``moikg analyse`` shows its steps on a terminal only (issue 10.8).

Run on a real pseudo-terminal, it draws them; piped or with ``--quiet`` it does not, and
standard output is the same analysis either way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from moikg import _paths
from test_progress import _on_terminal, _piped


@pytest.mark.timeout(300)
def test_analyse_shows_its_steps_on_a_terminal_only(tmp_path: Path) -> None:
    args = ["analyse", "--graph-dir", str(_paths.graph_dir()), "--format", "csv"]
    code, shown = _on_terminal(args, tmp_path)
    assert code == 0, shown
    assert "analysing: loading" in shown and "analysing: measuring" in shown
    code, quiet = _on_terminal([*args, "--quiet"], tmp_path)
    assert code == 0, quiet
    assert "analysing" not in quiet and "betweenness" in quiet
    done = _piped(args, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "analysing" not in done.stderr + done.stdout
    header = done.stdout.splitlines()[0]
    assert header.startswith("iri,label,kind,") and header in quiet
