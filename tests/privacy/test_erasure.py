"""Erasure of one author: nothing of theirs is left in any table, nothing of anyone else's
is lost, and every rollup equals a recount of the remaining items."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import item, write_csv
from privacy_helpers import assert_rollups_match_recount, table_hits
from sqlalchemy import Engine, func, select

from socialcem.accounts.audit import entries, record
from socialcem.ingest.mapping import ColumnMapping
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.insights.alerting import evaluate_alerts
from socialcem.insights.digest import build_digest, queue_digest
from socialcem.insights.notify.channels import add_channel
from socialcem.insights.rules import Rule
from socialcem.privacy.erasure import erase_author
from socialcem.store.alert_rules import add_rule
from socialcem.store.alert_store import list_alerts
from socialcem.store.locations import brand_id
from socialcem.store.schema import alert_items, analyses, feedback, intent_tags, social_votes

AUTHOR = "Zelda Okonkwo"
# Each of the author's texts starts with a token found nowhere else.
THEIRS = [
    dict(text="Quokka0 the barista was rude and the coffee was cold, I will cancel my "
         "membership", rating=1, reach=250_000, created_at="2026-03-07T09:00:00Z"),
    dict(text="Quokka1 I want to buy a gift card for my mum, how much are they?",
         rating="", reach=40, created_at="2026-03-04T10:00:00Z", location="Store 2"),
    dict(text="Quokka2 got food poisoning after the chicken wrap, never again", rating=1,
         reach=3, created_at="2026-03-05T12:00:00Z"),
    dict(text="Quokka3 lovely flat white and friendly staff", rating="", reach="",
         created_at="2026-02-20T08:00:00Z"),
]  # fmt: skip
NEEDLES = [AUTHOR, *(f"Quokka{i}" for i in range(4)), "Quokka9"]


def records() -> list[dict[str, Any]]:
    rows = [
        item(i, rating=(i % 5) + 1, reach=i * 10, created_at=f"2026-03-0{1 + i % 7}T11:00:00Z")
        for i in range(60)
    ]
    rows[7]["text"] = "I want to buy the new seasonal blend, is it in stock?"
    rows[8].update(text="Also food poisoning here, the chicken wrap again", author="Bob Marsh")
    # louder complaints than theirs: the digest's top risks leave their post out, while its
    # alert list still quotes it
    for i, reach in ((9, 900_000), (10, 800_000), (11, 700_000)):
        rows[i].update(text=f"Rude manager, cold food, done with this place ({i})", reach=reach)
    rows += [item(100 + i, author=AUTHOR, **fields) for i, fields in enumerate(THEIRS)]
    # the author's voice elsewhere: another day, so other buckets hold their votes
    rows.append(item(200, author=AUTHOR, text="Quokka9 bad date", created_at="not a date"))
    return rows


def build(engine: Engine, tmp_path: Path) -> int:
    rows = records()
    header = list(dict.fromkeys(k for r in rows for k in r))
    path = write_csv(tmp_path / "in.csv", rows, header)
    mapping = ColumnMapping(defaults={"rating_scale": "stars_1_5"})
    counts = ingest_file(engine, path, IngestOptions(mapping=mapping))
    assert (counts.ingested, counts.quarantined) == (64, 1)
    with engine.begin() as conn:
        key = brand_id(conn, "default", create=False)
        assert key is not None
        add_rule(conn, key, Rule("influencers", "reach", {"min_reach": 10_000}, "high"))
        add_rule(conn, key, Rule("safety", "keyword", {"words": ["food poisoning"]}, "critical"))
        config = {"url": "http://127.0.0.1:9/hook", "secret": "s" * 32}
        add_channel(conn, key, "ops", "webhook", config, "low")
        # an export filtered by the author put their name in the audit log
        record(conn, key, "ana", "export", "feedback", {"filters": {"author": AUTHOR}})
    evaluate_alerts(engine, "default", as_of=date(2026, 3, 8))
    queue_digest(engine, build_digest(engine, "default", as_of=date(2026, 3, 8)))
    return key


def others(engine: Engine) -> dict[str, Any]:
    """Everything of the other authors that must survive, as comparable values."""
    with engine.connect() as conn:
        mine = feedback.c.author == AUTHOR
        theirs = select(feedback.c.id).where(~mine | feedback.c.author.is_(None))
        return {
            "items": sorted(conn.execute(select(feedback).where(feedback.c.id.in_(theirs)))),
            "analyses": conn.execute(
                select(func.count()).where(analyses.c.feedback_id.in_(theirs))
            ).scalar_one(),
            "tags": conn.execute(
                select(func.count()).where(intent_tags.c.feedback_id.in_(theirs))
            ).scalar_one(),
            "links": sorted(
                conn.execute(select(alert_items).where(alert_items.c.feedback_id.in_(theirs)))
            ),
        }


def test_erasure_leaves_no_trace_in_any_table(store: Engine, tmp_path: Path) -> None:
    key = build(store, tmp_path)
    before = table_hits(store, NEEDLES)
    # the store really held the author's words where erasure must look (the test can fail)
    assert {"feedback", "quarantine", "alerts", "notifications", "audit_log"} <= set(before)
    assert set(before["feedback"]) == set(NEEDLES) - {"Quokka9"}
    kept = others(store)
    with store.connect() as conn:
        votes = conn.execute(select(func.count()).select_from(social_votes)).scalar_one()
    assert kept["tags"] >= 1 and votes > 0

    result = erase_author(store, key, AUTHOR, actor="dpo")

    assert table_hits(store, NEEDLES) == {}
    assert result.items == 4
    assert result.deleted["feedback"] == 4 and result.deleted["analyses"] == 4
    assert result.deleted["quarantine"] == 1
    assert result.deleted["intent_tags"] >= 2  # churn risk and purchase intent
    assert result.deleted["alerts"] >= 1  # the reach alert about their post
    assert result.scrubbed["notifications"] >= 1  # the digest listed them
    assert result.scrubbed["audit_log"] == 1
    assert others(store) == kept
    assert_rollups_match_recount(store, key)
    with store.connect() as conn:
        alerts = list_alerts(conn, key, limit=1_000)
        logged = entries(conn, key, action="erasure")
    # the keyword alert stays, linked to the other author's item only
    assert [a.items for a in alerts if a.kind == "rule:keyword"] == [1]
    assert len(logged) == 1 and logged[0].actor == "dpo"
    assert logged[0].detail is not None and logged[0].detail["items"] == 4
    # a second request finds nothing and changes nothing
    again = erase_author(store, key, AUTHOR)
    assert (again.items, again.deleted, again.scrubbed) == (0, {}, {})


def test_erasure_matches_the_author_exactly(sqlite_store: Engine, tmp_path: Path) -> None:
    rows = [item(i, author=a) for i, a in enumerate(["Ann", "ann", "Anne", "Ann Lee", "Ann"])]
    ingest_file(sqlite_store, write_csv(tmp_path / "a.csv", rows), IngestOptions())
    with sqlite_store.connect() as conn:
        key = brand_id(conn, "default", create=False)
    assert key is not None
    assert erase_author(sqlite_store, key, "Ann").items == 2
    with sqlite_store.connect() as conn:
        left = sorted(conn.execute(select(feedback.c.author)).scalars())
    assert left == ["Ann Lee", "Anne", "ann"]
    assert_rollups_match_recount(sqlite_store, key)


def test_erasure_needs_an_author(sqlite_store: Engine) -> None:
    with pytest.raises(ValueError, match="author"):
        erase_author(sqlite_store, 1, "")
