"""NPS, Social NPS, eNPS and CSAT by segment and period, each with its 95% interval, over
what one principal may see.

Counts come from the store's rollups through the report's queries (report.py reads the
same ones); visibility is applied by location id before anything is summed, so a pinned
caller's totals and rows hold only their subtree. A date range, or a channel or
touchpoint cut of a subtree, is read per segment through the trend queries instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import Connection

from socialcem.accounts.principal import Principal
from socialcem.analysis.prevalence import Confusion, adjusted_nps
from socialcem.calibrate import correction_kind, social_confusion
from socialcem.insights.segment import Segment
from socialcem.nps import csat, nps
from socialcem.report import period_label
from socialcem.store.locations import location_tree
from socialcem.store.queries import By, Counts, Period, rated_counts, social_counts
from socialcem.store.trend_queries import Mix, rated_series, social_series
from socialcem.store.visibility import visible_locations, visible_subtree

Metric = Literal["nps", "social_nps", "enps", "csat"]
Cut = Literal["none", "location", "source", "touchpoint"]
ALL_METRICS: tuple[Metric, ...] = ("nps", "social_nps", "enps", "csat")
NO_LOCATION = "(no location)"
CUTS: dict[Cut, By] = {
    "none": "location", "location": "location", "source": "channel", "touchpoint": "touchpoint",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scores:
    """The rows of a metrics table and how Social NPS was corrected for the model's errors."""

    rows: list[dict[str, Any]]
    correction: str


def score_table(conn: Connection, caller: Principal, query: ScoreQuery) -> Scores:
    """Raises ``LocationNotFound`` when ``query.top`` is not a location the caller sees."""
    cells, order = _cells(conn, caller, query)
    confusion = social_confusion(conn, query.brand, None) if query.social else None
    rows = [
        _row(segment, query, bucket, cell, confusion)
        for (segment, bucket), cell in sorted(cells.items(), key=lambda kv: _key(kv[0], order))
    ]
    return Scores(rows, correction_kind(conn, query.brand, None))  # the default model, as above


@dataclass(slots=True)
class Cell:
    """Counts of one segment and period, summed over the locations it covers."""

    counts: Counts = field(default_factory=Counts)
    votes: list[int] = field(default_factory=lambda: [0, 0, 0])

    def add(self, counts: Counts | None, votes: Mix | None) -> None:
        if counts is not None:
            self.counts.add(counts)
        for i, n in enumerate(votes or ()):
            self.votes[i] += n


@dataclass(frozen=True, slots=True)
class ScoreQuery:
    brand: int
    model: str
    metrics: tuple[Metric, ...]
    period: Period
    by: Cut
    top: str | None
    """The subtree asked for (or the caller's own location); None: the whole brand."""
    since: date | None
    until: date | None

    @property
    def social(self) -> bool:
        return "social_nps" in self.metrics


Cells = dict[tuple[str, int | None], Cell]


def _cells(conn: Connection, caller: Principal, query: ScoreQuery) -> tuple[Cells, dict[str, Any]]:
    """(cells by segment and bucket, sort key of each segment)."""
    ids = None if query.top is None else set(visible_subtree(conn, caller, query.top))
    if ids is None and caller.locations is not None:  # pinned but not told where: nothing
        ids = set()
    dated = query.since is not None or query.until is not None
    if dated or (query.by in ("source", "touchpoint") and ids is not None):
        return _per_segment(conn, caller, query, ids)
    return _from_rollups(conn, caller, query, ids)


def _from_rollups(
    conn: Connection, caller: Principal, query: ScoreQuery, ids: set[int] | None
) -> tuple[Cells, dict[str, Any]]:
    """One pass over the rollups for every segment; locations are summed into each visible
    ancestor, so a region's row is the sum of its visible locations."""
    cut = CUTS[query.by]
    rated = rated_counts(conn, query.brand, cut, query.period)
    votes = social_counts(conn, query.brand, query.model, cut, query.period) if query.social else {}
    order: dict[str, Any] = {}
    segments: Callable[[Any], list[str]] = _named
    if cut == "location":
        segments = _location_segments(conn, caller, query, ids, order)
    cells: Cells = {}
    for key in rated.keys() | votes.keys():
        for segment in segments(key[0]):
            cells.setdefault((segment, key[1]), Cell()).add(rated.get(key), votes.get(key))
    return cells, order


