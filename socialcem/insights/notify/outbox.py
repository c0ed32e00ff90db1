"""The outbox: one row per message and channel, queued where alerts are raised.

Enqueueing is one INSERT in the caller's transaction, so ingest and alerting never wait on
a receiver; ``deliver_due`` (re-exported from ``delivery``) sends apart, with retries.
Rows that run out of attempts stay as dead letters until replayed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select, update

from socialcem.insights.notify.base import SEVERITIES, Message, severity_rank
from socialcem.insights.notify.delivery import DeliveryReport, RetryPolicy, as_utc, deliver_due
from socialcem.store.dbapi import upsert_insert
from socialcem.store.schema import channels, notifications

__all__ = [
    "DeadLetter",
    "DeliveryReport",
    "RetryPolicy",
    "dead_letters",
    "deliver_due",
    "enqueue",
    "replay",
]

n = notifications.c
DEDUPE_KEY_MAX = 200


@dataclass(frozen=True)
class DeadLetter:
    id: int
    channel: str
    kind: str
    dedupe_key: str
    subject: str
    attempts: int
    last_error: str | None
    created_at: datetime


def enqueue(
    conn: Connection,
    brand_id: int,
    kind: str,
    dedupe_key: str,
    message: Message,
    severity: str,
    alert_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queues ``message`` for every enabled channel that wants ``severity``; rows added.

    Enqueueing the same ``dedupe_key`` again adds nothing for channels that already have it.
    """
    if kind != message.kind:
        raise ValueError(f"kind: {kind!r} differs from the message's kind {message.kind!r}")
    if not 0 < len(dedupe_key) <= DEDUPE_KEY_MAX:
        raise ValueError(f"dedupe_key: must be 1 to {DEDUPE_KEY_MAX} characters")
    wanted = SEVERITIES[: severity_rank(severity) + 1]
    targets = conn.execute(
        select(channels.c.id).where(
            channels.c.brand_id == brand_id,
            channels.c.enabled,
            channels.c.min_severity.in_(wanted),
        )
    ).scalars()
    at = as_utc(now or datetime.now(UTC))
    payload = {**message.as_payload(), "severity": severity}
    common = {"brand_id": brand_id, "kind": kind, "dedupe_key": dedupe_key, "alert_id": alert_id}
    queued = {"payload": payload, "status": "pending", "attempts": 0}
    times = {"next_attempt_at": at, "created_at": at}
    rows = [{"channel_id": c, **common, **queued, **times} for c in targets]
    if not rows:
        return 0
    insert = upsert_insert(conn, notifications).values(rows)
    insert = insert.on_conflict_do_nothing(index_elements=["channel_id", "dedupe_key"])
    return len(conn.execute(insert.returning(n.id)).all())


def dead_letters(conn: Connection, brand_id: int) -> list[DeadLetter]:
    query = (
        select(n.id, channels.c.name, n.kind, n.dedupe_key, n.payload)
        .add_columns(n.attempts, n.last_error, n.created_at)
        .join(channels, channels.c.id == n.channel_id)
        .where(n.brand_id == brand_id, n.status == "dead")
        .order_by(n.id)
    )
    return [
        DeadLetter(
            id=r.id,
            channel=r.name,
            kind=r.kind,
            dedupe_key=r.dedupe_key,
            subject=r.payload.get("subject", ""),
            attempts=r.attempts,
            last_error=r.last_error,
            created_at=as_utc(r.created_at),
        )
        for r in conn.execute(query)
    ]


def replay(
    conn: Connection, brand_id: int, ids: Iterable[int] | None = None, now: datetime | None = None
) -> list[int]:
    """Puts dead letters (``ids``, or all of the brand's) back in the queue, due now.

    Ids that are not dead letters of this brand are refused and nothing changes.
    """
    where = [n.brand_id == brand_id, n.status == "dead"]
    if ids is not None:
        wanted = sorted(set(ids))
        found = set(conn.execute(select(n.id).where(*where, n.id.in_(wanted))).scalars())
        missing = [i for i in wanted if i not in found]
        if missing:
            raise ValueError(f"ids: not dead letters of this brand: {missing}")
        where.append(n.id.in_(wanted))
    query = update(notifications).where(*where).returning(n.id)
    query = query.values(
        status="pending", attempts=0, next_attempt_at=as_utc(now or datetime.now(UTC))
    )
    return sorted(conn.execute(query).scalars())
