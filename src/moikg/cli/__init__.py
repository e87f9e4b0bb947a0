"""The ``moikg`` command line: a thin layer over the library, one module per stage.

:mod:`moikg.cli.core` holds the app, what every command shares and the pipeline
commands; importing the stage modules registers their commands on the app.
"""

from __future__ import annotations

# isort: off
# The order of these imports is the order of the commands in `moikg --help`.
from moikg.cli.core import app
from moikg.cli import sparql
from moikg.cli import cards
from moikg.cli import network

# isort: on

__all__ = ["app", "cards", "network", "sparql"]
