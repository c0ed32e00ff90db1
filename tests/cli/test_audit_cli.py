"""`socialcem audit`: the brand's trail, newest first, as a table or JSON."""

from __future__ import annotations

import json

import pytest
from accounts_helpers import cheap_hashing
from sqlalchemy import Engine
from typer.testing import CliRunner

import socialcem.cli.main  # noqa: F401  (registers every command)
from socialcem.accounts import audit
from socialcem.cli.app import app
from socialcem.store.locations import brand_id

runner = CliRunner()


def test_audit_lists_what_the_commands_did(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)
    added = runner.invoke(
        app, ["--db", store_url, "users", "add", "ana", "--brand", "acme", "--role", "viewer"]
    )
    assert added.exit_code == 0, added.output
    issued = runner.invoke(
        app,
        ["--db", store_url, "tokens", "issue", "--user", "ana", "--brand", "acme", "--name", "crm"],
    )
    assert issued.exit_code == 0, issued.output
    listed = runner.invoke(app, ["--db", store_url, "audit", "--brand", "acme", "--json"])
    assert listed.exit_code == 0, listed.output
    trail = json.loads(listed.output)
    assert [e["action"] for e in trail] == ["token.issue", "role.grant", "user.create"]
    assert trail[0]["detail"]["name"] == "crm" and trail[0]["target"] == "ana"
    only = runner.invoke(
        app, ["--db", store_url, "audit", "--brand", "acme", "--action", "role.grant"]
    )
    assert only.exit_code == 0 and "role.grant" in only.output and "token.issue" not in only.output
    assert "role=viewer" in only.output


def test_audit_shows_stored_text_as_text(store_url: str, store: Engine) -> None:
    """An address comes from the client (X-Forwarded-For): never read as markup."""
    with store.begin() as conn:
        key = brand_id(conn, "acme") or 0
        audit.record(conn, key, "[bold]x", "login.failed", "[/]", {"why": "[red]"}, ip="[/]")
    listed = runner.invoke(app, ["--db", store_url, "audit", "--brand", "acme"])
    assert listed.exit_code == 0, listed.output
    assert "[/]" in listed.output and "[bold]x" in listed.output


def test_audit_of_an_unknown_brand_fails_clearly(store_url: str) -> None:
    result = runner.invoke(app, ["--db", store_url, "audit", "--brand", "nobody"])
    assert result.exit_code == 2 and "no brand 'nobody'" in result.output
