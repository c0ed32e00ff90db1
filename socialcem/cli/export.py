"""`socialcem export`: feedback as CSV, JSON Lines or Parquet, with the API's filters."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import typer

from socialcem.accounts.principal import Principal
from socialcem.cli.app import app, fail, state
from socialcem.cli.options import Brand, Json, parse_day
from socialcem.cli.render import console, print_json, progress_bar
from socialcem.exports import Format, record_export, write_export
from socialcem.store.feedback_queries import FeedbackFilter, count_feedback, select_feedback
from socialcem.store.locations import brand_id
from socialcem.store.visibility import LocationNotFound

Opt = typer.Option


@app.command("export")
def export(
    brand: Brand,
    out: Annotated[Path, Opt("--out", help="File to write (replaced when complete).")],
    fmt: Annotated[Format, Opt("--format", help="csv, jsonl or parquet.")] = "csv",
    source: Annotated[str | None, Opt(help="Only this channel.")] = None,
    location: Annotated[str | None, Opt(help="This location and those below it.")] = None,
    since: Annotated[str | None, Opt(help="First day, YYYY-MM-DD.", metavar="DATE")] = None,
    until: Annotated[str | None, Opt(help="Last day, YYYY-MM-DD.", metavar="DATE")] = None,
    constituency: Annotated[
        Literal["customer", "employee", "partner"] | None, Opt(help="Only this constituency.")
    ] = None,
    touchpoint: Annotated[str | None, Opt(help="Only this touchpoint.")] = None,
    author: Annotated[str | None, Opt(help="Only this author.")] = None,
    sentiment: Annotated[
        Literal["negative", "neutral", "positive"] | None,
        Opt(help="Sentiment read by the default model."),
    ] = None,
    rating_category: Annotated[
        Literal["detractor", "passive", "promoter"] | None,
        Opt(help="NPS category of the item's own rating."),
    ] = None,
    q: Annotated[str | None, Opt("--q", help="Text contains this (any case).")] = None,
    json_out: Json = False,
) -> None:
    """Write a brand's feedback, newest first, with the default model's analysis.

    The export is recorded in the audit log. CSV cells that a spreadsheet would run as a
    formula (=, +, -, @) start with a quote.

    Example: `socialcem export --brand demo --format parquet --out fb.parquet --since 2026-01-01`
    """
    try:
        filters = FeedbackFilter(
            source, location, parse_day(since, "--since"), parse_day(until, "--until"),
            constituency, touchpoint, author, sentiment, rating_category, q,
        )  # fmt: skip
    except ValueError as exc:
        fail(str(exc))
    engine = state.engine()
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            fail(f"--brand: no brand named {brand!r} in this store")
        principal = Principal.whole_brand(key, brand)
        try:
            selection = select_feedback(conn, principal, filters)
        except LocationNotFound as exc:
            fail(str(exc))
        total = count_feedback(conn, selection)
    partial = out.with_name(out.name + ".part")
    try:
        with (
            partial.open("wb") as handle,
            progress_bar(f"export {out.name}", total, quiet=json_out) as advance,
        ):
            rows = write_export(engine, selection, fmt, handle, advance)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(f"--out: cannot write {out}: {exc.strerror or exc}")
    record_export(engine, principal, fmt, filters, rows)
    if json_out:
        summary = {"brand": brand, "format": fmt, "out": str(out), "rows": rows}
        print_json({**summary, "filters": filters.as_dict()})
    else:
        console.print(f"{rows:,} items written to {out} ({fmt})")
