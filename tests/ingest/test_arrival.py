"""Alerts on arrival: per-item rules right after a commit, the week's evaluation debounced."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest
from helpers import item
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from socialcem.ingest import arrival
from socialcem.ingest.arrival import ArrivalAlerts, Debouncer, item_alerts, raise_item_alerts
from socialcem.ingest.live import ingest_records
from socialcem.ingest.outcomes import Arrived
from socialcem.insights.alerting import evaluate_alerts
from socialcem.insights.notify.channels import add_channel
from socialcem.insights.rules import Rule
from socialcem.store.alert_rules import add_rule
from socialcem.store.alert_store import alert_item_ids, list_alerts
from socialcem.store.locations import brand_id
from socialcem.store.schema import alerts, notifications

RULES = [
    Rule("loud detractor", "reach", {"min_reach": 1000}, "high"),
    Rule("refunds", "keyword", {"words": ["refund*", "money back"]}, "medium"),
    Rule("floor", "nps_below", {"threshold": 0, "min_responses": 1}, "low"),
]


@pytest.fixture
def acme(store: Engine) -> int:
    with store.begin() as conn:
        found = brand_id(conn, "acme")
        assert found is not None
        for rule in RULES:
            add_rule(conn, found, rule)
        add_channel(
            conn, found, "ops", "webhook", {"url": "http://127.0.0.1:9/x", "secret": "s" * 32}
        )
    return found


def arrived(id_: int, text: str = "fine", **over: Any) -> Arrived:
    base: dict[str, Any] = {
        "id": id_,
        "location_id": None,
        "day": 20_500,
        "text": text,
        "reach": None,
        "rating_category": None,
        "inferred_category": "passive",
    }
    return Arrived(**{**base, **over})


def test_item_alerts_match_reach_and_keyword_rules() -> None:
    rules = [Rule(r.name, r.kind, r.params, r.severity, id_) for id_, r in enumerate(RULES, 1)]
    items = [
        arrived(1, "Rude staff", reach=5000, rating_category="detractor", location_id=3),
        arrived(
            2, "Rude staff", reach=5000, rating_category="promoter", inferred_category="detractor"
        ),
        arrived(3, "I want a REFUND now", reach=5000, inferred_category="detractor"),
        arrived(4, "Give me my money  back", day=20_501),
        arrived(5, "refundable? no", reach=999, rating_category="detractor"),
        arrived(6, "no refunding here", reach=None, inferred_category="detractor"),
    ]
    raised = {r.dedupe_key: r for r in item_alerts(rules, items)}
    assert sorted(raised) == [
        "rule:1:item:1",
        "rule:1:item:3",
        "rule:2:day:20500",
        "rule:2:day:20501",
    ]
    assert raised["rule:1:item:1"].location_id == 3 and raised["rule:1:item:1"].severity == "high"
    assert raised["rule:2:day:20500"].feedback_ids == (3, 5, 6)
    assert raised["rule:2:day:20501"].feedback_ids == (4,)
    disabled = [Rule(r.name, r.kind, r.params, r.severity, r.id, False) for r in rules]
    assert item_alerts(disabled, items) == []


def test_posted_items_raise_the_alerts_a_full_evaluation_would(store: Engine, acme: int) -> None:
    records = [
        item(1, text="The manager shouted at me", rating=1, rating_scale="stars_1_5", reach=50_000),
        item(2, text="I demand a refund for the cold coffee"),
        item(3, text="Lovely flat white"),
    ]
    result = ingest_records(store, acme, records, via="api")
    new = raise_item_alerts(store, acme, result.arrived)
    assert len(new) == 2
    with store.connect() as conn:
        found = {a.kind: a for a in list_alerts(conn, acme)}
        refund_items = alert_item_ids(conn, found["rule:keyword"].id)
        queued = conn.execute(select(func.count()).select_from(notifications)).scalar_one()
    assert set(found) == {"rule:reach", "rule:keyword"}
    assert refund_items == [result.outcomes[1].id]
    assert queued == 2  # queued for the channel like any evaluation's alerts
    # The same keys as rule_alerts: the full evaluation finds these and adds no rule alert.
    evaluation = evaluate_alerts(store, "acme", weeks=1)
    with store.connect() as conn:
        kinds = conn.execute(
            select(alerts.c.kind).where(alerts.c.id.in_(evaluation.new_ids))
        ).scalars()
        assert not [k for k in kinds if k in ("rule:reach", "rule:keyword")]
    # A later item of the same day joins the day's keyword alert instead of a new one.
    same_day = item(4, text="refund please", created_at=records[1]["created_at"])
    later = ingest_records(store, acme, [same_day], via="api")
    assert raise_item_alerts(store, acme, later.arrived) == []
    with store.connect() as conn:
        assert alert_item_ids(conn, found["rule:keyword"].id) == sorted(
            [result.outcomes[1].id or 0, later.outcomes[0].id or 0]
        )


def test_no_rules_no_alerts(store: Engine) -> None:
    with store.begin() as conn:
        key = brand_id(conn, "quiet")
    assert key is not None
    result = ingest_records(store, key, [item(1, text="refund")], via="api")
    assert raise_item_alerts(store, key, result.arrived) == []
    assert raise_item_alerts(store, key, []) == []


def test_queued_items_are_checked_in_batches(
    store: Engine, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[list[int]] = []
    real = arrival.raise_item_alerts

    def counting(engine: Engine, brand: int, items: Any) -> list[int]:
        batches.append([i.id for i in items])
        return real(engine, brand, items)

    monkeypatch.setattr(arrival, "raise_item_alerts", counting)
    queue = ArrivalAlerts(store, background=False)
    for i in range(3):
        result = ingest_records(store, acme, [item(i, text="refund me")], via="api")
        queue.add(acme, "acme", result.arrived)
    queue.add(acme, "acme", [])
    with store.connect() as conn:
        assert list_alerts(conn, acme) == []  # nothing ran in the request's thread
    queue.flush()
    assert batches == [[1, 2, 3]]  # one rules query for the three requests
    with store.connect() as conn:
        kinds = sorted(a.kind for a in list_alerts(conn, acme))
    assert "rule:keyword" in kinds


def test_alert_failures_are_logged_not_raised(
    store: Engine, acme: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> list[int]:
        raise RuntimeError("rules store away")

    monkeypatch.setattr(arrival, "raise_item_alerts", broken)
    queue = ArrivalAlerts(store, background=False)
    queue.add(acme, "acme", [arrived(1)])
    with caplog.at_level(logging.ERROR, logger="socialcem.ingest.arrival"):
        queue.flush()
    assert "rules store away" in caplog.text
    assert queue.items.pending() == {} and queue.weeks.pending() == {}


def test_debouncer_runs_each_brand_at_most_once_an_interval() -> None:
    now = [100.0]
    runs: list[str] = []
    d = Debouncer(runs.append, interval_s=30, clock=lambda: now[0], background=False)
    d.notify("acme")
    d.notify("acme")
    d.notify("globex")
    assert d.run_due() == ["acme", "globex"] and runs == ["acme", "globex"]
    now[0] = 110.0
    d.notify("acme")  # within the interval: due 30 s after the last run
    assert d.pending() == {"acme": 130.0}
    assert d.run_due() == []
    now[0] = 129.9
    assert d.run_due() == []
    now[0] = 130.0
    assert d.run_due() == ["acme"]
    assert d.run_due() == [] and runs == ["acme", "globex", "acme"]
    now[0] = 200.0
    d.notify("acme")  # a quiet brand runs at once
    assert d.pending() == {"acme": 200.0}


def test_debouncer_flush_and_errors(caplog: pytest.LogCaptureFixture) -> None:
    runs: list[str] = []

    def run(brand: str) -> None:
        runs.append(brand)
        if brand == "bad":
            raise ValueError("boom")

    d = Debouncer(run, interval_s=3600, background=False)
    d.notify("bad")
    d.notify("acme")
    with caplog.at_level(logging.ERROR, logger="socialcem.ingest.arrival"):
        assert d.flush() == ["acme", "bad"]
    assert "boom" in caplog.text and runs == ["acme", "bad"]
    d.notify("acme")
    assert d.pending()["acme"] > 0  # flushed runs count: the next waits an interval
    d.close(flush=True)
    assert runs[-1] == "acme"
    d.notify("acme")  # closed: ignored
    assert d.pending() == {}


def test_debouncer_thread_runs_in_the_background() -> None:
    done = threading.Event()
    seen: list[str] = []

    def run(brand: str) -> None:
        seen.append(brand)
        done.set()

    d = Debouncer(run, interval_s=0.05)
    d.notify("acme")
    assert done.wait(5)
    d.close(flush=False)
    assert seen == ["acme"]


def test_debounced_evaluation_raises_week_alerts(store: Engine, acme: int) -> None:
    """The NPS floor is a weekly rule: it comes from the debounced full evaluation."""
    records = [item(i, rating=2, rating_scale="nps_0_10") for i in range(3)]
    result = ingest_records(store, acme, records, via="api")
    queue = ArrivalAlerts(store, background=False)
    queue.add(acme, "acme", result.arrived)
    queue.items.flush()
    with store.connect() as conn:
        assert not [a for a in list_alerts(conn, acme) if a.kind == "rule:nps_below"]
    assert queue.weeks.flush() == ["acme"]
    with store.connect() as conn:
        assert [a for a in list_alerts(conn, acme) if a.kind == "rule:nps_below"]


def test_the_queue_threads_run_on_their_own(store: Engine, acme: int) -> None:
    result = ingest_records(store, acme, [item(1, text="a refund")], via="api")
    queue = ArrivalAlerts(store)
    queue.add(acme, "acme", result.arrived)
    deadline = time.monotonic() + 10
    found: list[str] = []
    while not found and time.monotonic() < deadline:
        with store.connect() as conn:
            found = [a.kind for a in list_alerts(conn, acme) if a.kind == "rule:keyword"]
        time.sleep(0.02)
    queue.close()
    assert found == ["rule:keyword"]


def test_evaluation_errors_are_logged(store: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="socialcem.ingest.arrival"):
        arrival.evaluate_newest_week(store, "no such brand")
    assert "alert evaluation on arrival failed" in caplog.text


def test_a_key_collision_replays_the_save(
    store: Engine, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process stored the same alert first: the replay links to it."""
    real = arrival.save_alerts
    calls: list[int] = []

    def collide_once(conn: Any, brand: int, raised: Any) -> list[int]:
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO alerts ...", {}, ValueError("duplicate key"))
        return real(conn, brand, raised)

    monkeypatch.setattr(arrival, "save_alerts", collide_once)
    result = ingest_records(store, acme, [item(1, text="refund")], via="api")
    assert len(raise_item_alerts(store, acme, result.arrived)) == 1
    assert len(calls) == 2
