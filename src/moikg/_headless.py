"""Settings for the processes moikg runs itself: the command line and its worker processes.

Two things cost such a process time and give it nothing, so :func:`headless` turns them off
before igraph is imported. A library user's process (a notebook) is never changed: only
``moikg``'s entry point (:mod:`moikg.__main__`) and the workers that
:mod:`moikg.network.paths` starts call it.

* igraph imports ``matplotlib.pyplot`` when it is itself imported, for its plotting (0.7 s of
  CPU, a fifth of ``moikg analyse`` on a 100,000-triple graph). moikg never plots with
  igraph, so matplotlib is marked missing in the process (``sys.modules`` holds None for
  it, as Python's import system documents): igraph then takes the path it has for an
  installation without matplotlib, and only its own plotting would say matplotlib is needed.
* igraph's PageRank (PRPACK) runs OpenMP threads that spin while they wait for each other;
  on two cores busy with other work one call took 1.1 s instead of 2 ms (the spinning
  threads take the time the working one needs). ``OMP_NUM_THREADS=1`` (OpenMP 5.2 §6.2),
  read once when igraph's library loads, gives one thread, unless the caller set it.
"""

from __future__ import annotations

import os
import sys

__all__ = ["headless"]


def headless() -> None:
    """No matplotlib, one OpenMP thread; call before anything imports igraph.

    Does nothing to a setting already made: a process that already imported matplotlib
    keeps it, and an ``OMP_NUM_THREADS`` in the environment is left as it is.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if "matplotlib" not in sys.modules:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]
