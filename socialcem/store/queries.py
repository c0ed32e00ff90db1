"""Aggregate counts for reports, computed in the database in one pass per measure.

Only counts leave the database; the NPS arithmetic and intervals live in socialcem.nps.
Social NPS counts one vote per author per segment and period (the latest item), so a
prolific complainer or fan does not outweigh everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    func,
    literal,
    select,
    type_coerce,
)

from socialcem.store.rollups import COUNT_COLUMNS, PERIODS
from socialcem.store.schema import analyses, daily_counts, feedback, social_votes

PERIODS_WITH_VOTES = {None if p == "all" else p for p in PERIODS}
By = Literal["location", "channel", "touchpoint", "constituency"] | None
Period = Literal["day", "week", "month"] | None


@dataclass(slots=True)
class Counts:
    """Additive counts of one segment and period: parents are sums of their children."""

    items: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    employee_promoters: int = 0
    employee_passives: int = 0
    employee_detractors: int = 0
    csat_satisfied: int = 0
    csat_total: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


Key = tuple[Any, int | None]  # (segment: a name, or a location id; period bucket)


def period_expr(period: Period, day: Any = feedback.c.day, month: Any = feedback.c.month) -> Any:
    if period == "day":
        return day
    if period == "week":  # the Monday of the ISO week: 1970-01-01 was a Thursday
        return day - (day + 3) % 7
    if period == "month":
        return month
    return type_coerce(literal(0), Integer)


def _segment(by: By, table: Any = feedback) -> ColumnElement[Any]:
    """The grouping expression; locations group by id and roll up to parents in Python."""
    if by == "location":
        return func.coalesce(table.c.location_id, 0)
    if by is None:
        return type_coerce(literal("all"), String)
    column = {
        "channel": table.c.source,
        "touchpoint": table.c.touchpoint,
        "constituency": table.c.constituency,
    }[by]
    return func.coalesce(func.nullif(column, ""), "(none)")


def rated_counts(
    conn: Connection,
    brand: int,
    by: By,
    period: Period,
) -> dict[Key, Counts]:
    """Counts of rated items and all items, from the daily rollup."""
    t = daily_counts
    bucket = period_expr(period, t.c.day, t.c.month).label("bucket")
    stmt = (
        select(_segment(by, t).label("segment"), bucket, *(func.sum(t.c[c]) for c in COUNT_COLUMNS))
        .where(t.c.brand_id == brand)
        .group_by("segment", "bucket")
    )
    out: dict[Key, Counts] = {}
    for segment, b, *numbers in conn.execute(stmt):
        out[(segment, b if period else None)] = Counts(*(int(n or 0) for n in numbers))
    return out


def social_counts(
    conn: Connection,
    brand: int,
    model: str,
    by: By,
    period: Period,
    per_item: bool = False,
) -> dict[Key, tuple[int, int, int]]:
    """(promoters, passives, detractors) inferred from unsolicited customer text.

    Per author by location (or overall) comes from the maintained votes; other segments
    and per-item counts are computed from the items.
    """
    if per_item or by not in (None, "location") or period not in PERIODS_WITH_VOTES:
        return _social_from_items(conn, brand, model, by, period, per_item)
    v = social_votes
    segment = func.coalesce(v.c.location_id, 0) if by else type_coerce(literal("all"), String)
    stmt = (
        select(segment.label("segment"), v.c.bucket, v.c.category, func.count())
        .where(v.c.brand_id == brand, v.c.model == model, v.c.period == (period or "all"))
        .group_by("segment", v.c.bucket, v.c.category)
    )
    return _by_category(conn.execute(stmt), period)


def _by_category(rows: Any, period: Period) -> dict[Key, tuple[int, int, int]]:
    out: dict[Key, list[int]] = {}
    order = {"promoter": 0, "passive": 1, "detractor": 2}
    for segment_value, b, category, n in rows:
        out.setdefault((segment_value, b if period else None), [0, 0, 0])[order[category]] += n
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def _social_from_items(
    conn: Connection, brand: int, model: str, by: By, period: Period, per_item: bool
) -> dict[Key, tuple[int, int, int]]:
    bucket = period_expr(period)
    segment = _segment(by)
    voter = func.coalesce(
        feedback.c.author, "#" + type_coerce(feedback.c.id, String)
    )  # as voter_key
    rank = func.row_number().over(
        partition_by=[segment, bucket, voter],
        order_by=[feedback.c.created_at.desc(), feedback.c.id.desc()],
    )
    inner = (
        select(
            segment.label("segment"),
            bucket.label("bucket"),
            analyses.c.nps_category.label("category"),
            (literal(1) if per_item else rank).label("rn"),
        )
        .join(analyses, and_(analyses.c.feedback_id == feedback.c.id, analyses.c.model == model))
        .where(
            feedback.c.brand_id == brand,
            feedback.c.source != "survey",
            feedback.c.constituency != "employee",
            analyses.c.scored,
        )
        .subquery()
    )
    stmt = (
        select(inner.c.segment, inner.c.bucket, inner.c.category, func.count())
        .where(inner.c.rn == 1)
        .group_by(inner.c.segment, inner.c.bucket, inner.c.category)
    )
    return _by_category(conn.execute(stmt), period)


def unscored_languages(conn: Connection, brand: int, model: str) -> dict[str, int]:
    """Items the model could not read (unsupported language), by detected language."""
    stmt = (
        select(func.coalesce(analyses.c.language, "und"), func.count())
        .join(feedback, feedback.c.id == analyses.c.feedback_id)
        .where(feedback.c.brand_id == brand, analyses.c.model == model, ~analyses.c.scored)
        .group_by(analyses.c.language)
    )
    return {str(lang): int(n) for lang, n in conn.execute(stmt)}
