"""`socialcem drivers` and `socialcem trends`: what moves NPS, and how it moved."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.analysis.base import UnknownModelError
from socialcem.cli import options as opt
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, fmt_pct, fmt_score, print_json
from socialcem.cli.reporting import PeriodChoice
from socialcem.insights.driver_report import DriverReport, UnknownBrand, key_drivers
from socialcem.insights.ranking import RankBy, RankMetric, rank_segments
from socialcem.insights.trends import Metric, Trend, trend
from socialcem.store.segments import UnknownLocation

ChartOpt = Annotated[
    Path | None, typer.Option("--chart", help="Also draw a chart to this .png or .svg file.")
]


@app.command()
def drivers(
    location: opt.Location = None,
    channel: opt.Channel = None,
    touchpoint: opt.Touchpoint = None,
    constituency: opt.Constituency = "customer",
    language: opt.Language = None,
    since: opt.Since = None,
    until: opt.Until = None,
    top: Annotated[int, typer.Option(min=1, help="How many topics to show.")] = 10,
    brand: opt.Brand = "default",
    model: opt.Model = opt.DEFAULT,
    chart: ChartOpt = None,
    json_out: opt.Json = False,
) -> None:
    """Key drivers: topics ranked by how many NPS points their negative mentions cost.

    Impact = how much the segment's NPS would rise if the topic's negative mentions were
    neutral (given the NPS of the items that do not mention it), with a 95% interval.

    Example: `socialcem drivers --brand demo --location "Tucson Fourth Avenue" --chart drivers.png`
    """
    segment = opt.segment_from(location, channel, touchpoint, constituency, language, since, until)
    try:
        result = key_drivers(state.engine(), brand, segment, model)
    except (UnknownBrand, UnknownLocation, UnknownModelError) as exc:
        fail(str(exc.args[0]))
    result = DriverReport(
        result.brand, result.segment, result.model, result.items, result.nps, result.drivers[:top]
    )
    if chart:
        _driver_chart(chart, result)
    if json_out:
        print_json(result.as_dict())
        return
    if not result.items:
        console.print(f"no analysed feedback for brand {brand!r} in {segment.describe()}")
        return
    table = Table(
        title=f"Key drivers · {escape(segment.describe())} · NPS {fmt_score(result.nps)}",
        title_justify="left",
        header_style="bold",
    )
    for name in ("topic", "mentions", "negative", "detractors", "NPS impact", "strength"):
        table.add_column(name, justify="left" if name == "topic" else "right")
    for d in result.drivers:
        table.add_row(
            escape(d.topic), f"{d.mentions:,}", f"{d.negative:,}", fmt_pct(d.detractor_share),
            fmt_score(d.impact), fmt_score(d.strength),
        )  # fmt: skip
    console.print(table)


def _driver_chart(path: Path, result: DriverReport) -> None:
    from socialcem.insights.charts import DriverBar, MissingExtra, driver_chart

    bars = [DriverBar(d.topic, d.impact, d.mentions) for d in result.drivers]
    try:
        driver_chart(path, f"Key drivers: {result.segment.describe()}", bars)
    except (MissingExtra, ValueError, OSError) as exc:
        fail(str(exc))


@app.command()
def trends(
    metric: Annotated[Metric, typer.Option(help="What to follow.")] = "nps",
    period: Annotated[
        PeriodChoice, typer.Option(help="day, week (ISO, Monday) or month.")
    ] = "week",
    topic: Annotated[
        str | None, typer.Option(help="For mentions, negative_share, topic_nps: one topic.")
    ] = None,
    location: opt.Location = None,
    channel: opt.Channel = None,
    touchpoint: opt.Touchpoint = None,
    constituency: opt.Constituency = "customer",
    language: opt.Language = None,
    since: opt.Since = None,
    until: opt.Until = None,
    brand: opt.Brand = "default",
    model: opt.Model = opt.DEFAULT,
    chart: ChartOpt = None,
    json_out: opt.Json = False,
) -> None:
    """A metric per period with its 95% interval, and which changes are significant.

    Example: `socialcem trends --brand demo --metric negative_share --topic delivery --chart d.svg`
    """
    segment = opt.segment_from(location, channel, touchpoint, constituency, language, since, until)
    try:
        result = trend(state.engine(), brand, metric, period, segment, topic, model)
    except (LookupError, ValueError, UnknownModelError) as exc:
        fail(str(exc.args[0]))
    if chart and metric == "mentions":
        fail("--chart draws scores on a fixed scale; chart negative_share or topic_nps instead")
    if chart:
        _trend_chart(chart, result)
    if json_out:
        print_json(result.as_dict())
        return
    _print_trend(result)


def _print_trend(result: Trend) -> None:
    what = result.metric + (f" of {result.topic}" if result.topic else "")
    table = Table(
        title=f"{what} per {result.period} · {escape(result.segment.describe())}",
        title_justify="left",
        header_style="bold",
    )
    for name in ("period", result.metric, "change", "p"):
        table.add_column(name, justify="left" if name == "period" else "right")
    percent = result.metric in ("csat", "negative_share")
    show = fmt_pct if percent else fmt_score
    for i, point in enumerate(result.points):
        move = result.changes[i - 1] if i else None
        delta = "" if move is None or move.delta is None else f"{move.delta:+.1f}"
        if move is not None and move.significant:
            delta = f"[bold]{delta}[/bold]"
        p = "" if move is None or move.p_value is None else f"{move.p_value:.3f}"
        value = f"{point.score.n:,}" if result.metric == "mentions" else show(point.score)
        table.add_row(point.period, value, delta, p)
    console.print(table)
    console.print("[dim]bold change: significant at p < 0.05 (two-sided z-test)[/dim]")


def _trend_chart(path: Path, result: Trend) -> None:
    from socialcem.insights.charts import MissingExtra, trend_chart

    unit = "%" if result.metric in ("csat", "negative_share") else "NPS"
    what = result.metric + (f" of {result.topic}" if result.topic else "")
    try:
        trend_chart(
            path,
            f"{what} per {result.period}: {result.segment.describe()}",
            [p.period for p in result.points],
            {what: [p.score for p in result.points]},
            unit=unit,
        )
    except (MissingExtra, ValueError, OSError) as exc:
        fail(str(exc))


@app.command()
def ranking(
    by: Annotated[
        RankBy, typer.Option(help="location (within its parent), channel, touchpoint.")
    ] = "location",
    metric: Annotated[RankMetric, typer.Option(help="nps, enps or social_nps.")] = "nps",
    brand: opt.Brand = "default",
    model: opt.Model = opt.DEFAULT,
    json_out: opt.Json = False,
) -> None:
    """Segments ranked on empirical-Bayes shrunk scores, raw and shrunk side by side.

    Small segments are pulled toward their parent, so a location with 8 responses does not
    top or trail the list by chance. "differs" marks a shrunk interval that excludes the parent.

    Example: `socialcem ranking --brand demo --by location`
    """
    try:
        rows = rank_segments(state.engine(), brand, by, metric, model)
    except (LookupError, ValueError) as exc:
        fail(str(exc.args[0]))
    if json_out:
        print_json([r.as_dict() for r in rows])
        return
    table = Table(title=f"Ranking · {metric} · by {by}", title_justify="left", header_style="bold")
    for name in ("within", "rank", by, "raw", "shrunk", "own weight", "differs"):
        table.add_column(name, justify="right" if name in ("rank", "own weight") else "left")
    for r in rows:
        s = r.result
        table.add_row(
            escape(r.parent), str(r.rank or "–"), escape(r.segment), fmt_score(s.raw),
            fmt_score(s.shrunk), f"{s.weight:.2f}", "yes" if s.distinct else "",
        )  # fmt: skip
    console.print(table)
