"""`socialcem sources`: per-source settings of a brand (webhook secret, retention, redaction).

A webhook secret is generated, never typed: it is printed once when made and never again
(`list` says only whether one is set). Source names are stored as ingest stores an item's
source, in lower case, so the settings apply to the items they name.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.accounts.audit import record
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, print_json
from socialcem.ingest.validate import MAX_FIELD_CHARS
from socialcem.store.locations import brand_id
from socialcem.store.sources import SourceSettings, configure_source, list_sources

sources_app = typer.Typer(
    help="Per-source settings: webhook secret, retention, redaction.", no_args_is_help=True
)
app.add_typer(sources_app, name="sources")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
BrandOpt = Annotated[str, typer.Option("--brand", help="Brand (tenant) the source belongs to.")]


def source_name(name: str) -> str:
    """The name as items carry it; a usage error names what is wrong."""
    cleaned = name.strip().lower()
    limit = MAX_FIELD_CHARS["source"]
    if not cleaned or "\x00" in cleaned or len(cleaned) > limit:
        fail(f"NAME: give a source name of 1 to {limit} characters, e.g. google_reviews")
    return cleaned


def source_dict(brand: str, s: SourceSettings) -> dict[str, Any]:
    return {
        "brand": brand,
        "name": s.name,
        "webhook_secret_set": s.webhook_secret is not None,
        "webhook_path": f"/api/v1/webhooks/{quote(brand, safe='')}/{quote(s.name, safe='')}",
        "retention_days": s.retention_days,
        "redact": s.redact,
    }


def _describe(s: SourceSettings) -> str:
    secret = "webhook secret set" if s.webhook_secret else "no webhook secret"
    kept = f"kept {s.retention_days} days" if s.retention_days else "kept for good"
    return f"{secret}, {kept}, redaction {'on' if s.redact else 'off'}"


@sources_app.command("set")
def sources_set(
    name: Annotated[str, typer.Argument(help="Source (channel) name, e.g. google_reviews.")],
    brand: BrandOpt = "default",
    rotate_secret: Annotated[
        bool,
        typer.Option(
            "--rotate-secret", help="Make a new webhook secret (the old one stops working)."
        ),
    ] = False,
    retention_days: Annotated[
        int | None,
        typer.Option(min=1, help="Delete this source's items older than N days."),
    ] = None,
    no_retention: Annotated[
        bool, typer.Option("--no-retention", help="Keep this source's items for good.")
    ] = False,
    redact: Annotated[
        bool | None,
        typer.Option(
            "--redact/--no-redact",
            help="Redact e-mails, phones, card numbers and addresses from new items' text.",
            show_default=False,
        ),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Create or change a source's settings; only what is given changes.

    --rotate-secret prints the new webhook secret once: the sender signs each request
    with it (see POST /api/v1/webhooks/{brand}/{source}).

    Example: `socialcem sources set google_reviews --brand acme --rotate-secret --redact`
    """
    if retention_days is not None and no_retention:
        fail("--retention-days and --no-retention: give one or the other")
    cleaned = source_name(name)
    with state.engine().begin() as conn:
        owner = brand_id(conn, brand)  # created on first use, as ingest does
        if owner is None:
            fail(f"cannot create brand {brand!r}")
        settings, secret = configure_source(
            conn,
            owner,
            cleaned,
            retention_days=retention_days,
            redact=redact,
            new_secret=rotate_secret,
            clear_retention=no_retention,
        )
        changes = {
            "rotated_secret": rotate_secret,
            "retention_days": None if no_retention else retention_days,
            "no_retention": no_retention,
            "redact": redact,
        }
        record(conn, owner, "cli", "source.set", cleaned, changes)
    if json_out:
        print_json({**source_dict(brand, settings), **({"secret": secret} if secret else {})})
        return
    console.print(f"source {escape(cleaned)} of {escape(brand)}: {_describe(settings)}")
    if secret:
        console.print(f"webhook secret (shown once, keep it safe): {secret}", soft_wrap=True)


@sources_app.command("list")
def sources_list(brand: BrandOpt = "default", json_out: JsonFlag = False) -> None:
    """The brand's configured sources; secrets are never shown, only whether one is set.

    Example: `socialcem sources list --brand acme --json`
    """
    with state.engine().connect() as conn:
        owner = brand_id(conn, brand, create=False)
        rows = [] if owner is None else list_sources(conn, owner)
    if json_out:
        print_json([source_dict(brand, s) for s in rows])
        return
    if not rows:
        console.print(f"no sources configured for brand {brand!r}: see `socialcem sources set`")
        return
    table = Table(title=f"sources of {escape(brand)}", title_justify="left")
    for column in ("name", "webhook secret", "retention", "redact"):
        table.add_column(column, overflow="fold")
    for s in rows:
        table.add_row(
            escape(s.name),
            "set" if s.webhook_secret else "-",
            f"{s.retention_days} days" if s.retention_days else "forever",
            "yes" if s.redact else "no",
        )
    console.print(table)
