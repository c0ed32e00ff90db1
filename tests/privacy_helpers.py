"""Checks shared by the erasure and retention tests: a search of every table of a store,
and a recount of the rollups from the remaining items."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, String, Table, cast, delete, inspect, select

from socialcem.store.rollups import add_daily_counts, add_votes
from socialcem.store.schema import daily_counts, feedback, intent_tags, social_votes, topic_counts
from socialcem.store.topics import add_topic_counts

ROLLUPS = (daily_counts, topic_counts, social_votes, intent_tags)


def table_hits(engine: Engine, needles: list[str]) -> dict[str, set[str]]:
    """Table -> the needles found in any of its columns, every column cast to text."""
    found: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for name in inspect(engine).get_table_names():
            table = Table(name, MetaData(), autoload_with=conn)
            columns = [cast(c, String) for c in table.columns]
            for row in conn.execute(select(*columns)):
                blob = "\x1f".join(str(v) for v in row if v is not None)
                for needle in needles:
                    if needle in blob:
                        found.setdefault(name, set()).add(needle)
    return found


def _snapshot(conn: Any, brand: int) -> dict[str, list[tuple[Any, ...]]]:
    return {
        t.name: sorted(tuple(r) for r in conn.execute(select(t).where(t.c.brand_id == brand)))
        for t in ROLLUPS
    }


def assert_rollups_match_recount(engine: Engine, brand: int) -> None:
    """The stored rollups equal what the writer's own functions count from the remaining
    items, rebuilt inside a transaction that is rolled back."""
    with engine.connect() as conn:  # one transaction, never committed
        stored = _snapshot(conn, brand)
        for table in ROLLUPS:
            conn.execute(delete(table).where(table.c.brand_id == brand))
        every = feedback.c.brand_id == brand
        add_daily_counts(conn, every)
        add_votes(conn, every)
        add_topic_counts(conn, every)
        recounted = _snapshot(conn, brand)
        conn.rollback()
    for name, rows in stored.items():
        assert rows == recounted[name], name
