"""Keeping the report aggregates in step with the items, in the writer's transaction.

``daily_counts`` is additive, so new items are folded in with one grouped upsert.
``social_votes`` keeps each author's latest item per location, period and model; an
upsert replaces a vote only with a later item, so replaying a batch changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    and_,
    case,
    delete,
    func,
    select,
    tuple_,
    type_coerce,
)

from socialcem.store.dbapi import placeholders, upsert_insert
from socialcem.store.schema import analyses, daily_counts, feedback

COUNT_COLUMNS = (
    "items", "promoters", "passives", "detractors", "employee_promoters", "employee_passives",
    "employee_detractors", "csat_satisfied", "csat_total",
)  # fmt: skip
# Per-day votes would double the writes for little: a day report counts votes live.
PERIODS = ("all", "week", "month")
EPOCH = date(1970, 1, 1)


def _count(cond: Any) -> Any:
    return func.sum(case((cond, 1), else_=0))


def add_daily_counts(conn: Connection, new_items: Any) -> None:
    """Fold the items selected by the condition ``new_items`` into ``daily_counts``."""
    _fold_daily_counts(conn, new_items, 1)


def subtract_daily_counts(conn: Connection, items: Any) -> None:
    """Take the items selected by ``items`` out of ``daily_counts`` (before deleting them);
    rows left with no items go, so the table is what counting the remaining items gives."""
    _fold_daily_counts(conn, items, -1)
    touched = select(feedback.c.brand_id, feedback.c.day).where(items).distinct()
    conn.execute(
        delete(daily_counts).where(
            tuple_(daily_counts.c.brand_id, daily_counts.c.day).in_(touched),
            daily_counts.c["items"] <= 0,
        )
    )


def _fold_daily_counts(conn: Connection, items: Any, sign: int) -> None:
    employee = feedback.c.constituency == "employee"
    cat = feedback.c.rating_category
    keys = (
        feedback.c.brand_id,
        func.coalesce(feedback.c.location_id, 0),
        feedback.c.day,
        feedback.c.source,
        func.coalesce(feedback.c.touchpoint, ""),
        feedback.c.constituency,
    )
    counted = (
        func.count(),
        _count(and_(~employee, cat == "promoter")),
        _count(and_(~employee, cat == "passive")),
        _count(and_(~employee, cat == "detractor")),
        _count(and_(employee, cat == "promoter")),
        _count(and_(employee, cat == "passive")),
        _count(and_(employee, cat == "detractor")),
        _count(and_(feedback.c.rating_scale == "csat_1_5", feedback.c.rating >= 4)),
        _count(feedback.c.rating_scale == "csat_1_5"),
    )
    values = counted if sign > 0 else tuple(-value for value in counted)
    # Ordered, so concurrent writers lock the rows they share in the same order: no deadlock.
    grouped = (
        select(*keys, func.max(feedback.c.month), *values)
        .where(items)
        .group_by(*keys)
        .order_by(*keys)
    )
    key_names = ("brand_id", "location_id", "day", "source", "touchpoint", "constituency")
    stmt = upsert_insert(conn, daily_counts).from_select(
        [*key_names, "month", *COUNT_COLUMNS], grouped
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key_names),
        set_={name: daily_counts.c[name] + stmt.excluded[name] for name in COUNT_COLUMNS},
    )
    conn.execute(stmt)


def _buckets(day: int, month: int) -> Iterable[tuple[str, int]]:
    yield "all", 0
    yield "week", day - (day + 3) % 7
    yield "month", month


def voter_key(author: str | None, feedback_id: int) -> int:
    """One person, one vote: a stable 62-bit key per author; anonymous items vote alone."""
    if not author:
        return -feedback_id
    return int.from_bytes(hashlib.blake2b(author.encode(), digest_size=8).digest()) >> 2


def add_votes(conn: Connection, new_items: Any, model: str | None = None) -> None:
    """Record the votes of unsolicited customer items selected by ``new_items``."""
    # Timestamps stay in storage form (text on SQLite): compared and written back as-is.
    created_at = (
        type_coerce(feedback.c.created_at, String)
        if conn.dialect.name == "sqlite"
        else feedback.c.created_at
    )
    stmt = (
        select(
            feedback.c.brand_id,
            analyses.c.model,
            func.coalesce(feedback.c.location_id, 0),
            feedback.c.day,
            feedback.c.month,
            feedback.c.author,
            created_at,
            feedback.c.id,
            analyses.c.nps_category,
        )
        .join(analyses, analyses.c.feedback_id == feedback.c.id)
        .where(
            new_items,
            feedback.c.source != "survey",
            feedback.c.constituency != "employee",
            analyses.c.scored,
        )
    )
    if model is not None:
        stmt = stmt.where(analyses.c.model == model)
    latest: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for brand, mdl, loc, day, month, author, created, fid, category in conn.execute(stmt):
        who = voter_key(author, fid)
        for period, bucket in _buckets(day, month):
            key = (brand, mdl, period, loc, bucket, who)
            held = latest.get(key)
            if held is None or (created, fid) > (held[6], held[7]):
                latest[key] = (*key, created, fid, category)
    if latest:  # in key order, like the counts: concurrent writers never lock in a cycle
        _upsert_votes(conn, [latest[key] for key in sorted(latest)])


VOTE_COLUMNS = (
    "brand_id", "model", "period", "location_id", "bucket", "voter", "created_at", "feedback_id",
    "category",
)  # fmt: skip


def _upsert_votes(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Driver executemany: millions of votes at import time make per-row Core work costly."""
    marks = ", ".join(placeholders(conn, len(VOTE_COLUMNS)))
    sql = (
        f"INSERT INTO social_votes ({', '.join(VOTE_COLUMNS)}) VALUES ({marks}) "
        "ON CONFLICT (brand_id, model, period, location_id, bucket, voter) DO UPDATE SET "
        "created_at = excluded.created_at, feedback_id = excluded.feedback_id, "
        "category = excluded.category "
        "WHERE excluded.created_at > social_votes.created_at OR "
        "(excluded.created_at = social_votes.created_at "
        "AND excluded.feedback_id > social_votes.feedback_id)"
    )
    conn.exec_driver_sql(sql, list(rows))
