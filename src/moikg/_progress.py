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

__all__ = ["ProgressCallback", "StepCallback", "no_step", "progress_bar", "step_bar"]

ProgressCallback = Callable[[int, int], None]
"""Called with (units done, units in all)."""
StepCallback = Callable[[str], None]
"""Called with the name of the step that starts now (the one before it is done)."""


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
    target = _terminal(console, quiet)
    if target is None:
        yield _ignore
        return
    with _bar(target) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextmanager
def step_bar(
    description: str, steps: int, *, quiet: bool = False, console: Console | None = None
) -> Iterator[StepCallback]:
    """Show a bar of named steps on standard error, unless quiet or not a terminal.

    Args:
        description: What the whole job is ("building"), shown with the current step.
        steps: How many steps the job has.
        quiet: Show nothing.
        console: Where to draw; defaults to standard error.

    Yields:
        The ``step(name)`` callback: call it as each step starts.
    """
    target = _terminal(console, quiet)
    if target is None:
        yield no_step
        return
    with _bar(target) as bar:
        task = bar.add_task(description, total=steps)
        started = 0

        def step(name: str) -> None:
            nonlocal started
            # Drawn at once, not at the next tick: a short step would otherwise never show.
            bar.update(task, completed=started, description=f"{description}: {name}")
            bar.refresh()
            started += 1

        yield step


def no_step(name: str) -> None:
    """The step callback when nobody watches (no bar shown, or a library call without one)."""


def _terminal(console: Console | None, quiet: bool) -> Console | None:
    """Where to draw a bar (standard error by default), or None: quiet, or not a terminal."""
    target = console if console is not None else Console(stderr=True)
    return None if quiet or not target.is_terminal else target


def _bar(target: Console) -> Progress:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=target, transient=True)
