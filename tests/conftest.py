"""Shared fixtures: a real store on SQLite and, when configured, on PostgreSQL.

PostgreSQL tests need $SOCIALCEM_TEST_PG (a postgresql+psycopg:// URL); .ci/run starts a
server and sets it. In CI (CI=true) a missing server is an error, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from socialcem.store import open_store

PG_URL = os.environ.get("SOCIALCEM_TEST_PG")


def _pg_schema_url(schema: str) -> str:
    assert PG_URL is not None
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if PG_URL is None:
        if os.environ.get("CI"):
            pytest.fail("SOCIALCEM_TEST_PG is not set in CI: PostgreSQL tests must run")
        pytest.skip("PostgreSQL not configured (set SOCIALCEM_TEST_PG)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Engine]:
    engine = open_store(f"sqlite:///{tmp_path / 'test.db'}")
    yield engine
    engine.dispose()
