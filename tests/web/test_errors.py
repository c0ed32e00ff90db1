"""Errors: 422 naming the field, 413 while the body streams, 503 for the database, 500 = bug."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from socialcem.store import StoreError
from socialcem.web.app import create_app
from socialcem.web.errors import BodyLimitMiddleware
from socialcem.web.settings import Settings

UNREACHABLE = "postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2"


class Item(BaseModel):
    text: str = Field(min_length=1)
    score: int | None = Field(None, ge=0, le=10)


class Batch(BaseModel):
    items: list[Item]


def failing_app(url: str, **settings: int) -> FastAPI:
    """The real app (middleware, handlers) plus routes that fail on purpose."""
    app = create_app(Settings(db=url, **settings))  # type: ignore[arg-type]
    read: list[int] = []
    app.state.read = read

    @app.post("/test/batch")
    def batch(body: Batch) -> dict[str, int]:
        return {"items": len(body.items)}

    @app.get("/test/page")
    def page(limit: int = 10) -> dict[str, int]:
        return {"limit": limit}

    @app.post("/test/raw")
    async def raw(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            read.append(len(chunk))
            size += len(chunk)
        return {"bytes": size}

    @app.get("/test/bug")
    def bug() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    @app.get("/test/locked")
    def locked() -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    @app.get("/test/store")
    def store_down() -> None:
        raise StoreError("cannot open the store")

    return app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(failing_app(f"sqlite:///{tmp_path / 'e.db'}", max_body_bytes=4096)) as c:
        yield c


def test_validation_error_names_the_field_in_plain_text(client: TestClient) -> None:
    answer = client.post("/test/batch", json={"items": [{"text": "ok"}, {"score": 11}]})
    assert answer.status_code == 422
    body = answer.json()
    fields = {p["field"]: p["message"] for p in body["detail"]}
    assert set(fields) == {"body.items.1.text", "body.items.1.score"}
    assert "less than or equal to 10" in fields["body.items.1.score"]
    assert "body.items.1.text: Field required" in body["message"]
    assert all({"loc", "msg", "type"} <= p.keys() for p in body["detail"])  # OpenAPI shape
    assert "11" not in str([p.get("input") for p in body["detail"]])  # input is not echoed


def test_query_and_body_shape_errors_name_the_parameter(client: TestClient) -> None:
    answer = client.get("/test/page", params={"limit": "many"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "query.limit"
    answer = client.post("/test/batch", content=b"[]", headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "body"


def test_malformed_json_names_the_body(client: TestClient) -> None:
    answer = client.post(
        "/test/batch", content=b'{"items": [', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["field"] == "body"
    assert problem["message"].startswith("the request body is not valid JSON at character")


def test_oversize_body_is_refused_before_it_is_read(client: TestClient) -> None:
    answer = client.post("/test/raw", content=b"x" * 5000)  # Content-Length says it all
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("body: ") and "4,096 bytes" in answer.json()["detail"]
    assert client.app.state.read == []  # type: ignore[attr-defined]
    assert client.post("/test/raw", content=b"z" * 4096).json() == {"bytes": 4096}


def test_a_streamed_body_is_cut_off_at_the_limit() -> None:
    """Without Content-Length the middleware counts as chunks arrive and stops pulling."""
    pulled = 0

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"y" * 1000, "more_body": pulled < 100}

    async def reader(scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive()).get("more_body"):
            pass

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent by the limit itself")

    limited = BodyLimitMiddleware(reader, max_bytes=4096)
    scope: Scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    with pytest.raises(HTTPException) as refused:
        asyncio.run(limited(scope, receive, send))
    assert refused.value.status_code == 413
    assert pulled == 5  # 5,000 bytes > 4,096: the other 95 chunks were never read


def test_a_streamed_oversize_body_gets_a_json_413_from_the_app(tmp_path: Path) -> None:
    app = failing_app(f"sqlite:///{tmp_path / 's.db'}", max_body_bytes=4096)
    chunks = [b"y" * 1000] * 10
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": chunks.pop(), "more_body": bool(chunks)}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/test/raw",
        "raw_path": b"/test/raw",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert b"4,096 bytes" in sent[1]["body"]
    assert sum(app.state.read) <= 4096 and len(chunks) == 5


def test_database_errors_are_503_with_retry_after(client: TestClient) -> None:
    for path in ("/test/locked", "/test/store"):
        answer = client.get(path)
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "5"
        assert "database" in answer.json()["detail"]


def test_an_unreachable_postgresql_is_503_not_500() -> None:
    client = TestClient(create_app(Settings(db=UNREACHABLE)))
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer scm_" + "a" * 43})
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"


def test_a_bug_is_500_with_the_request_id_and_no_traceback(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="socialcem.web.errors"):
        answer = client.get("/test/bug", headers={"X-Request-ID": "req-500"})
    assert answer.status_code == 500
    assert answer.json()["request_id"] == "req-500" == answer.headers["x-request-id"]
    assert "req-500" in answer.json()["detail"]
    assert "Traceback" not in answer.text and "hunter2" not in answer.text
    [record] = [r for r in caplog.records if r.name == "socialcem.web.errors"]
    assert record.exc_info is not None and record.request_id == "req-500"  # type: ignore[attr-defined]
    assert "/test/bug" in record.getMessage()
    metrics = client.get("/metrics").text
    assert 'route="/test/bug",status="500"' in metrics
