"""Run one function in a forked child process while the caller goes on; collect its text later.

A large build's network page is mostly Python (the projection, the layout, the page's data),
which one process runs on one core whatever its threads do; the summary, the writers and the
catalogue page run meanwhile in the parent. The child is a fork: it reads the loaded store as
the parent left it (copy on write, nothing to reload) and sends its text back through a pipe,
so it writes no file (an interrupted build leaves nothing behind). It dies with its parent
(``PR_SET_PDEATHSIG``), ignores Ctrl-C (the parent's to handle), and is killed and reaped
when the caller leaves the block early. Fork only before starting threads: a lock another
thread held at the fork would stay held in the child.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Final

__all__ = ["Forked", "can_fork", "forked"]

_PR_SET_PDEATHSIG: Final = 1


def can_fork() -> bool:
    """Whether a fork can run beside this process (Linux with more than one core)."""
    return sys.platform == "linux" and (os.cpu_count() or 1) > 1


class Forked:
    """``function()`` running in a forked child; :meth:`result` waits for its text.

    Args:
        function: Returns the text; raises as usual (the error is raised again by
            :meth:`result`, or a ``RuntimeError`` naming it when it cannot be pickled).
    """

    def __init__(self, function: Callable[[], str]) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(function, write)
        os.close(write)
        self._pid: int | None = pid
        self._read = read

    def result(self) -> str:
        """Wait for the child; return its text or raise what it raised."""
        chunks = []
        with os.fdopen(self._read, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        self._reap()
        try:
            kind, value = pickle.loads(b"".join(chunks))
        except Exception:  # the child died before answering (killed, out of memory)
            raise RuntimeError("the worker process ended without an answer") from None
        if kind == "error":
            raise value
        return str(value)

    def stop(self) -> None:
        """Kill the child if it still runs, and reap it."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()
        with contextlib.suppress(OSError):
            os.close(self._read)

    def _reap(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None


@contextlib.contextmanager
def forked(function: Callable[[], str]) -> Iterator[Forked]:
    """:class:`Forked` as a block: the child is stopped when the block ends, however it ends."""
    job = Forked(function)
    try:
        yield job
    finally:
        job.stop()


def _child(function: Callable[[], str], write: int) -> None:
    """Run ``function`` and send ``("text", text)`` or ``("error", error)``; then end at once."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Fresh streams: a lock another thread held on the old ones at the fork stays held.
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent ended before the line above: nobody to answer
            os._exit(1)
        try:
            answer = pickle.dumps(("text", function()))
        except BaseException as error:
            code = 1
            try:
                answer = pickle.dumps(("error", error))
                pickle.loads(answer)  # an error that pickles but cannot be made again
            except Exception:
                answer = pickle.dumps(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(answer)
    except BaseException:
        code = 1
    finally:
        os._exit(code)
