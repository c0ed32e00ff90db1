"""`socialcem risk`, `socialcem leads` and `socialcem digest`: the lists a team works from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.cli import options as opt
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, print_json
from socialcem.insights.digest import build_digest, queue_digest
from socialcem.insights.risk import ListedItem, growing_themes, risk_items, sales_leads

Days = Annotated[int, typer.Option(min=1, max=366, help="Window length in days.")]
Limit = Annotated[int, typer.Option(min=1, max=1000, help="How many rows to list.")]


def _items_table(title: str, rows: Sequence[ListedItem], score: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for name in ("id", "date", "source", "location", "reach", score):
        right = name in ("id", "reach", score)
        table.add_column(name, justify="right" if right else "left", no_wrap=True)
    table.add_column("text", overflow="ellipsis", no_wrap=True, max_width=60)
    for r in rows:
        table.add_row(
            str(r.feedback_id), r.date, escape(r.source), escape(r.location or ""),
            f"{r.reach or 0:,}", f"{r.score:,.2f}", escape(r.text[:120]),
        )  # fmt: skip
    return table


@app.command()
def risk(
    days: Days = 7,
    limit: Limit = 20,
    as_of: opt.AsOf = None,
    brand: opt.Brand = "default",
    model: opt.Model = opt.DEFAULT,
    json_out: opt.Json = False,
) -> None:
    """Reputational risk: high-reach negative items, and negative themes growing fastest.

    Example: `socialcem risk --brand demo --days 7`
    """
    day = opt.parse_day(as_of, "--as-of")
    try:
        items = risk_items(state.engine(), brand, day, days, limit, model)
        themes = growing_themes(state.engine(), brand, day, days, model)
    except (LookupError, ValueError) as exc:
        fail(str(exc.args[0]))
    if json_out:
        print_json({"items": [i.as_dict() for i in items], "themes": [t.as_dict() for t in themes]})
        return
    console.print(_items_table("High-reach negative items", items, "reach x P(neg)"))
    table = Table(title="Negative themes, growth", title_justify="left", header_style="bold")
    for name in ("topic", "negative", "usual", "growth", "z"):
        table.add_column(name, justify="left" if name == "topic" else "right")
    for t in themes[:limit]:
        growth = "new" if t.growth is None else f"x{t.growth:.1f}"
        table.add_row(escape(t.topic), str(t.negative), f"{t.baseline:.1f}", growth, f"{t.z:+.1f}")
    console.print(table)


@app.command()
def leads(
    days: Days = 30,
    limit: Limit = 50,
    as_of: opt.AsOf = None,
    brand: opt.Brand = "default",
    model: opt.Model = opt.DEFAULT,
    json_out: opt.Json = False,
) -> None:
    """Sales leads: items with purchase intent, ranked by reach, tone and recency.

    Example: `socialcem leads --brand demo --json`
    """
    day = opt.parse_day(as_of, "--as-of")
    try:
        rows = sales_leads(state.engine(), brand, day, days, limit, model)
    except (LookupError, ValueError) as exc:
        fail(str(exc.args[0]))
    if json_out:
        print_json([r.as_dict() for r in rows])
        return
    console.print(_items_table("Sales leads", rows, "score"))


@app.command()
def digest(
    as_of: opt.AsOf = None,
    send: Annotated[
        bool, typer.Option("--send", help="Queue it for every notification channel.")
    ] = False,
    brand: opt.Brand = "default",
    model: opt.Model = opt.DEFAULT,
    json_out: opt.Json = False,
) -> None:
    """The daily digest: the week against the week before, new alerts, drivers, risk, leads.

    `--send` queues it once per day (run `socialcem notify send` to deliver).

    Example: `socialcem digest --brand demo --send`
    """
    try:
        result = build_digest(state.engine(), brand, opt.parse_day(as_of, "--as-of"), model)
    except (LookupError, ValueError) as exc:
        fail(str(exc.args[0]))
    queued = queue_digest(state.engine(), result) if send else 0
    if json_out:
        print_json({**result.as_dict(), "queued": queued})
        return
    console.print(result.text(), highlight=False, markup=False)
    if send:
        console.print(f"queued for {queued} channel(s)")
