"""Migrations: a new store is created at head, and the history downgrades and upgrades cleanly."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect

from socialcem.store import StoreError, open_store
from socialcem.store.engine import make_engine, resolve_url
from socialcem.store.migrate import alembic_config, current_revision, head_revision, upgrade

TABLES = {
    "brands",
    "locations",
    "location_paths",
    "feedback",
    "analyses",
    "daily_counts",
    "social_votes",
    "import_runs",
    "quarantine",
}


def test_open_store_creates_the_schema_at_head(store_url: str) -> None:
    engine = open_store(store_url)
    assert current_revision(engine) == head_revision(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_downgrade_to_base_and_back(store_url: str) -> None:
    engine = make_engine(store_url)
    assert upgrade(engine) == (None, head_revision(engine))
    command.downgrade(alembic_config(engine), "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    assert upgrade(engine)[1] == head_revision(engine)
    engine.dispose()


def test_url_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIALCEM_DB", raising=False)
    assert resolve_url() == "sqlite:///socialcem.db"
    monkeypatch.setenv("SOCIALCEM_DB", "sqlite:///env.db")
    assert resolve_url() == "sqlite:///env.db"
    assert resolve_url("sqlite:///flag.db") == "sqlite:///flag.db"


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open"):
        open_store("postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2")


def test_head_constant_matches_the_migration_scripts(tmp_path: object) -> None:
    from socialcem.store.migrate import HEAD

    assert head_revision(make_engine("sqlite://")) == HEAD


def test_migrations_build_exactly_the_tables_schema_py_declares(store_url: str) -> None:
    """The migration history and schema.py must not drift: Alembic finds nothing to add."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from socialcem.store.schema import metadata

    engine = open_store(store_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []
