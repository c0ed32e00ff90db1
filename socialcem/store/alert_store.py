"""Raised alerts in the store; raising the same alert twice is a no-op."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from socialcem.insights.segment import date_of
from socialcem.store.dbapi import upsert_insert
from socialcem.store.schema import alert_items, alerts, locations

MAX_LINKED_ITEMS = 1_000
"""Items linked per alert: enough to read the story, bounded for a 10,000-item spike."""


@dataclass(frozen=True, slots=True)
class Raised:
    """An alert as evaluation produces it, before it has an id."""

    kind: str
    dedupe_key: str
    severity: str
    title: str
    detail: dict[str, Any]
    first_day: int
    last_day: int
    location_id: int | None = None
    topic: str | None = None
    rule_id: int | None = None
    feedback_ids: tuple[int, ...] = ()


def save_alerts(conn: Connection, brand: int, raised: Sequence[Raised]) -> list[int]:
    """Store new alerts (known dedupe keys are kept as they are, new items are linked to
    them); returns the ids of the alerts that are new."""
    new_ids: list[int] = []
    now = datetime.now(UTC)
    for a in raised:
        found = conn.execute(
            select(alerts.c.id).where(
                alerts.c.brand_id == brand, alerts.c.dedupe_key == a.dedupe_key
            )
        ).scalar()
        if found is None:
            found = conn.execute(
                alerts.insert()
                .values(
                    brand_id=brand,
                    kind=a.kind,
                    rule_id=a.rule_id,
                    dedupe_key=a.dedupe_key,
                    severity=a.severity,
                    title=a.title[:300],
                    detail=a.detail,
                    location_id=a.location_id,
                    topic=a.topic,
                    first_day=a.first_day,
                    last_day=a.last_day,
                    status="open",
                    created_at=now,
                )
                .returning(alerts.c.id)
            ).scalar_one()
            new_ids.append(int(found))
        if a.feedback_ids:
            links = [
                {"alert_id": found, "feedback_id": f} for f in a.feedback_ids[:MAX_LINKED_ITEMS]
            ]
            conn.execute(upsert_insert(conn, alert_items).on_conflict_do_nothing(), links)
    return new_ids


def stored_keys(conn: Connection, brand: int, since_day: int) -> set[str]:
    """Keys of the alerts already raised for windows ending on or after ``since_day``."""
    rows = conn.execute(
        select(alerts.c.dedupe_key).where(
            alerts.c.brand_id == brand, alerts.c.last_day >= since_day
        )
    )
    return set(rows.scalars())


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: int
    kind: str
    severity: str
    title: str
    location: str | None
    topic: str | None
    first_day: int
    last_day: int
    status: str
    items: int
    detail: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["first_day"] = date_of(self.first_day).isoformat()
        out["last_day"] = date_of(self.last_day).isoformat()
        return out


def list_alerts(
    conn: Connection,
    brand: int,
    since_day: int | None = None,
    limit: int = 100,
    location_ids: Collection[int] | None = None,
) -> list[StoredAlert]:
    """Newest window first; ``items`` is how many items the alert links to.
    ``location_ids`` keeps the alerts of those locations only (none brand-wide)."""
    a = alerts.c
    linked = (
        select(func.count())
        .where(alert_items.c.alert_id == a.id)
        .correlate(alerts)
        .scalar_subquery()
    )
    stmt = (
        select(
            a.id,
            a.kind,
            a.severity,
            a.title,
            locations.c.name,
            a.topic,
            a.first_day,
            a.last_day,
            a.status,
            linked,
            a.detail,
        )
        .outerjoin(locations, locations.c.id == a.location_id)
        .where(a.brand_id == brand)
        .order_by(a.last_day.desc(), a.id.desc())
        .limit(limit)
    )
    if since_day is not None:
        stmt = stmt.where(a.last_day >= since_day)
    if location_ids is not None:
        stmt = stmt.where(a.location_id.in_(sorted(location_ids)))
    return [StoredAlert(*row[:9], int(row[9]), dict(row[10])) for row in conn.execute(stmt)]


def alert_item_ids(conn: Connection, alert_id: int) -> list[int]:
    rows = conn.execute(
        select(alert_items.c.feedback_id)
        .where(alert_items.c.alert_id == alert_id)
        .order_by(alert_items.c.feedback_id)
    )
    return [int(r[0]) for r in rows]
