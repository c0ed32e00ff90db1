"""POST /api/v1/webhooks/{brand}/{source}: signed with the source's secret, or 401 alike."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import item
from sqlalchemy import Engine, select

from socialcem.insights.notify.webhook import sign
from socialcem.store.locations import brand_id
from socialcem.store.schema import feedback, quarantine
from socialcem.store.sources import configure_source
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

URL = "/api/v1/webhooks/acme/reviews"


@dataclass
class Hook:
    client: TestClient
    engine: Engine
    secret: str

    def post(
        self,
        body: Any,
        url: str = URL,
        secret: str | None = None,
        age_s: int = 0,
        headers: dict[str, str] | None = None,
    ) -> Any:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        stamp = int(time.time()) - age_s
        signed = {
            "Content-Type": "application/json",
            "X-Socialcem-Timestamp": str(stamp),
            "X-Socialcem-Signature": sign(secret or self.secret, stamp, raw),
        }
        return self.client.post(url, content=raw, headers=signed if headers is None else headers)


@pytest.fixture
def hook(store_url: str) -> Iterator[Hook]:
    app = create_app(Settings(db=store_url, max_bulk_items=3))
    with TestClient(app) as client:
        engine: Engine = app.state.engine
        with engine.begin() as conn:
            acme = brand_id(conn, "acme")
            assert acme is not None
            _, secret = configure_source(conn, acme, "reviews", new_secret=True)
            configure_source(conn, acme, "survey")  # no secret: refuses everything
            globex = brand_id(conn, "globex")
            assert globex is not None
            configure_source(conn, globex, "reviews", new_secret=True)
        assert secret is not None
        yield Hook(client, engine, secret)
        if getattr(app.state, "arrival", None) is not None:
            app.state.arrival.close(flush=False)


def unsourced(i: int, **over: Any) -> dict[str, Any]:
    return {k: v for k, v in item(i, **over).items() if k != "source"}


def stored(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(feedback.c.source, feedback.c.external_id))
        return sorted((s, e) for s, e in rows)


def test_signed_items_are_stored_with_the_paths_source(hook: Hook) -> None:
    one = hook.post(unsourced(1))
    assert one.status_code == 200, one.text
    assert one.json()["created"] == 1
    many = hook.post([unsourced(2), item(3, source="yelp"), unsourced(1)])
    assert [r["status"] for r in many.json()["items"]] == ["created", "created", "duplicate"]
    wrapped = hook.post({"items": [unsourced(4), {"text": "no date"}]})
    assert [r["status"] for r in wrapped.json()["items"]] == ["created", "rejected"]
    assert stored(hook.engine) == [
        ("reviews", "x1"),
        ("reviews", "x2"),
        ("reviews", "x4"),
        ("yelp", "x3"),
    ]
    with hook.engine.connect() as conn:
        files = conn.execute(select(quarantine.c.file, quarantine.c.line)).all()
    assert [(f.rsplit(":", 1)[0], line) for f, line in files] == [("webhook:reviews", 2)]


def test_refusals_all_read_the_same(hook: Hook) -> None:
    body = [unsourced(1)]
    raw = json.dumps(body).encode()
    now = int(time.time())
    answers = [
        hook.post(body, headers={}),
        hook.post(body, headers={"X-Socialcem-Timestamp": str(now)}),
        hook.post(body, secret="not-the-secret"),
        hook.post(body, age_s=302),  # stale
        hook.post(body, age_s=-302),  # from the future
        hook.post(body, url="/api/v1/webhooks/nobody/reviews"),
        hook.post(body, url="/api/v1/webhooks/acme/nothing"),
        hook.post(body, url="/api/v1/webhooks/acme/survey", secret=""),
        hook.post(body, url="/api/v1/webhooks/globex/reviews"),  # another brand's secret
        hook.post(body, url="/api/v1/webhooks/acme/rev%00iews"),
        hook.post(  # a signature over other bytes
            body,
            headers={
                "X-Socialcem-Timestamp": str(now),
                "X-Socialcem-Signature": sign(hook.secret, now, raw + b" "),
            },
        ),
    ]
    assert [a.status_code for a in answers] == [401] * len(answers)
    assert len({a.text for a in answers}) == 1
    assert stored(hook.engine) == []
    fresh = hook.post(body, age_s=290)
    assert fresh.status_code == 200


def test_a_rotated_secret_replaces_the_old(hook: Hook) -> None:
    with hook.engine.begin() as conn:
        acme = brand_id(conn, "acme", create=False)
        assert acme is not None
        _, new = configure_source(conn, acme, "reviews", new_secret=True)
    assert new is not None
    assert hook.post([unsourced(1)]).status_code == 401
    assert hook.post([unsourced(1)], secret=new).status_code == 200


def test_bad_bodies_are_refused_after_the_signature(hook: Hook) -> None:
    assert hook.post(b"{not json").status_code == 422
    assert hook.post(42).status_code == 422
    assert hook.post(b"\xff\xfe").status_code == 422
    assert hook.post(b"[" * 100_000 + b"]" * 100_000).status_code == 422  # nests too deep
    nested = hook.post([{**unsourced(1), "extra": json.loads("[" * 50 + "]" * 50)}])
    assert nested.json()["items"][0]["status"] == "rejected"
    over = hook.post([unsourced(i) for i in range(4)])
    assert over.status_code == 422 and "at most 3 items" in over.text
    assert stored(hook.engine) == []


def test_the_webhook_is_in_the_openapi_document(hook: Hook) -> None:
    spec = hook.client.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/webhooks/{brand}/{source}"]["post"]
    headers = {p["name"].lower() for p in post["parameters"] if p["in"] == "header"}
    assert headers == {"x-socialcem-timestamp", "x-socialcem-signature"}
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    refs = json.dumps(schema)
    assert "#/components/schemas/FeedbackIn" in refs and "#/components/schemas/BulkIn" in refs
    assert "security" not in post
