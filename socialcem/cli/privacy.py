"""`socialcem privacy`: erase one author's data, apply retention limits, preview redaction."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.cli import options as opt
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, print_json
from socialcem.cli.users import cli_actor
from socialcem.privacy.erasure import author_items, erase_author
from socialcem.privacy.redact import redact_text, redaction_counts
from socialcem.privacy.retention import apply_retention
from socialcem.store.locations import brand_id

privacy_app = typer.Typer(
    help="Privacy: erase an author's data, apply retention, preview redaction.",
    no_args_is_help=True,
)
app.add_typer(privacy_app, name="privacy")


def _brand_key(name: str) -> int:
    with state.engine().connect() as conn:
        key = brand_id(conn, name, create=False)
    if key is None:
        fail(f"--brand: no brand named {name!r} in this store")
    return key


@privacy_app.command("erase")
def erase(
    author: Annotated[
        str,
        typer.Option(help="The author's name exactly as stored (same case).", show_default=False),
    ],
    brand: opt.Brand = "default",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    json_out: opt.Json = False,
) -> None:
    """Erase everything the brand holds from one author: their items with their analyses,
    votes and alert links, quarantined rows naming them, and their words in alerts and
    notifications. Metrics stay exact. The audit log records the counts, not the name.

    Example: `socialcem privacy erase --brand acme --author "Jane Doe" --yes`
    """
    key = _brand_key(brand)
    if not yes:
        with state.engine().connect() as conn:
            found = author_items(conn, key, author)
        typer.confirm(
            f"Erase {found:,} item(s) of {author!r} and every copy of their words from brand "
            f"{brand!r}? This cannot be undone",
            abort=True,
        )
    try:
        result = erase_author(state.engine(), key, author, actor=cli_actor())
    except ValueError as exc:
        fail(f"--{exc.args[0]}")
    if json_out:
        print_json(result.as_dict())
        return
    console.print(f"erased {result.items:,} item(s)", highlight=False)
    for label, counts in (("deleted", result.deleted), ("rewritten", result.scrubbed)):
        for table, n in counts.items():
            console.print(f"  {label} {n:,} row(s) of {escape(table)}", highlight=False)


@privacy_app.command("retention")
def retention(
    brand: opt.Brand = "default",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be deleted; delete nothing.")
    ] = False,
    json_out: opt.Json = False,
) -> None:
    """Delete items older than their source's retention (`socialcem sources set NAME
    --retention-days N`), measured from when they were written, in batches.

    Example: `socialcem privacy retention --brand acme --dry-run`
    """
    result = apply_retention(state.engine(), _brand_key(brand), dry_run=dry_run, actor=cli_actor())
    if json_out:
        print_json(result.as_dict())
        return
    if not result.sources:
        console.print("no source of this brand has a retention limit")
        return
    table = Table(title="would delete" if dry_run else "deleted")
    for column in ("source", "kept (days)", "older than", "items"):
        table.add_column(column, justify="right" if column == "items" else "left")
    for s in result.sources:
        table.add_row(escape(s.source), str(s.retention_days), s.cutoff.isoformat(), f"{s.items:,}")
    console.print(table)


@privacy_app.command("redact-preview")
def redact_preview(
    text: Annotated[str, typer.Argument(help="Text to redact (nothing is stored).")],
    json_out: opt.Json = False,
) -> None:
    """Show what redaction would make of a text: e-mails, phone numbers, card numbers
    (checked with Luhn) and street addresses become [email], [phone], [card], [address].

    Example: `socialcem privacy redact-preview "Call me at 555-123-4567"`
    """
    redacted, counts = redact_text(text), redaction_counts(text)
    if json_out:
        print_json({"text": redacted, "counts": counts})
        return
    console.print(escape(redacted), highlight=False)
    found = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "nothing"
    console.print(f"[dim]redacted: {found}[/dim]", highlight=False)
