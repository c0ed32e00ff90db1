"""End-to-end ingest against real stores: idempotency, quarantine, parallel workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import item, write_csv, write_jsonl
from sqlalchemy import Engine, func, select

from socialcem.ingest.mapping import ColumnMapping, MappingError
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store.inspect import quarantined
from socialcem.store.schema import analyses, feedback, import_runs


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_importing_twice_stores_nothing_new(store: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", [item(i) for i in range(50)])
    first = ingest_file(store, path, IngestOptions())
    second = ingest_file(store, path, IngestOptions())
    assert (first.ingested, first.duplicates) == (50, 0)
    assert (second.ingested, second.duplicates) == (0, 50)
    assert count(store, feedback) == 50
    assert count(store, analyses) == 50


def test_broken_rows_are_quarantined_with_their_lines(store: Engine, tmp_path: Path) -> None:
    rows = [item(i) for i in range(10)]
    rows[2]["text"] = "   "
    rows[4]["created_at"] = "yesterday-ish"
    rows[6]["score"] = "12"
    rows[8]["reach"] = "-5"
    for r in rows:
        r.setdefault("score", "9")
        r.setdefault("reach", "10")
    path = write_csv(tmp_path / "in.csv", rows)
    counts = ingest_file(store, path, IngestOptions())
    assert (counts.ingested, counts.quarantined) == (6, 4)
    with store.connect() as conn:
        problems, total = quarantined(conn)
    # header is line 1, so record i sits on line i + 2
    assert total == 4
    assert [(p.line, p.field) for p in problems] == [
        (4, "text"),
        (6, "created_at"),
        (8, "rating"),
        (10, "reach"),
    ]
    assert all(p.file == str(path) for p in problems)
    # a re-run replaces the file's quarantine instead of piling it up
    ingest_file(store, path, IngestOptions())
    with store.connect() as conn:
        assert quarantined(conn)[1] == 4


def test_duplicates_inside_one_file_are_stored_once(store: Engine, tmp_path: Path) -> None:
    rows = [item(i % 5) for i in range(20)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    counts = ingest_file(store, path, IngestOptions(batch_size=7))
    assert (counts.ingested, counts.duplicates) == (5, 15)


def test_items_without_id_dedupe_on_content(store: Engine, tmp_path: Path) -> None:
    rows = [{k: v for k, v in item(i).items() if k != "id"} for i in range(5)]
    path = write_csv(tmp_path / "noid.csv", rows + rows[:2])
    counts = ingest_file(store, path, IngestOptions())
    assert (counts.ingested, counts.duplicates) == (5, 2)


def test_parallel_workers_store_the_same_as_in_process(
    sqlite_store: Engine, tmp_path: Path
) -> None:
    rows = [item(i) for i in range(300)] + [item(1000, text="")]
    path = write_csv(tmp_path / "in.csv", rows)
    counts = ingest_file(sqlite_store, path, IngestOptions(workers=2, batch_size=40))
    assert (counts.ingested, counts.quarantined) == (300, 1)
    assert count(sqlite_store, analyses) == 300


def test_without_a_model_items_are_stored_unscored(store: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", [item(i) for i in range(5)])
    counts = ingest_file(store, path, IngestOptions(model=None))
    assert counts.ingested == 5 and counts.analysed == 0
    assert count(store, analyses) == 0


def test_a_mapping_error_writes_nothing(store: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", [{"body": "hi", "when": "2026-01-01"}])
    with pytest.raises(MappingError, match="timestamp"):
        ingest_file(store, path, IngestOptions())
    assert count(store, import_runs) == 0
    ok = IngestOptions(mapping=ColumnMapping({"created_at": "when"}))
    assert ingest_file(store, path, ok).ingested == 1


def test_the_first_line_broken_still_resolves_the_mapping(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    good = write_jsonl(tmp_path / "good.jsonl", [item(1), item(2)]).read_text()
    path.write_text("{not json\n" + good)
    counts = ingest_file(store, path, IngestOptions())
    assert (counts.ingested, counts.quarantined) == (2, 1)


def test_nested_tweet_json_with_the_preset(store: Engine, tmp_path: Path) -> None:
    from socialcem.ingest.mapping import load_preset

    tweets = [
        {
            "id_str": "1",
            "full_text": "@northwind love the new oat latte",
            "created_at": "Wed Oct 10 20:19:24 +0000 2025",
            "user": {"screen_name": "kim", "followers_count": 1200},
        },
        {
            "id_str": "2",
            "text": "queue was out the door again",
            "created_at": "Thu Oct 11 08:00:00 +0000 2025",
            "user": {"screen_name": "lee", "followers_count": 15},
        },
    ]
    path = write_jsonl(tmp_path / "tweets.jsonl", tweets)
    counts = ingest_file(store, path, IngestOptions(mapping=load_preset("tweets")))
    assert counts.ingested == 2
    with store.connect() as conn:
        rows = conn.execute(select(feedback.c.author, feedback.c.reach, feedback.c.source)).all()
    assert sorted(rows) == [("kim", 1200, "twitter"), ("lee", 15, "twitter")]
