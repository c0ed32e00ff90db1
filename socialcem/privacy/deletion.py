"""Deleting items with everything that hangs off them: the one path erasure and retention
share.

The rollups are decremented before the items go (``daily_counts``, ``topic_counts``), the
rows that point at an item are deleted explicitly (found from the schema, so a table added
later is covered, and nothing relies on cascades), and the Social NPS votes the items held
pass to their authors' next latest items: afterwards every table is what counting the
remaining items from scratch would give. An alert raised from items alone (a rule's reach
or keyword alert) goes with the last of its items; anomaly alerts, raised from counts, stay.

Every table pointing at an item needs an index on that column: the database checks the
foreign keys of each deleted item, and without one that check reads the whole table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, and_, delete, select

from socialcem.store.rollups import add_votes, subtract_daily_counts
from socialcem.store.schema import alert_items, alerts, feedback, metadata, notifications
from socialcem.store.topics import subtract_topic_counts

CHUNK = 500
"""Items per statement: IN lists stay far below every driver's parameter limit."""


def delete_items(conn: Connection, brand: int, ids: Sequence[int]) -> Counter[str]:
    """Delete the brand's items ``ids`` and everything that hangs off them, keeping the
    rollups and Social NPS votes exact; returns rows deleted per table."""
    counts: Counter[str] = Counter()
    for start in range(0, len(ids), CHUNK):
        counts.update(_delete_chunk(conn, brand, ids[start : start + CHUNK]))
    return counts


def _dependents() -> Iterator[tuple[Table, Column[Any]]]:
    """Every (table, column) pointing at an item, found from the schema, so a table added
    later is not forgotten here."""
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is feedback.c.id:
                yield table, fk.parent


def _delete_chunk(conn: Connection, brand: int, ids: Sequence[int]) -> Counter[str]:
    chosen = and_(feedback.c.brand_id == brand, feedback.c.id.in_(ids))
    voters = conn.execute(
        select(feedback.c.author).where(chosen, feedback.c.author.is_not(None)).distinct()
    ).scalars()
    authors = list(voters)
    linked = alert_links(conn, ids)
    counts: Counter[str] = Counter()
    subtract_daily_counts(conn, chosen)
    counts["intent_tags"] += subtract_topic_counts(conn, chosen)
    for table, column in _dependents():  # explicit deletes: no reliance on cascades
        counts[table.name] += conn.execute(delete(table).where(column.in_(ids))).rowcount
    counts["feedback"] += conn.execute(delete(feedback).where(chosen)).rowcount
    # A deleted vote was its author's latest item in its bucket: the next latest votes now.
    for start in range(0, len(authors), CHUNK):
        group = authors[start : start + CHUNK]
        add_votes(conn, and_(feedback.c.brand_id == brand, feedback.c.author.in_(group)))
    counts.update(_drop_orphan_alerts(conn, list(linked)))
    return counts


def alert_links(conn: Connection, ids: Sequence[int]) -> dict[int, list[int]]:
    """Alert id -> the given items it links to."""
    out: dict[int, list[int]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = conn.execute(
            select(alert_items.c.alert_id, alert_items.c.feedback_id).where(
                alert_items.c.feedback_id.in_(ids[start : start + CHUNK])
            )
        )
        for alert_id, fid in rows:
            out.setdefault(int(alert_id), []).append(int(fid))
    return out


def _drop_orphan_alerts(conn: Connection, alert_ids: list[int]) -> Counter[str]:
    """Alerts raised from items (a rule's reach or keyword alert) whose items are all gone
    are about nothing left: they go, with their notifications."""
    if not alert_ids:
        return Counter()
    still_linked = select(alert_items.c.alert_id).where(alert_items.c.alert_id == alerts.c.id)
    orphans = list(
        conn.execute(
            select(alerts.c.id).where(
                alerts.c.id.in_(alert_ids), alerts.c.kind.like("rule:%"), ~still_linked.exists()
            )
        ).scalars()
    )
    if not orphans:
        return Counter()
    gone = conn.execute(delete(notifications).where(notifications.c.alert_id.in_(orphans)))
    dropped = conn.execute(delete(alerts).where(alerts.c.id.in_(orphans)))
    return Counter({"notifications": gone.rowcount, "alerts": dropped.rowcount})
