"""Queue lag of the notification outbox, read at scrape time by /metrics.

A growing pending count or an old oldest-pending item means delivery has stalled (a dead
receiver, or no delivery job running); dead letters need a human (``socialcem notify``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from socialcem.store.schema import notifications

n = notifications.c


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class OutboxStats:
    pending: int
    dead: int
    oldest_pending_age_s: float  # 0 when nothing is pending


def outbox_stats(conn: Connection, now: datetime | None = None) -> OutboxStats:
    """Counts by status (all brands) and the age of the oldest pending message."""
    query = select(n.status, func.count()).where(n.status.in_(("pending", "dead")))
    counts = {status: int(count) for status, count in conn.execute(query.group_by(n.status))}
    oldest = conn.execute(select(func.min(n.created_at)).where(n.status == "pending")).scalar()
    age = 0.0
    if oldest is not None:
        age = max(0.0, (_utc(now or datetime.now(UTC)) - _utc(oldest)).total_seconds())
    return OutboxStats(counts.get("pending", 0), counts.get("dead", 0), age)
