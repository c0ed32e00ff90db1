"""The app factory, request ids, structured logs and settings (env, TOML file, precedence)."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from accounts_helpers import member_token
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic_settings import SettingsError

from socialcem.web import app as app_module
from socialcem.web.app import ROUTE_MODULES, create_app, server_engine
from socialcem.web.deps import Caller
from socialcem.web.logs import JsonFormatter, TextFormatter, configure_logging
from socialcem.web.settings import CONFIG_ENV, Settings


def whoami_app(url: str) -> FastAPI:
    """The real app plus a route that authenticates, so log lines carry an actor."""
    app = create_app(Settings(db=url))

    @app.get("/test/whoami/{name}")
    def whoami(name: str, caller: Caller) -> dict[str, str]:
        logging.getLogger("socialcem.test").info("inside the route")
        return {"user": caller.username}

    return app


def test_factory_builds_every_route_module_on_a_fresh_store(store_url: str) -> None:
    app = create_app(Settings(db=store_url))
    assert app.state.settings.db == store_url
    with TestClient(app) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/readyz"} <= set(paths)
    assert "/metrics" not in paths  # operational, not part of the API
    assert ROUTE_MODULES[0] == "health" and len(set(ROUTE_MODULES)) == len(ROUTE_MODULES)


def test_postgresql_pool_is_sized_for_the_thread_pool(store_url: str) -> None:
    settings = Settings(db=store_url, db_pool_size=7, db_max_overflow=3, threads=10)
    engine = server_engine(settings)
    try:
        if engine.dialect.name == "postgresql":
            assert engine.pool.size() == 7  # type: ignore[attr-defined]
            assert engine.pool._max_overflow == 3  # type: ignore[attr-defined]
            engine.dispose()  # by default, one connection per thread
            engine = server_engine(Settings(db=store_url, threads=10))
            assert engine.pool.size() == 10  # type: ignore[attr-defined]
            engine.dispose()
            engine = server_engine(Settings(db=store_url, threads=100))
            assert engine.pool.size() == 20  # type: ignore[attr-defined]
        else:  # SQLite keeps the store module's engine, pragmas included
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_request_id_is_generated_echoed_or_replaced(sqlite_store_url: str) -> None:
    client = TestClient(create_app(Settings(db=sqlite_store_url)))
    fresh = client.get("/healthz").headers["x-request-id"]
    assert len(fresh) == 32 and int(fresh, 16) >= 0
    assert client.get("/healthz").headers["x-request-id"] != fresh
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:42"})
    assert kept.headers["x-request-id"] == "lb-7f3a:42"
    for unsafe in ("x" * 65, "a b", "<script>", "id\u00e9"):
        replaced = client.get("/healthz", headers={"X-Request-ID": unsafe.encode()})
        assert replaced.headers["x-request-id"] != unsafe
        assert len(replaced.headers["x-request-id"]) == 32


def test_one_json_log_line_per_request_with_actor_and_route(store_url: str) -> None:
    app = whoami_app(store_url)
    token = member_token(app.state.engine, "acme", "ann", "analyst")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        with TestClient(app) as client:  # the lifespan closes the pool at the end
            answer = client.get(
                "/test/whoami/x",
                headers={"Authorization": f"Bearer {token}", "X-Request-ID": "r-1"},
            )
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert answer.status_code == 200
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    [access] = [line for line in lines if line["logger"] == "socialcem.web.access"]
    assert access["request_id"] == "r-1"
    assert (access["method"], access["route"]) == ("GET", "/test/whoami/{name}")
    assert access["path"] == "/test/whoami/x"
    assert access["status"] == 200 and access["level"] == "info"
    assert access["actor"].startswith("ann (token ")
    assert access["client"] == "testclient"
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    assert access["message"] == "GET /test/whoami/x 200" and access["ts"].endswith("+00:00")
    # A line logged inside the route (in a worker thread) carries the same request id.
    [inner] = [line for line in lines if line["logger"] == "socialcem.test"]
    assert inner["request_id"] == "r-1" and "status" not in inner


def test_text_format_appends_the_request_id() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    record.request_id = "r-9"
    assert TextFormatter().format(record).endswith("hello you [r-9]")
    try:
        raise ValueError("boom")
    except ValueError:
        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "bad", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(failed))
    assert line["level"] == "error" and "ValueError: boom" in line["exc"]


def test_probes_log_at_debug_but_failures_at_info(
    sqlite_store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="socialcem.web.access")
    client = TestClient(create_app(Settings(db=sqlite_store_url)))
    client.get("/healthz")
    client.get("/nowhere")
    levels = {r.path: r.levelno for r in caplog.records if r.name == "socialcem.web.access"}  # type: ignore[attr-defined]
    assert levels == {"/healthz": logging.DEBUG, "/nowhere": logging.INFO}


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = False
    logging.getLogger("uvicorn.access").propagate = True


@pytest.mark.usefixtures("restored_logging")
def test_configure_logging_is_idempotent_and_silences_uvicorn_access() -> None:
    configure_logging("json", "warning")
    configure_logging("text", "info")
    ours = [h for h in logging.getLogger().handlers if getattr(h, "socialcem", False)]
    assert len(ours) == 1 and isinstance(ours[0].formatter, TextFormatter)
    assert logging.getLogger().level == logging.INFO
    assert logging.getLogger("uvicorn.access").disabled


def test_settings_file_env_wins_and_typos_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "socialcem.toml"
    config.write_text('port = 9100\nlog_format = "text"\nrate_limit_per_minute = 30\n')
    monkeypatch.setenv(CONFIG_ENV, str(config))
    monkeypatch.setenv("SOCIALCEM_PORT", "9200")
    settings = Settings()
    assert (settings.port, settings.log_format, settings.rate_limit_per_minute) == (
        9200,
        "text",
        30,
    )
    assert Settings(port=9300).port == 9300  # arguments beat both

    config.write_text("prot = 9100\n")
    with pytest.raises(SettingsError, match=r"unknown setting.*prot"):
        Settings()
    config.write_text("port = \n")
    with pytest.raises(SettingsError, match=r"socialcem\.toml: not valid TOML"):
        Settings()
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "missing.toml"))
    with pytest.raises(SettingsError, match="no such settings file"):
        Settings()


def test_unreachable_database_does_not_stop_the_app_starting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = "postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2"
    with caplog.at_level(logging.WARNING, logger=app_module.log.name):
        app = create_app(Settings(db=url))
    assert "store unreachable at start" in caplog.text
    assert TestClient(app).get("/healthz").status_code == 200


@pytest.fixture
def sqlite_store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"
