"""POST /api/v1/feedback and /bulk: created, duplicate, refused (and quarantined), in order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from accounts_helpers import bearer, member_token
from fastapi.testclient import TestClient
from helpers import item
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, func, select

from socialcem.insights.rules import Rule
from socialcem.store.alert_rules import add_rule
from socialcem.store.alert_store import alert_item_ids, list_alerts
from socialcem.store.locations import brand_id
from socialcem.store.schema import analyses, feedback, quarantine
from socialcem.store.sources import configure_source
from socialcem.web.app import create_app
from socialcem.web.models_in import MAX_EXTRA_FIELDS
from socialcem.web.settings import Settings

FEEDBACK = "/api/v1/feedback"
BULK = "/api/v1/feedback/bulk"


@dataclass
class World:
    client: TestClient
    engine: Engine
    writer: dict[str, str]
    viewer: dict[str, str]
    rival: dict[str, str]
    """A writer of another brand."""


@pytest.fixture
def world(store_url: str) -> Iterator[World]:
    app = create_app(Settings(db=store_url, max_bulk_items=5))
    with TestClient(app) as client:
        engine: Engine = app.state.engine
        writer = member_token(engine, "acme", "ana", "analyst")
        viewer = member_token(engine, "acme", "vic", "viewer")
        rival = member_token(engine, "globex", "gus", "analyst")
        yield World(client, engine, bearer(writer), bearer(viewer), bearer(rival))
        if getattr(app.state, "arrival", None) is not None:
            app.state.arrival.close(flush=False)


def brand_of(engine: Engine, name: str) -> int:
    with engine.connect() as conn:
        found = brand_id(conn, name, create=False)
    assert found is not None
    return found


def test_create_then_duplicate(world: World) -> None:
    first = world.client.post(FEEDBACK, json=item(1), headers=world.writer)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "created"
    again = world.client.post(FEEDBACK, json=item(1), headers=world.writer)
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate", "id": first.json()["id"]}
    with world.engine.connect() as conn:
        row = conn.execute(select(feedback.c.brand_id, feedback.c.external_id)).one()
        scored = conn.execute(select(func.count()).select_from(analyses)).scalar()
    assert tuple(row) == (brand_of(world.engine, "acme"), "x1") and scored == 1


def test_refused_item_names_the_field_and_is_quarantined(world: World) -> None:
    answer = world.client.post(FEEDBACK, json=item(1, created_at="soon"), headers=world.writer)
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["loc"] == ["body", "created_at"] and "unparseable date" in problem["msg"]
    typed = world.client.post(FEEDBACK, json={**item(2), "reach": "many"}, headers=world.writer)
    assert typed.status_code == 422
    assert [p["loc"] for p in typed.json()["detail"]] == [["body", "reach"]]
    with world.engine.connect() as conn:
        rows = conn.execute(select(quarantine.c.file, quarantine.c.line, quarantine.c.field))
        quarantined = sorted((f.split(":")[0], line, field) for f, line, field in rows)
        stored = conn.execute(select(func.count()).select_from(feedback)).scalar()
    assert quarantined == [("api", 1, "created_at"), ("api", 1, "reach")]
    assert stored == 0


def test_a_refused_item_with_a_lone_surrogate_source_is_a_422(world: World) -> None:
    """JSON can carry "\\ud800", which UTF-8 cannot encode: repaired, never a 500."""
    body = (
        b'{"text": "hi", "created_at": "2026-05-01T09:00:00Z", "source": "\\ud800", "rating": "x"}'
    )
    headers = {**world.writer, "Content-Type": "application/json"}
    answer = world.client.post(FEEDBACK, content=body, headers=headers)
    assert answer.status_code == 422, answer.text
    bulk = b'{"items": [' + body + b', {"text": "fine", "created_at": "2026-05-01T09:00:00Z"}]}'
    answered = world.client.post(BULK, content=bulk, headers=headers)
    assert answered.status_code == 200, answered.text
    assert [r["status"] for r in answered.json()["items"]] == ["rejected", "created"]


def test_a_body_that_is_not_an_item_is_refused(world: World) -> None:
    for body in ([item(1)], "text", 42, None):
        answer = world.client.post(FEEDBACK, json=body, headers=world.writer)
        assert answer.status_code == 422, body
    answer = world.client.post(
        FEEDBACK, content=b"{not json", headers={**world.writer, "content-type": "application/json"}
    )
    assert answer.status_code == 422


def test_bulk_answers_each_item_in_order(world: World) -> None:
    world.client.post(FEEDBACK, json=item(1), headers=world.writer)
    items: list[Any] = [item(2), item(1), {"text": "no date"}, 7, item(3, rating=6)]
    answer = world.client.post(BULK, json={"items": items}, headers=world.writer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["created"], body["duplicates"], body["rejected"]) == (1, 1, 3)
    assert [r["index"] for r in body["items"]] == [0, 1, 2, 3, 4]
    assert [r["status"] for r in body["items"]] == [
        "created",
        "duplicate",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert body["items"][2]["problems"] == [{"field": "created_at", "message": "Field required"}]
    assert body["items"][3]["problems"][0]["field"] == "item"
    assert body["items"][4]["problems"][0]["field"] == "rating"  # a rating needs its scale
    assert body["items"][0]["problems"] is None and body["items"][2]["id"] is None
    with world.engine.connect() as conn:
        lines = sorted(conn.execute(select(quarantine.c.line)).scalars())
    assert lines == [3, 4, 5]  # 1-based positions in the request


def test_bulk_limits(world: World) -> None:
    over = world.client.post(
        BULK, json={"items": [item(i) for i in range(6)]}, headers=world.writer
    )
    assert over.status_code == 422
    assert over.json()["detail"][0]["loc"] == ["body", "items"]
    assert "at most 5 items" in over.json()["detail"][0]["msg"]
    empty = world.client.post(BULK, json={"items": []}, headers=world.writer)
    assert empty.json() == {"created": 0, "duplicates": 0, "rejected": 0, "items": []}
    wrong = world.client.post(BULK, json=[item(1)], headers=world.writer)
    assert wrong.status_code == 422
    extra = {f"field{i}": i for i in range(MAX_EXTRA_FIELDS + 1)}
    answer = world.client.post(BULK, json={"items": [{**item(1), **extra}]}, headers=world.writer)
    assert answer.json()["items"][0]["status"] == "rejected"
    long_text = world.client.post(FEEDBACK, json=item(2, text="a" * 32_001), headers=world.writer)
    assert long_text.status_code == 422
    assert long_text.json()["detail"][0]["loc"] == ["body", "text"]


def test_writing_needs_the_scope_and_a_token(world: World) -> None:
    assert world.client.post(FEEDBACK, json=item(1)).status_code == 401
    assert world.client.post(FEEDBACK, json=item(1), headers=world.viewer).status_code == 403
    assert world.client.post(BULK, json={"items": []}, headers=world.viewer).status_code == 403


def test_items_go_to_the_callers_brand(world: World) -> None:
    mine = world.client.post(FEEDBACK, json=item(1), headers=world.writer).json()
    theirs = world.client.post(FEEDBACK, json=item(1), headers=world.rival)
    assert theirs.status_code == 201 and theirs.json()["id"] != mine["id"]
    with world.engine.connect() as conn:
        owners = dict(conn.execute(select(feedback.c.id, feedback.c.brand_id)).all())
    assert owners == {
        mine["id"]: brand_of(world.engine, "acme"),
        theirs.json()["id"]: brand_of(world.engine, "globex"),
    }


def test_keyword_rule_raises_its_alert_on_arrival(world: World) -> None:
    acme = brand_of(world.engine, "acme")
    with world.engine.begin() as conn:
        add_rule(conn, acme, Rule("refunds", "keyword", {"words": ["refund*"]}))
    posted = world.client.post(
        FEEDBACK, json=item(1, text="I want a refund, the cup leaked"), headers=world.writer
    )
    assert posted.status_code == 201
    world.client.app.state.arrival.flush()  # type: ignore[attr-defined]
    with world.engine.connect() as conn:
        [alert] = list_alerts(conn, acme)
        assert alert.kind == "rule:keyword"
        assert alert_item_ids(conn, alert.id) == [posted.json()["id"]]


def test_redaction_when_the_source_asks(world: World) -> None:
    with world.engine.begin() as conn:
        configure_source(conn, brand_of(world.engine, "acme"), "chat", redact=True)
    text = "Reach me at jane.doe@example.com please"
    answer = world.client.post(
        FEEDBACK, json=item(1, source="chat", text=text), headers=world.writer
    )
    with world.engine.connect() as conn:
        stored = conn.execute(
            select(feedback.c.text).where(feedback.c.id == answer.json()["id"])
        ).scalar()
    assert stored == "Reach me at [email] please"


def test_items_are_counted_for_metrics(world: World) -> None:
    world.client.post(BULK, json={"items": [item(1), item(2), {"x": 1}]}, headers=world.writer)
    text = world.client.get("/metrics").text
    found = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert found[("socialcem_items_ingested_total", (("source", "twitter"), ("via", "bulk")))] == 2
    quarantined = ("socialcem_items_quarantined_total", (("source", "unknown"), ("via", "bulk")))
    assert found[quarantined] == 1


def test_openapi_documents_the_item(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    schema = spec["components"]["schemas"]["FeedbackIn"]
    assert schema["required"] == ["text", "created_at"]
    assert schema["properties"]["text"]["maxLength"] == 32_000
    assert schema["additionalProperties"] is True
    post = spec["paths"][FEEDBACK]["post"]
    assert {"200", "201", "401", "403", "422"} <= set(post["responses"])
    bulk = spec["paths"][BULK]["post"]["requestBody"]["content"]["application/json"]
    assert bulk["schema"] == {"$ref": "#/components/schemas/BulkIn"}


def test_numeric_ids_are_taken_as_text(world: World) -> None:
    answer = world.client.post(FEEDBACK, json=item(1, id=1234567890123), headers=world.writer)
    assert answer.status_code == 201
    again = world.client.post(FEEDBACK, json=item(1, id="1234567890123"), headers=world.writer)
    assert again.json() == {"status": "duplicate", "id": answer.json()["id"]}
    refused = world.client.post(FEEDBACK, json=item(2, id=True), headers=world.writer)
    assert refused.status_code == 422
    assert [p["loc"] for p in refused.json()["detail"]] == [["body", "id"]]


def test_text_the_store_cannot_encode_is_refused_not_a_500(world: World) -> None:
    lone = '"\\ud83d"'  # a JSON escape of half a surrogate pair: no UTF-8 for it
    for body in (
        f'{{"text": {lone}, "created_at": "2026-03-01T10:00:00Z"}}',
        f'{{"text": "ok", "created_at": "2026-03-01T10:00:00Z", "note": {lone}}}',
    ):
        headers = {**world.writer, "content-type": "application/json"}
        answer = world.client.post(FEEDBACK, content=body, headers=headers)
        assert answer.status_code == 422, answer.text
