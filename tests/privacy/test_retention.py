"""Retention per source: old items of a source with a limit go, in batches, with the rollups
kept exact; other sources and newer items stay."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import item, write_csv
from privacy_helpers import assert_rollups_match_recount
from sqlalchemy import Engine, select

from socialcem.accounts.audit import entries
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.privacy.retention import apply_retention
from socialcem.store.locations import brand_id
from socialcem.store.schema import feedback, social_votes
from socialcem.store.sources import configure_source

NOW = datetime(2026, 4, 15, 12, tzinfo=UTC)  # twitter keeps 30 days: from 2026-03-16T12:00Z


def records() -> list[dict[str, Any]]:
    rows = []
    for i in range(80):  # twitter and reddit, every few days from January to April
        day = f"2026-{1 + i % 4:02d}-{1 + (i * 7) % 28:02d}T1{i % 10}:00:00Z"
        source = "twitter" if i % 2 else "reddit"
        rows.append(item(i, source=source, created_at=day, author=f"user{i % 9}"))
    rows += [
        # either side of the cutoff, to the second
        item(100, source="twitter", created_at="2026-03-16T11:59:59Z"),
        item(101, source="twitter", created_at="2026-03-16T12:00:00Z"),
        # Vic's latest item is an expired tweet: their vote passes to an older reddit post
        item(
            102, source="twitter", author="Vic", created_at="2026-03-01T09:00:00Z", location="Pier"
        ),
        item(
            103, source="reddit", author="Vic", created_at="2026-02-01T09:00:00Z", location="Pier"
        ),
        # reviews keep a year
        item(104, source="google_reviews", created_at="2025-04-01T09:00:00Z"),
        item(105, source="google_reviews", created_at="2025-06-01T09:00:00Z"),
    ]
    return rows


def build(engine: Engine, tmp_path: Path) -> int:
    path = write_csv(tmp_path / "in.csv", records())
    assert ingest_file(engine, path, IngestOptions()).ingested == 86
    with engine.begin() as conn:
        key = brand_id(conn, "default", create=False)
        assert key is not None
        configure_source(conn, key, "twitter", retention_days=30)
        configure_source(conn, key, "google_reviews", retention_days=365)
        configure_source(conn, key, "reddit", redact=True)  # no limit
    return key


def stored(engine: Engine) -> dict[str, set[str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(feedback.c.source, feedback.c.external_id))
        out: dict[str, set[str]] = {}
        for source, external_id in rows:
            out.setdefault(source, set()).add(external_id)
        return out


def expected_expired(source: str, days: int) -> set[str]:
    cutoff = NOW.timestamp() - days * 86_400
    return {
        r["id"]
        for r in records()
        if r["source"] == source and datetime.fromisoformat(r["created_at"]).timestamp() < cutoff
    }


def test_retention_deletes_only_what_is_past_its_sources_limit(
    store: Engine, tmp_path: Path
) -> None:
    key = build(store, tmp_path)
    before = stored(store)
    old_tweets = expected_expired("twitter", 30)
    old_reviews = expected_expired("google_reviews", 365)
    assert "x100" in old_tweets and "x101" not in old_tweets and old_reviews == {"x104"}

    preview = apply_retention(store, key, now=NOW, dry_run=True)
    assert stored(store) == before
    assert {s.source: s.items for s in preview.sources} == {
        "google_reviews": 1,
        "twitter": len(old_tweets),
    }
    assert preview.deleted == {}

    result = apply_retention(store, key, now=NOW, actor="ops", batch_size=7)
    after = stored(store)
    assert after["twitter"] == before["twitter"] - old_tweets
    assert after["google_reviews"] == {"x105"}
    assert after["reddit"] == before["reddit"]
    assert result.items == len(old_tweets) + 1 == result.deleted["feedback"]
    assert result.deleted["analyses"] == result.items
    assert_rollups_match_recount(store, key)
    with store.connect() as conn:
        vic = conn.execute(
            select(feedback.c.external_id)
            .join(social_votes, social_votes.c.feedback_id == feedback.c.id)
            .where(social_votes.c.period == "all", feedback.c.author == "Vic")
        ).scalars()
        assert list(vic) == ["x103"]
        logged = entries(conn, key, action="retention")
    assert len(logged) == 1 and logged[0].actor == "ops"
    assert logged[0].detail is not None and logged[0].detail["items"] == result.items
    assert apply_retention(store, key, now=NOW).items == 0


def test_no_policy_no_deletion(sqlite_store: Engine, tmp_path: Path) -> None:
    ingest_file(
        sqlite_store, write_csv(tmp_path / "a.csv", [item(i) for i in range(5)]), IngestOptions()
    )
    with sqlite_store.connect() as conn:
        key = brand_id(conn, "default", create=False)
    assert key is not None
    result = apply_retention(sqlite_store, key, now=NOW)
    assert (result.items, result.sources, result.deleted) == (0, [], {})
    with pytest.raises(ValueError, match="batch_size"):
        apply_retention(sqlite_store, key, batch_size=0)
