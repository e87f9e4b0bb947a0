"""Run one function on a background thread while the caller goes on; collect its result later.

Oxigraph evaluates a query without holding Python's global interpreter lock, so a step that
is mostly the store's own evaluation (the catalogue page: each query run once) overlaps the
steps that are mostly Python (the network page, the writers) on a second core. The thread is
a daemon: an interrupted caller exits at once instead of waiting for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Background"]

T = TypeVar("T")


class Background(Generic[T]):
    """``function()`` running on a daemon thread, started at once.

    Args:
        function: What to run; it must not change what the caller's thread reads meanwhile.
        name: The thread's name (seen in tracebacks and debuggers).
    """

    def __init__(self, function: Callable[[], T], *, name: str) -> None:
        self._function = function
        self._outcome: list[T] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._outcome.append(self._function())
        except BaseException as error:  # handed to the caller's thread, raised there
            self._error.append(error)

    def result(self) -> T:
        """Wait for the function; return its value or raise what it raised."""
        self._thread.join()
        if self._error:
            raise self._error[0]
        return self._outcome[0]
