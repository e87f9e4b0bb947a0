"""Run the command-line interface: ``python -m moikg`` (also the ``moikg`` command).

Ctrl-C at any point, while the CLI is still being imported or inside a
command, gives the one line ``interrupted`` and exit 130 (128 + SIGINT, as
shells report it), never a ``KeyboardInterrupt`` traceback.
"""

import sys

_INTERRUPTED = 130


def main() -> None:
    """Import the CLI and run it; Ctrl-C at any point is one line and exit 130."""
    try:
        from moikg.cli import app

        app(prog_name="moikg")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(_INTERRUPTED)
    except SystemExit as done:
        if done.code == _INTERRUPTED:  # the CLI turned Ctrl-C into its exit code
            sys.stderr.write("interrupted\n")
        raise


if __name__ == "__main__":
    main()
