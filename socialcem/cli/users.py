"""`socialcem users`: people who sign in, and their role in each brand."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Connection

from socialcem.accounts.passwords import WeakPassword
from socialcem.accounts.principal import InvalidScope
from socialcem.accounts.users import (
    AccountError,
    NotFound,
    create_user,
    delete_user,
    get_user,
    grant,
    list_users,
    require_user,
    revoke,
    set_disabled,
    set_password,
)
from socialcem.cli import options as opt
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, print_json
from socialcem.store.locations import brand_id

users_app = typer.Typer(help="Users and roles: `socialcem users add ...`.", no_args_is_help=True)
app.add_typer(users_app, name="users")

Username = Annotated[str, typer.Argument(help="The user's sign-in name (case-insensitive).")]
BrandOpt = Annotated[str, typer.Option(help="Brand (tenant).")]
RoleOpt = Annotated[str, typer.Option(help="admin, analyst, location_manager, agent or viewer.")]
LocationOpt = Annotated[
    str | None, typer.Option(help="location_manager and agent: the location they see (and below).")
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from one line of stdin.")
]


def cli_actor() -> str:
    """How the audit log names whoever runs the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


@contextmanager
def account_errors() -> Iterator[None]:
    """A user's mistake ends the command with its message (the transaction rolls back)."""
    try:
        yield
    except (AccountError, WeakPassword, InvalidScope, NotFound) as exc:
        fail(str(exc.args[0]))


def read_password(from_stdin: bool, required: bool) -> str | None:
    """From stdin when asked, else a hidden prompt in a terminal; never a command-line flag
    (shell history and process lists would show it)."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            fail("--password-stdin: no password on standard input")
        return line
    if sys.stdin.isatty():
        hint = "Password" if required else "Password (empty: tokens only)"
        entered: str = typer.prompt(
            hint, default="", show_default=False, hide_input=True, confirmation_prompt=True
        )
        if entered or not required:
            return entered or None
    if required:
        fail("no password given: use --password-stdin, or run in a terminal to be prompted")
    return None


def brand_key(conn: Connection, name: str, create: bool) -> int:
    key = brand_id(conn, name, create=create)
    if key is None:
        fail(f"no brand {name!r}")
    return key


@users_app.command("add")
def add(
    username: Username,
    brand: BrandOpt,
    role: RoleOpt,
    location: LocationOpt = None,
    password_stdin: PasswordStdin = False,
    json_out: opt.Json = False,
) -> None:
    """Create a user with a role in a brand. Without a password the user signs in with tokens.

    Example: `socialcem users add ana --brand acme --role admin --password-stdin < pw.txt`
    """
    password = read_password(password_stdin, required=False)
    actor = cli_actor()
    with account_errors(), state.engine().begin() as conn:
        key = brand_key(conn, brand, create=True)
        user_id = create_user(conn, username, password, actor=actor, brand_id=key)
        grant(conn, user_id, key, role, location, actor)
        user = get_user(conn, user_id, key)
    if json_out:
        print_json(user.as_dict())
    else:
        note = "" if password else " (no password: signs in with tokens only)"
        console.print(f"user {escape(user.username)} added as {role} of {escape(brand)}{note}")


@users_app.command("list")
def list_cmd(
    brand: Annotated[str | None, typer.Option(help="Only members of this brand.")] = None,
    json_out: opt.Json = False,
) -> None:
    """List users with their roles.

    Example: `socialcem users list --brand acme --json`
    """
    with state.engine().connect() as conn:
        key = None if brand is None else brand_key(conn, brand, create=False)
        found = list_users(conn, key)
    if json_out:
        print_json([u.as_dict() for u in found])
        return
    table = Table(title="Users", title_justify="left", header_style="bold")
    for name in ("user", "status", "brand", "role", "location"):
        table.add_column(name)
    for u in found:
        status = "disabled" if u.disabled else ("active" if u.has_password else "tokens only")
        rows = [(m.brand, m.role.value, m.location or "") for m in u.memberships]
        for cells in rows or [("", "", "")]:
            table.add_row(escape(u.username), status, *(escape(c) for c in cells))
    console.print(table if found else "no users yet: `socialcem users add --help`")


@users_app.command("grant")
def grant_cmd(
    username: Username, brand: BrandOpt, role: RoleOpt, location: LocationOpt = None
) -> None:
    """Give a user a role in a brand (replacing their earlier role there).

    Example: `socialcem users grant bo --brand acme --role location_manager --location "Store 7"`
    """
    with account_errors(), state.engine().begin() as conn:
        key = brand_key(conn, brand, create=True)
        grant(conn, require_user(conn, username), key, role, location, cli_actor())
    console.print(f"{escape(username)} is now {role} of {escape(brand)}")


@users_app.command("revoke")
def revoke_cmd(username: Username, brand: BrandOpt) -> None:
    """End a user's membership of a brand and revoke their tokens there.

    Example: `socialcem users revoke bo --brand acme`
    """
    with account_errors(), state.engine().begin() as conn:
        key = brand_key(conn, brand, create=False)
        revoke(conn, require_user(conn, username), key, cli_actor())
    console.print(f"{escape(username)} is no longer a member of {escape(brand)}")


def _set_disabled(username: str, disabled: bool) -> None:
    with account_errors(), state.engine().begin() as conn:
        set_disabled(conn, require_user(conn, username), disabled, actor=cli_actor())
    console.print(f"{escape(username)} {'disabled' if disabled else 'enabled'}")


@users_app.command("disable")
def disable(username: Username) -> None:
    """Stop a user signing in; their tokens stop working too (until enabled).

    Example: `socialcem users disable bo`
    """
    _set_disabled(username, True)


@users_app.command("enable")
def enable(username: Username) -> None:
    """Let a disabled user sign in again.

    Example: `socialcem users enable bo`
    """
    _set_disabled(username, False)


@users_app.command("passwd")
def passwd(username: Username, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password (at least 12 characters); this also lifts a lockout.

    Example: `socialcem users passwd bo` (prompts), or `... --password-stdin < secret.txt`
    """
    password = read_password(password_stdin, required=True)
    assert password is not None
    with account_errors(), state.engine().begin() as conn:
        set_password(conn, require_user(conn, username), password, actor=cli_actor())
    console.print(f"password of {escape(username)} set")


@users_app.command("remove")
def remove(username: Username) -> None:
    """Delete a user, their memberships and tokens; the audit log keeps the record.

    Example: `socialcem users remove bo`
    """
    with account_errors(), state.engine().begin() as conn:
        delete_user(conn, require_user(conn, username), actor=cli_actor())
    console.print(f"user {escape(username)} removed")
