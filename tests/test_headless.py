"""Processes moikg runs itself start without matplotlib and with one OpenMP thread.

igraph imports ``matplotlib.pyplot`` when imported (0.7 s of CPU) and runs PageRank on
spinning OpenMP threads (1.1 s instead of 2 ms per call on busy cores); the command line
never plots, so :func:`moikg._headless.headless` turns both off there, and only there.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from moikg import _paths

_PROBE = (
    "import os, sys\n"
    "{before}\n"
    "from moikg._headless import headless\n"
    "headless()\n"
    "import igraph\n"
    "print(os.environ['OMP_NUM_THREADS'], 'matplotlib.pyplot' in sys.modules,\n"
    "      round(sum(igraph.Graph.Ring(5).pagerank()), 6))\n"
)


def _probe(before: str = "", **env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(before=before)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **env},
        check=True,
    )
    return done.stdout.split()


def test_headless_sets_one_thread_and_keeps_matplotlib_out() -> None:
    assert _probe() == ["1", "False", "1.0"]


def test_headless_keeps_what_the_caller_set() -> None:
    assert _probe(OMP_NUM_THREADS="3") == ["3", "False", "1.0"]
    # A process that already has matplotlib keeps it (igraph then loads pyplot as before).
    assert _probe("import matplotlib") == ["1", "True", "1.0"]


def test_a_library_import_is_left_alone() -> None:
    code = "import sys, igraph, moikg.network.analysis; print('matplotlib.pyplot' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["True"]


@pytest.mark.timeout(120)
def test_the_command_line_never_imports_matplotlib() -> None:
    args = ["analyse", "--graph-dir", str(_paths.graph_dir()), "--format", "csv"]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "moikg", *args],
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("iri,label,kind,")
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "igraph" in imported  # the probe reads real import lines
    # "matplotlib" itself is listed (igraph tries it and finds it marked missing, in
    # microseconds); none of its modules is loaded.
    assert not {name for name in imported if name.startswith("matplotlib.")}
