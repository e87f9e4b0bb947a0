"""Child servers that die with their parent, and finding the process that holds a port or a store.

* :func:`die_with_parent` runs in the child between ``fork`` and ``exec``
  (``subprocess.Popen(preexec_fn=...)``): on Linux it asks the kernel to send the
  child SIGTERM when the thread that started it dies, even by ``kill -9``
  (``prctl(PR_SET_PDEATHSIG)``, prctl(2)), so an ``oxigraph serve`` started by
  ``moikg serve`` never outlives it.
* :func:`holders` names the processes listening on a TCP port or holding files
  under a directory, from ``/proc`` (proc(5)), so that a server left over from
  an earlier run is reported with its PID.

Elsewhere than Linux both do nothing (the child still runs in its own session
and is stopped on Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["Holder", "die_with_parent", "holders"]

_PR_SET_PDEATHSIG: Final = 1
_PROC: Final = Path("/proc")
_LISTEN: Final = "0A"


def die_with_parent(parent: int) -> None:
    """In a freshly forked child: receive SIGTERM when the parent dies; exit if it already has.

    Args:
        parent: The PID of the parent, read before ``fork``.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


@dataclass(frozen=True)
class Holder:
    """A process that holds a port or a directory.

    Attributes:
        pid: Its process id.
        command: Its command line, shortened.
    """

    pid: int
    command: str

    def __str__(self) -> str:
        return f"PID {self.pid} ({self.command})"


def _command(pid: str) -> str:
    try:
        raw = (_PROC / pid / "cmdline").read_bytes()
    except OSError:
        return "?"
    words = [w.decode("utf-8", "replace") for w in raw.split(b"\0") if w]
    if words:
        words[0] = Path(words[0]).name
    text = " ".join(words)
    return text if len(text) <= 120 else text[:119] + "…"


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (_PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if (
                len(fields) > 9
                and fields[3] == _LISTEN
                and int(fields[1].rsplit(":", 1)[1], 16) == port
            ):
                inodes.add(fields[9])
    return inodes


def _links(fds: Path) -> list[str]:
    try:
        entries = list(fds.iterdir())
    except OSError:  # another user's process, or it has ended
        return []
    links = []
    for fd in entries:
        try:
            links.append(os.readlink(fd))
        except OSError:
            continue
    return links


def holders(*, port: int | None = None, directory: Path | None = None) -> list[Holder]:
    """Find the processes listening on ``port`` or with a file open under ``directory``.

    Only processes this user may inspect are seen; on systems without ``/proc`` the
    list is empty.

    Args:
        port: A TCP port.
        directory: A directory (an Oxigraph store).

    Returns:
        The holders, by PID.
    """
    if not _PROC.is_dir():
        return []
    sockets = {f"socket:[{inode}]" for inode in _listening_inodes(port)} if port else set()
    root = str(directory.resolve()) + os.sep if directory is not None else None
    found: list[Holder] = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        links = _links(entry / "fd")
        if any(link in sockets or (root and link.startswith(root)) for link in links):
            found.append(Holder(int(entry.name), _command(entry.name)))
    return sorted(found, key=lambda holder: holder.pid)
