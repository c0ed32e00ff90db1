"""Options several insight commands share: the segment, the brand, the model, --json."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from socialcem.analysis.base import DEFAULT_MODEL
from socialcem.insights.segment import Segment

Brand = Annotated[str, typer.Option(help="Brand (tenant).")]
Model = Annotated[str, typer.Option(help="Model whose analyses to read.")]
Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Location = Annotated[
    str | None, typer.Option(help="Only this location and the locations below it.")
]
Channel = Annotated[str | None, typer.Option(help="Only this channel (source).")]
Touchpoint = Annotated[str | None, typer.Option(help="Only this touchpoint.")]
Constituency = Annotated[str, typer.Option(help="customer, employee, partner, or 'all'.")]
Language = Annotated[str | None, typer.Option(help="Only this detected language (e.g. en).")]
Since = Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.", metavar="DATE")]
Until = Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.", metavar="DATE")]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Evaluate up to this day (default: the newest day with data).",
        metavar="DATE",
    ),
]
DEFAULT = DEFAULT_MODEL


def parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def segment_from(
    location: str | None,
    channel: str | None,
    touchpoint: str | None,
    constituency: str,
    language: str | None,
    since: str | None,
    until: str | None,
) -> Segment:
    try:
        return Segment(
            location=location,
            channel=channel,
            touchpoint=touchpoint,
            constituency=None if constituency == "all" else constituency,
            language=language,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since/--until") from None