def _named(value: Any) -> list[str]:
    return [str(value)]


def _location_segments(
    conn: Connection,
    caller: Principal,
    query: ScoreQuery,
    ids: set[int] | None,
    order: dict[str, Any],
) -> Callable[[Any], list[str]]:
    """The segments a location's counts go into: the total, or each visible ancestor within
    the subtree asked for (fills ``order`` with each segment's place in the hierarchy)."""
    shown = {loc.id: loc for loc in visible_locations(conn, caller)}
    ancestors = location_tree(conn, query.brand).ancestors
    order.update((loc.name, loc.path) for loc in shown.values())
    order[NO_LOCATION] = ("\uffff",)

    def segments(place: Any) -> list[str]:
        if ids is not None and place not in ids:
            return []
        if query.by == "none":
            return [query.top or "all"]
        if place == 0:
            return [NO_LOCATION]
        return [shown[a].name for a in ancestors.get(place, [place]) if _in(a, ids, shown)]

    return segments


def _in(place: int, ids: set[int] | None, shown: dict[int, Any]) -> bool:
    return place in shown and (ids is None or place in ids)


def _per_segment(
    conn: Connection, caller: Principal, query: ScoreQuery, ids: set[int] | None
) -> tuple[Cells, dict[str, Any]]:
    """One read per segment, exact to the day; items without a location appear only in the
    whole-brand total, and items without a touchpoint only in totals."""
    base = Segment(constituency=None, since=query.since, until=query.until, location=query.top)
    order: dict[str, Any] = {}
    if query.by == "none":
        if ids is not None and not ids:
            return {}, order
        segments = [(query.top or "all", base)]
    elif query.by == "location":
        places = [loc for loc in visible_locations(conn, caller) if ids is None or loc.id in ids]
        order = {loc.name: loc.path for loc in places}
        segments = [(loc.name, replace(base, location=loc.name)) for loc in places]
    elif ids is not None and not ids:
        segments = []
    else:
        cut = CUTS[query.by]
        values = {str(k[0]) for k in rated_counts(conn, query.brand, cut, None)} - {"(none)"}
        segments = [
            (v, replace(base, channel=v) if cut == "channel" else replace(base, touchpoint=v))
            for v in sorted(values)
        ]
    cells: Cells = {}
    for name, segment in segments:
        counts = rated_series(conn, query.brand, segment, query.period)
        mixes = (
            social_series(conn, query.brand, query.model, segment, query.period)
            if query.social
            else {}
        )
        for bucket in counts.keys() | mixes.keys():
            key = (name, bucket if query.period else None)
            cells.setdefault(key, Cell()).add(counts.get(bucket), mixes.get(bucket))
    return cells, order


def _key(key: tuple[str, int | None], order: dict[str, Any]) -> tuple[Any, ...]:
    segment, bucket = key
    return (bucket or 0, order.get(segment, (segment,)))


def _row(
    segment: str, query: ScoreQuery, bucket: int | None, cell: Cell, confusion: Confusion | None
) -> dict[str, Any]:
    c, (pro, pas, det) = cell.counts, cell.votes
    scores = {
        "nps": nps(c.promoters, c.passives, c.detractors),
        "enps": nps(c.employee_promoters, c.employee_passives, c.employee_detractors),
        "csat": csat(c.csat_satisfied, c.csat_total),
    }
    if query.social:
        social = adjusted_nps(pro, pas, det, confusion) if confusion else nps(pro, pas, det)
        scores["social_nps"] = social
    out: dict[str, Any] = {
        "segment": segment,
        "period": period_label(query.period, bucket),
        "items": c.items,
    }
    for name in ALL_METRICS:
        out[name] = scores[name].as_dict() if name in query.metrics else None
    return out
