"""Per-source settings of a brand: webhook secret, retention, redaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from socialcem.store.schema import sources
from socialcem.store.writer import insert_ignoring_duplicates


@dataclass(frozen=True, slots=True)
class SourceSettings:
    brand_id: int
    name: str
    webhook_secret: str | None
    retention_days: int | None
    redact: bool


def get_source(conn: Connection, brand_id: int, name: str) -> SourceSettings | None:
    row = conn.execute(
        select(sources).where(sources.c.brand_id == brand_id, sources.c.name == name)
    ).first()
    if row is None:
        return None
    return SourceSettings(
        row.brand_id, row.name, row.webhook_secret, row.retention_days, row.redact
    )


def list_sources(conn: Connection, brand_id: int) -> list[SourceSettings]:
    rows = conn.execute(
        select(sources).where(sources.c.brand_id == brand_id).order_by(sources.c.name)
    )
    return [
        SourceSettings(r.brand_id, r.name, r.webhook_secret, r.retention_days, r.redact)
        for r in rows
    ]


def configure_source(
    conn: Connection,
    brand_id: int,
    name: str,
    *,
    retention_days: int | None = None,
    redact: bool | None = None,
    new_secret: bool = False,
    clear_retention: bool = False,
) -> tuple[SourceSettings, str | None]:
    """Create or update a source; returns its settings and the new secret when one was made.

    Only what is passed changes. A webhook secret is generated here, never chosen by a user,
    so it always has 256 bits.
    """
    if retention_days is not None and retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    conn.execute(
        insert_ignoring_duplicates(conn, sources).values(
            brand_id=brand_id, name=name, created_at=datetime.now(UTC)
        )
    )
    values: dict[str, object] = {}
    secret = secrets.token_urlsafe(32) if new_secret else None
    if secret is not None:
        values["webhook_secret"] = secret
    if retention_days is not None:
        values["retention_days"] = retention_days
    if clear_retention:
        values["retention_days"] = None
    if redact is not None:
        values["redact"] = redact
    if values:
        conn.execute(
            sources.update()
            .where(sources.c.brand_id == brand_id, sources.c.name == name)
            .values(**values)
        )
    settings = get_source(conn, brand_id, name)
    assert settings is not None
    return settings, secret
