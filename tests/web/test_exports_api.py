"""GET /api/v1/exports/feedback: streamed CSV, JSON Lines and Parquet, audited."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from accounts_helpers import member_token
from fastapi.testclient import TestClient
from helpers import item, write_jsonl
from sqlalchemy import Engine

from socialcem import exports
from socialcem.accounts.audit import entries
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store import open_store
from socialcem.store.locations import brand_id
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

Api = tuple[TestClient, dict[str, str], Engine]
ATTACK = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[Api]:
    engine = open_store(store_url)
    rows = [item(i, text=ATTACK if i == 4 else f"visit {i}", author=f"@u{i}") for i in range(25)]
    ingest_file(engine, write_jsonl(tmp_path / "e.jsonl", rows), IngestOptions("acme", workers=0))
    tokens = {
        "admin": member_token(engine, "acme", "ann", "admin"),
        "viewer": member_token(engine, "acme", "vic", "viewer"),
        "store1": member_token(engine, "acme", "lou", "location_manager", "Store 1"),
    }
    with TestClient(create_app(Settings(db=store_url))) as client:
        yield client, tokens, engine
    engine.dispose()


def export(api: Api, who: str = "admin", **params: Any) -> Any:
    client, tokens, _ = api
    headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
    return client.get("/api/v1/exports/feedback", params=params, headers=headers)


def rows_of(response: Any) -> list[dict[str, Any]]:
    kind = response.headers["content-type"]
    if kind.startswith("text/csv"):
        return list(csv.DictReader(io.StringIO(response.text)))
    if kind.startswith("application/x-ndjson"):
        return [json.loads(line) for line in response.text.splitlines()]
    assert kind == "application/vnd.apache.parquet"
    return list(pq.read_table(io.BytesIO(response.content)).to_pylist())


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_each_format_streams_every_page(
    api: Api, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "PAGE_SIZE", 4)  # 25 items: seven pages
    response = export(api, format=fmt)
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="feedback-acme-')
    assert disposition.endswith(f'.{fmt}"')
    rows = rows_of(response)
    assert [r["external_id"] for r in rows] == [f"x{i}" for i in range(24, -1, -1)]
    attack = next(r for r in rows if r["external_id"] == "x4")
    if fmt == "csv":  # a spreadsheet would run these: neutralised
        assert attack["text"] == "'" + ATTACK and attack["author"] == "'@u4"
    else:  # data formats keep the text as it was written
        assert attack["text"] == ATTACK and attack["author"] == "@u4"
    only = rows_of(export(api, format=fmt, q="VISIT 1", location="Store 1"))
    assert sorted(r["external_id"] for r in only) == ["x1", "x10", "x13", "x16", "x19"]


def test_exports_are_audited_with_caller_filters_and_address(api: Api) -> None:
    assert export(api, format="jsonl", source="twitter").status_code == 200
    assert export(api, "store1", format="parquet").status_code == 200
    assert export(api, "viewer").status_code == 403  # not exported: not audited
    engine = api[2]
    with engine.connect() as conn:
        logged = entries(conn, brand_id(conn, "acme", create=False), action="export")
    assert [e.detail for e in logged] == [
        {"format": "parquet", "filters": {}},
        {"format": "jsonl", "filters": {"source": "twitter"}},
    ]
    assert logged[0].actor.startswith("lou (token ") and logged[1].actor.startswith("ann (")
    assert logged[0].ip == "testclient" and logged[0].target == "feedback"


def test_refusals(api: Api) -> None:
    assert export(api, "").status_code == 401
    response = export(api, "viewer")
    assert response.status_code == 403 and "'export'" in response.json()["detail"]
    response = export(api, format="xlsx")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "query.format"
    response = export(api, "store1", location="Store 2")
    assert response.status_code == 404 and response.json()["detail"].startswith("location:")
    mine = rows_of(export(api, "store1", format="jsonl"))
    assert {r["location"] for r in mine} == {"Store 1"} and len(mine) == 8
