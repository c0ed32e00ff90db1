"""Printing results: rich tables for people, JSON for scripts, CSV for spreadsheets."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from socialcem.nps import Score
from socialcem.report import ReportRow, SocialNotes

console = Console()
errors = Console(stderr=True, soft_wrap=True)


def print_json(data: Any) -> None:
    # Plain print, not rich: scripts need the bytes exactly as JSON.
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def _fmt(score: Score, unit: str, sep: str = " ") -> str:
    if score.value is None or score.low is None or score.high is None:
        return "–"
    sign = "+" if unit == "" else ""
    half_low, half_high = score.value - score.low, score.high - score.value
    if abs(half_low - half_high) < 0.5:  # symmetric unless clipped at a bound
        spread = f"±{half_high:.0f}"
    else:
        spread = f"[{score.low:{sign}.0f}, {score.high:{sign}.0f}]"
    shown = 0.0 if abs(score.value) < 0.5 else score.value  # never "-0"
    return f"{shown:{sign}.0f}{unit} {spread}{sep}[dim]n={score.n:,}[/dim]"


def fmt_score(score: Score, sep: str = " ") -> str:
    return _fmt(score, "", sep)


def fmt_pct(score: Score, sep: str = " ") -> str:
    return _fmt(score, "%", sep)


MEASURES: tuple[tuple[str, str, Callable[[Score, str], str]], ...] = (
    ("NPS (survey)", "nps", fmt_score),
    ("Social NPS", "social_nps", fmt_score),
    ("eNPS", "enps", fmt_score),
    ("CSAT", "csat", fmt_pct),
)


def report_table(rows: Sequence[ReportRow], by: str | None, title: str) -> Table:
    """One row per segment and period; measures nobody has data for are left out."""
    table = Table(title=title, title_justify="left", header_style="bold")
    show_period = any(r.period != "all" for r in rows)
    if show_period:
        table.add_column("period")
    table.add_column(by or "segment", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    measures = [
        (label, field, fmt)
        for label, field, fmt in MEASURES
        if any(getattr(r, field).n for r in rows)
    ]
    for label, _, _ in measures:
        table.add_column(label, justify="right")
    # A narrow terminal gets the response counts on a second line instead of cut cells.
    sep = " " if console.width >= 40 + 26 * len(measures) else "\n"
    for r in rows:
        cells = [fmt(getattr(r, field), sep) for _, field, fmt in measures]
        period = [r.period] if show_period else []
        table.add_row(*period, "  " * r.depth + escape(r.segment), f"{r.items:,}", *cells)
    table.caption = (
        "±: 95% interval; n: responses (Social NPS: unique authors per segment and period)"
    )
    return table


def social_footer(notes: SocialNotes) -> str:
    lines = {
        "brand calibration": "Social NPS is corrected with this brand's calibration.",
        "model default": "Social NPS is corrected for the model's measured confusion "
        "(calibrate with `socialcem model calibrate`).",
        "none": "Social NPS is classify-and-count: this model has no measured confusion.",
    }
    text = lines[notes.correction]
    if notes.unscored_languages:
        total = sum(notes.unscored_languages.values())
        by_count = sorted(notes.unscored_languages.items(), key=lambda pair: -pair[1])
        langs = ", ".join(f"{lang} {n}" for lang, n in by_count)
        text += f"\n{total} items left out: language not supported ({escape(langs)})."
    return f"[dim]{text}[/dim]"


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
