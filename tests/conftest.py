"""Shared fixtures: a real store on SQLite and, when configured, on PostgreSQL.

PostgreSQL tests need $SOCIALCEM_TEST_PG (a postgresql+psycopg:// URL); .ci/run starts a
server and sets it. In CI (CI=true) a missing server is an error, never a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import fresh_store_url
from sqlalchemy import Engine

from socialcem.demo.generator import DemoBrand
from socialcem.demo.load import load_demo
from socialcem.store import open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL: a SQLite file, or a PostgreSQL schema of its own."""
    with fresh_store_url(request.param, tmp_path) as url:
        yield url


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
    with fresh_store_url(request.param, tmp_path_factory.mktemp("demo")) as url:
        engine = open_store(url)
        demo, _ = load_demo(engine, items=DEMO_ITEMS, workers=0)
        yield engine, demo
        engine.dispose()
