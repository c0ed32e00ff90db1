"""GET /api/v1/feedback and /api/v1/feedback/{id}: filters, cursor, errors naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accounts_helpers import member_token
from fastapi.testclient import TestClient
from helpers import item, write_jsonl

from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store import open_store
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

Api = tuple[TestClient, dict[str, str]]


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[Api]:
    """25 items over three stores (one employee, a few rated, two mentioning refunds)."""
    engine = open_store(store_url)
    rows = [
        item(
            i,
            score=str(i % 11) if i % 3 == 0 else "",
            touchpoint="checkout" if i < 5 else "",
            constituency="customer",
        )
        for i in range(25)
    ]
    rows[7].update(text="I want a REFUND now", constituency="employee")
    rows[8].update(text="refund_policy is 100% unclear")
    ingest_file(
        engine, write_jsonl(tmp_path / "in.jsonl", rows), IngestOptions(brand="acme", workers=0)
    )
    tokens = {
        "admin": member_token(engine, "acme", "ann", "admin"),
        "metrics_only": member_token(engine, "acme", "mo", "analyst", scopes=["metrics:read"]),
        "store1": member_token(engine, "acme", "lou", "location_manager", "Store 1"),
    }
    engine.dispose()
    with TestClient(create_app(Settings(db=store_url))) as client:
        yield client, tokens


def get(api: Api, path: str, who: str = "admin", **params: Any) -> Any:
    client, tokens = api
    headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
    return client.get(f"/api/v1{path}", params=params, headers=headers)


def test_following_next_cursor_reads_every_item_once_newest_first(api: Api) -> None:
    seen: list[int] = []
    params: dict[str, Any] = {"limit": 7}
    pages = 0
    while True:
        response = get(api, "/feedback", **params)
        assert response.status_code == 200
        body = response.json()
        seen += [i["id"] for i in body["items"]]
        pages += 1
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert pages == 4 and len(seen) == 25 and seen == sorted(seen, reverse=True)
    first = get(api, "/feedback", limit=1).json()["items"][0]
    assert first["external_id"] == "x24" and first["analysis"]["model"] == "linear-cx@1"
    assert first["created_at"].endswith(("Z", "+00:00"))


FILTERS: list[tuple[dict[str, str], set[str]]] = [
    ({"q": "refund"}, {"x7", "x8"}),
    ({"q": "100%"}, {"x8"}),
    ({"constituency": "employee"}, {"x7"}),
    ({"location": "Store 2", "touchpoint": "checkout"}, {"x2"}),
    ({"author": "user3", "rating_category": "detractor"}, {"x3"}),
    ({"since": "2026-03-03", "until": "2026-03-03"}, {"x2"}),
]


def test_filters_as_query_parameters(api: Api) -> None:
    for params, external_ids in FILTERS:
        response = get(api, "/feedback", **params)
        assert response.status_code == 200, response.text
        assert {i["external_id"] for i in response.json()["items"]} == external_ids, params


def test_sentiment_filter_reads_the_default_models_analysis(api: Api) -> None:
    every = get(api, "/feedback", limit=500).json()["items"]
    negative = get(api, "/feedback", sentiment="negative", limit=500).json()["items"]
    assert [i["id"] for i in negative] == [
        i["id"] for i in every if i["analysis"]["sentiment"] == "negative"
    ]


def test_one_item_by_id(api: Api) -> None:
    listed = get(api, "/feedback", limit=3).json()["items"]
    for entry in listed:
        response = get(api, f"/feedback/{entry['id']}")
        assert response.status_code == 200 and response.json() == entry
    mine = get(api, "/feedback", who="store1", limit=500).json()["items"]
    assert {i["location"] for i in mine} == {"Store 1"} and len(mine) == 8
    elsewhere = next(i for i in get(api, "/feedback", location="Store 2").json()["items"])
    assert get(api, f"/feedback/{elsewhere['id']}", who="store1").status_code == 404
    assert get(api, "/feedback/999999").status_code == 404
    assert get(api, f"/feedback/{2**70}").status_code == 404


def field_of(response: Any) -> str:
    detail = response.json()["detail"]
    return detail if isinstance(detail, str) else " ".join(p["field"] for p in detail)


BAD_INPUT: list[tuple[str, dict[str, Any], int, str]] = [
    ("/feedback", {"limit": 0}, 422, "query.limit"),
    ("/feedback", {"limit": 501}, 422, "query.limit"),
    ("/feedback", {"limit": "ten"}, 422, "query.limit"),
    ("/feedback", {"since": "yesterday"}, 422, "query.since"),
    ("/feedback", {"since": "2026-03-05", "until": "2026-03-01"}, 422, "query.since"),
    ("/feedback", {"constituency": "alien"}, 422, "query.constituency"),
    ("/feedback", {"sentiment": "happy"}, 422, "query.sentiment"),
    ("/feedback", {"rating_category": "fan"}, 422, "query.rating_category"),
    ("/feedback", {"q": ""}, 422, "query.q"),
    ("/feedback", {"q": "x" * 201}, 422, "query.q"),
    ("/feedback", {"source": "a\x00b"}, 422, "query.source"),
    ("/feedback", {"author": "a" * 201}, 422, "query.author"),
    ("/feedback", {"cursor": "bm90IGEgY3Vyc29y"}, 400, "cursor:"),
    ("/feedback", {"location": "Atlantis"}, 404, "location:"),
    ("/feedback/abc", {}, 422, "path.feedback_id"),
    ("/feedback/1.5", {}, 422, "path.feedback_id"),
]


def test_bad_input_is_a_4xx_naming_the_parameter(api: Api) -> None:
    for path, params, status, field in BAD_INPUT:
        response = get(api, path, **params)
        assert response.status_code == status, (path, params, response.text)
        assert field in field_of(response), (path, params, response.text)


def test_a_cursor_only_continues_the_listing_it_came_from(api: Api) -> None:
    cursor = get(api, "/feedback", limit=2).json()["next_cursor"]
    assert get(api, "/feedback", limit=2, cursor=cursor).status_code == 200
    response = get(api, "/feedback", limit=2, cursor=cursor, source="yelp")
    assert response.status_code == 400 and "cursor" in response.json()["detail"]


def test_tokens_and_scopes(api: Api) -> None:
    assert get(api, "/feedback", who="").status_code == 401
    assert get(api, "/feedback/1", who="").status_code == 401
    response = get(api, "/feedback", who="metrics_only")
    assert response.status_code == 403 and "feedback:read" in response.json()["detail"]
