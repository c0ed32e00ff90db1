"""/metrics: route templates (never raw paths), items counted from routes, outbox queue lag."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, insert

from socialcem.store.locations import brand_id
from socialcem.store.outbox_stats import outbox_stats
from socialcem.store.schema import channels, notifications
from socialcem.web import telemetry
from socialcem.web.app import create_app
from socialcem.web.settings import Settings
from socialcem.web.telemetry import count_ingested, count_quarantined

UNREACHABLE = "postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


def counting_app(url: str, **settings: object) -> FastAPI:
    app = create_app(Settings(db=url, **settings))  # type: ignore[arg-type]

    @app.post("/test/ingest/{source}")
    def ingest(source: str, n: int) -> dict[str, int]:  # sync: runs in a worker thread
        count_ingested(source, "bulk", n)
        count_quarantined(source, "bulk", 1)
        return {"n": n}

    return app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(counting_app(f"sqlite:///{tmp_path / 'm.db'}")) as c:
        yield c


def test_requests_are_labelled_by_route_template_never_raw_path(client: TestClient) -> None:
    for token_id in (101, 102, 103):
        client.get(f"/api/v1/tokens/{token_id}")
    client.get("/no/such/path/4242")
    text = client.get("/metrics").text
    assert "/api/v1/tokens/101" not in text and "4242" not in text
    [(status, count)] = [
        (dict(labels)["status"], v)
        for (name, labels), v in samples(text).items()
        if name == "socialcem_http_requests_total"
        and dict(labels)["route"] == "/api/v1/tokens/{token_id}"
    ]
    assert count == 3.0 and status in {"401", "405"}
    assert (
        value(text, "socialcem_http_requests_total", method="GET", route="unmatched", status="404")
        == 1.0
    )
    seconds = "socialcem_http_request_duration_seconds_count"
    assert value(text, seconds, method="GET", route="unmatched") == 1.0


def test_items_counted_from_a_route_thread(client: TestClient) -> None:
    client.post("/test/ingest/twitter", params={"n": 3})
    client.post("/test/ingest/twitter", params={"n": 2})
    client.post("/test/ingest/yelp", params={"n": 0})
    text = client.get("/metrics").text
    assert value(text, "socialcem_items_ingested_total", source="twitter", via="bulk") == 5.0
    assert value(text, "socialcem_items_quarantined_total", source="yelp", via="bulk") == 1.0
    assert value(text, "socialcem_items_ingested_total", source="yelp", via="bulk") is None


def test_counting_outside_a_request_does_nothing() -> None:
    count_ingested("twitter", "cli", 5)  # no app, no error


def test_item_label_values_are_bounded(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telemetry, "MAX_ITEM_LABELS", 2)
    for source in ("a", "b", "c", "d"):
        client.post(f"/test/ingest/{source}", params={"n": 1})
    text = client.get("/metrics").text
    assert value(text, "socialcem_items_ingested_total", source="other", via="bulk") == 2.0
    assert value(text, "socialcem_items_ingested_total", source="c", via="bulk") is None


def test_each_app_has_its_own_registry(tmp_path: Path) -> None:
    first = TestClient(counting_app(f"sqlite:///{tmp_path / 'a.db'}"))
    second = TestClient(counting_app(f"sqlite:///{tmp_path / 'b.db'}"))
    first.post("/test/ingest/email", params={"n": 4})
    assert (
        value(
            first.get("/metrics").text, "socialcem_items_ingested_total", source="email", via="bulk"
        )
        == 4.0
    )
    assert "email" not in second.get("/metrics").text


def test_metrics_can_be_disabled_or_need_a_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    assert (
        TestClient(create_app(Settings(db=url, metrics_enabled=False))).get("/metrics").status_code
        == 404
    )
    guarded = TestClient(create_app(Settings(db=url, metrics_token="s3cret")))  # type: ignore[arg-type]
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = guarded.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")


def add_notifications(engine: Engine, now: datetime) -> None:
    with engine.begin() as conn:
        brand = brand_id(conn, "acme")
        channel = conn.execute(
            insert(channels)
            .values(brand_id=brand, name="ops", kind="webhook", config={}, min_severity="info")
            .values(created_at=now)
            .returning(channels.c.id)
        ).scalar_one()
        common = {"brand_id": brand, "channel_id": channel, "kind": "alert", "payload": {}}
        rows = [
            ("pending", timedelta(minutes=10)),
            ("pending", timedelta(minutes=2)),
            ("dead", timedelta(hours=5)),
            ("sent", timedelta(days=1)),
        ]
        for i, (status, age) in enumerate(rows):
            conn.execute(
                insert(notifications).values(
                    **common,
                    dedupe_key=f"k{i}",
                    status=status,
                    attempts=0,
                    next_attempt_at=now - age,
                    created_at=now - age,
                )
            )


def test_outbox_lag_from_the_store(store: Engine) -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with store.connect() as conn:
        empty = outbox_stats(conn, now)
    assert (empty.pending, empty.dead, empty.oldest_pending_age_s) == (0, 0, 0.0)
    add_notifications(store, now)
    with store.connect() as conn:
        stats = outbox_stats(conn, now)
    assert (stats.pending, stats.dead, stats.oldest_pending_age_s) == (2, 1, 600.0)


def test_outbox_gauges_at_scrape_time(store_url: str) -> None:
    with TestClient(create_app(Settings(db=store_url))) as client:
        add_notifications(client.app.state.engine, datetime.now(UTC))  # type: ignore[attr-defined]
        text = client.get("/metrics").text
    assert value(text, "socialcem_store_up") == 1.0
    assert value(text, "socialcem_outbox_pending") == 2.0
    assert value(text, "socialcem_outbox_dead") == 1.0
    lag = value(text, "socialcem_outbox_oldest_pending_age_seconds")
    assert lag is not None and 600.0 <= lag < 660.0


def test_store_down_shows_as_a_gauge_not_an_error() -> None:
    answer = TestClient(create_app(Settings(db=UNREACHABLE))).get("/metrics")
    assert answer.status_code == 200
    assert value(answer.text, "socialcem_store_up") == 0.0
    assert value(answer.text, "socialcem_outbox_pending") is None
