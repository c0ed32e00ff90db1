"""Reads of the topic rollup: totals per topic, and daily series per topic and location."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from socialcem.insights.segment import Segment
from socialcem.store.schema import TOPIC_COUNT_COLUMNS, topic_counts
from socialcem.store.segments import segment_conditions

TopicTotals = dict[str, tuple[int, ...]]
"""Per topic ('' = all items), sums in TOPIC_COUNT_COLUMNS order."""


def topic_totals(conn: Connection, brand: int, model: str, segment: Segment) -> TopicTotals:
    t = topic_counts
    stmt = (
        select(t.c.topic, *(func.sum(t.c[name]) for name in TOPIC_COUNT_COLUMNS))
        .where(t.c.model == model, *segment_conditions(conn, t, brand, segment))
        .group_by(t.c.topic)
    )
    return {str(topic): tuple(int(v or 0) for v in values) for topic, *values in conn.execute(stmt)}


def topic_daily(
    conn: Connection, brand: int, model: str, segment: Segment
) -> list[tuple[str, int, int, int, int]]:
    """(topic, location id, day, mentions, negative mentions) rows within the segment."""
    t = topic_counts
    stmt = (
        select(t.c.topic, t.c.location_id, t.c.day, func.sum(t.c["items"]), func.sum(t.c.negative))
        .where(t.c.model == model, *segment_conditions(conn, t, brand, segment))
        .group_by(t.c.topic, t.c.location_id, t.c.day)
    )
    return [(str(a), int(b), int(c), int(d), int(e)) for a, b, c, d, e in conn.execute(stmt)]


def day_span(conn: Connection, brand: int, model: str) -> tuple[int, int] | None:
    """(first, last) day with analysed items, or None when there are none."""
    t = topic_counts
    first, last = conn.execute(
        select(func.min(t.c.day), func.max(t.c.day)).where(
            t.c.brand_id == brand, t.c.model == model
        )
    ).one()
    return None if first is None else (int(first), int(last))


def latest_day(conn: Connection, brand: int, model: str) -> int | None:
    span = day_span(conn, brand, model)
    return None if span is None else span[1]
