"""Opening a store: one URL, SQLite (embedded default) or PostgreSQL, schema kept current."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import NoSuchModuleError

DEFAULT_URL = "sqlite:///socialcem.db"
ENV_VAR = "SOCIALCEM_DB"


class StoreError(Exception):
    """A store problem a user can fix (bad URL, missing driver, unreachable server)."""


def resolve_url(url: str | None = None) -> str:
    """The --db flag wins, then $SOCIALCEM_DB, then socialcem.db in the working folder."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (report, dashboard) run while an import writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    raw = resolve_url(url)
    try:
        parsed = make_url(raw)
    except Exception as exc:
        raise StoreError(f"not a database URL: {raw!r} ({exc})") from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(f"folder for the SQLite database does not exist: {folder}")
    try:
        engine = create_engine(parsed)
    except NoSuchModuleError:
        raise StoreError(
            f"unsupported database {parsed.drivername!r}: use sqlite:///FILE or postgresql://..."
        ) from None
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"driver for {backend} is not installed ({exc.name}); "
            "install the extra: pip install 'socialcem[postgres]'"
        ) from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine
