"""The feedback store: SQLAlchemy Core over SQLite (default) or PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from socialcem.store.engine import StoreError, make_engine, resolve_url
from socialcem.store.migrate import ensure_current


def open_store(url: str | None = None, migrate: bool = True) -> Engine:
    """An engine on a store whose schema is current (a new store is created on first use)."""
    engine = make_engine(url)
    if migrate:
        try:
            ensure_current(engine)
        except Exception as exc:
            if isinstance(exc, StoreError):
                raise
            reason = f"{type(exc).__name__}: {exc}"
            raise StoreError(f"cannot open the store at {engine.url!r}: {reason}") from exc
    return engine


__all__ = ["StoreError", "open_store", "resolve_url"]
