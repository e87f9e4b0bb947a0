"""Run the command-line interface: ``python -m moikg`` (also the ``moikg`` command).

Ctrl-C at any point, while the CLI is still being imported or inside a
command, gives the one line ``interrupted`` and exit 130 (128 + SIGINT, as
shells report it), never a ``KeyboardInterrupt`` traceback.
"""

import contextlib
import os
import sys

_INTERRUPTED = 130


def _interrupted() -> None:
    """Say so and exit 130 at once.

    ``os._exit``: CPython 3.11 remembers a ``KeyboardInterrupt`` raised inside code run by
    ``PyRun_*`` (some extension modules' imports) even after it was caught, and would end the
    process by SIGINT (exit -2) at shutdown; cleanups (``finally`` blocks, temporary files)
    have already run while the exception unwound.
    """
    sys.stderr.write("interrupted\n")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(_INTERRUPTED)


def main() -> None:
    """Import the CLI and run it; Ctrl-C at any point is one line and exit 130."""
    try:
        from moikg.cli import app

        app(prog_name="moikg")
    except KeyboardInterrupt:
        _interrupted()
    except SystemExit as done:
        if done.code == _INTERRUPTED:  # the CLI turned Ctrl-C into its exit code
            _interrupted()
        raise


if __name__ == "__main__":
    main()
