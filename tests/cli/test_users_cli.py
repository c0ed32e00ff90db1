"""`socialcem users` and `socialcem tokens` on both backends, through the real command line."""

from __future__ import annotations

import json

import pytest
from accounts_helpers import cheap_hashing
from click.testing import Result
from sqlalchemy import Engine
from typer.testing import CliRunner

import socialcem.cli.main  # noqa: F401  (registers every command)
from socialcem.accounts import audit
from socialcem.accounts.tokens import authenticate_token
from socialcem.cli.app import app

runner = CliRunner()
PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


def run(url: str, *args: str, stdin: str | None = None) -> Result:
    """Invoke the command through the real command line (it closes its own engines)."""
    return runner.invoke(app, ["--db", url, *args], input=stdin)


def test_users_add_list_grant_revoke(store_url: str, store: Engine) -> None:
    added = run(
        store_url,
        "users",
        "add",
        "Ana",
        "--brand",
        "acme",
        "--role",
        "admin",
        "--password-stdin",
        "--json",
        stdin=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    user = json.loads(added.stdout)
    assert user["username"] == "ana" and user["has_password"]
    assert user["memberships"] == [{"brand": "acme", "role": "admin", "location": None}]

    engine = store
    with engine.begin() as conn:
        from socialcem.models import Location
        from socialcem.store.locations import add_locations, brand_id

        key = brand_id(conn, "acme")
        assert key is not None
        add_locations(conn, key, [Location("North", None, "region")])
    token_only = run(store_url, "users", "add", "bo", "--brand", "acme", "--role", "viewer")
    assert token_only.exit_code == 0, token_only.output
    pinned = run(
        store_url,
        "users",
        "grant",
        "bo",
        "--brand",
        "acme",
        "--role",
        "agent",
        "--location",
        "North",
    )
    assert pinned.exit_code == 0, pinned.output
    listed = json.loads(run(store_url, "users", "list", "--brand", "acme", "--json").stdout)
    by_name = {u["username"]: u for u in listed}
    assert not by_name["bo"]["has_password"]
    assert by_name["bo"]["memberships"][0] == {
        "brand": "acme",
        "role": "agent",
        "location": "North",
    }
    assert "bo" in run(store_url, "users", "list").stdout

    assert run(store_url, "users", "revoke", "bo", "--brand", "acme").exit_code == 0
    listed = json.loads(run(store_url, "users", "list", "--json").stdout)
    assert {u["username"]: u["memberships"] for u in listed}["bo"] == []
    with engine.connect() as conn:
        actors = {e.actor for e in audit.entries(conn, None)}
        actions = {e.action for e in audit.entries(conn, None)}
    assert all(a == "cli" or a.startswith("cli:") for a in actors)
    assert {"user.create", "role.grant", "role.revoke"} <= actions


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "add", "x y", "--brand", "b", "--role", "viewer"], None, "username"),
        (["users", "add", "cy", "--brand", "b", "--role", "boss"], None, "role"),
        (["users", "add", "cy", "--brand", "b", "--role", "agent"], None, "location"),
        (
            ["users", "add", "cy", "--brand", "b", "--role", "viewer", "--password-stdin"],
            "short\n",
            "12",
        ),
        (
            ["users", "add", "cy", "--brand", "b", "--role", "viewer", "--password-stdin"],
            "",
            "no password",
        ),
        (["users", "passwd", "cy"], None, "--password-stdin"),
        (["users", "grant", "nobody", "--brand", "b", "--role", "viewer"], None, "no user"),
        (["users", "list", "--brand", "nope"], None, "no brand"),
        (["tokens", "list", "--brand", "nope"], None, "no brand"),
    ],
)
def test_mistakes_exit_2_with_a_message(
    store_url: str, args: list[str], stdin: str | None, message: str
) -> None:
    result = run(store_url, *args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert message in result.output
    listed = json.loads(run(store_url, "users", "list", "--json").stdout)
    assert listed == []


def test_disable_enable_passwd_remove(store_url: str) -> None:
    assert run(store_url, "users", "add", "cy", "--brand", "b", "--role", "analyst").exit_code == 0
    assert run(store_url, "users", "disable", "cy").exit_code == 0
    assert json.loads(run(store_url, "users", "list", "--json").stdout)[0]["disabled"]
    assert run(store_url, "users", "enable", "CY").exit_code == 0
    assert not json.loads(run(store_url, "users", "list", "--json").stdout)[0]["disabled"]
    changed = run(store_url, "users", "passwd", "cy", "--password-stdin", stdin=PASSWORD + "\n")
    assert changed.exit_code == 0, changed.output
    assert json.loads(run(store_url, "users", "list", "--json").stdout)[0]["has_password"]
    assert run(store_url, "users", "remove", "cy").exit_code == 0
    assert json.loads(run(store_url, "users", "list", "--json").stdout) == []
    assert run(store_url, "users", "remove", "cy").exit_code == 2


def test_tokens_issue_list_revoke(store_url: str, store: Engine) -> None:
    run(store_url, "users", "add", "ana", "--brand", "acme", "--role", "analyst")
    issued = run(
        store_url,
        "tokens",
        "issue",
        "--user",
        "ana",
        "--brand",
        "acme",
        "--name",
        "crm",
        "--scope",
        "feedback:read",
        "--scope",
        "export",
        "--expires-days",
        "10",
    )
    assert issued.exit_code == 0, issued.output
    raw = issued.stdout.strip()
    assert raw.startswith("scm_") and "not shown again" in issued.stderr
    engine = store
    with engine.begin() as conn:
        principal = authenticate_token(conn, raw)
    assert principal is not None and {s.value for s in principal.scopes} == {
        "feedback:read",
        "export",
    }
    as_json = run(
        store_url, "tokens", "issue", "--user", "ana", "--brand", "acme", "--name", "bi", "--json"
    )
    second = json.loads(as_json.stdout)
    assert second["token"].startswith("scm_") and second["expires_at"] is None
    beyond = run(
        store_url,
        "tokens",
        "issue",
        "--user",
        "ana",
        "--brand",
        "acme",
        "--name",
        "x",
        "--scope",
        "admin",
    )
    assert beyond.exit_code == 2 and "beyond the role" in beyond.output

    listed = json.loads(run(store_url, "tokens", "list", "--brand", "acme", "--json").stdout)
    assert [t["name"] for t in listed] == ["crm", "bi"]
    assert raw not in str(listed) and all("token" not in t for t in listed)
    table = run(store_url, "tokens", "list", "--brand", "acme", "--user", "ana").stdout
    assert raw[:12] in table and "active" in table and raw not in table

    first_id = str(listed[0]["id"])
    assert run(store_url, "tokens", "revoke", first_id, "--brand", "other").exit_code == 2
    assert run(store_url, "tokens", "revoke", first_id, "--brand", "acme").exit_code == 0
    with engine.begin() as conn:
        assert authenticate_token(conn, raw) is None
    assert run(store_url, "tokens", "revoke", "99999", "--brand", "acme").exit_code == 2
