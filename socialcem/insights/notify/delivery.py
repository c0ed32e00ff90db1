"""Sending what the outbox holds: claim a due row, send it, record the outcome.

Delivery is at least once. Each row is claimed in its own short transaction (the attempt
counted before sending, so a run killed mid-send cannot retry a row forever), sent outside
any transaction so no lock waits on a receiver, and its outcome recorded in another.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, select, update

from socialcem.insights.notify.base import Message, Notifier, notifier_for
from socialcem.store.schema import channels, notifications

n = notifications.c
ERROR_MAX = 500
INTERRUPTED = "interrupted: the delivery run ended before recording an outcome"
_DELIVERY_IDS = uuid.UUID("5c0c1a1e-6e0f-4d1b-9a53-0d7f1e5e1a2b")

NotifierFactory = Callable[[str, Mapping[str, Any]], Notifier]


@dataclass(frozen=True)
class RetryPolicy:
    """Waits base_s, 2 * base_s, 4 * base_s... (at most cap_s) between attempts."""

    base_s: float = 60.0
    cap_s: float = 3600.0
    max_attempts: int = 6
    # How long a claimed row stays invisible to other runs while it is being sent.
    lease_s: float = 300.0

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt."""
        return timedelta(seconds=min(self.cap_s, self.base_s * 2.0 ** min(attempts - 1, 40)))


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    # Left for a later run because their channel already failed in this one.
    deferred: int = 0


def as_utc(moment: datetime) -> datetime:
    """Aware UTC: SQLite hands back naive UTC, and SQLite compares times as UTC text."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _set(engine: Engine, row_id: int, *where: Any, **values: Any) -> bool:
    """Updates one row in a transaction of its own; False when ``where`` no longer holds."""
    query = update(notifications).where(n.id == row_id, *where).values(values)
    with engine.begin() as conn:
        return conn.execute(query).rowcount == 1


def _attempt(row: Row[Any], factory: NotifierFactory) -> str | None:
    """None when sent, else why not; nothing a notifier does escapes as an exception."""
    delivery_id = uuid.uuid5(_DELIVERY_IDS, f"{row.id}/{as_utc(row.created_at).isoformat()}")
    try:
        factory(row.channel_kind, row.config).deliver(
            Message.from_payload(row.payload), str(delivery_id)
        )
    except Exception as exc:
        return (str(exc) or type(exc).__name__)[:ERROR_MAX]
    return None


def deliver_due(
    engine: Engine,
    now: datetime | None = None,
    limit: int = 500,
    notifier: NotifierFactory = notifier_for,
    policy: RetryPolicy | None = None,
) -> DeliveryReport:
    """Sends up to ``limit`` due rows, oldest first; never raises for a failed delivery.

    After a channel fails, its other rows wait for the next run: a dead receiver costs
    one timeout per run, not one per queued message.
    """
    policy = policy or RetryPolicy()
    fixed = None if now is None else as_utc(now)

    def clock() -> datetime:
        return fixed if fixed is not None else datetime.now(UTC)

    query = (
        select(n.id, n.channel_id, n.payload, n.attempts, n.created_at)
        .add_columns(channels.c.kind.label("channel_kind"), channels.c.config)
        .join(channels, channels.c.id == n.channel_id)
        .where(n.status == "pending", n.next_attempt_at <= clock(), channels.c.enabled)
        .order_by(n.next_attempt_at, n.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        due = conn.execute(query).all()
    counts = {"sent": 0, "retried": 0, "dead": 0, "deferred": 0}
    failing: set[int] = set()
    for row in due:
        if row.channel_id in failing:
            counts["deferred"] += 1
            continue
        at, attempts = clock(), row.attempts + 1
        # Unchanged since it was read: otherwise another run has it.
        unclaimed = (n.status == "pending", n.attempts == row.attempts, n.next_attempt_at <= at)
        if row.attempts >= policy.max_attempts:  # every attempt so far was interrupted
            counts["dead"] += _set(engine, row.id, *unclaimed, status="dead")
            continue
        lease = at + timedelta(seconds=policy.lease_s)
        claim = {"attempts": attempts, "next_attempt_at": lease, "last_error": INTERRUPTED}
        if not _set(engine, row.id, *unclaimed, **claim):
            continue
        error = _attempt(row, notifier)
        if error is None:
            _set(engine, row.id, status="sent", sent_at=clock(), last_error=None)
            counts["sent"] += 1
            continue
        failing.add(row.channel_id)
        if attempts >= policy.max_attempts:
            _set(engine, row.id, status="dead", last_error=error)
            counts["dead"] += 1
        else:
            retry_at = clock() + policy.delay(attempts)
            _set(engine, row.id, next_attempt_at=retry_at, last_error=error)
            counts["retried"] += 1
    return DeliveryReport(**counts)
