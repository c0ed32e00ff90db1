"""Entry point of the `socialcem` command."""

from __future__ import annotations

import sys

from rich.markup import escape
from sqlalchemy.exc import SQLAlchemyError

# Importing a command module registers its commands.
from socialcem.cli import (  # noqa: F401
    alerts,
    audit,
    data,
    demo,
    evaluation,
    export,
    insights,
    locations,
    model,
    notify,
    privacy,
    reporting,
    serve,
    sources,
    tokens,
    users,
    views,
)
from socialcem.cli.app import app
from socialcem.cli.render import errors


def run() -> None:
    try:
        app()
    except SQLAlchemyError as exc:
        # A store that is unreachable mid-command, locked, or not a socialcem database.
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        errors.print(f"[red]error:[/red] database: {escape(reason)}", highlight=False)
        sys.exit(2)
