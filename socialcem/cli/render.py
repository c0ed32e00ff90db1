"""Printing results: rich tables for people, JSON for scripts, CSV for spreadsheets."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from socialcem.nps import Score
from socialcem.report import ReportRow

console = Console()
errors = Console(stderr=True)


def print_json(data: Any) -> None:
    # Plain print, not rich: scripts need the bytes exactly as JSON.
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def fmt_score(score: Score) -> str:
    if score.value is None:
        return "–"
    return f"{score.value:+.0f} [{score.low:+.0f}, {score.high:+.0f}] n={score.n}"


def fmt_pct(score: Score) -> str:
    if score.value is None:
        return "–"
    return f"{score.value:.0f}% [{score.low:.0f}, {score.high:.0f}] n={score.n}"


def report_table(rows: Sequence[ReportRow], by: str | None, title: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    show_period = any(r.period != "all" for r in rows)
    if show_period:
        table.add_column("period")
    table.add_column(by or "segment")
    for name in ("items", "NPS (survey)", "Social NPS", "eNPS", "CSAT"):
        table.add_column(name, justify="right")
    for r in rows:
        cells = [
            "  " * r.depth + r.segment,
            f"{r.items:,}",
            fmt_score(r.nps),
            fmt_score(r.social_nps),
            fmt_score(r.enps),
            fmt_pct(r.csat),
        ]
        table.add_row(*([r.period] if show_period else []), *cells)
    table.caption = "95% intervals in brackets; n = responses (Social NPS: unique authors)."
    return table


def write_report_csv(path: Path, rows: Iterable[ReportRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        measures = ("nps", "social_nps", "enps", "csat")
        out.writerow(
            [
                "period",
                "segment",
                "items",
                *(f"{m}_{p}" for m in measures for p in ("value", "low", "high", "n")),
            ]
        )
        for r in rows:
            d = r.as_dict()
            out.writerow(
                [
                    r.period,
                    r.segment,
                    r.items,
                    *(d[m][p] for m in measures for p in ("value", "low", "high", "n")),
                ]
            )


@contextmanager
def progress_bar(
    label: str, total: int | None, quiet: bool = False
) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr; a no-op when quiet (e.g. with --json)."""
    if quiet:
        yield lambda _n: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=errors, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)
