"""`socialcem tokens`: API tokens for the REST API, issued to members of a brand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.accounts.tokens import TokenInfo, issue_token, list_tokens, revoke_token
from socialcem.accounts.users import require_user
from socialcem.cli import options as opt
from socialcem.cli.app import app, state
from socialcem.cli.render import console, errors, print_json
from socialcem.cli.users import BrandOpt, account_errors, brand_key, cli_actor

tokens_app = typer.Typer(help="API tokens: `socialcem tokens issue ...`.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def _status(info: TokenInfo, now: datetime) -> str:
    if info.revoked_at is not None:
        return "revoked"
    if info.expires_at is not None and info.expires_at <= now:
        return "expired"
    return "active"


@tokens_app.command("issue")
def issue(
    user: Annotated[str, typer.Option(help="A member of the brand.")],
    brand: BrandOpt,
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'crm sync'.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(help="Limit to this scope (repeat); default all of the member's role's."),
    ] = None,
    expires_days: Annotated[
        int | None,
        typer.Option(min=1, max=3650, help="Expire after this many days (default never)."),
    ] = None,
    json_out: opt.Json = False,
) -> None:
    """Issue a token and print its secret, once: it cannot be shown again.

    Example: `socialcem tokens issue --user ana --brand acme --name crm --scope feedback:read`
    """
    expires = None if expires_days is None else datetime.now(UTC) + timedelta(days=expires_days)
    with account_errors(), state.engine().begin() as conn:
        key = brand_key(conn, brand, create=False)
        info, raw = issue_token(
            conn, require_user(conn, user), key, name, scope, expires, actor=cli_actor()
        )
    errors.print("[yellow]Store this token now: it is not shown again.[/yellow]")
    if json_out:
        print_json({"token": raw, **info.as_dict()})
    else:
        print(raw)  # plain, so `TOKEN=$(socialcem tokens issue ...)` captures just the secret


@tokens_app.command("list")
def list_cmd(
    brand: BrandOpt,
    user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
    json_out: opt.Json = False,
) -> None:
    """List a brand's tokens (prefixes only; secrets are never stored).

    Example: `socialcem tokens list --brand acme --user ana --json`
    """
    with account_errors(), state.engine().connect() as conn:
        key = brand_key(conn, brand, create=False)
        found = list_tokens(conn, key, None if user is None else require_user(conn, user))
    if json_out:
        print_json([t.as_dict() for t in found])
        return
    now = datetime.now(UTC)
    table = Table(
        title=f"Tokens · brand {escape(brand)}", title_justify="left", header_style="bold"
    )
    for column in ("id", "user", "name", "prefix", "scopes", "status", "expires", "last used"):
        table.add_column(column, justify="right" if column == "id" else "left")
    table.columns[3].no_wrap = True
    for t in found:
        table.add_row(
            str(t.id),
            escape(t.username),
            escape(t.name),
            t.prefix + "…",
            ", ".join(t.scopes),
            _status(t, now),
            _when(t.expires_at),
            _when(t.last_used_at),
        )
    console.print(table if found else "no tokens yet: `socialcem tokens issue --help`")


@tokens_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (tokens list).")],
    brand: BrandOpt,
) -> None:
    """Revoke a token at once; requests carrying it are refused from now on.

    Example: `socialcem tokens revoke 12 --brand acme`
    """
    with account_errors(), state.engine().begin() as conn:
        info = revoke_token(conn, brand_key(conn, brand, create=False), token_id, cli_actor())
    console.print(f"token {info.id} ({escape(info.name)}) of {escape(info.username)} revoked")
