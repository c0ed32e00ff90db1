"""`socialcem sources`: set and list per-source settings; a secret is shown once only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import socialcem.cli.main  # noqa: F401  (registers every command)
from socialcem.accounts.audit import entries
from socialcem.cli.app import app
from socialcem.store import open_store
from socialcem.store.locations import brand_id
from socialcem.store.sources import get_source

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def invoke(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", url, "sources", *args])
    return result.exit_code, result.output


def test_set_rotates_a_secret_shown_once(url: str) -> None:
    code, out = invoke(url, "set", "Google_Reviews", "--brand", "acme", "--rotate-secret", "--json")
    assert code == 0, out
    made = json.loads(out)
    assert made["name"] == "google_reviews" and made["webhook_secret_set"] is True
    assert len(made["secret"]) >= 40
    engine = open_store(url)
    with engine.connect() as conn:
        acme = brand_id(conn, "acme", create=False)
        assert acme is not None
        stored = get_source(conn, acme, "google_reviews")
        [audit] = entries(conn, acme, action="source.set")
    assert stored is not None and stored.webhook_secret == made["secret"]
    assert made["secret"] not in json.dumps(audit.as_dict())

    code, out = invoke(url, "list", "--brand", "acme", "--json")
    assert code == 0 and made["secret"] not in out
    assert json.loads(out) == [
        {
            "brand": "acme",
            "name": "google_reviews",
            "webhook_secret_set": True,
            "webhook_path": "/api/v1/webhooks/acme/google_reviews",
            "retention_days": None,
            "redact": False,
        }
    ]
    code, out = invoke(url, "set", "google_reviews", "--brand", "acme", "--rotate-secret")
    assert code == 0 and "shown once" in out and made["secret"] not in out
    engine.dispose()


def test_only_what_is_given_changes(url: str) -> None:
    invoke(url, "set", "chat", "--retention-days", "30", "--redact")
    code, out = invoke(url, "set", "chat", "--json")
    assert code == 0
    assert (json.loads(out)["retention_days"], json.loads(out)["redact"]) == (30, True)
    assert "secret" not in json.loads(out)
    code, out = invoke(url, "set", "chat", "--no-retention", "--no-redact", "--json")
    assert (json.loads(out)["retention_days"], json.loads(out)["redact"]) == (None, False)
    code, out = invoke(url, "list")
    assert code == 0 and "chat" in out and "forever" in out and "set" not in out.split("chat")[1]


def test_usage_errors_name_the_option(url: str) -> None:
    code, out = invoke(url, "set", "chat", "--retention-days", "3", "--no-retention")
    assert code == 2 and "--retention-days" in out
    code, out = invoke(url, "set", "x" * 41)
    assert code == 2 and "NAME" in out
    code, out = invoke(url, "set", "chat", "--retention-days", "0")
    assert code == 2


def test_list_of_an_unknown_brand(url: str) -> None:
    code, out = invoke(url, "list", "--brand", "nobody")
    assert code == 0 and "no sources configured" in out
    code, out = invoke(url, "list", "--brand", "nobody", "--json")
    assert json.loads(out) == []
