"""One writer at a time: an exclusive lock on a folder, waited for a bounded time (issue 13.2).

Writers to ``graph/`` (``moikg add``, ``moikg cards build``) read the graph, check the new
state and commit it; two at once would check against snapshots that the other then changes
(both conflicting cards accepted, or one card lost). :func:`folder_lock` holds an exclusive
``flock(2)`` on the folder's own file descriptor from before the first read to after the
commit. Locking the directory itself creates no file, so nothing appears in ``graph/``; the
kernel drops the lock when its holder exits, even on ``kill -9``, so no stale lock is ever
left behind. Readers (``moikg build``, ``query``, a dry run) take no lock: every file is
replaced atomically, so they see each file whole.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from moikg._paths import display_path
from moikg.errors import InputError

__all__ = ["DEFAULT_LOCK_TIMEOUT", "folder_lock", "lock_holders"]

DEFAULT_LOCK_TIMEOUT: Final = 30.0
"""Seconds a writer waits for another one before giving up."""

_POLL: Final = 0.05


@contextmanager
def folder_lock(
    folder: Path, *, timeout: float = DEFAULT_LOCK_TIMEOUT, parameter: str = "lock_timeout"
) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` for the block; wait at most ``timeout`` seconds.

    Args:
        folder: An existing folder (``graph/``).
        timeout: Seconds to wait for another holder to finish; 0 means do not wait.
        parameter: The caller's name for ``timeout``, named in messages.

    Yields:
        Nothing; the lock is held until the block ends (or the process does).

    Raises:
        InputError: ``timeout`` is negative, the folder cannot be opened, or another
            process held the lock for longer than ``timeout``.
    """
    if not timeout >= 0:  # also refuses NaN
        raise InputError(
            f"{parameter}={timeout!r}: the time to wait for the lock must be 0 seconds or more",
            parameter=parameter,
        )
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise InputError(
            f"{display_path(folder)}: cannot open the folder to lock it: {error.strerror}",
            path=str(folder),
        ) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(folder, handle, timeout, parameter) from None
                time.sleep(_POLL)
        yield
    finally:
        os.close(handle)  # closing the last descriptor releases the lock


def lock_holders(folder: Path) -> tuple[int, ...]:
    """PIDs holding a ``flock`` on ``folder`` (from ``/proc/locks``; empty where unknown)."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return ()
    try:
        return _holders(handle)
    finally:
        os.close(handle)


def _holders(handle: int) -> tuple[int, ...]:
    info = os.fstat(handle)
    wanted = (os.major(info.st_dev), os.minor(info.st_dev), info.st_ino)
    try:
        text = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ()
    pids: list[int] = []
    for line in text.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters have "->" after the number
        if len(fields) < 6 or fields[1] != "FLOCK":
            continue
        try:
            major, minor, inode = fields[5].split(":")
            where = (int(major, 16), int(minor, 16), int(inode))
            pid = int(fields[4])
        except ValueError:
            continue
        if where == wanted and pid not in pids:
            pids.append(pid)
    return tuple(pids)


def _busy(folder: Path, handle: int, timeout: float, parameter: str) -> InputError:
    pids = _holders(handle)
    who = f"another writer (PID {', '.join(map(str, pids))})" if pids else "another writer"
    return InputError(
        f"{display_path(folder)}: {who} holds the lock on this folder (a `moikg add` or "
        f"`moikg cards build` at work); waited {timeout:g} s; try again when it is done, or "
        f"pass {parameter}=<seconds> to wait longer",
        path=str(folder),
        parameter=parameter,
    )
