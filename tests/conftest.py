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
from helpers import PG_URL, pg_schema_url
from sqlalchemy import Engine, create_engine, text

from socialcem.demo.generator import DemoBrand
from socialcem.demo.load import load_demo
from socialcem.store import open_store


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
        yield pg_schema_url(schema)
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


# A demo brand loaded once per module, on SQLite and on PostgreSQL: the insight views are
# read-only over it, so the load (a few seconds) is shared.
DEMO_ITEMS = 8_000


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, DemoBrand]]:
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    else:
        if PG_URL is None:
            if os.environ.get("CI"):
                pytest.fail("SOCIALCEM_TEST_PG is not set in CI: PostgreSQL tests must run")
            pytest.skip("PostgreSQL not configured (set SOCIALCEM_TEST_PG)")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        url = pg_schema_url(schema)
    engine = open_store(url)
    demo, _ = load_demo(engine, items=DEMO_ITEMS, workers=0)
    yield engine, demo
    engine.dispose()
    if schema is not None:
        admin = create_engine(PG_URL or "")
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
