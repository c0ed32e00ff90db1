"""Small writers for test input files (text written for the tests, never real data), and
the empty stores tests write them into."""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("SOCIALCEM_TEST_PG")
"""A postgresql+psycopg:// URL; .ci/run starts a server and sets it."""


def pg_schema_url(schema: str) -> str:
    """The test server's URL with ``schema`` first on the search path: one schema a test."""
    assert PG_URL is not None
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


def write_csv(
    path: Path, rows: Iterable[Mapping[str, Any]], header: list[str] | None = None
) -> Path:
    rows = list(rows)
    fields = header or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def item(i: int, **overrides: Any) -> dict[str, Any]:
    """A valid feedback record with standard column names."""
    base = {
        "id": f"x{i}",
        "text": f"The barista was friendly and quick, visit {i}",
        "created_at": f"2026-03-{1 + i % 28:02d}T10:{i % 60:02d}:00Z",
        "author": f"user{i % 50}",
        "source": "twitter",
        "location": f"Store {i % 3}",
    }
    base.update(overrides)
    return base


@contextmanager
def fresh_store_url(backend: str, folder: Path) -> Iterator[str]:
    """An empty store URL: a SQLite file in ``folder``, or a PostgreSQL schema of its own
    (dropped afterwards). Skips without PostgreSQL, except in CI, where it fails."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'test.db'}"
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
