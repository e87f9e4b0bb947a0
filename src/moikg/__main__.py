"""Run the command-line interface: ``python -m moikg`` (also the ``moikg`` command).

Ctrl-C while the CLI is still being imported gives one line and exit 130, as
Ctrl-C inside a command does (:data:`moikg.cli.EXIT_INTERRUPTED`), never a
``KeyboardInterrupt`` traceback.
"""

import sys


def main() -> None:
    """Import the CLI and run it; Ctrl-C at any point is one line and exit 130."""
    try:
        from moikg.cli import app

        app(prog_name="moikg")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
