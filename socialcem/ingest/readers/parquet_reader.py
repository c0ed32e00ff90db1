"""Parquet, read in record batches; a row's "line" is its 1-based row number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from socialcem.ingest.readers import Record
from socialcem.models import Problem

BATCH_ROWS = 10_000


def read(path: Path) -> Iterator[Record | Problem]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        yield Problem(str(path), 0, "*", f"not a readable Parquet file: {exc}")
        return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            for row in batch.to_pylist():
                number += 1
                yield number, row
    except Exception as exc:  # damaged pages behind an intact footer
        yield Problem(str(path), number + 1, "*", f"unreadable Parquet data from here on: {exc}")
