"""Driver-level helpers for the hot write paths that bypass SQLAlchemy's per-row work."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table


def encode_time(moment: datetime, sqlite: bool) -> Any:
    """SQLite keeps naive UTC text in SQLAlchemy's own format, so Core reads it back."""
    if sqlite:
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return moment


def upsert_insert(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT, which has ON CONFLICT; imported on use (PostgreSQL's is heavy)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def placeholders(conn: Connection, n: int, json_last: bool = False) -> list[str]:
    """``n`` parameter markers in the driver's style; PostgreSQL needs JSON cast explicitly."""
    mark = "%s" if conn.dialect.paramstyle in ("format", "pyformat") else "?"
    marks = [mark] * n
    if json_last and conn.dialect.name == "postgresql":
        marks[-1] = f"CAST({mark} AS JSON)"
    return marks
