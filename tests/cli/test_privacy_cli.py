"""`socialcem privacy`: erase (with confirmation), retention, redaction preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import item, write_csv
from typer.testing import CliRunner

from socialcem.cli.main import app
from socialcem.store import open_store
from socialcem.store.locations import brand_id
from socialcem.store.sources import configure_source

runner = CliRunner()


def invoke(url: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", url, *args], input=stdin)
    return result.exit_code, result.output


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    rows = [item(i, author="Jane Doe" if i < 3 else f"user{i}") for i in range(10)]
    rows += [
        item(20 + i, source="reddit", created_at=f"2025-01-0{i + 1}T10:00:00Z") for i in range(4)
    ]
    code, _ = invoke(url, "ingest", str(write_csv(tmp_path / "in.csv", rows)))
    assert code == 0
    return url


def stored(url: str) -> int:
    code, out = invoke(url, "stats", "--json")
    assert code == 0
    return int(json.loads(out)["feedback"])


def test_erase_asks_first_and_needs_a_yes(url: str) -> None:
    code, out = invoke(url, "privacy", "erase", "--author", "Jane Doe", stdin="n\n")
    assert code != 0 and "Erase 3 item(s) of 'Jane Doe'" in out
    assert stored(url) == 14
    code, out = invoke(url, "privacy", "erase", "--author", "Jane Doe", stdin="y\n")
    assert code == 0 and "erased 3 item(s)" in out
    assert stored(url) == 11


def test_erase_with_yes_prints_json(url: str) -> None:
    code, out = invoke(url, "privacy", "erase", "--author", "Jane Doe", "--yes", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["items"] == 3 and result["deleted"]["feedback"] == 3
    assert "Jane Doe" not in out  # what is printed is counts, like the audit entry


def test_erase_names_what_is_wrong(url: str) -> None:
    code, out = invoke(url, "privacy", "erase", "--author", "x", "--brand", "nope", "--yes")
    assert code == 2 and "--brand" in out
    code, out = invoke(url, "privacy", "erase", "--author", "", "--yes")
    assert code == 2 and "--author" in out


def test_retention_dry_run_then_apply(url: str) -> None:
    code, out = invoke(url, "privacy", "retention", "--json")
    assert code == 0 and json.loads(out)["sources"] == []
    engine = open_store(url)
    with engine.begin() as conn:
        key = brand_id(conn, "default", create=False)
        assert key is not None
        configure_source(conn, key, "reddit", retention_days=30)
    engine.dispose()
    code, out = invoke(url, "privacy", "retention", "--dry-run", "--json")
    preview = json.loads(out)
    assert code == 0 and preview["dry_run"] and preview["items"] == 4
    assert stored(url) == 14
    code, out = invoke(url, "privacy", "retention")
    assert code == 0 and "reddit" in out
    assert stored(url) == 10


def test_redact_preview(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    text = "Mail jane@example.com or call 555-123-4567"
    code, out = invoke(url, "privacy", "redact-preview", text, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["text"] == "Mail [email] or call [phone]"
    assert result["counts"] == {"email": 1, "card": 0, "phone": 1, "address": 0}
    code, out = invoke(url, "privacy", "redact-preview", "nothing to hide")
    assert code == 0 and "nothing to hide" in out and "redacted: nothing" in out
