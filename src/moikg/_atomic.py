"""Atomic writes: every output goes to a temporary file first, then is renamed into place.

A batch writes all its outputs to temporary files in the target folder and
renames them (``os.replace``, atomic on POSIX within one file system) only
after every one was produced. If anything fails, the temporary files are
removed and earlier outputs stay exactly as they were (docs/ARCHITECTURE.md,
"Errors and exit codes").

A process killed outright (SIGKILL, power loss) cannot remove its temporary
files. Their names carry the writer's process id (``.<name>.<pid>.<random>.tmp``),
so the next batch writing to that folder removes those whose writer is gone
(and, from before the process id was in the name, those older than an hour),
never the files of a writer still running.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["AtomicBatch", "atomic_outputs", "remove_stale_temporaries", "write_text_atomic"]

_TEMP: re.Pattern[str] = re.compile(r"^\..+\.tmp$")
_WITH_PID: re.Pattern[str] = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
_LEGACY_AGE_S = 3600.0


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files that a killed writer left in ``folder``; return them.

    Args:
        folder: A folder atomic batches write to.

    Returns:
        The files removed.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not _TEMP.match(entry.name) or not entry.is_file() or entry.is_symlink():
            continue
        match = _WITH_PID.match(entry.name)
        try:
            stale = (
                not _alive(int(match.group(1)))
                if match
                else now - entry.stat().st_mtime > _LEGACY_AGE_S
            )
            if stale:
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed


class AtomicBatch:
    """Temporary files waiting to replace their targets in one folder.

    Args:
        out_dir: Folder of the targets; created if missing.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self._pending: dict[Path, Path] = {}
        self._swept: set[Path] = set()

    def path(self, name: str) -> Path:
        """Return a fresh temporary path that will become ``out_dir / name`` on commit.

        ``name`` may name a file in a subfolder (``docs/ontology.html``); the folder is created.
        """
        target = self.out_dir / name
        if target in self._pending:
            return self._pending[target]
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.parent not in self._swept:
            remove_stale_temporaries(target.parent)
            self._swept.add(target.parent)
        handle, temp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
        os.close(handle)
        self._pending[target] = Path(temp)
        return Path(temp)

    def write_text(self, name: str, text: str) -> Path:
        """Write text (UTF-8) to the temporary file for ``name``; return the temp path."""
        temp = self.path(name)
        temp.write_text(text, encoding="utf-8")
        return temp

    def commit(self) -> tuple[Path, ...]:
        """Move every temporary file into place; return the targets in insertion order.

        If a move fails, the files not yet moved are discarded (no temporary file is left).
        """
        targets = tuple(self._pending)
        try:
            for target in targets:
                temp = self._pending[target]
                os.chmod(temp, 0o644)
                os.replace(temp, target)
                del self._pending[target]
        finally:
            self.discard()
        return targets

    def discard(self) -> None:
        """Remove every temporary file; targets are left untouched."""
        for temp in self._pending.values():
            temp.unlink(missing_ok=True)
        self._pending.clear()


@contextmanager
def atomic_outputs(out_dir: Path) -> Iterator[AtomicBatch]:
    """Collect outputs in a batch; commit them when the block succeeds, discard otherwise.

    Args:
        out_dir: Folder the outputs go to.

    Yields:
        The batch. Call :meth:`AtomicBatch.path` or :meth:`AtomicBatch.write_text`.
    """
    batch = AtomicBatch(out_dir)
    try:
        yield batch
    except BaseException:
        batch.discard()
        raise
    batch.commit()


def write_text_atomic(path: Path, text: str) -> Path:
    """Write one text file atomically.

    Args:
        path: Target file.
        text: Its content (UTF-8).

    Returns:
        The target path.
    """
    with atomic_outputs(Path(path).parent) as batch:
        batch.write_text(Path(path).name, text)
    return Path(path)
