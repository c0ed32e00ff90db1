"""Live ingest: one request, one transaction, outcomes in input order, safe to repeat."""

from __future__ import annotations

import json
import random
import threading
from typing import Any

import pytest
from helpers import item
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError

from socialcem.ingest import live
from socialcem.ingest.live import ingest_records
from socialcem.ingest.outcomes import Invalid, LiveResult
from socialcem.store.locations import brand_id
from socialcem.store.schema import (
    analyses,
    daily_counts,
    feedback,
    import_runs,
    quarantine,
    topic_counts,
)
from socialcem.store.sources import configure_source


@pytest.fixture
def acme(store: Engine) -> int:
    with store.begin() as conn:
        found = brand_id(conn, "acme")
    assert found is not None
    return found


def scalar(engine: Engine, stmt: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(stmt).scalar()


def count(engine: Engine, table: Any, *where: Any) -> int:
    return int(scalar(engine, select(func.count()).select_from(table).where(*where)))


def test_outcomes_in_input_order_and_quarantine(store: Engine, acme: int) -> None:
    records: list[dict[str, Any] | Invalid] = [
        item(1),
        item(2, created_at="soon"),
        item(1),  # the same item twice in one request
        Invalid((("text", "Input should be a valid string"),), {"text": 5}),
        item(3, rating=11, rating_scale="nps_0_10"),
        item(4, location="Brand new place"),
    ]
    result = ingest_records(store, acme, records, via="api")
    assert [o.status for o in result.outcomes] == [
        "created",
        "rejected",
        "duplicate",
        "rejected",
        "rejected",
        "created",
    ]
    first, _, again, _, _, last = result.outcomes
    assert again.id == first.id and first.id is not None and last.id is not None
    assert result.outcomes[1].problems[0][0] == "created_at"
    assert result.outcomes[4].problems == (("rating", "rating 11 out of range 0-10 for nps_0_10"),)
    assert [a.id for a in result.arrived] == [first.id, last.id]
    assert result.file.startswith("api:")

    with store.connect() as conn:
        rows = conn.execute(
            select(quarantine.c.file, quarantine.c.line, quarantine.c.field).order_by(
                quarantine.c.line
            )
        ).all()
        run = conn.execute(select(import_runs)).one()
    assert [tuple(r) for r in rows] == [
        (result.file, 2, "created_at"),
        (result.file, 4, "text"),
        (result.file, 5, "rating"),
    ]
    assert (run.id, run.file, run.status) == (result.run_id, result.file, "done")
    assert (run.ingested, run.duplicates, run.quarantined) == (2, 1, 3)
    assert count(store, analyses) == 2
    assert scalar(store, select(func.sum(daily_counts.c["items"]))) == 2


def test_reposting_creates_nothing(store: Engine, acme: int) -> None:
    batch = [item(i) for i in range(6)]
    first = ingest_records(store, acme, batch, via="api")
    again = ingest_records(store, acme, list(reversed(batch)), via="api")
    assert {o.status for o in again.outcomes} == {"duplicate"}
    assert [o.id for o in again.outcomes] == [o.id for o in reversed(first.outcomes)]
    assert again.arrived == []
    assert count(store, feedback) == 6 and count(store, analyses) == 6
    assert scalar(store, select(func.sum(daily_counts.c["items"]))) == 6
    assert first.run_id != again.run_id


def test_a_failure_mid_write_leaves_nothing(
    store: Engine, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> int:
        raise RuntimeError("disk on fire")

    # write_batch has run (items, analyses, rollups) when the quarantine write fails.
    monkeypatch.setattr(live, "write_problems", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest_records(store, acme, [item(1), item(2, created_at="soon")], via="api")
    for table in (feedback, analyses, daily_counts, topic_counts, import_runs, quarantine):
        assert count(store, table) == 0, table.name


class FakeDeadlock(Exception):
    sqlstate = "40P01"


def test_a_deadlock_replays_the_transaction(
    store: Engine, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = live.write_batch

    def once_deadlocked(*args: Any) -> int:
        calls.append(1)
        written = real(*args)  # the first attempt's writes are rolled back with it
        if len(calls) == 1:
            raise DBAPIError("INSERT ...", {}, FakeDeadlock())
        return written

    monkeypatch.setattr(live, "write_batch", once_deadlocked)
    result = ingest_records(store, acme, [item(1), item(2)], via="api")
    assert len(calls) == 2
    assert [o.status for o in result.outcomes] == ["created", "created"]
    assert count(store, feedback) == 2 and count(store, import_runs) == 1
    assert scalar(store, select(func.sum(daily_counts.c["items"]))) == 2


def test_other_errors_are_not_replayed(
    store: Engine, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def failing(*args: Any) -> int:
        calls.append(1)
        raise DBAPIError("INSERT ...", {}, ValueError("no"))

    monkeypatch.setattr(live, "write_batch", failing)
    with pytest.raises(DBAPIError):
        ingest_records(store, acme, [item(1)], via="api")
    assert len(calls) == 1


def test_default_source_file_name_and_extra_fields(store: Engine, acme: int) -> None:
    plain = {k: v for k, v in item(1).items() if k != "source"}
    records = [
        {**plain, "order": {"total": 12.5}, "channel_id": 7, "note": "vip"},
        item(2, source="Yelp"),
    ]
    result = ingest_records(store, acme, records, via="webhook", default_source="reviews")
    assert result.file.startswith("webhook:reviews:")
    with store.connect() as conn:
        rows = conn.execute(
            select(feedback.c.external_id, feedback.c.source, feedback.c.extra).order_by(
                feedback.c.external_id
            )
        ).all()
    assert [(r.external_id, r.source) for r in rows] == [("x1", "reviews"), ("x2", "yelp")]
    assert rows[0].extra == {"order": json.dumps({"total": 12.5}), "channel_id": "7", "note": "vip"}
    assert [o.source for o in result.outcomes] == ["reviews", "yelp"]


def test_unscored_without_a_model(store: Engine, acme: int) -> None:
    result = ingest_records(store, acme, [item(1)], via="api", model=None)
    assert result.count("created") == 1
    assert count(store, analyses) == 0
    assert result.arrived[0].inferred_category is None


def test_nothing_to_store_opens_no_run(store: Engine, acme: int) -> None:
    result = ingest_records(store, acme, [], via="api")
    assert result.run_id is None and result.outcomes == []
    assert count(store, import_runs) == 0


def test_arrived_items_carry_what_rules_read(store: Engine, acme: int) -> None:
    records = [
        item(1, text="Awful, rude staff", rating=2, rating_scale="nps_0_10", reach=5000),
        item(2, location=None, created_at="2026-03-02T23:59:59+00:00"),
    ]
    result = ingest_records(store, acme, records, via="api")
    rated, plain = result.arrived
    with store.connect() as conn:
        stored = dict(conn.execute(select(feedback.c.id, feedback.c.day)).all())
        loc = conn.execute(select(feedback.c.location_id).where(feedback.c.id == rated.id)).scalar()
    assert (rated.reach, rated.rating_category, rated.location_id) == (5000, "detractor", loc)
    assert plain.location_id is None and plain.rating_category is None
    assert plain.inferred_category in {"promoter", "passive", "detractor"}
    assert {rated.id: rated.day, plain.id: plain.day} == stored


def test_redaction_follows_the_source_settings(store: Engine, acme: int) -> None:
    with store.begin() as conn:
        configure_source(conn, acme, "chat", redact=True)
    text = "Call me on +44 20 7946 0958 or write to jane.doe@example.com"
    records: list[dict[str, Any] | Invalid] = [
        item(1, source="chat", text=text),
        item(2, source="twitter", text=text),
        item(3, source="Chat", text=text, created_at="soon"),
        Invalid((("reach", "bad"),), {"source": "chat", "text": text, "reach": "x"}),
    ]
    ingest_records(store, acme, records, via="api")
    with store.connect() as conn:
        texts = dict(conn.execute(select(feedback.c.source, feedback.c.text)).all())
        raws = conn.execute(select(quarantine.c.raw)).scalars().all()
    assert "jane.doe@example.com" not in texts["chat"] and "[email]" in texts["chat"]
    assert "7946" not in texts["chat"]
    assert texts["twitter"] == text
    assert len(raws) == 2 and not any("jane.doe" in raw for raw in raws)

    forced = ingest_records(store, acme, [item(4, text=text)], via="api", redact=True)
    with store.connect() as conn:
        stored = conn.execute(
            select(feedback.c.text).where(feedback.c.id == forced.outcomes[0].id)
        ).scalar()
    assert "jane.doe" not in stored


def test_concurrent_requests_store_each_item_once(store: Engine, acme: int) -> None:
    """Threads post overlapping items (shared locations, days and new locations) one by one
    and in small bulks: no errors, each item stored once, rollups count each item once."""
    pool = [
        item(i, location=f"Place {i % 5}", created_at=f"2026-04-{1 + i % 3:02d}T09:00:00Z")
        for i in range(60)
    ]
    results: list[LiveResult] = []
    posted: set[str] = set()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine = rng.sample(pool, 40)
        try:
            while mine:
                size = rng.choice([1, 1, 1, 5])
                chunk, mine = mine[:size], mine[size:]
                result = ingest_records(store, acme, chunk, via="api")
                with lock:
                    results.append(result)
                    posted.update(p["id"] for p in chunk)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    outcomes = [o for r in results for o in r.outcomes]
    created = [o.id for o in outcomes if o.status == "created"]
    assert len(created) == len(set(created))
    assert {o.status for o in outcomes} <= {"created", "duplicate"}
    stored = count(store, feedback)
    assert stored == len(created) == len({o.id for o in outcomes})
    assert scalar(store, select(func.sum(daily_counts.c["items"]))) == stored
    all_items = select(func.sum(topic_counts.c["items"])).where(topic_counts.c.topic == "")
    assert scalar(store, all_items) == stored
    assert count(store, analyses) == stored
    with store.connect() as conn:
        runs = conn.execute(select(func.sum(import_runs.c.ingested))).scalar()
        external = set(conn.execute(select(feedback.c.external_id)).scalars())
    assert runs == stored
    assert external == posted


def test_lone_surrogates_are_stored_as_replacement_characters(store: Engine, acme: int) -> None:
    record = {**item(1, text="half \ud83d a smile"), "note": "\udfff"}
    result = ingest_records(store, acme, [record], via="api")
    with store.connect() as conn:
        row = conn.execute(select(feedback.c.text, feedback.c.extra)).one()
    assert result.count("created") == 1
    assert (row.text, row.extra) == ("half \ufffd a smile", {"note": "\ufffd"})
