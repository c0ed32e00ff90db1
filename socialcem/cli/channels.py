"""`socialcem notify channel`: where alerts go (webhooks and e-mail): add, list, remove."""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Literal

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Connection

from socialcem.cli.app import fail, state
from socialcem.cli.render import console, print_json
from socialcem.insights.notify import (
    Channel,
    add_channel,
    get_channel,
    list_channels,
    remove_channel,
)
from socialcem.store.locations import brand_id

channel_app = typer.Typer(help="Where notifications go: webhooks and e-mail.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
BrandOpt = Annotated[str, typer.Option("--brand", help="Brand (tenant) the channels belong to.")]
Severity = Literal["low", "medium", "high", "critical"]
SMTP_FLAGS = "--smtp-host, --smtp-port, --sender, --starttls, --username, --password-env"


def _channel_dict(channel: Channel) -> dict[str, Any]:
    return {
        "name": channel.name,
        "kind": channel.kind,
        "target": channel.target(),
        "min_severity": channel.min_severity,
        "enabled": channel.enabled,
        "config": channel.public_config(),
        "created_at": channel.created_at.isoformat(),
    }


def _config(
    webhook: str | None, secret: str | None, emails: list[str], smtp: dict[str, Any]
) -> dict[str, Any]:
    """The channel config from the flags; contradictory flags are a usage error."""
    if (webhook is None) == (not emails):
        fail("give one of --webhook URL or --email ADDRESS (repeatable)")
    if webhook is not None:
        if any(value not in (None, False) for value in smtp.values()):
            fail(f"{SMTP_FLAGS}: e-mail settings, not for --webhook")
        return {"url": webhook, "secret": secret or secrets.token_urlsafe(32)}
    if secret is not None:
        fail("--secret: only for --webhook")
    if smtp["host"] is None:
        fail("--smtp-host: required with --email")
    if smtp["port"] is None:
        smtp["port"] = 587 if smtp["starttls"] else 25
    return {"to": emails, **{k: v for k, v in smtp.items() if v is not None}}


def find_channel(conn: Connection, brand: str, name: str) -> Channel:
    found = brand_id(conn, brand, create=False)
    channel = None if found is None else get_channel(conn, found, name)
    if channel is None:
        fail(f"no channel named {name!r} for brand {brand!r} (see `socialcem notify channel list`)")
    return channel


@channel_app.command("add")
def channel_add(
    name: Annotated[str, typer.Argument(help="Channel name, unique per brand.")],
    webhook: Annotated[str | None, typer.Option(help="URL to POST signed JSON to.")] = None,
    secret: Annotated[
        str | None, typer.Option(help="Webhook signing secret, 16+ characters (default: new).")
    ] = None,
    email: Annotated[
        list[str], typer.Option("--email", help="Recipient address, repeatable.")
    ] = [],  # noqa: B006
    smtp_host: Annotated[str | None, typer.Option(help="SMTP server.")] = None,
    smtp_port: Annotated[
        int | None, typer.Option(help="SMTP port (default 587 with --starttls, else 25).")
    ] = None,
    sender: Annotated[str | None, typer.Option(help="From address.")] = None,
    starttls: Annotated[bool, typer.Option("--starttls", help="Require STARTTLS.")] = False,
    username: Annotated[str | None, typer.Option(help="SMTP login name.")] = None,
    password_env: Annotated[
        str | None, typer.Option(help="Environment variable holding the SMTP password.")
    ] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds to wait for the receiver.")] = None,
    min_severity: Annotated[Severity, typer.Option(help="Least severe alert to send.")] = "medium",
    brand: BrandOpt = "default",
    json_out: JsonFlag = False,
) -> None:
    """Add a webhook or e-mail channel; alerts at --min-severity or above go to it.

    Passwords are never stored: --password-env names the variable that holds it at send time.

    Example: `socialcem notify channel add ops --webhook https://hooks.example.com/cx`
    """
    smtp = {
        "host": smtp_host,
        "port": smtp_port,
        "sender": sender,
        "starttls": starttls,
        "username": username,
        "password_env": password_env,
    }
    config = _config(webhook, secret, email, smtp)
    if timeout is not None:
        config["timeout_s"] = timeout
    kind = "webhook" if webhook is not None else "email"
    with state.engine().begin() as conn:
        owner = brand_id(conn, brand)  # created on first use, as ingest does
        if owner is None:
            fail(f"cannot create brand {brand!r}")
        try:
            channel = add_channel(conn, owner, name, kind, config, min_severity)
        except ValueError as exc:
            fail(str(exc))
    new_secret = config["secret"] if kind == "webhook" and secret is None else None
    if json_out:
        print_json({**_channel_dict(channel), **({"secret": new_secret} if new_secret else {})})
        return
    console.print(
        f"channel {escape(channel.name)} added: {channel.kind} to {escape(channel.target())}, "
        f"{channel.min_severity} alerts and above"
    )
    if new_secret:
        console.print(
            f"signing secret for the receiver (not shown again): {new_secret}", soft_wrap=True
        )


@channel_app.command("list")
def channel_list(brand: BrandOpt = "default", json_out: JsonFlag = False) -> None:
    """The brand's channels; webhook secrets are hidden.

    Example: `socialcem notify channel list --json`
    """
    with state.engine().connect() as conn:
        found = brand_id(conn, brand, create=False)
        rows = [] if found is None else list_channels(conn, found)
    if json_out:
        print_json([_channel_dict(c) for c in rows])
        return
    if not rows:
        console.print(
            f"no channels for brand {brand!r}: add one with `socialcem notify channel add`"
        )
        return
    table = Table(title=f"channels of {escape(brand)}", title_justify="left")
    for column in ("name", "kind", "target", "min severity", "enabled"):
        table.add_column(column, overflow="fold")
    for c in rows:
        table.add_row(
            escape(c.name), c.kind, escape(c.target()), c.min_severity, "yes" if c.enabled else "no"
        )
    console.print(table)


@channel_app.command("remove")
def channel_remove(
    name: Annotated[str, typer.Argument(help="Channel to remove.")], brand: BrandOpt = "default"
) -> None:
    """Remove a channel and the notifications still queued for it.

    Example: `socialcem notify channel remove ops`
    """
    with state.engine().begin() as conn:
        channel = find_channel(conn, brand, name)
        remove_channel(conn, channel.brand_id, channel.name)
    console.print(f"channel {escape(name)} removed")
