"""Reads behind the risk and sales-lead lists, bounded by a window of days (indexed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, and_, func, select

from socialcem.store.schema import analyses, feedback, intent_tags, locations, topic_counts

ItemView = tuple[int, int, str, str | None, str | None, int | None, float, float, str, Any]
"""(id, day, source, author, location name, reach, p_negative, p_positive, text, extra)"""


def _items(conn: Connection, brand: int, model: str, first: int, last: int) -> Any:
    f, a = feedback.c, analyses.c
    return (
        select(
            f.id,
            f.day,
            f.source,
            f.author,
            locations.c.name,
            f.reach,
            a.p_negative,
            a.p_positive,
            f.text,
            a.extra,
        )
        .join(analyses, and_(a.feedback_id == f.id, a.model == model))
        .outerjoin(locations, locations.c.id == f.location_id)
        .where(f.brand_id == brand, f.day.between(first, last), f.constituency != "employee")
    )


def negative_reach(
    conn: Connection, brand: int, model: str, first: int, last: int, limit: int
) -> list[ItemView]:
    """Items most likely negative weighted by how many people saw them."""
    a, f = analyses.c, feedback.c
    stmt = (
        _items(conn, brand, model, first, last)
        .where(a.sentiment == "negative", f.reach > 0)
        .order_by((f.reach * a.p_negative).desc(), f.id)
        .limit(limit)
    )
    return [tuple(row) for row in conn.execute(stmt)]


def with_intent(
    conn: Connection, brand: int, model: str, first: int, last: int, intent: str
) -> Iterator[ItemView]:
    """Items tagged with ``intent`` at analysis, found through the intent_tags index."""
    t = intent_tags.c
    tagged = select(t.feedback_id).where(
        t.brand_id == brand, t.model == model, t.intent == intent, t.day.between(first, last)
    )
    stmt = _items(conn, brand, model, first, last).where(feedback.c.id.in_(tagged))
    for row in conn.execute(stmt):
        yield tuple(row)


def negative_by_topic_and_day(
    conn: Connection, brand: int, model: str, first: int, last: int
) -> list[tuple[str, int, int]]:
    """(topic, day, negative mentions) for customers, topics only."""
    t = topic_counts.c
    stmt = (
        select(t.topic, t.day, func.sum(t.negative))
        .where(
            t.brand_id == brand,
            t.model == model,
            t.topic != "",
            t.day.between(first, last),
            t.constituency != "employee",
        )
        .group_by(t.topic, t.day)
    )
    return [(str(topic), int(day), int(n or 0)) for topic, day, n in conn.execute(stmt)]
