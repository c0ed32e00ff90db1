"""POST /api/v1/auth/token, GET /api/v1/me and POST /api/v1/auth/revoke on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from accounts_helpers import member_token
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from socialcem.accounts import audit
from socialcem.accounts.users import create_user, grant
from socialcem.store.locations import brand_id
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=store_url, login_attempts=3, lockout_seconds=60))
    with TestClient(app) as test_client:
        engine: Engine = app.state.engine
        with engine.begin() as conn:
            key = brand_id(conn, "acme")
            assert key is not None
            user = create_user(conn, "ana", PASSWORD)
            grant(conn, user, key, "analyst", None)
        yield test_client


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


def sign_in(client: TestClient, **overrides: object) -> tuple[int, dict[str, object]]:
    body = {"username": "ana", "password": PASSWORD, "brand": "acme", **overrides}
    response = client.post("/api/v1/auth/token", json=body)
    return response.status_code, response.json()


def test_sign_in_issues_a_working_token(client: TestClient) -> None:
    code, body = sign_in(client, username="Ana", token_name="laptop", expires_in_days=7)
    assert code == 201
    token = str(body["token"])
    assert token.startswith("scm_") and body["prefix"] == token[:12]
    expires = datetime.fromisoformat(str(body["expires_at"]))
    assert abs(expires - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=1)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["username"] == "ana" and me.json()["role"] == "analyst"
    assert me.json()["scopes"] == sorted(str(s) for s in body["scopes"])  # type: ignore[attr-defined]
    assert me.json()["token_id"] == body["id"] and me.json()["location"] is None
    with engine_of(client).connect() as conn:
        [entry] = audit.entries(conn, None, action="login")
        assert (entry.actor, entry.ip) == ("ana", "testclient")


def test_unknown_user_and_wrong_password_read_the_same(client: TestClient) -> None:
    wrong = client.post(
        "/api/v1/auth/token", json={"username": "ana", "password": "not it at all", "brand": "acme"}
    )
    unknown = client.post(
        "/api/v1/auth/token", json={"username": "zed", "password": PASSWORD, "brand": "acme"}
    )
    other_brand = client.post(
        "/api/v1/auth/token", json={"username": "ana", "password": PASSWORD, "brand": "globex"}
    )
    assert wrong.status_code == unknown.status_code == other_brand.status_code == 401
    assert wrong.json() == unknown.json() == other_brand.json()


def test_lockout_answers_429_with_retry_after(client: TestClient) -> None:
    assert sign_in(client, password="guess number one")[0] == 401
    assert sign_in(client, password="guess number two")[0] == 401
    third = client.post(
        "/api/v1/auth/token",
        json={"username": "ana", "password": "guess number three", "brand": "acme"},
    )
    assert third.status_code == 429 and third.headers["Retry-After"] == "60"
    right = client.post(
        "/api/v1/auth/token", json={"username": "ana", "password": PASSWORD, "brand": "acme"}
    )
    assert right.status_code == 429 and 1 <= int(right.headers["Retry-After"]) <= 60
    assert "try again" in right.json()["detail"]


def test_one_address_spraying_usernames_is_throttled(client: TestClient) -> None:
    codes = [sign_in(client, username=f"user{i}", password="spray spray")[0] for i in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429
    assert sign_in(client)[0] == 429  # the right password too, from this address


BAD_INPUT = [
    ({"expires_in_days": 0}, "expires_in_days"),
    ({"expires_in_days": 366}, "expires_in_days"),
    ({"password": ""}, "password"),
    ({"username": "x" * 201}, "username"),
    ({"token_name": "bad\nname"}, "token_name"),
    ({"brand": None}, "brand"),
]


def test_bad_input_names_the_field(client: TestClient) -> None:
    for overrides, field in BAD_INPUT:
        code, body = sign_in(client, **overrides)
        assert code == 422, overrides
        assert field in str(body), overrides
    missing = client.post("/api/v1/auth/token", json={"username": "ana", "brand": "acme"})
    assert missing.status_code == 422 and "password" in missing.text


def test_me_needs_a_token_and_shows_a_pin(client: TestClient) -> None:
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer scm_nothing_like_a_token"})
    assert bad.status_code == 401
    raw = member_token(engine_of(client), "acme", "franchisee", "location_manager", "North/Store 1")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()
    assert (me["role"], me["location"], me["brand"]) == ("location_manager", "Store 1", "acme")
    assert "admin" not in me["scopes"] and "export" in me["scopes"]


def test_revoke_signs_out(client: TestClient) -> None:
    _, body = sign_in(client)
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.post("/api/v1/auth/revoke", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.post("/api/v1/auth/revoke", headers=headers).status_code == 401
    with engine_of(client).connect() as conn:
        [entry] = audit.entries(conn, None, action="token.revoke")
        assert entry.actor == f"ana (token {body['id']})"


JUNK = ["\\u0000", "\\ud800", "a\\u0000b", "\\t", "x" * 150, "é漢🙂"]


def test_junk_text_never_gives_a_5xx(client: TestClient) -> None:
    """NUL and lone surrogates would break PostgreSQL or UTF-8 if they reached the store."""
    for value in JUNK:
        for field in ("username", "password", "brand", "token_name"):
            fields = {"username": "ana", "password": "x" * 12, "brand": "acme", field: value}
            body = "{" + ", ".join(f'"{k}": "{v}"' for k, v in fields.items()) + "}"
            answer = client.post(
                "/api/v1/auth/token", content=body, headers={"Content-Type": "application/json"}
            )
            assert answer.status_code in (401, 422, 429), (field, value, answer.text)
