"""Keeping ``topic_counts`` and ``intent_tags`` in step with the analyses, in the writer's
transaction.

Aspects live in each analysis's JSON ``extra``, which no SQL dialect reads cheaply at a
million rows; so the new rows are read once here, counted in Python and folded into the
rollup with one upsert. Counts are additive: a region or a month is a sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, and_, func, select, true

from socialcem.store.dbapi import placeholders
from socialcem.store.schema import TOPIC_COUNT_COLUMNS, analyses, feedback

ALL_ITEMS = ""
"""The pseudo-topic that counts every analysed item of a segment."""
KEY_COLUMNS = (
    "brand_id", "model", "topic", "location_id", "day", "source", "touchpoint", "constituency",
    "language",
)  # fmt: skip
TAG_COLUMNS = ("brand_id", "model", "intent", "day", "feedback_id")
_CATEGORY = {"promoter": 0, "passive": 1, "detractor": 2}
_TONE = {"negative": 0, "positive": 1}


def _rows(conn: Connection, condition: Any, model: str | None) -> Iterator[tuple[Any, ...]]:
    stmt = (
        select(
            feedback.c.id,
            feedback.c.brand_id,
            analyses.c.model,
            func.coalesce(feedback.c.location_id, 0),
            feedback.c.day,
            feedback.c.month,
            feedback.c.source,
            func.coalesce(feedback.c.touchpoint, ""),
            feedback.c.constituency,
            func.coalesce(analyses.c.language, ""),
            feedback.c.rating_category,
            analyses.c.nps_category,
            analyses.c.scored,
            analyses.c.sentiment,
            analyses.c.extra,
        )
        .join(analyses, analyses.c.feedback_id == feedback.c.id)
        .where(condition, analyses.c.model == model if model is not None else true())
    )
    yield from conn.execute(stmt)


def count_topics(
    rows: Iterable[tuple[Any, ...]], tags: list[tuple[Any, ...]] | None = None
) -> dict[tuple[Any, ...], list[int]]:
    """Rollup rows keyed as KEY_COLUMNS (plus month last) from joined item rows; each
    item's intents are appended to ``tags`` as (brand, model, intent, day, item id).

    An item's category is its rating's when rated, else the model's when the model could
    read the text; an aspect is negative below zero and positive above.
    """
    out: dict[tuple[Any, ...], list[int]] = {}
    for fid, brand, model, loc, day, month, source, tp, who, lang, *rest in rows:
        rated, inferred, scored, tone, extra = rest
        if tags is not None:
            tags.extend((brand, model, i, day, fid) for i in (extra or {}).get("intents") or ())
        category = _CATEGORY.get(rated or (inferred if scored else ""))
        mentions: list[tuple[str, int | None]] = [(ALL_ITEMS, _TONE.get(tone))]
        for topic, score in ((extra or {}).get("aspects") or {}).items():
            mentions.append((topic, 0 if score < 0 else 1 if score > 0 else None))
        for topic, polarity in mentions:
            key = (brand, model, topic, loc, day, source, tp, who, lang, month)
            counts = out.get(key)
            if counts is None:
                counts = out[key] = [0] * len(TOPIC_COUNT_COLUMNS)
            counts[0] += 1
            if category is not None:
                counts[1 + category] += 1
            if polarity is not None:
                counts[4 + polarity] += 1
                if category is not None:
                    counts[6 + 3 * polarity + category] += 1
    return out


def add_topic_counts(conn: Connection, condition: Any, model: str | None = None) -> None:
    """Fold the analyses of the items selected by ``condition`` into ``topic_counts``."""
    tags: list[tuple[Any, ...]] = []
    counted = count_topics(_rows(conn, condition, model), tags)
    if tags:
        marks = ", ".join(placeholders(conn, 5))
        conn.exec_driver_sql(
            "INSERT INTO intent_tags (brand_id, model, intent, day, feedback_id) "
            f"VALUES ({marks}) ON CONFLICT DO NOTHING",
            sorted(tags),
        )
    _fold(conn, counted, 1)


def subtract_topic_counts(conn: Connection, condition: Any, model: str | None = None) -> int:
    """Take the analyses of the items selected by ``condition`` out of ``topic_counts`` and
    drop their intent tags (before deleting the items); rows left with no mentions go, so
    the rollup is what counting the remaining items gives. Returns the tags dropped."""
    tags: list[tuple[Any, ...]] = []
    counted = count_topics(_rows(conn, condition, model), tags)
    if tags:
        marks = " AND ".join(
            f"{c} = {m}" for c, m in zip(TAG_COLUMNS, placeholders(conn, 5), strict=True)
        )
        conn.exec_driver_sql(f"DELETE FROM intent_tags WHERE {marks}", tags)
    _fold(conn, counted, -1)
    if counted:
        keys = " AND ".join(
            f"{c} = {m}"
            for c, m in zip(KEY_COLUMNS, placeholders(conn, len(KEY_COLUMNS)), strict=True)
        )
        conn.exec_driver_sql(
            f"DELETE FROM topic_counts WHERE {keys} AND items <= 0",
            [key[: len(KEY_COLUMNS)] for key in counted],
        )
    return len(tags)


def _fold(conn: Connection, counted: dict[tuple[Any, ...], list[int]], sign: int) -> None:
    if not counted:
        return
    columns = (*KEY_COLUMNS, "month", *TOPIC_COUNT_COLUMNS)
    marks = ", ".join(placeholders(conn, len(columns)))
    updates = ", ".join(f"{c} = topic_counts.{c} + excluded.{c}" for c in TOPIC_COUNT_COLUMNS)
    sql = (
        f"INSERT INTO topic_counts ({', '.join(columns)}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET {updates}"
    )
    # In key order, so concurrent writers lock shared rows in one order (no deadlock).
    rows = [(*key, *(sign * v for v in counted[key])) for key in sorted(counted)]
    conn.exec_driver_sql(sql, rows)


def backfill_topic_counts(conn: Connection, page: int = 50_000) -> None:
    """Fill the rollup from every stored analysis (migration 0003), a page of items at a time."""
    last = 0
    while True:
        upper = conn.execute(
            select(func.max(feedback.c.id)).where(
                feedback.c.id.in_(
                    select(feedback.c.id)
                    .where(feedback.c.id > last)
                    .order_by(feedback.c.id)
                    .limit(page)
                    .scalar_subquery()
                )
            )
        ).scalar()
        if upper is None:
            return
        add_topic_counts(conn, and_(feedback.c.id > last, feedback.c.id <= upper))
        last = int(upper)
