"""GET /api/v1/drivers and /api/v1/alerts: the insights core, cut to what the caller sees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accounts_helpers import member_token
from fastapi.testclient import TestClient
from helpers import item, write_jsonl
from sqlalchemy import Engine

from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.insights.driver_report import key_drivers
from socialcem.insights.segment import Segment
from socialcem.models import Location
from socialcem.store import open_store
from socialcem.store.alert_store import Raised, save_alerts
from socialcem.store.locations import add_locations, brand_id, location_ids
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

Api = tuple[TestClient, dict[str, str], Engine]
TEXTS = (
    "The staff were rude and the coffee was cold",
    "Lovely barista, great price, quick service",
    "Delivery was late again and the app crashed",
)
DAY = 20_513  # 2026-03-01


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[Api]:
    engine = open_store(store_url)
    with engine.begin() as conn:
        key = brand_id(conn, "acme") or 0
        add_locations(conn, key, [Location("North", None, "region"), Location("Store A", "North")])
    places = ["Store A", "Store B", "North", ""]
    rows = [
        item(i, text=TEXTS[i % 3], location=places[i % 4], score=str(i % 11)) for i in range(48)
    ]
    ingest_file(engine, write_jsonl(tmp_path / "i.jsonl", rows), IngestOptions("acme", workers=0))
    with engine.begin() as conn:
        where = location_ids(conn, key)
        save_alerts(conn, key, [
            Raised("rule:t", "a", "high", "At Store A", {"within": "k"}, DAY, DAY + 6,
                   where["Store A"], None, None, (1,)),
            Raised("rule:t", "b", "low", "At Store B", {}, DAY + 7, DAY + 8, where["Store B"]),
            Raised("rule:t", "w", "medium", "Brand-wide", {}, DAY + 9, DAY + 9),
        ])  # fmt: skip
    tokens = {
        "admin": member_token(engine, "acme", "ann", "admin"),
        "north": member_token(engine, "acme", "nora", "location_manager", "North"),
        "agent": member_token(engine, "acme", "al", "agent", "Store A"),
    }
    with TestClient(create_app(Settings(db=store_url))) as client:
        yield client, tokens, engine
    engine.dispose()


def get(api: Api, path: str, who: str = "admin", **params: Any) -> Any:
    client, tokens, _ = api
    headers = {"Authorization": f"Bearer {tokens[who]}"}
    return client.get(f"/api/v1{path}", params=params, headers=headers)


def test_drivers_are_the_cores_for_the_callers_subtree(api: Api) -> None:
    engine = api[2]
    whole = get(api, "/drivers").json()
    assert whole == key_drivers(engine, "acme").as_dict()
    assert whole["items"] == 48 and whole["drivers"]
    mine = get(api, "/drivers", "north").json()
    assert mine == key_drivers(engine, "acme", Segment(location="North")).as_dict()
    assert mine["segment"]["location"] == "North" and mine["items"] == 24
    dated = get(api, "/drivers", since="2026-03-01", until="2026-03-05").json()
    assert dated["items"] == sum(1 for i in range(48) if 1 + i % 28 <= 5)
    assert get(api, "/drivers", "north", location="Store B").status_code == 404
    assert get(api, "/drivers", location="Nowhere").status_code == 404
    assert get(api, "/drivers", "agent").status_code == 403
    response = get(api, "/drivers", since="2026-03-02", until="2026-03-01")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "query.since"


def test_alerts_newest_first_and_only_the_callers_locations(api: Api) -> None:
    every = get(api, "/alerts").json()["alerts"]
    assert [a["title"] for a in every] == ["Brand-wide", "At Store B", "At Store A"]
    assert every[2]["first_day"] == "2026-03-01" and every[2]["items"] == 1
    assert every[2]["detail"] == {"within": "k"}
    assert [a["title"] for a in get(api, "/alerts", limit=1).json()["alerts"]] == ["Brand-wide"]
    recent = get(api, "/alerts", since="2026-03-09").json()["alerts"]
    assert [a["title"] for a in recent] == ["Brand-wide", "At Store B"]
    # North's manager sees Store A's alert, without the key of a wider one; Store B is not
    # below North, and brand-wide alerts span locations they cannot see.
    [mine] = get(api, "/alerts", "north").json()["alerts"]
    assert mine["title"] == "At Store A" and mine["detail"] == {}
    assert get(api, "/alerts", "agent").status_code == 403
    assert get(api, "/alerts", limit=0).status_code == 422
