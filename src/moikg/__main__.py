"""Run the command-line interface: ``python -m moikg`` (also the ``moikg`` command).

Ctrl-C at any point, while the CLI is still being imported or inside a
command, gives the one line ``interrupted`` and exit 130 (128 + SIGINT, as
shells report it), never a ``KeyboardInterrupt`` traceback. ``moikg serve``
is the exception: Ctrl-C is how it is stopped, and it exits 0.

A failed write of the output is not a traceback either: a reader that closed the pipe
(``moikg query timeline | head -3``) ends the command quietly with exit 141 (128 + SIGPIPE, as
other Unix tools end), any other failure (``> /dev/full``: no space left on device) is one line
and exit 2.
"""

import contextlib
import errno
import os
import signal
import sys
from types import FrameType

from moikg._headless import headless

_INTERRUPTED = 130
_BROKEN_PIPE = 141
_USAGE = 2


def _leave(code: int, message: str | None = None) -> None:
    """Print ``message``, flush, and end the process with ``code`` at once.

    ``os._exit``: CPython 3.11 remembers a ``KeyboardInterrupt`` raised inside code run by
    ``PyRun_*`` (some extension modules do) even after it was caught, and would then end
    the process by SIGINT (exit -2) at shutdown. Cleanups (``finally`` blocks, temporary
    files, the server's stop) have already run while the exception unwound.
    """
    if message:
        sys.stderr.write(message + "\n")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _output_failed(error: OSError) -> None:
    """End the process after a failed write to stdout: quietly for a closed pipe, else one line."""
    if error.errno == errno.EPIPE:
        with contextlib.suppress(OSError):  # nothing more may reach the closed pipe
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _leave(_BROKEN_PIPE)
    _leave(_USAGE, f"error: cannot write the output: {error.strerror or error}")


def _flush_output() -> None:
    """Flush stdout now, while a failure can still be reported (not at interpreter exit)."""
    try:
        sys.stdout.flush()
    except OSError as error:
        _output_failed(error)


def main() -> None:
    """Import the CLI and run it; Ctrl-C at any point is one line and exit 130.

    The process is made :func:`~moikg._headless.headless` first (no matplotlib, one OpenMP
    thread): the command line never plots.
    """
    headless()
    seen: list[int] = []

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        seen.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        from moikg.cli import app

        app(prog_name="moikg")
    except OSError as error:
        if error.errno not in (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT):
            raise
        _output_failed(error)
    except KeyboardInterrupt:
        _leave(_INTERRUPTED, "interrupted")
    except SystemExit as done:
        # The command is over: a Ctrl-C from here on has nothing left to stop, and arriving
        # while the interpreter shuts down it would end the process by SIGINT (exit -2).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if done.code == _INTERRUPTED:  # the CLI turned Ctrl-C into its exit code
            _leave(_INTERRUPTED, "interrupted")
        if seen:
            _leave(done.code if isinstance(done.code, int) else 1)
        _flush_output()
        raise


if __name__ == "__main__":
    main()
