"""The CLI run in-process (Typer's CliRunner), shared by the tests of every command."""

from __future__ import annotations

from typer.testing import CliRunner

from moikg.cli import app

_runner = CliRunner()


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``moikg ARGS`` in-process; return exit code, stdout and stderr.

    Fails the calling test on a traceback or on an exception other than the CLI's own exit.
    """
    result = _runner.invoke(app, list(args))
    stderr = result.stderr if result.stderr_bytes is not None else ""
    output = result.output + stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    return result.exit_code, result.stdout, stderr
