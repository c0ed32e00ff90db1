"""/healthz answers without the database; /readyz only when the store is up and at the head."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from socialcem import __version__
from socialcem.store.migrate import HEAD
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

UNREACHABLE = "postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2"


def test_ready_at_head(store_url: str) -> None:
    with TestClient(create_app(Settings(db=store_url))) as client:
        assert client.get("/healthz").json() == {"status": "ok", "version": __version__}
        answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "revision": HEAD, "reason": None}


@pytest.mark.parametrize("revision", ["0003", "9999"])
def test_not_ready_on_another_schema_revision(store_url: str, revision: str) -> None:
    app = create_app(Settings(db=store_url))
    with app.state.engine.begin() as conn:  # an older store, or one migrated by a newer server
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    with TestClient(app) as client:
        answer = client.get("/readyz")
        assert client.get("/healthz").status_code == 200
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "not ready" and body["revision"] == revision
    assert f"revision {revision}" in body["reason"] and HEAD in body["reason"]
    assert "socialcem db upgrade" in body["reason"]


def test_not_ready_when_postgresql_is_unreachable() -> None:
    client = TestClient(create_app(Settings(db=UNREACHABLE)))
    assert client.get("/healthz").status_code == 200  # the process is fine: no restart
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["reason"].startswith("database unreachable")
    assert "nobody" not in answer.text  # no connection details to anonymous callers


def test_probes_are_never_rate_limited(tmp_path: Path) -> None:
    app = create_app(Settings(db=f"sqlite:///{tmp_path}/h.db", rate_limit_per_minute=1))
    client = TestClient(app)
    statuses = {client.get(path).status_code for path in ["/healthz", "/readyz"] * 5}
    assert statuses == {200}
    assert [client.get("/nowhere").status_code for _ in range(2)] == [404, 429]
