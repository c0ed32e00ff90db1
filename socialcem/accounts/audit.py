"""The audit trail: who did what, when, written in the same transaction as the act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from socialcem.store.schema import audit_log

MAX_TARGET_CHARS = 300


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    brand_id: int | None
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, Any] | None
    ip: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "brand_id": self.brand_id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
            "ip": self.ip,
        }


def record(
    conn: Connection,
    brand_id: int | None,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """Append one entry; call it inside the transaction that does the act, so both or neither."""
    conn.execute(
        insert(audit_log).values(
            brand_id=brand_id,
            at=datetime.now(UTC),
            actor=actor[:200],
            action=action[:40],
            target=None if target is None else target[:MAX_TARGET_CHARS],
            detail=detail,
            ip=ip,
        )
    )


def entries(
    conn: Connection,
    brand_id: int | None,
    limit: int = 100,
    action: str | None = None,
    before_id: int | None = None,
) -> list[AuditEntry]:
    """Newest first; ``before_id`` pages back through older entries."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if brand_id is not None:
        query = query.where(audit_log.c.brand_id == brand_id)
    if action is not None:
        query = query.where(audit_log.c.action == action)
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    out = []
    for row in conn.execute(query):
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
        out.append(
            AuditEntry(
                row.id, row.brand_id, at, row.actor, row.action, row.target, row.detail, row.ip
            )
        )
    return out
