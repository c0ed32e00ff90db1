"""Privacy endpoints: erasure and retention, admins only, within the caller's own brand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from accounts_helpers import bearer, member_token
from fastapi.testclient import TestClient
from helpers import item, write_csv
from sqlalchemy import Engine, func, select

from socialcem.accounts.audit import entries
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store.locations import brand_id
from socialcem.store.schema import feedback
from socialcem.store.sources import configure_source
from socialcem.web.app import create_app
from socialcem.web.settings import Settings


@dataclass
class World:
    client: TestClient
    engine: Engine
    admin: dict[str, str]
    analyst: dict[str, str]
    rival: dict[str, str]
    """An admin of another brand."""


@pytest.fixture
def world(store_url: str, tmp_path: Path) -> Iterator[World]:
    app = create_app(Settings(db=store_url))
    with TestClient(app) as client:
        engine: Engine = app.state.engine
        admin = member_token(engine, "acme", "root", "admin")
        analyst = member_token(engine, "acme", "ana", "analyst")
        rival = member_token(engine, "globex", "gus", "admin")
        authors = ["Jane Doe", "Jane Doe", "a/b", "Bo", "Bo", "Cy"]
        rows = [item(i, author=a) for i, a in enumerate(authors)]
        old = [f"2025-01-0{i + 1}T10:00:00Z" for i in range(3)]
        rows += [item(10 + i, source="reddit", created_at=day) for i, day in enumerate(old)]
        for brand in ("acme", "globex"):
            path = write_csv(tmp_path / f"{brand}.csv", rows)
            ingest_file(engine, path, IngestOptions(brand=brand, model=None))
        yield World(client, engine, bearer(admin), bearer(analyst), bearer(rival))


def items(engine: Engine, brand: str, author: str | None = None) -> int:
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        query = select(func.count()).where(feedback.c.brand_id == key)
        if author is not None:
            query = query.where(feedback.c.author == author)
        return int(conn.execute(query).scalar_one())


def test_an_admin_erases_an_author_of_their_own_brand_only(world: World) -> None:
    answer = world.client.delete("/api/v1/authors/Jane%20Doe", headers=world.admin)
    assert answer.status_code == 200
    body = answer.json()
    assert body["items"] == 2 and body["deleted"]["feedback"] == 2
    assert items(world.engine, "acme", "Jane Doe") == 0
    assert items(world.engine, "globex", "Jane Doe") == 2  # another tenant's data
    with world.engine.connect() as conn:
        key = brand_id(conn, "acme", create=False)
        [logged] = entries(conn, key, action="erasure")
    assert logged.actor.startswith("root") and logged.ip is not None
    # a rival admin reaches only their own brand
    answer = world.client.delete("/api/v1/authors/Bo", headers=world.rival)
    assert answer.status_code == 200 and answer.json()["items"] == 2
    assert items(world.engine, "acme", "Bo") == 2
    # nothing stored under a name: zero counts, not an error
    answer = world.client.delete("/api/v1/authors/Nobody", headers=world.admin)
    assert answer.status_code == 200 and answer.json() == {
        "items": 0,
        "deleted": {},
        "scrubbed": {},
    }
    # a name may hold a slash
    answer = world.client.delete(f"/api/v1/authors/{quote('a/b', safe='')}", headers=world.admin)
    assert answer.status_code == 200 and answer.json()["items"] == 1


def test_only_admins_get_in_and_bad_input_names_the_field(world: World) -> None:
    for method, path in (("DELETE", "/api/v1/authors/Bo"), ("POST", "/api/v1/retention/apply")):
        assert world.client.request(method, path).status_code == 401
        assert world.client.request(method, path, headers=world.analyst).status_code == 403
    assert items(world.engine, "acme", "Bo") == 2
    # bad input is a 4xx naming the field
    for bad in ("x" * 201, "nul%00byte"):
        answer = world.client.delete(f"/api/v1/authors/{bad}", headers=world.admin)
        assert answer.status_code == 422 and "author" in answer.text
    answer = world.client.post("/api/v1/retention/apply?dry_run=maybe", headers=world.admin)
    assert answer.status_code == 422 and "dry_run" in answer.text


def test_retention_dry_run_then_apply(world: World) -> None:
    with world.engine.begin() as conn:
        key = brand_id(conn, "acme", create=False)
        assert key is not None
        configure_source(conn, key, "reddit", retention_days=30)
    answer = world.client.post("/api/v1/retention/apply?dry_run=true", headers=world.admin)
    assert answer.status_code == 200
    preview = answer.json()
    assert preview["dry_run"] and preview["items"] == 3 and preview["deleted"] == {}
    assert [s["source"] for s in preview["sources"]] == ["reddit"]
    assert items(world.engine, "acme") == 9
    answer = world.client.post("/api/v1/retention/apply", headers=world.admin)
    assert answer.status_code == 200 and answer.json()["deleted"] == {"feedback": 3}
    assert items(world.engine, "acme") == 6
    assert items(world.engine, "globex") == 9  # the other brand has no such policy
