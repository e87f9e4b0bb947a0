"""Run the command-line interface: ``python -m moikg``."""

from moikg.cli import app

if __name__ == "__main__":
    app(prog_name="moikg")
