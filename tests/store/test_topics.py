"""The topic rollup equals a recount of the stored analyses, however the items arrived."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from alembic import command
from helpers import item, write_csv
from sqlalchemy import Engine, delete, func, inspect, select

from socialcem.analysis.base import model_version
from socialcem.analysis.rescore import rescore
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store.migrate import alembic_config, upgrade
from socialcem.store.schema import analyses, feedback, intent_tags, topic_counts
from socialcem.store.topics import backfill_topic_counts, count_topics

TEXTS = (
    "The barista was rude and the coffee was cold",
    "Great service, friendly staff, the latte was perfect",
    "Waited 20 minutes for my order, the app kept crashing",
    "Prices went up again but the pastries are still lovely",
    "Delivery came late and the driver was polite",
    "just visiting",
    "Where can I buy the beans you use? Lovely cafe",
)


def records(n: int, start: int = 0) -> list[dict[str, object]]:
    return [item(i, text=f"{TEXTS[i % len(TEXTS)]} #{i}") for i in range(start, start + n)]


def recount(engine: Engine, model: str) -> Counter[str]:
    out: Counter[str] = Counter()
    with engine.connect() as conn:
        stmt = select(analyses.c.extra).where(analyses.c.model == model)
        for (extra,) in conn.execute(stmt):
            out[""] += 1
            for topic in (extra or {}).get("aspects") or {}:
                out[topic] += 1
    return out


def rollup(engine: Engine, model: str) -> Counter[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(topic_counts.c.topic, func.sum(topic_counts.c["items"]))
            .where(topic_counts.c.model == model)
            .group_by(topic_counts.c.topic)
        )
        return Counter({str(t): int(n) for t, n in rows})


def snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(topic_counts))]
        rows += [("tag", *r) for r in conn.execute(select(intent_tags))]
        return sorted(rows, key=repr)


def test_ingest_keeps_the_rollup_equal_to_a_recount(store: Engine, tmp_path: Path) -> None:
    ingest_file(store, write_csv(tmp_path / "a.csv", records(120)), IngestOptions(batch_size=16))
    ingest_file(store, write_csv(tmp_path / "a.csv", records(150)), IngestOptions())  # 30 new
    name = model_version(None)
    counted = rollup(store, name)
    assert counted == recount(store, name)
    assert counted[""] == 150 and counted["staff_service"] > 0
    with store.connect() as conn:
        tagged = conn.execute(select(func.count()).select_from(intent_tags)).scalar_one()
    assert tagged == sum(1 for i in range(150) if i % len(TEXTS) == len(TEXTS) - 1)


def test_rescoring_adds_each_item_once(store: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", records(90))
    ingest_file(store, path, IngestOptions(model="lexicon"))
    rescore(store, "linear", page_size=40)
    rescore(store, "linear", page_size=40)  # nothing left to score: nothing added
    name = model_version("linear")
    assert rollup(store, name) == recount(store, name)
    assert rollup(store, name)[""] == 90


def test_backfill_and_migration_rebuild_the_same_rollup(store: Engine, tmp_path: Path) -> None:
    ingest_file(store, write_csv(tmp_path / "a.csv", records(100)), IngestOptions())
    written = snapshot(store)
    with store.begin() as conn:
        conn.execute(delete(topic_counts))
        conn.execute(delete(intent_tags))
        backfill_topic_counts(conn, page=7)
    assert snapshot(store) == written
    command.downgrade(alembic_config(store), "0002")
    assert "topic_counts" not in inspect(store).get_table_names()
    upgrade(store)
    assert snapshot(store) == written
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(feedback)).scalar_one() == 100


def test_count_topics_uses_the_rating_before_the_model() -> None:
    row = (1, "m", 0, 10, 197001, "survey", "", "customer", "en")
    extra = {"aspects": {"price_value": -0.4}, "intents": ["purchase_intent"]}
    rated = (7, *row, "promoter", "detractor", True, "negative", extra)
    unread = (8, *row, None, "detractor", False, "neutral", None)
    tags: list[tuple[object, ...]] = []
    counted = count_topics([rated, unread], tags)
    assert tags == [(1, "m", "purchase_intent", 10, 7)]
    everything = counted[(1, "m", "", 0, 10, "survey", "", "customer", "en", 197001)]
    assert everything[:4] == [2, 1, 0, 0]  # two items, one promoter, the unread one has none
    price = counted[(1, "m", "price_value", 0, 10, "survey", "", "customer", "en", 197001)]
    assert price == [1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
