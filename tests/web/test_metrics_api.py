"""GET /api/v1/metrics: the report's numbers by segment and period, cut to what the caller
sees, every score with its 95% interval."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accounts_helpers import member_token
from fastapi.testclient import TestClient
from helpers import item, write_jsonl
from sqlalchemy import Engine

from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.models import Location
from socialcem.nps import nps
from socialcem.report import build_report
from socialcem.store import open_store
from socialcem.store.locations import add_locations, brand_id
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

Api = tuple[TestClient, dict[str, str], Engine]
PLACES = ["Store A", "Store B", "Store C", "North", ""]


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[Api]:
    """60 items over March and April: NPS ratings, CSAT ratings, employees, one per place."""
    engine = open_store(store_url)
    with engine.begin() as conn:
        tree = [("North", None, "region"), ("Store A", "North", "store"),
                ("Store B", "North", "store"), ("South", None, "region"),
                ("Store C", "South", "store")]  # fmt: skip
        add_locations(conn, brand_id(conn, "acme") or 0, [Location(*t) for t in tree])
    rows = []
    for i in range(60):
        csat = i % 4 == 3
        rows.append(
            item(
                i,
                location=PLACES[i % 5],
                source=("twitter", "survey", "yelp")[i % 3],
                rating=str(1 + i % 5) if csat else str(i % 11),
                rating_scale="csat_1_5" if csat else "nps_0_10",
                constituency="employee" if i % 7 == 0 else "customer",
                created_at=f"2026-0{3 + i % 2}-{1 + i % 28:02d}T10:00:00Z",
            )
        )
    ingest_file(engine, write_jsonl(tmp_path / "m.jsonl", rows), IngestOptions("acme", workers=0))
    tokens = {
        "admin": member_token(engine, "acme", "ann", "admin"),
        "north": member_token(engine, "acme", "nora", "location_manager", "North"),
        "agent": member_token(engine, "acme", "al", "agent", "Store A"),
    }
    with TestClient(create_app(Settings(db=store_url))) as client:
        yield client, tokens, engine
    engine.dispose()


def get(api: Api, who: str = "admin", **params: Any) -> Any:
    client, tokens, _ = api
    headers = {"Authorization": f"Bearer {tokens[who]}"}
    return client.get("/api/v1/metrics", params=params, headers=headers)


def by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["segment"], r["period"]): r for r in rows}


def test_whole_brand_rows_are_the_reports(api: Api) -> None:
    engine = api[2]
    for by, report_by, period in (
        ("location", "location", "month"),
        ("none", None, "all"),
        ("source", "channel", "all"),
        ("touchpoint", "touchpoint", "week"),
    ):
        response = get(api, by=by, period=period)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["metrics"] == ["nps", "social_nps", "enps", "csat"]
        report = build_report(engine, "acme", report_by, None if period == "all" else period)
        expected = {(r.segment, r.period): r.as_dict() | {"segment": r.segment} for r in report}
        got = by_key(body["rows"])
        if by == "none":
            assert set(got) == {("all", "all")}
        assert set(got) == set(expected), by
        for key, row in got.items():
            assert {k: row[k] for k in expected[key]} == expected[key], (by, key)


def test_every_score_carries_its_interval(api: Api) -> None:
    rows = get(api, by="location", period="week").json()["rows"]
    scores = [r[m] for r in rows for m in ("nps", "social_nps", "enps", "csat")]
    assert scores and all(s.keys() == {"value", "low", "high", "n"} for s in scores)
    assert all(s["low"] <= s["value"] <= s["high"] for s in scores if s["value"] is not None)
    assert all(re.fullmatch(r"\d{4}-W\d{2}", r["period"]) for r in rows)


def test_a_date_range_is_exact_to_the_day(api: Api) -> None:
    body = get(api, since="2026-04-01", until="2026-04-10", metric="nps").json()
    [row] = body["rows"]
    april = [i for i in range(60) if i % 2 == 1 and 1 + i % 28 <= 10]
    assert row["items"] == len(april)
    rated = [i % 11 for i in april if i % 4 != 3 and i % 7 != 0]
    mix = (sum(r >= 9 for r in rated), sum(7 <= r <= 8 for r in rated), sum(r <= 6 for r in rated))
    expected = nps(*mix)
    assert row["nps"] == expected.as_dict()
    assert row["social_nps"] is None and row["csat"] is None
    located = get(api, by="location", since="2026-04-01", period="day").json()["rows"]
    assert {r["segment"] for r in located} <= {"North", "Store A", "Store B", "South", "Store C"}
    assert all(r["period"] >= "2026-04-01" for r in located)


def test_metrics_can_be_chosen(api: Api) -> None:
    [row] = get(api, metric=["csat", "enps"]).json()["rows"]
    assert row["nps"] is None and row["social_nps"] is None
    assert row["csat"]["n"] == 15 and row["enps"]["n"] > 0


def test_a_pinned_caller_gets_their_subtree(api: Api) -> None:
    mine = get(api, "north").json()
    assert mine["location"] == "North"
    admin_north = get(api, location="North").json()
    assert mine["rows"] == admin_north["rows"]
    [row] = mine["rows"]
    assert row["segment"] == "North" and row["items"] == 36  # Store A, Store B and North
    segments = {r["segment"] for r in get(api, "north", by="location").json()["rows"]}
    assert segments == {"North", "Store A", "Store B"}
    assert get(api, "north", location="Store A").status_code == 200
    for elsewhere in ("Store C", "South", "Nowhere"):
        response = get(api, "north", location=elsewhere)
        assert response.status_code == 404 and response.json()["detail"].startswith("location:")
    assert get(api, "agent").status_code == 403


BAD: list[tuple[dict[str, Any], str]] = [
    ({"metric": "nss"}, "query.metric"),  # query.metric.0: the first value
    ({"period": "year"}, "query.period"),
    ({"by": "planet"}, "query.by"),
    ({"since": "2026-04-02", "until": "2026-04-01"}, "query.since"),
    ({"until": "soon"}, "query.until"),
    ({"location": "x\x00"}, "query.location"),
]


def test_bad_parameters_are_named(api: Api) -> None:
    for params, field in BAD:
        response = get(api, **params)
        assert response.status_code == 422, params
        [problem] = response.json()["detail"]
        assert problem["field"].startswith(field), (params, problem)
