"""Aggregate counts for reports, computed in the database in one pass per measure.

Only counts leave the database; the NPS arithmetic and intervals live in socialcem.nps.
Social NPS counts one vote per author per segment and period (the latest item), so a
prolific complainer or fan does not outweigh everyone else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    and_,
    case,
    func,
    literal,
    select,
    type_coerce,
)

from socialcem.store.schema import analyses, feedback

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


def period_expr(period: Period) -> ColumnElement[int]:
    if period == "day":
        return feedback.c.day
    if period == "week":  # the Monday of the ISO week: 1970-01-01 was a Thursday
        return feedback.c.day - (feedback.c.day + 3) % 7
    if period == "month":
        return feedback.c.month
    return type_coerce(literal(0), Integer)


def _segment(by: By) -> ColumnElement[Any]:
    """The grouping expression; locations group by id and roll up to parents in Python."""
    if by == "location":
        return func.coalesce(feedback.c.location_id, 0)
    if by is None:
        return type_coerce(literal("all"), String)
    column = {
        "channel": feedback.c.source,
        "touchpoint": feedback.c.touchpoint,
        "constituency": feedback.c.constituency,
    }[by]
    return func.coalesce(column, "(none)")


def _base(columns: Sequence[ColumnElement[Any]], by: By) -> Select[Any]:
    return select(_segment(by).label("segment"), *columns).select_from(feedback)


def _count(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((cond, 1), else_=0))


def rated_counts(
    conn: Connection,
    brand: int,
    by: By,
    period: Period,
    since: int | None = None,
    until: int | None = None,
) -> dict[Key, Counts]:
    bucket = period_expr(period).label("bucket")
    employee = feedback.c.constituency == "employee"
    cat = feedback.c.rating_category
    stmt = _base(
        [
            bucket,
            func.count().label("items"),
            _count(and_(~employee, cat == "promoter")),
            _count(and_(~employee, cat == "passive")),
            _count(and_(~employee, cat == "detractor")),
            _count(and_(employee, cat == "promoter")),
            _count(and_(employee, cat == "passive")),
            _count(and_(employee, cat == "detractor")),
            _count(and_(feedback.c.rating_scale == "csat_1_5", feedback.c.rating >= 4)),
            _count(feedback.c.rating_scale == "csat_1_5"),
        ],
        by,
    ).where(*_filters(brand, since, until))
    out: dict[Key, Counts] = {}
    for segment, b, *numbers in conn.execute(stmt.group_by("segment", "bucket")):
        out[(segment, b if period else None)] = Counts(*(int(n or 0) for n in numbers))
    return out


def social_counts(
    conn: Connection,
    brand: int,
    model: str,
    by: By,
    period: Period,
    since: int | None = None,
    until: int | None = None,
    per_item: bool = False,
) -> dict[Key, tuple[int, int, int]]:
    """(promoters, passives, detractors) inferred from unsolicited customer text."""
    bucket = period_expr(period)
    segment = _segment(by)
    voter = func.coalesce(feedback.c.author, "#" + type_coerce(feedback.c.id, String))
    rank = func.row_number().over(
        partition_by=[segment, bucket, voter],
        order_by=[feedback.c.created_at.desc(), feedback.c.id.desc()],
    )
    inner = (
        _base(
            [
                bucket.label("bucket"),
                analyses.c.nps_category.label("category"),
                (literal(1) if per_item else rank).label("rn"),
            ],
            by,
        )
        .join(analyses, and_(analyses.c.feedback_id == feedback.c.id, analyses.c.model == model))
        .where(
            *_filters(brand, since, until),
            feedback.c.source != "survey",
            feedback.c.constituency != "employee",
        )
        .subquery()
    )
    stmt = (
        select(inner.c.segment, inner.c.bucket, inner.c.category, func.count())
        .where(inner.c.rn == 1)
        .group_by(inner.c.segment, inner.c.bucket, inner.c.category)
    )
    out: dict[Key, list[int]] = {}
    order = {"promoter": 0, "passive": 1, "detractor": 2}
    for segment_value, b, category, n in conn.execute(stmt):
        out.setdefault((segment_value, b if period else None), [0, 0, 0])[order[category]] += n
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def _filters(brand: int, since: int | None, until: int | None) -> list[ColumnElement[bool]]:
    conds = [feedback.c.brand_id == brand]
    if since is not None:
        conds.append(feedback.c.day >= since)
    if until is not None:
        conds.append(feedback.c.day < until)
    return conds
