"""Writing ingested items: one transaction a batch, duplicates skipped by the database.

The unique key (brand, source, external_id) makes every write idempotent: a re-run or a
resumed import inserts only what is missing, and the count of skipped rows is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from socialcem.models import Analysis, Feedback, Location, Problem
from socialcem.nps import category_from_rating
from socialcem.store.locations import add_location
from socialcem.store.schema import analyses, feedback, quarantine

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def insert_ignoring_duplicates(conn: Connection, table: Table) -> Any:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()


def feedback_row(
    item: Feedback, brand: int, location_id: int | None, now: datetime
) -> dict[str, Any]:
    moment = item.created_at
    category = (
        category_from_rating(item.rating, item.rating_scale) if item.rating is not None else None
    )
    return {
        "brand_id": brand,
        "source": item.source,
        "external_id": item.external_id,
        "author": item.author,
        "text": item.text,
        "created_at": moment,
        "day": (moment - EPOCH).days,
        "month": moment.year * 100 + moment.month,
        "location_id": location_id,
        "touchpoint": item.touchpoint,
        "constituency": item.constituency.value,
        "rating": item.rating,
        "rating_scale": item.rating_scale.value,
        "rating_category": category.value if category else None,
        "reach": item.reach,
        "url": item.url,
        "extra": item.raw,
        "ingested_at": now,
    }


def analysis_row(feedback_id: int, a: Analysis) -> dict[str, Any]:
    return {
        "feedback_id": feedback_id,
        "model": a.model,
        "sentiment": a.sentiment.value,
        "p_negative": a.p_negative,
        "p_neutral": a.p_neutral,
        "p_positive": a.p_positive,
        "nps_category": a.nps_category.value,
        "p_detractor": a.p_detractor,
        "p_passive": a.p_passive,
        "p_promoter": a.p_promoter,
        "language": a.language,
        "extra": a.extra or None,
    }


def write_batch(
    conn: Connection,
    brand: int,
    items: Sequence[tuple[Feedback, Analysis | None]],
    known_locations: dict[str, int],
) -> int:
    """Insert new items and their analyses; returns how many were new."""
    now = datetime.now(UTC)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    by_key: dict[tuple[str, str], Analysis | None] = {}
    for item, analysis in items:
        key = (item.source, item.external_id)
        if key in rows:
            continue
        loc = item.location
        loc_id = add_location(conn, brand, Location(loc), known_locations) if loc else None
        rows[key] = feedback_row(item, brand, loc_id, now)
        by_key[key] = analysis
    if not rows:
        return 0
    stmt = insert_ignoring_duplicates(conn, feedback).returning(
        feedback.c.id, feedback.c.source, feedback.c.external_id
    )
    inserted = conn.execute(stmt, list(rows.values())).all()
    scored = [
        analysis_row(fid, a)
        for fid, source, ext in inserted
        if (a := by_key[(source, ext)]) is not None
    ]
    if scored:
        conn.execute(insert_ignoring_duplicates(conn, analyses), scored)
    return len(inserted)


def write_analyses(conn: Connection, rows: Sequence[tuple[int, Analysis]]) -> int:
    if not rows:
        return 0
    conn.execute(insert_ignoring_duplicates(conn, analyses), [analysis_row(i, a) for i, a in rows])
    return len(rows)


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
