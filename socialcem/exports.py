"""Exports of feedback as CSV, JSON Lines or Parquet, streamed page by page.

The API and `socialcem export` share this core. Rows are read in keyset pages and written
as they come, so an export of millions of items holds one page in memory. Feedback text is
untrusted: CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from tempfile import SpooledTemporaryFile
from typing import IO, Any, Literal

from sqlalchemy import Engine

from socialcem.accounts.audit import record
from socialcem.accounts.principal import Principal
from socialcem.store.feedback_queries import FeedbackFilter, FeedbackItem, Selection, iter_feedback

Format = Literal["csv", "jsonl", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl", "parquet")
MEDIA_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
COLUMNS = (
    "id", "source", "external_id", "author", "text", "created_at", "location", "touchpoint",
    "constituency", "rating", "rating_scale", "rating_category", "reach", "url", "model",
    "sentiment", "p_negative", "p_neutral", "p_positive", "nps_category", "p_detractor",
    "p_passive", "p_promoter", "predicted_ltr", "language", "scored", "aspects", "intents",
)  # fmt: skip
PAGE_SIZE = 2_000
SPOOL_BYTES = 32 << 20
"""A Parquet file stays in memory up to this size, then spills to a temporary file."""
CHUNK_BYTES = 1 << 20
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int], None]
Pages = Iterable[list[FeedbackItem]]


def flat_row(item: FeedbackItem) -> dict[str, Any]:
    """One item as one table row (COLUMNS); the analysis is that of the default model."""
    row: dict[str, Any] = {
        name: getattr(item, name)
        for name in COLUMNS[:14]  # the item's own fields, up to url
    }
    a = item.analysis
    for name in COLUMNS[14:]:
        row[name] = None if a is None else getattr(a, name)
    return row


def neutralise(cell: str) -> str:
    """A leading quote on text a spreadsheet would read as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _text_cell(value: str | None) -> str | None:
    return None if value is None else neutralise(value)


def _json_cell(value: Any) -> str | None:
    return None if value is None else neutralise(json.dumps(value, ensure_ascii=False))


def _as_is(value: Any) -> Any:
    return value


def _csv_cell(name: str) -> Callable[[Any], Any]:
    """How a column is written to CSV: text neutralised, nested values as JSON."""
    if name in ("aspects", "intents"):
        return _json_cell
    if name == "created_at":
        return datetime.isoformat
    return _text_cell if name in TEXT_COLUMNS else _as_is


TEXT_COLUMNS = frozenset(
    {"source", "external_id", "author", "text", "location", "touchpoint", "constituency",
     "rating_scale", "rating_category", "url", "model", "sentiment", "nps_category", "language"}
)  # fmt: skip
CSV_CELLS = tuple(_csv_cell(name) for name in COLUMNS)


def csv_chunks(pages: Pages, progress: Progress | None = None) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for page in pages:
        for item in page:
            row = flat_row(item).values()
            writer.writerow([cell(v) for cell, v in zip(CSV_CELLS, row, strict=True)])
        yield _drain(buffer)
        if progress:
            progress(len(page))
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def jsonl_chunks(pages: Pages, progress: Progress | None = None) -> Iterator[bytes]:
    for page in pages:
        lines = (_json_line(flat_row(item)) for item in page)
        yield ("\n".join(lines) + "\n").encode("utf-8")
        if progress:
            progress(len(page))


_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _json_line(row: dict[str, Any]) -> str:
    """One JSON object on one line, even for readers that also break lines at U+2028,
    U+2029 or NEL (which JSON allows unescaped inside strings)."""
    return json.dumps(row, default=_iso, ensure_ascii=False).translate(_LINE_BREAKS)


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _arrow_schema() -> Any:
    import pyarrow as pa

    text = TEXT_COLUMNS | {"aspects"}
    types = {
        "id": pa.int64(),
        "reach": pa.int64(),
        "created_at": pa.timestamp("us", tz="UTC"),
        "scored": pa.bool_(),
        "intents": pa.list_(pa.string()),
    }
    return pa.schema(
        [(n, pa.string() if n in text else types.get(n, pa.float64())) for n in COLUMNS]
    )


def write_parquet(pages: Pages, sink: IO[bytes], progress: Progress | None = None) -> int:
    """Write the pages as one Parquet file, a row group a page; returns the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema()
    rows = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for page in pages:
            flat = [flat_row(item) for item in page]
            for row in flat:
                row["aspects"] = None if row["aspects"] is None else json.dumps(row["aspects"])
            writer.write_table(pa.Table.from_pylist(flat, schema=schema))
            rows += len(flat)
            if progress:
                progress(len(page))
    return rows


def export_pages(engine: Engine, selection: Selection) -> Iterator[list[FeedbackItem]]:
    return iter_feedback(engine, selection, PAGE_SIZE)


def write_export(
    engine: Engine, selection: Selection, fmt: Format, out: IO[bytes], progress: Progress | None
) -> int:
    """Write the whole export to ``out``; returns how many items it holds."""
    counted = 0

    def count(n: int) -> None:
        nonlocal counted
        counted += n
        if progress:
            progress(n)

    pages = export_pages(engine, selection)
    if fmt == "parquet":
        return write_parquet(pages, out, count)
    chunks = csv_chunks(pages, count) if fmt == "csv" else jsonl_chunks(pages, count)
    for chunk in chunks:
        out.write(chunk)
    return counted


def streamed(engine: Engine, selection: Selection, fmt: Format) -> Iterator[bytes]:
    """The export as chunks of bytes for an HTTP response. CSV and JSON Lines are written as
    pages arrive; Parquet (whose footer describes the whole file) is spooled first."""
    pages = export_pages(engine, selection)
    if fmt == "csv":
        return csv_chunks(pages)
    if fmt == "jsonl":
        return jsonl_chunks(pages)
    spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by _read_out)
    try:
        write_parquet(pages, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return _read_out(spool)


def _read_out(spool: IO[bytes]) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk


def record_export(
    engine: Engine,
    principal: Principal,
    fmt: Format,
    filters: FeedbackFilter,
    rows: int | None = None,
    ip: str | None = None,
) -> None:
    """The audit entry of an export, in a transaction of its own (the API writes it before
    any row leaves, so an export cut short is on record too)."""
    detail: dict[str, Any] = {"format": fmt, "filters": filters.as_dict()}
    if rows is not None:
        detail["rows"] = rows
    with engine.begin() as conn:
        record(conn, principal.brand_id, principal.actor, "export", "feedback", detail, ip)


def filename(brand: str, fmt: Format, today: date) -> str:
    """A safe download name: the brand's name reduced to letters, digits, '-' and '_'."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", brand).strip("-")[:60] or "brand"
    return f"feedback-{safe}-{today.isoformat()}.{fmt}"
