"""Writing ingested items: one transaction a batch, duplicates skipped by the database.

The unique key (brand, source, external_id) makes every write idempotent: a re-run or a
resumed import inserts only what is missing, and the count of skipped rows is exact.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, func, select

from socialcem.models import Analysis, Feedback, Location, Problem
from socialcem.nps import category_from_rating
from socialcem.store.dbapi import encode_time, placeholders, upsert_insert
from socialcem.store.locations import add_location
from socialcem.store.rollups import add_daily_counts, add_votes
from socialcem.store.schema import feedback, quarantine
from socialcem.store.topics import add_topic_counts

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Column order of an encoded item; brand, run, location id and ingest time are added by
# the writer, everything else is encoded in the worker that validated the item.
ITEM_COLUMNS = (
    "source", "external_id", "author", "text", "created_at", "day", "month", "touchpoint",
    "constituency", "rating", "rating_scale", "rating_category", "reach", "url", "extra",
)  # fmt: skip
ANALYSIS_COLUMNS = (
    "model", "sentiment", "p_negative", "p_neutral", "p_positive", "nps_category",
    "p_detractor", "p_passive", "p_promoter", "language", "scored", "extra",
)  # fmt: skip
# extra stays last: placeholders(json_last=True) casts the last value to JSON.

EncodedItem = tuple[tuple[Any, ...], str | None, tuple[Any, ...] | None]
"""(feedback values in ITEM_COLUMNS order, location name, analysis values or None)."""


def encode_item(item: Feedback, analysis: Analysis | None, sqlite: bool) -> EncodedItem:
    """Plain values ready for the driver: built in worker processes, cheap to pickle."""
    moment = item.created_at
    category = (
        category_from_rating(item.rating, item.rating_scale) if item.rating is not None else None
    )
    values = (
        item.source, item.external_id, item.author, item.text, encode_time(moment, sqlite),
        (moment - EPOCH).days, moment.year * 100 + moment.month, item.touchpoint,
        item.constituency.value, item.rating, item.rating_scale.value,
        category.value if category else None, item.reach, item.url,
        json.dumps(item.raw, ensure_ascii=False) if item.raw else None,
    )  # fmt: skip
    return values, item.location, None if analysis is None else encode_analysis(analysis)


def encode_analysis(a: Analysis) -> tuple[Any, ...]:
    return (
        a.model, a.sentiment.value, a.p_negative, a.p_neutral, a.p_positive,
        a.nps_category.value, a.p_detractor, a.p_passive, a.p_promoter, a.language,
        a.scored, json.dumps(a.extra) if a.extra else None,
    )  # fmt: skip


def write_batch(
    conn: Connection,
    brand: int,
    run_id: int,
    items: Sequence[EncodedItem],
    known_locations: dict[str, int],
) -> int:
    """Insert new items and their analyses in the caller's transaction; returns how many were new.

    Goes through the driver's executemany: at ingest rates, SQLAlchemy's per-row parameter
    processing costs more than the database itself.
    """
    now = encode_time(datetime.now(UTC), conn.dialect.name == "sqlite")
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[Any, ...]] = []
    scored: list[tuple[Any, ...]] = []
    for values, location, analysis in items:
        key = (values[0], values[1])
        if key in seen:
            continue
        seen.add(key)
        loc_id = None
        if location:
            loc_id = add_location(conn, brand, Location(location), known_locations)
        rows.append((brand, run_id, loc_id, now, *values))
        if analysis is not None:
            scored.append((*analysis, brand, values[0], values[1], run_id))
    if not rows:
        return 0
    before = conn.execute(select(func.coalesce(func.max(feedback.c.id), 0))).scalar_one()
    columns = ("brand_id", "run_id", "location_id", "ingested_at", *ITEM_COLUMNS)
    marks = placeholders(conn, len(columns), json_last=True)
    sql = (
        # constant column names and placeholders only: the values travel as parameters
        f"INSERT INTO feedback ({', '.join(columns)}) VALUES ({', '.join(marks)}) "
        "ON CONFLICT DO NOTHING"
    )
    inserted = conn.exec_driver_sql(sql, rows).rowcount
    if scored:
        marks = placeholders(conn, len(ANALYSIS_COLUMNS), json_last=True)
        mark = placeholders(conn, 1)[0]
        # The run id picks out exactly the rows this batch inserted, not older duplicates.
        sql = (
            f"INSERT INTO analyses (feedback_id, {', '.join(ANALYSIS_COLUMNS)}) "
            f"SELECT f.id, {', '.join(marks)} FROM feedback f WHERE f.brand_id = {mark} "
            f"AND f.source = {mark} AND f.external_id = {mark} AND f.run_id = {mark} "
            "ON CONFLICT DO NOTHING"
        )
        conn.exec_driver_sql(sql, scored)
    if inserted:
        # Ids only grow, so this run's rows above the old maximum are exactly this batch.
        this_batch = and_(feedback.c.run_id == run_id, feedback.c.id > before)
        add_daily_counts(conn, this_batch)
        if scored:
            add_votes(conn, this_batch)
            add_topic_counts(conn, this_batch)
    return int(inserted)


def write_analyses(conn: Connection, rows: Sequence[tuple[int, Analysis]]) -> int:
    """Analyses of stored items (re-scoring); an existing (item, model) row is kept."""
    if not rows:
        return 0
    columns = ("feedback_id", *ANALYSIS_COLUMNS)
    marks = placeholders(conn, len(columns), json_last=True)
    sql = (
        f"INSERT INTO analyses ({', '.join(columns)}) VALUES ({', '.join(marks)}) "
        "ON CONFLICT DO NOTHING"
    )
    conn.exec_driver_sql(sql, [(fid, *encode_analysis(a)) for fid, a in rows])
    return len(rows)


def insert_ignoring_duplicates(conn: Connection, table: Table) -> Any:
    return upsert_insert(conn, table).on_conflict_do_nothing()


def write_problems(
    conn: Connection, brand: int, run_id: int | None, problems: Sequence[Problem]
) -> int:
    if not problems:
        return 0
    now = datetime.now(UTC)
    rows = [
        {
            "brand_id": brand,
            "run_id": run_id,
            "file": p.file,
            "line": p.line,
            "field": p.field,
            "reason": p.reason[:500],
            "raw": p.raw,
            "created_at": now,
        }
        for p in problems
    ]
    result = conn.execute(insert_ignoring_duplicates(conn, quarantine), rows)
    return max(result.rowcount, 0)
