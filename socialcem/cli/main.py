"""Entry point of the `socialcem` command."""

from __future__ import annotations

from socialcem.cli import data, demo, evaluation, reporting  # noqa: F401  (registers the commands)
from socialcem.cli.app import app


def run() -> None:
    app()
