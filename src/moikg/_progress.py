"""Progress bars for long steps: Rich on a terminal, nothing when piped or asked to be quiet.

A library function takes an optional ``progress(done, total)`` callback; the CLI passes the one
:func:`progress_bar` yields. Bars go to standard error and vanish when the step ends
(``transient``), so standard output stays what the command prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["ProgressCallback", "progress_bar"]

ProgressCallback = Callable[[int, int], None]
"""Called with (units done, units in all)."""


def _ignore(done: int, total: int) -> None:
    """The callback when no bar is shown."""


@contextmanager
def progress_bar(
    description: str, *, quiet: bool = False, console: Console | None = None
) -> Iterator[ProgressCallback]:
    """Show a bar on standard error while the block runs, unless quiet or not a terminal.

    Args:
        description: What the step does, shown left of the bar.
        quiet: Show nothing.
        console: Where to draw; defaults to standard error.

    Yields:
        The ``progress(done, total)`` callback to hand to a library function.
    """
    target = console if console is not None else Console(stderr=True)
    if quiet or not target.is_terminal:
        yield _ignore
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=target, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
