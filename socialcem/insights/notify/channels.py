"""A brand's notification channels: where its alerts and digests go, and from which severity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from socialcem.insights.notify.config import validate_channel
from socialcem.store.schema import channels


@dataclass(frozen=True)
class Channel:
    id: int
    brand_id: int
    name: str
    kind: str
    config: dict[str, Any]
    min_severity: str
    enabled: bool
    created_at: datetime

    def public_config(self) -> dict[str, Any]:
        """The config safe to print: the webhook secret is hidden."""
        return {k: "<hidden>" if k == "secret" else v for k, v in self.config.items()}

    def target(self) -> str:
        """Where messages go, in one line, for listings."""
        if self.kind == "webhook":
            return str(self.config["url"])
        return ", ".join(self.config["to"])


def _channel(row: Mapping[Any, Any]) -> Channel:
    created = row["created_at"]
    return Channel(
        id=row["id"],
        brand_id=row["brand_id"],
        name=row["name"],
        kind=row["kind"],
        config=dict(row["config"]),
        min_severity=row["min_severity"],
        enabled=bool(row["enabled"]),
        created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
    )


def add_channel(
    conn: Connection,
    brand_id: int,
    name: str,
    kind: str,
    config: Mapping[str, Any],
    min_severity: str = "medium",
) -> Channel:
    clean = validate_channel(name, kind, config, min_severity)
    name = name.strip()
    if get_channel(conn, brand_id, name) is not None:
        raise ValueError(f"name: a channel named {name!r} already exists")
    values = {
        "brand_id": brand_id,
        "name": name,
        "kind": kind,
        "config": clean,
        "min_severity": min_severity,
        "enabled": True,
        "created_at": datetime.now(UTC),
    }
    new_id = conn.execute(channels.insert().values(values).returning(channels.c.id)).scalar_one()
    return _channel({"id": new_id, **values})


def get_channel(conn: Connection, brand_id: int, name: str) -> Channel | None:
    query = select(channels).where(channels.c.brand_id == brand_id, channels.c.name == name)
    row = conn.execute(query).mappings().first()
    return None if row is None else _channel(row)


def list_channels(conn: Connection, brand_id: int) -> list[Channel]:
    query = select(channels).where(channels.c.brand_id == brand_id).order_by(channels.c.name)
    return [_channel(row) for row in conn.execute(query).mappings()]


def remove_channel(conn: Connection, brand_id: int, name: str) -> bool:
    """Deletes the channel and, by cascade, its outbox rows; False when there is none."""
    query = delete(channels).where(channels.c.brand_id == brand_id, channels.c.name == name)
    return conn.execute(query).rowcount > 0
