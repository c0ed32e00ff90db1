"""`socialcem report`: NPS, Social NPS, eNPS and CSAT by segment and period."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from socialcem.analysis.base import DEFAULT_MODEL, UnknownModelError
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import (
    console,
    print_json,
    report_table,
    social_footer,
    write_report_csv,
)
from socialcem.report import build_report, social_notes

ByChoice = Literal["location", "channel", "touchpoint", "constituency"]
PeriodChoice = Literal["day", "week", "month"]


@app.command()
def report(
    by: Annotated[
        ByChoice | None,
        typer.Option(
            help="Segment: location (with its parents), channel, touchpoint or constituency."
        ),
    ] = None,
    period: Annotated[
        PeriodChoice | None, typer.Option(help="Time bucket: day, week (ISO, Monday) or month.")
    ] = None,
    brand: Annotated[str, typer.Option(help="Brand (tenant).")] = "default",
    model: Annotated[
        str, typer.Option(help="Model whose analyses feed Social NPS.")
    ] = DEFAULT_MODEL,
    per_item: Annotated[
        bool, typer.Option("--per-item", help="Social NPS per item instead of per unique author.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the rows to this CSV file.")
    ] = None,
) -> None:
    """Survey NPS, Social NPS, eNPS and CSAT with 95% intervals.

    Social NPS counts one vote per author per segment and period (their latest item)
    over unsolicited customer text; survey NPS counts every rated response.

    Example: `socialcem report --by location --period week --out weekly.csv`
    """
    try:
        engine = state.engine()
        rows = build_report(engine, brand, by, period, model=model, per_item=per_item)
        notes = social_notes(engine, brand, model)
    except UnknownModelError as exc:
        fail(str(exc))
    if out:
        write_report_csv(out, rows)
    if json_out:
        print_json(
            {
                "brand": brand,
                "by": by,
                "period": period,
                "social": notes.as_dict(),
                "rows": [r.as_dict() for r in rows],
            }
        )
        return
    if not rows:
        console.print(
            f"no feedback for brand {brand!r} yet: try `socialcem demo` or `socialcem ingest FILE`"
        )
        return
    title = (
        f"NPS report · brand {brand}"
        + (f" · by {by}" if by else "")
        + (f" · per {period}" if period else "")
    )
    console.print(report_table(rows, by, title))
    console.print(social_footer(notes), highlight=False)


@app.command("themes")
def themes(
    brand: Annotated[str, typer.Option(help="Brand (tenant).")] = "default",
    limit: Annotated[int, typer.Option(min=10, help="Read the latest this many items.")] = 20_000,
    taxonomy: Annotated[
        Path | None, typer.Option(help="Taxonomy TOML file (default: the built-in CX taxonomy).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the themes as JSON.")] = False,
) -> None:
    """Candidate new themes: clusters of recent items that no taxonomy topic covers.

    Example: `socialcem themes --brand demo --limit 5000`
    """
    from socialcem.analysis.aspects import TaxonomyError, load_taxonomy
    from socialcem.themes import candidate_themes

    try:
        chosen = load_taxonomy(taxonomy) if taxonomy else None
    except (TaxonomyError, OSError) as exc:
        fail(str(exc))
    read, found = candidate_themes(state.engine(), brand, limit, chosen)
    if json_out:
        print_json({"brand": brand, "items_read": read, "themes": [t.as_dict() for t in found]})
        return
    console.print(f"{read:,} recent items read; {len(found)} candidate themes outside the taxonomy")
    for t in found:
        console.print(
            f"[bold]{escape(t.label)}[/bold] · {t.size} items · cohesion {t.cohesion:.2f}"
        )
        for example in t.examples:
            console.print(f"  “{escape(example[:160])}”", highlight=False)
