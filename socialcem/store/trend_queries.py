"""Counts per period for one segment: survey counts, Social NPS votes, topic mentions.

Each read picks the cheapest source that can answer: the daily rollup, the maintained
votes (location and week or month), the topic rollup; only Social NPS narrowed by another
dimension falls back to the items themselves.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, String, and_, func, select, type_coerce

from socialcem.insights.segment import Segment
from socialcem.store.queries import Counts, Period, period_expr
from socialcem.store.rollups import COUNT_COLUMNS
from socialcem.store.schema import (
    TOPIC_COUNT_COLUMNS,
    analyses,
    daily_counts,
    feedback,
    social_votes,
    topic_counts,
)
from socialcem.store.segments import segment_conditions, subtree

Mix = tuple[int, int, int]
"""(promoters, passives, detractors)"""


def rated_series(
    conn: Connection, brand: int, segment: Segment, period: Period
) -> dict[int, Counts]:
    if segment.language is not None:
        raise ValueError("survey counts have no language; narrow by topic or channel instead")
    t = daily_counts
    bucket = period_expr(period, t.c.day, t.c.month).label("bucket")
    stmt = (
        select(bucket, *(func.sum(t.c[c]) for c in COUNT_COLUMNS))
        .where(*segment_conditions(conn, t, brand, segment))
        .group_by(bucket)
    )
    return {int(b): Counts(*(int(n or 0) for n in values)) for b, *values in conn.execute(stmt)}


def social_series(
    conn: Connection, brand: int, model: str, segment: Segment, period: Period
) -> dict[int, Mix]:
    """One vote per author and period (the latest item) over unsolicited text of customers
    and partners, as the report counts it. The maintained votes answer whole weeks or months
    of a location; a date range or another dimension is counted from the items, so a
    window never widens to whole buckets."""
    plain = replace(segment, location=None, constituency=None)
    if period in ("week", "month") and plain == Segment(constituency=None):
        return _from_votes(conn, brand, model, segment, period)
    return _from_items(conn, brand, model, segment, period)


def _from_votes(
    conn: Connection, brand: int, model: str, segment: Segment, period: Period
) -> dict[int, Mix]:
    v = social_votes
    where: list[Any] = [v.c.brand_id == brand, v.c.model == model, v.c.period == period]
    if segment.location is not None:
        where.append(v.c.location_id.in_(subtree(conn, brand, segment.location)))
    stmt = select(v.c.bucket, v.c.category, func.count()).where(*where)
    return _mixes(conn.execute(stmt.group_by(v.c.bucket, v.c.category)))


def _from_items(
    conn: Connection, brand: int, model: str, segment: Segment, period: Period
) -> dict[int, Mix]:
    f = feedback
    narrowed = replace(segment, language=None, constituency=None)
    where = [*segment_conditions(conn, f, brand, narrowed), f.c.source != "survey"]
    where += [f.c.constituency != "employee", analyses.c.scored]
    if segment.language is not None:
        where.append(analyses.c.language == segment.language)
    bucket = period_expr(period)
    voter = func.coalesce(f.c.author, "#" + type_coerce(f.c.id, String))
    rank = func.row_number().over(
        partition_by=[bucket, voter], order_by=[f.c.created_at.desc(), f.c.id.desc()]
    )
    inner = (
        select(bucket.label("bucket"), analyses.c.nps_category.label("category"), rank.label("rn"))
        .join(analyses, and_(analyses.c.feedback_id == f.c.id, analyses.c.model == model))
        .where(*where)
        .subquery()
    )
    stmt = (
        select(inner.c.bucket, inner.c.category, func.count())
        .where(inner.c.rn == 1)
        .group_by(inner.c.bucket, inner.c.category)
    )
    return _mixes(conn.execute(stmt))


def _mixes(rows: Any) -> dict[int, Mix]:
    order = {"promoter": 0, "passive": 1, "detractor": 2}
    out: dict[int, list[int]] = {}
    for bucket, category, n in rows:
        out.setdefault(int(bucket), [0, 0, 0])[order[category]] += int(n)
    return {b: (m[0], m[1], m[2]) for b, m in out.items()}


def topic_series(
    conn: Connection, brand: int, model: str, segment: Segment, period: Period, topic: str
) -> dict[int, tuple[int, ...]]:
    """Sums of TOPIC_COUNT_COLUMNS per period for one topic ('' = all items)."""
    t = topic_counts
    bucket = period_expr(period, t.c.day, t.c.month).label("bucket")
    stmt = (
        select(bucket, *(func.sum(t.c[c]) for c in TOPIC_COUNT_COLUMNS))
        .where(t.c.model == model, t.c.topic == topic, *segment_conditions(conn, t, brand, segment))
        .group_by(bucket)
    )
    return {int(b): tuple(int(n or 0) for n in values) for b, *values in conn.execute(stmt)}
