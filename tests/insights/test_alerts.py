"""Alerts: the brand's rules, anomaly detection on the demo, storage and deduplication."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from helpers import item, write_csv
from sqlalchemy import Engine, func, select

from socialcem.demo.generator import DemoBrand
from socialcem.ingest.mapping import ColumnMapping
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.insights.alerting import evaluate_alerts
from socialcem.insights.notify.channels import add_channel
from socialcem.insights.rules import Rule, matcher, validate_rule
from socialcem.store.alert_rules import add_rule, list_rules, remove_rule
from socialcem.store.alert_store import alert_item_ids, list_alerts
from socialcem.store.locations import brand_id
from socialcem.store.schema import alerts, notifications


def test_the_planted_spike_raises_an_alert_once(demo_store: tuple[Engine, DemoBrand]) -> None:
    engine, demo = demo_store
    spike = date.fromisoformat(str(demo.planted["spike_week_start"]))
    with engine.begin() as conn:
        key = brand_id(conn, "demo", create=False)
        assert key is not None
        add_channel(
            conn, key, "ops", "webhook", {"url": "http://127.0.0.1:9/x", "secret": "s" * 32}, "low"
        )
    first = evaluate_alerts(engine, "demo", weeks=12)
    with engine.connect() as conn:
        key = brand_id(conn, "demo", create=False)
        assert key is not None
        found = list_alerts(conn, key, limit=1_000)
        brand_wide = [
            a for a in found
            if a.topic == demo.planted["spike_topic"] and a.location is None
            and a.kind == "anomaly:volume"
        ]  # fmt: skip
        assert [a.first_day for a in brand_wide] == [(spike - date(1970, 1, 1)).days]
        assert brand_wide[0].severity in ("high", "critical")
        assert brand_wide[0].items >= 100
        linked = alert_item_ids(conn, brand_wide[0].id)
    assert len(linked) == brand_wide[0].items
    # Outside the spike week, the 12 weeks raise few alerts (generated data, no other event).
    quiet = [a for a in found if a.first_day != brand_wide[0].first_day]
    assert len(quiet) <= 5, [a.title for a in quiet]
    again = evaluate_alerts(engine, "demo", weeks=12)
    assert again.raised == first.raised and again.new_ids == []
    # One event, one notification per widest level: the spike's location and region alerts
    # sit within the brand-wide one and are stored, listed, but not sent on their own.
    spike_topic = [a for a in found if a.topic == demo.planted["spike_topic"]]
    nested = [a for a in spike_topic if a.detail.get("within")]
    assert nested and all(a.location is not None for a in nested)
    with engine.connect() as conn:
        queued = conn.execute(select(func.count()).select_from(notifications)).scalar_one()
    assert queued == sum(1 for a in found if not a.detail.get("within")) < len(found)


def records() -> list[dict[str, object]]:
    rows = [
        item(
            i,
            text="Lovely flat white, friendly barista",
            rating=5,
            created_at="2026-03-02T10:00:00Z",
        )
        for i in range(40)
    ]
    rows.append(item(40, text="Worst visit ever, the manager shouted at me", rating=1,
                     reach=250_000, created_at="2026-03-03T09:00:00Z"))  # fmt: skip
    rows.append(item(41, text="I think I got food poisoning from the chicken wrap", rating=2,
                     reach=12, created_at="2026-03-03T11:00:00Z"))  # fmt: skip
    rows += [
        item(
            100 + i,
            text="Cold coffee and a rude cashier",
            rating=1,
            location="Store 9",
            created_at="2026-03-04T12:00:00Z",
        )
        for i in range(30)
    ]
    return rows


def test_rules_raise_alerts_linked_to_their_items(store: Engine, tmp_path: Path) -> None:
    rows = records()
    header = [*rows[0], "reach"]
    path = write_csv(tmp_path / "a.csv", rows, header)
    ingest_file(store, path, IngestOptions(mapping=_stars()))
    with store.begin() as conn:
        key = brand_id(conn, "default", create=False)
        assert key is not None
        add_rule(conn, key, Rule("influencers", "reach", {"min_reach": 10_000}, "high"))
        add_rule(conn, key, Rule("safety", "keyword", {"words": ["food poisoning"]}, "critical"))
        add_rule(conn, key, Rule("floor", "nps_below", {"threshold": -50, "min_responses": 20}))
    result = evaluate_alerts(store, "default", as_of=date(2026, 3, 8))
    with store.connect() as conn:
        found = {a.kind: a for a in list_alerts(conn, key)}
        assert set(found) == {"rule:reach", "rule:keyword", "rule:nps_below"}
        assert found["rule:keyword"].severity == "critical"
        assert "250,000" in found["rule:reach"].title
        assert found["rule:nps_below"].location == "Store 9"
        texts = conn.execute(select(func.count()).select_from(alerts)).scalar_one()
        assert texts == result.raised == 3
    assert evaluate_alerts(store, "default", as_of=date(2026, 3, 8)).new_ids == []
    with store.begin() as conn:
        assert remove_rule(conn, key, "safety") and not remove_rule(conn, key, "safety")
        assert [r.name for r in list_rules(conn, key)] == ["floor", "influencers"]


def _stars() -> ColumnMapping:
    return ColumnMapping(defaults={"rating_scale": "stars_1_5"})


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule("", "reach", {"min_reach": 5}), "name"),
        (Rule("r", "reach", {"min_reach": 0}), "min_reach"),
        (Rule("r", "reach", {"min_reach": "many"}), "min_reach"),
        (Rule("r", "keyword", {}), "words"),
        (Rule("r", "keyword", {"pattern": "(\\w+\\s?)+!"}), "pattern"),
        (Rule("r", "keyword", {"words": ["re*fund"]}), r"\*"),
        (Rule("r", "keyword", {"words": ["  ", "*"]}), "words"),
        (Rule("r", "nps_below", {"threshold": 120}), "threshold"),
        (Rule("r", "sla", {}), "kind"),
        (Rule("r", "reach", {"min_reach": 5}, "urgent"), "severity"),
    ],
)
def test_bad_rules_name_the_field(rule: Rule, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_rule(rule)


def test_evaluation_of_an_empty_or_unknown_brand(store: Engine) -> None:
    with pytest.raises(LookupError):
        evaluate_alerts(store, "nobody")
    with pytest.raises(ValueError, match="weeks"):
        evaluate_alerts(store, "nobody", weeks=0)


def test_keyword_matching_is_literal_and_fast() -> None:
    pattern = matcher(
        validate_rule(Rule("r", "keyword", {"words": ["food  poisoning", "refund*", "a.b"]})).params
    )
    assert pattern.search("Got FOOD\npoisoning there")
    assert pattern.search("still waiting for my refunds")
    assert not pattern.search("axb") and pattern.search("see a.b now")
    assert not pattern.search("prefund")
    hostile = "word " * 20_000 + "."
    started = time.perf_counter()
    assert not pattern.search(hostile)
    assert time.perf_counter() - started < 1.0


def test_a_removed_rules_id_is_never_reused(store: Engine) -> None:
    """Rule ids are part of alert keys: a reused id would inherit the old rule's alerts."""
    with store.begin() as conn:
        key = brand_id(conn, "default")
        assert key is not None
        first = add_rule(conn, key, Rule("a", "reach", {"min_reach": 5}))
        remove_rule(conn, key, "a")
        second = add_rule(conn, key, Rule("b", "reach", {"min_reach": 5}))
    assert second.id != first.id
