"""Exports: CSV / JSON Lines / Parquet round trips, formula neutralising, paging, the audit."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from helpers import item, write_jsonl
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from socialcem import exports
from socialcem.accounts.audit import entries
from socialcem.accounts.principal import Principal, Role, Scope
from socialcem.exports import (
    COLUMNS,
    csv_chunks,
    filename,
    flat_row,
    jsonl_chunks,
    neutralise,
    record_export,
    streamed,
    write_export,
    write_parquet,
)
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store.feedback_queries import (
    AnalysisView,
    FeedbackFilter,
    FeedbackItem,
    select_feedback,
)
from socialcem.store.locations import brand_id

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)


def feedback_item(i: int, text: str = "fine", author: str | None = "ann") -> FeedbackItem:
    analysis = AnalysisView(
        "linear-cx@1", "negative", 0.7, 0.2, 0.1, "detractor", 0.8, 0.15, 0.05, "en", True,
        2.5, {"staff_service": -0.5}, ["churn_risk"],
    )  # fmt: skip
    return FeedbackItem(
        i, "twitter", f"x{i}", author, text, datetime(2026, 3, 1, 10, i % 60, tzinfo=UTC),
        "Store 1", None, "customer", 4.0, "stars_1_5", "passive", 120, None,
        analysis if i % 2 else None,
    )  # fmt: skip


@given(TEXT)
def test_neutralise_quotes_exactly_the_cells_a_spreadsheet_would_run(cell: str) -> None:
    out = neutralise(cell)
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert out == "'" + cell
    else:
        assert out == cell


@given(st.lists(st.tuples(TEXT, st.one_of(st.none(), TEXT)), max_size=8))
def test_csv_round_trip(cells: list[tuple[str, str | None]]) -> None:
    items = [feedback_item(i, text, author) for i, (text, author) in enumerate(cells)]
    data = b"".join(csv_chunks([items[:3], items[3:]]))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == len(items)
    for row, original in zip(rows, items, strict=True):
        assert list(row) == list(COLUMNS)
        assert row["text"] == neutralise(original.text)
        assert row["author"] == ("" if original.author is None else neutralise(original.author))
        assert int(row["id"]) == original.id and float(row["rating"]) == 4.0
        assert row["created_at"] == original.created_at.isoformat()
        if original.analysis is not None:
            assert json.loads(row["aspects"]) == {"staff_service": -0.5}
            assert row["intents"] == '["churn_risk"]'


def test_csv_neutralises_formulas_in_every_text_cell() -> None:
    attack = feedback_item(1, '=HYPERLINK("http://evil","x")', "@SUM(A1:A9)")
    data = b"".join(csv_chunks([[attack, feedback_item(2, "-2+3", "+cmd")]])).decode()
    first, second = list(csv.DictReader(io.StringIO(data)))
    assert first["text"].startswith("'=HYPERLINK") and first["author"] == "'@SUM(A1:A9)"
    assert second["text"] == "'-2+3" and second["author"] == "'+cmd"
    assert first["p_negative"] == "0.7"  # numbers are left alone


@given(st.lists(TEXT, max_size=6))
def test_jsonl_round_trip(texts: list[str]) -> None:
    items = [feedback_item(i, text) for i, text in enumerate(texts)]
    data = b"".join(jsonl_chunks([items]))
    lines = data.decode("utf-8").splitlines() if items else []
    back = [json.loads(line) for line in lines]
    expected = [{**flat_row(i), "created_at": i.created_at.isoformat()} for i in items]
    assert back == expected


def test_parquet_round_trip_keeps_types() -> None:
    items = [feedback_item(i, f"text {i}") for i in range(7)]
    sink = io.BytesIO()
    assert write_parquet([items[:4], items[4:]], sink) == 7
    table = pq.read_table(io.BytesIO(sink.getvalue()))
    assert table.column_names == list(COLUMNS)
    assert pq.ParquetFile(io.BytesIO(sink.getvalue())).num_row_groups == 2  # a group a page
    rows = table.to_pylist()
    for row, original in zip(rows, items, strict=True):
        expected = flat_row(original)
        if expected["aspects"] is not None:
            expected["aspects"] = json.dumps(expected["aspects"])
        assert row == expected
    assert rows[0]["created_at"].tzinfo is not None


def test_empty_exports_still_describe_their_columns() -> None:
    header = b"".join(csv_chunks([])).decode().strip()
    assert header.split(",") == list(COLUMNS)
    assert b"".join(jsonl_chunks([])) == b""
    sink = io.BytesIO()
    assert write_parquet([], sink) == 0
    assert pq.read_table(io.BytesIO(sink.getvalue())).column_names == list(COLUMNS)


def test_download_names_are_safe() -> None:
    assert filename('a"b/../c\r\nd', "csv", date(2026, 5, 1)) == "feedback-a-b-c-d-2026-05-01.csv"
    assert filename("///", "parquet", date(2026, 5, 1)) == "feedback-brand-2026-05-01.parquet"


@pytest.fixture
def stored(store: Engine, tmp_path: Path) -> tuple[Engine, Principal]:
    rows = [item(i, text=f"=cmd {i}" if i == 3 else f"visit {i}") for i in range(11)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    ingest_file(store, path, IngestOptions(brand="acme", model=None, workers=0))
    with store.connect() as conn:
        key = brand_id(conn, "acme", create=False) or 0
    return store, Principal(None, "ann", key, "acme", Role.ADMIN, frozenset(Scope))


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_exports_read_the_store_in_pages(
    stored: tuple[Engine, Principal], fmt: exports.Format, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, admin = stored
    monkeypatch.setattr(exports, "PAGE_SIZE", 4)  # 11 items: pages of 4, 4, 3
    filters = FeedbackFilter(location="Store 1")
    with engine.connect() as conn:
        selection = select_feedback(conn, admin, filters)
    advanced: list[int] = []
    sink = io.BytesIO()
    assert write_export(engine, selection, fmt, sink, advanced.append) == 4
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(sink.getvalue().decode())))
        ids = [r["external_id"] for r in rows]
        assert [r["text"] for r in rows if r["external_id"] == "x4"] == ["visit 4"]
    elif fmt == "jsonl":
        ids = [json.loads(line)["external_id"] for line in sink.getvalue().splitlines()]
    else:
        ids = pq.read_table(io.BytesIO(sink.getvalue())).column("external_id").to_pylist()
    assert ids == ["x10", "x7", "x4", "x1"]  # newest first, Store 1 only
    assert b"".join(streamed(engine, selection, fmt)) == sink.getvalue()
    with engine.connect() as conn:
        all_items = select_feedback(conn, admin, FeedbackFilter())
    if fmt == "csv":
        chunks = list(streamed(engine, all_items, fmt))
        assert len([c for c in chunks if c]) >= 3  # sent as pages arrive, not at the end
        assert b"'=cmd 3" in b"".join(chunks)


def test_every_export_is_audited(stored: tuple[Engine, Principal]) -> None:
    engine, admin = stored
    record_export(engine, admin, "parquet", FeedbackFilter(source="twitter"), rows=11, ip="::1")
    with engine.connect() as conn:
        [entry] = entries(conn, admin.brand_id, action="export")
    assert entry.actor == "ann" and entry.ip == "::1" and entry.target == "feedback"
    assert entry.detail == {"format": "parquet", "filters": {"source": "twitter"}, "rows": 11}
