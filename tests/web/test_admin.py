"""Admin endpoints: members, tokens and the audit log, each within the caller's own brand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from accounts_helpers import bearer, member_token
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from socialcem.web.app import create_app
from socialcem.web.settings import Settings


@dataclass
class World:
    client: TestClient
    engine: Engine
    admin: dict[str, str]
    analyst: dict[str, str]
    rival: dict[str, str]
    """An admin of another brand."""


@pytest.fixture
def world(store_url: str) -> Iterator[World]:
    app = create_app(Settings(db=store_url))
    with TestClient(app) as client:
        engine: Engine = app.state.engine
        admin = member_token(engine, "acme", "root", "admin")
        analyst = member_token(engine, "acme", "ana", "analyst")
        member_token(engine, "acme", "bo", "agent", "North/Store 1")
        rival = member_token(engine, "globex", "gus", "admin")
        yield World(client, engine, bearer(admin), bearer(analyst), bearer(rival))


ADMIN_CALLS = [
    ("GET", "/api/v1/users", None),
    ("POST", "/api/v1/users", {"username": "new"}),
    ("PUT", "/api/v1/users/ana/role", {"role": "viewer"}),
    ("DELETE", "/api/v1/users/ana/role", None),
    ("GET", "/api/v1/tokens", None),
    ("POST", "/api/v1/tokens", {"username": "ana", "name": "x"}),
    ("DELETE", "/api/v1/tokens/1", None),
    ("GET", "/api/v1/audit", None),
]


def test_only_admins_get_in(world: World) -> None:
    for method, path, body in ADMIN_CALLS:
        denied = world.client.request(method, path, json=body, headers=world.analyst)
        assert denied.status_code == 403, (method, path)
        assert world.client.request(method, path, json=body).status_code == 401


def test_users_are_listed_created_and_regranted(world: World) -> None:
    client, h = world.client, world.admin
    listed = client.get("/api/v1/users", headers=h).json()
    assert {u["username"]: u["role"] for u in listed} == {
        "root": "admin",
        "ana": "analyst",
        "bo": "agent",
    }
    assert next(u for u in listed if u["username"] == "bo")["location"] == "Store 1"
    body = {
        "username": "Cy",
        "password": "a long enough secret",
        "role": "location_manager",
        "location": "North",
    }
    created = client.post("/api/v1/users", json=body, headers=h)
    assert created.status_code == 201
    assert created.json()["username"] == "cy" and created.json()["has_password"]
    assert created.json()["location"] == "North"
    login = {"username": "cy", "password": "a long enough secret", "brand": "acme"}
    assert client.post("/api/v1/auth/token", json=login).status_code == 201
    assert client.post("/api/v1/users", json=body, headers=h).status_code == 409

    moved = client.put("/api/v1/users/CY/role", json={"role": "analyst"}, headers=h)
    assert moved.status_code == 200 and moved.json()["role"] == "analyst"
    assert moved.json()["location"] is None
    gone = client.delete("/api/v1/users/cy/role", headers=h)
    assert gone.status_code == 204
    assert client.delete("/api/v1/users/cy/role", headers=h).status_code == 404
    assert "cy" not in {u["username"] for u in client.get("/api/v1/users", headers=h).json()}


BAD_USERS = [
    ({"username": "dee", "role": "boss"}, 422, "role"),
    ({"username": "dee", "password": "short"}, 422, "password"),
    ({"username": "dee", "role": "agent"}, 422, "location"),
    ({"username": "dee", "role": "agent", "location": "Atlantis"}, 422, "location"),
    ({"username": "dee", "role": "viewer", "location": "North"}, 422, "location"),
    ({"username": "has space"}, 422, "username"),
    ({"username": ""}, 422, "username"),
    ({"username": "root"}, 409, "username"),
]


def test_bad_users_are_refused_by_field(world: World) -> None:
    for body, code, field in BAD_USERS:
        answer = world.client.post("/api/v1/users", json=body, headers=world.admin)
        assert answer.status_code == code and field in answer.text, body
    assert "dee" not in world.client.get("/api/v1/users", headers=world.admin).text


def test_other_brands_do_not_exist(world: World) -> None:
    client = world.client
    assert (
        client.put(
            "/api/v1/users/gus/role", json={"role": "viewer"}, headers=world.admin
        ).status_code
        == 404
    )
    assert client.delete("/api/v1/users/gus/role", headers=world.admin).status_code == 404
    assert (
        client.put(
            "/api/v1/users/ana/role", json={"role": "admin"}, headers=world.rival
        ).status_code
        == 404
    )
    assert client.get("/api/v1/tokens?username=gus", headers=world.admin).status_code == 404
    issued = client.post(
        "/api/v1/tokens", json={"username": "gus", "name": "x"}, headers=world.admin
    )
    assert issued.status_code == 404
    rival_tokens = client.get("/api/v1/tokens", headers=world.rival).json()
    assert {t["username"] for t in rival_tokens} == {"gus"}
    ours = client.get("/api/v1/tokens", headers=world.admin).json()
    for token in ours:
        assert (
            client.delete(f"/api/v1/tokens/{token['id']}", headers=world.rival).status_code == 404
        )
    assert client.get("/api/v1/me", headers=world.analyst).status_code == 200
    assert {u["username"] for u in client.get("/api/v1/users", headers=world.rival).json()} == {
        "gus"
    }
    assert "acme" not in client.get("/api/v1/audit", headers=world.rival).text


def test_the_last_admin_cannot_be_demoted(world: World) -> None:
    demote = world.client.put(
        "/api/v1/users/root/role", json={"role": "viewer"}, headers=world.admin
    )
    assert demote.status_code == 409 and "last admin" in demote.text
    assert world.client.delete("/api/v1/users/root/role", headers=world.admin).status_code == 409


def test_tokens_are_issued_listed_and_revoked(world: World) -> None:
    client, h = world.client, world.admin
    body = {"username": "ana", "name": "crm", "scopes": ["feedback:read"], "expires_in_days": None}
    issued = client.post("/api/v1/tokens", json=body, headers=h)
    assert issued.status_code == 201
    token = issued.json()
    assert token["expires_at"] is None and token["scopes"] == ["feedback:read"]
    me = client.get("/api/v1/me", headers=bearer(token["token"])).json()
    assert me["username"] == "ana" and me["scopes"] == ["feedback:read"]
    listed = client.get("/api/v1/tokens?username=ana", headers=h).json()
    assert token["id"] in {t["id"] for t in listed}
    assert token["token"] not in str(listed) and all("token" not in t for t in listed)
    revoked = client.delete(f"/api/v1/tokens/{token['id']}", headers=h)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert client.get("/api/v1/me", headers=bearer(token["token"])).status_code == 401
    assert client.delete("/api/v1/tokens/999999", headers=h).status_code == 404
    beyond = client.post(
        "/api/v1/tokens", json={"username": "bo", "name": "x", "scopes": ["export"]}, headers=h
    )
    assert beyond.status_code == 422 and "scopes" in beyond.text
    unknown = client.post(
        "/api/v1/tokens", json={"username": "bo", "name": "x", "scopes": ["everything"]}, headers=h
    )
    assert unknown.status_code == 422 and "scopes" in unknown.text
    for days in (0, 366):
        answer = client.post(
            "/api/v1/tokens",
            json={"username": "bo", "name": "x", "expires_in_days": days},
            headers=h,
        )
        assert answer.status_code == 422 and "expires_in_days" in answer.text


def test_audit_is_newest_first_with_actor_and_address(world: World) -> None:
    client, h = world.client, world.admin
    client.post("/api/v1/users", json={"username": "eve"}, headers=h)
    client.put("/api/v1/users/eve/role", json={"role": "analyst"}, headers=h)
    page = client.get("/api/v1/audit?limit=2", headers=h).json()
    first, second = page["entries"]
    assert first["id"] > second["id"] and first["action"] == "role.grant"
    assert first["actor"].startswith("root (token ") and first["ip"] == "testclient"
    assert first["detail"]["previous"] == {"role": "viewer", "location": None}
    older = client.get(f"/api/v1/audit?before_id={page['next_before_id']}", headers=h).json()
    assert all(e["id"] < second["id"] for e in older["entries"]) and older["entries"]
    created = client.get("/api/v1/audit?action=user.create", headers=h).json()["entries"]
    assert [e["target"] for e in created] == ["eve"]
    for query in ("limit=0", "limit=1001", "before_id=0", "action=" + "x" * 41):
        answer = client.get(f"/api/v1/audit?{query}", headers=h)
        assert answer.status_code == 422 and query.split("=")[0] in answer.text


def test_openapi_documents_the_models(world: World) -> None:
    schema = world.client.get("/openapi.json").json()
    user_create = schema["components"]["schemas"]["UserCreate"]["properties"]
    assert user_create["username"]["maxLength"] == 200
    assert {"/api/v1/users", "/api/v1/tokens", "/api/v1/audit", "/api/v1/auth/token"} <= set(
        schema["paths"]
    )


def test_junk_text_never_gives_a_5xx(world: World) -> None:
    client, h = world.client, {**world.admin, "Content-Type": "application/json"}
    for value in ("\\u0000", "\\ud800", "a\\u0000b", "\\t"):
        calls = [
            ("POST", "/api/v1/users", f'{{"username": "{value}"}}'),
            ("POST", "/api/v1/users", f'{{"username": "ok", "password": "{value * 12}"}}'),
            (
                "POST",
                "/api/v1/users",
                f'{{"username": "ok", "role": "agent", "location": "{value}"}}',
            ),
            ("PUT", "/api/v1/users/bo/role", f'{{"role": "agent", "location": "{value}"}}'),
            ("POST", "/api/v1/tokens", f'{{"username": "{value}", "name": "x"}}'),
            ("POST", "/api/v1/tokens", f'{{"username": "bo", "name": "{value}"}}'),
        ]
        for method, path, body in calls:
            answer = client.request(method, path, content=body, headers=h)
            assert answer.status_code < 500 and answer.status_code != 201, (path, body, answer.text)
    for query in ("action=%00", "username=%00", "username=a%00b"):
        path = "/api/v1/audit" if query.startswith("action") else "/api/v1/tokens"
        assert client.get(f"{path}?{query}", headers=h).status_code in (404, 422)
    assert (
        client.put("/api/v1/users/a%00b/role", json={"role": "viewer"}, headers=h).status_code
        == 404
    )
