"""`socialcem notify`: where alerts go (channels), sending what is due, and dead letters."""

from __future__ import annotations

import html
import uuid
from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.cli.app import app, fail, state
from socialcem.cli.channels import BrandOpt, JsonFlag, channel_app, find_channel
from socialcem.cli.render import console, print_json
from socialcem.insights.notify import (
    DeliveryError,
    Message,
    dead_letters,
    deliver_due,
    notifier_for,
    replay,
)
from socialcem.store.locations import brand_id

notify_app = typer.Typer(
    help="Alert notifications: channels, delivery with retries, dead letters.",
    no_args_is_help=True,
)
notify_app.add_typer(channel_app, name="channel")
app.add_typer(notify_app, name="notify")


@notify_app.command("send")
def send(
    limit: Annotated[int, typer.Option(min=1, help="Most notifications to send.")] = 500,
    json_out: JsonFlag = False,
) -> None:
    """Send the notifications that are due (all brands); failures are retried later.

    Run it from cron or a timer, e.g. every minute.

    Example: `socialcem notify send --json`
    """
    report = deliver_due(state.engine(), limit=limit)
    if json_out:
        print_json(asdict(report))
        return
    console.print(
        f"{report.sent} sent, {report.retried} to retry, {report.dead} dead letters"
        + (f", {report.deferred} left for the next run" if report.deferred else "")
    )
    if report.dead:
        console.print("see them with: socialcem notify dead")


@notify_app.command("dead")
def dead(brand: BrandOpt = "default", json_out: JsonFlag = False) -> None:
    """Notifications that failed every attempt, with the last error.

    Example: `socialcem notify dead --json`
    """
    with state.engine().connect() as conn:
        found = brand_id(conn, brand, create=False)
        rows = [] if found is None else dead_letters(conn, found)
    if json_out:
        print_json([asdict(r) for r in rows])
        return
    if not rows:
        console.print("no dead letters")
        return
    table = Table(title=f"{len(rows)} dead letters", title_justify="left")
    for column in ("id", "channel", "subject", "attempts", "last error"):
        table.add_column(column, overflow="fold")
    for r in rows:
        error = escape(r.last_error or "")
        table.add_row(str(r.id), escape(r.channel), escape(r.subject), str(r.attempts), error)
    console.print(table)
    console.print("queue them again with: socialcem notify replay ID... (or --all)")


@notify_app.command("replay")
def replay_cmd(
    ids: Annotated[list[int] | None, typer.Argument(help="Dead letter ids.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every dead letter of the brand.")] = False,
    brand: BrandOpt = "default",
    json_out: JsonFlag = False,
) -> None:
    """Queue dead letters again, due now, with their attempts reset.

    Example: `socialcem notify replay 12 13`, then `socialcem notify send`
    """
    if bool(ids) == all_:
        fail("give dead letter ids, or --all (not both)")
    with state.engine().begin() as conn:
        found = brand_id(conn, brand, create=False)
        if found is None:
            fail(f"no brand named {brand!r}")
        try:
            queued = replay(conn, found, None if all_ else ids)
        except ValueError as exc:
            fail(str(exc))
    if json_out:
        print_json({"replayed": queued})
        return
    console.print(f"{len(queued)} queued again; send them with: socialcem notify send")


@notify_app.command("test")
def send_test(
    name: Annotated[str, typer.Argument(help="Channel to test.")],
    brand: BrandOpt = "default",
    json_out: JsonFlag = False,
) -> None:
    """Send a test message to a channel now (not through the queue) and say if it arrived.

    Exits 1 when the message did not arrive.

    Example: `socialcem notify test ops`
    """
    with state.engine().connect() as conn:
        channel = find_channel(conn, brand, name)
    message = Message(
        kind="test",
        subject=f"socialcem test notification ({channel.name})",
        text=f"This is a test of the {channel.name} channel of {brand}. No action is needed.",
        html=f"<p>This is a test of the <b>{html.escape(channel.name)}</b> channel.</p>",
        data={"brand": brand, "channel": channel.name},
    )
    error = None
    try:
        notifier_for(channel.kind, channel.config).deliver(message, f"test-{uuid.uuid4()}")
    except DeliveryError as exc:
        error = str(exc)
    if json_out:
        print_json({"channel": channel.name, "delivered": error is None, "error": error})
    elif error is None:
        console.print(f"[green]delivered[/green] to {escape(channel.target())}")
    else:
        console.print(f"[red]not delivered[/red] to {escape(channel.target())}: {escape(error)}")
    if error is not None:
        raise typer.Exit(1)
