"""The Typer application, its global options and shared helpers for the command modules."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.markup import escape
from sqlalchemy import Engine

from socialcem import __version__
from socialcem.cli.render import console, errors, print_json
from socialcem.store import StoreError, open_store, resolve_url
from socialcem.store.engine import make_engine
from socialcem.store.migrate import upgrade

app = typer.Typer(
    help="socialcem: Social NPS and survey NPS from customer voice on every channel.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
db_app = typer.Typer(help="Database schema: `socialcem db upgrade`.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class State:
    db: str | None = None
    opened: list[Engine]

    def __init__(self) -> None:
        self.opened = []

    def engine(self) -> Engine:
        try:
            engine = open_store(self.db)
        except StoreError as exc:
            fail(str(exc))
        self.opened.append(engine)
        return engine

    def close(self) -> None:
        """Close the connections a command opened; in one process running many commands
        (tests, a notebook) pooled connections would otherwise outlive their command."""
        while self.opened:
            self.opened.pop().dispose()


state = State()


def fail(message: str, code: int = 2) -> NoReturn:
    errors.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"socialcem {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (default $SOCIALCEM_DB, then sqlite:///socialcem.db).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Ingest feedback from any channel, analyse the text, report NPS and Social NPS.

    Example: `socialcem demo`, then `socialcem report --by location --period week`.
    """
    state.db = db
    ctx.call_on_close(state.close)


@db_app.command("upgrade")
def db_upgrade(
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Create the schema or bring it to the newest revision.

    Example: `socialcem --db postgresql://user@localhost/cx db upgrade`
    """
    try:
        engine = make_engine(state.db)
        state.opened.append(engine)
        before, after = upgrade(engine)
    except StoreError as exc:
        fail(str(exc))
    except Exception as exc:
        fail(f"cannot upgrade {resolve_url(state.db)}: {exc}")
    if json_out:
        print_json({"database": resolve_url(state.db), "from": before, "to": after})
    else:
        console.print(f"schema at revision {after} (was {before or 'empty'})")
