"""Trend and driver charts as PNG or SVG files, for `--chart FILE` and later the dashboard.

matplotlib is an optional extra, imported only to draw. A bare Figure with an explicit canvas
(never pyplot) keeps drawing free of global state; fixed metadata and SVG hash salt make the
same input give byte-identical files, so charts can be cached and diffed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from socialcem.nps import Score

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FORMATS = (".png", ".svg")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
FIELDS = ("value", "low", "high")
MAX_TICKS = 12  # period labels shown at most; the rest are thinned out


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message names the extra to install."""


@dataclass(frozen=True, slots=True)
class DriverBar:
    """A topic's impact: NPS points gained if its negative mentions were neutral instead."""

    name: str
    impact: Score
    volume: int


def _plain(text: str) -> str:
    """User text must show as typed: a pair of bare `$` would be rendered as mathtext."""
    return text.replace("$", r"\$")


def _render(path: Path, title: str, height: float, draw: Callable[[Axes], None]) -> Path:
    """Draw on a fresh Figure and save it in the format its suffix names."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"chart file must end in .png or .svg, not {path.suffix or 'nothing'!r}")
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingExtra("charts need matplotlib: pip install 'socialcem[charts]'") from exc
    # SVG text stays text (searchable, accessible) and user rc files cannot turn on LaTeX.
    with matplotlib.rc_context(
        {"svg.hashsalt": "socialcem", "svg.fonttype": "none", "text.usetex": False}
    ):
        figure = Figure(figsize=(9.0, height), dpi=110, layout="constrained")
        ax = figure.add_subplot()
        ax.set_title(_plain(title), loc="left", fontweight="bold")
        ax.spines[["top", "right"]].set_visible(False)
        draw(ax)
        if path.suffix.lower() == ".svg":
            meta = {"Date": None, "Creator": "socialcem", "Title": title}
            FigureCanvasSVG(figure).print_svg(path, metadata=meta)  # type: ignore[no-untyped-call]
        else:
            FigureCanvasAgg(figure).print_png(path, metadata={"Software": None})  # type: ignore[no-untyped-call]
    return path


def _no_data(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="0.5")


def trend_chart(
    path: Path,
    title: str,
    periods: Sequence[str],
    series: Mapping[str, Sequence[Score]],
    unit: str = "NPS",
) -> Path:
    """One line per series with its 95% band; None values leave gaps rather than fake zeros.

    Volume is not drawn: the band's width already shows how much data each point rests on.
    """
    for name, scores in series.items():
        if len(scores) != len(periods):
            raise ValueError(f"series {name!r} has {len(scores)} points for {len(periods)} periods")
    floor = -100.0 if "NPS" in unit.upper() else 0.0  # NPS spans -100..100, a percent 0..100
    every = (v for scores in series.values() for s in scores for v in (s.value, s.low, s.high))
    seen = [v for v in every if v is not None]

    def draw(ax: Axes) -> None:
        xs = list(range(len(periods)))
        for colour, (name, scores) in zip(cycle(COLOURS), series.items()):
            y, low, high = (np.array([getattr(s, f) for s in scores], float) for f in FIELDS)
            ax.fill_between(xs, low, high, color=colour, alpha=0.18, linewidth=0)
            dots = 3.0 if len(xs) <= 60 else 1.0
            ax.plot(xs, y, color=colour, marker="o", markersize=dots, lw=1.8, label=_plain(name))
            # A point between two gaps has no line or band through it: draw its interval alone.
            known = ~np.isnan(np.pad(y, 1, constant_values=np.nan))
            lone = np.flatnonzero(known[1:-1] & ~known[:-2] & ~known[2:])
            ax.vlines(lone, low[lone], high[lone], color=colour, lw=1)
        if seen:
            pad = max(5.0, 0.08 * (max(seen) - min(seen)))
            ax.set_ylim(max(floor, min(seen) - pad), min(100.0, max(seen) + pad))
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        else:
            ax.set_ylim(floor, 100.0)
            _no_data(ax, "no data")
        ax.axhline(0, color="0.55", lw=0.8, zorder=1)
        ax.grid(axis="y", color="0.92")
        ax.set_xlim(-0.5, max(len(xs), 1) - 0.5)
        ticks = xs[:: max(1, math.ceil(len(xs) / MAX_TICKS))]
        labels = [_plain(periods[i]) for i in ticks]
        tilt = 30 if len(ticks) > 6 or any(len(label) > 8 for label in labels) else 0
        ax.set_xticks(ticks, labels, rotation=tilt, ha="right" if tilt else "center")
        ax.set_ylabel(f"{_plain(unit)} (band: 95% interval)")

    return _render(path, title, 4.5, draw)


def driver_chart(path: Path, title: str, rows: Sequence[DriverBar]) -> Path:
    """Topics by NPS impact, largest on top, with 95% error bars and mention volume."""
    ordered = sorted(rows, key=lambda r: (r.impact.value is None, -(r.impact.value or 0.0)))

    def draw(ax: Axes) -> None:
        ax.set_xlabel("NPS points gained if the topic's negative mentions were neutral (95% CI)")
        if not ordered:
            ax.set(xticks=[], yticks=[])
            return _no_data(ax, "no drivers")
        ys = list(range(len(ordered)))
        v, low, high = (np.array([getattr(r.impact, f) for r in ordered], float) for f in FIELDS)
        spread = np.nan_to_num(np.clip([v - low, high - v], 0, None))  # no bar where unknown
        colours = ["#d62728" if x < 0 else "#2ca02c" for x in v]
        errors = {"ecolor": "0.3", "capsize": 3, "elinewidth": 1}
        ax.barh(ys, np.nan_to_num(v), xerr=spread, color=colours, alpha=0.8, error_kw=errors)
        names = [r.name if len(r.name) <= 40 else r.name[:39] + "…" for r in ordered]
        ax.set_yticks(ys, [_plain(name) for name in names])
        ax.set_ylim(len(ys) - 0.5, -0.5)  # largest impact on top
        for y, r in zip(ys, ordered, strict=True):
            note = f"n={r.volume:,}" + ("" if r.impact.value is not None else ", no estimate")
            ax.text(1.01, y, note, transform=ax.get_yaxis_transform(), va="center", color="0.35")
        ax.axvline(0, color="0.4", lw=0.8)
        ax.grid(axis="x", color="0.92")
        ax.set_axisbelow(True)

    return _render(path, title, 1.6 + 0.38 * max(len(ordered), 3), draw)
