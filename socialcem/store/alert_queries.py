"""Reads that alert evaluation needs: recent items by reach or text, weekly counts, and the
items behind a topic's spike. Every read is bounded by a window of days (indexed)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from socialcem.store.queries import period_expr
from socialcem.store.schema import analyses, daily_counts, feedback

ItemRow = tuple[int, int, int, str]
"""(feedback id, location id or 0, day, text)"""


def _window(brand: int, first_day: int, last_day: int) -> list[Any]:
    return [feedback.c.brand_id == brand, feedback.c.day.between(first_day, last_day)]


def reach_detractors(
    conn: Connection, brand: int, model: str, first_day: int, last_day: int, min_reach: int
) -> list[tuple[int, int, int, int, str]]:
    """(id, location id, day, reach, text) of detractors with at least ``min_reach``."""
    f, a = feedback.c, analyses.c
    inferred = and_(f.rating_category.is_(None), a.scored, a.nps_category == "detractor")
    stmt = (
        select(f.id, func.coalesce(f.location_id, 0), f.day, f.reach, f.text)
        .outerjoin(analyses, and_(a.feedback_id == f.id, a.model == model))
        .where(*_window(brand, first_day, last_day), f.reach >= min_reach)
        .where(or_(f.rating_category == "detractor", inferred))
        .order_by(f.reach.desc(), f.id)
    )
    return [(int(i), int(loc), int(d), int(r), str(t)) for i, loc, d, r, t in conn.execute(stmt)]


def items_in_window(
    conn: Connection, brand: int, first_day: int, last_day: int, page: int = 5_000
) -> Iterator[ItemRow]:
    """Every item of the window in id order, read in pages so memory stays flat."""
    last = 0
    while True:
        rows = conn.execute(
            select(
                feedback.c.id,
                func.coalesce(feedback.c.location_id, 0),
                feedback.c.day,
                feedback.c.text,
            )
            .where(*_window(brand, first_day, last_day), feedback.c.id > last)
            .order_by(feedback.c.id)
            .limit(page)
        ).all()
        if not rows:
            return
        yield from ((int(i), int(loc), int(d), str(t)) for i, loc, d, t in rows)
        last = int(rows[-1][0])


def weekly_location_mixes(
    conn: Connection, brand: int, first_day: int, last_day: int
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """Survey (promoters, passives, detractors) per (location id, Monday) in the window."""
    t = daily_counts
    week = period_expr("week", t.c.day, t.c.month).label("week")
    stmt = (
        select(
            t.c.location_id,
            week,
            func.sum(t.c.promoters),
            func.sum(t.c.passives),
            func.sum(t.c.detractors),
        )
        .where(t.c.brand_id == brand, t.c.day.between(first_day, last_day))
        .group_by(t.c.location_id, week)
    )
    return {
        (int(loc), int(w)): (int(p), int(pa), int(d)) for loc, w, p, pa, d in conn.execute(stmt)
    }


def topic_items(
    conn: Connection,
    brand: int,
    model: str,
    location_ids: Sequence[int] | None,
    first_day: int,
    last_day: int,
    topic: str,
    negative_only: bool,
) -> list[int]:
    """Ids of the customer items behind a topic's series ('' = any item) in the window: the
    series are customers' (anomaly_alerts.history_segment)."""
    f, a = feedback.c, analyses.c
    stmt = (
        select(f.id, a.sentiment, a.extra)
        .join(analyses, and_(a.feedback_id == f.id, a.model == model))
        .where(*_window(brand, first_day, last_day), f.constituency == "customer")
        .order_by(f.id)
    )
    if location_ids is not None:
        stmt = stmt.where(func.coalesce(f.location_id, 0).in_(list(location_ids)))
    out = []
    for fid, sentiment, extra in conn.execute(stmt):
        if topic:
            score = ((extra or {}).get("aspects") or {}).get(topic)
            if score is None or (negative_only and score >= 0):
                continue
        elif negative_only and sentiment != "negative":
            continue
        out.append(int(fid))
    return out
