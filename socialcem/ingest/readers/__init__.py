"""Readers turn a file into numbered records, or a Problem for a line that cannot be read.

Each format is one module with one function ``read(path) -> Iterator[Record | Problem]``;
records are yielded one at a time so memory does not grow with the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

from socialcem.models import Problem

Record = tuple[int, dict[str, Any]]
Reader = Callable[[Path], Iterator[Record | Problem]]

_BY_SUFFIX = {
    ".csv": "csv_reader",
    ".tsv": "csv_reader",
    ".jsonl": "jsonl_reader",
    ".ndjson": "jsonl_reader",
    ".json": "jsonl_reader",
    ".parquet": "parquet_reader",
    ".pq": "parquet_reader",
}
FORMATS = {"csv": "csv_reader", "jsonl": "jsonl_reader", "parquet": "parquet_reader"}


class UnsupportedFormatError(ValueError):
    pass


def reader_for(path: Path, fmt: str | None = None) -> Reader:
    module = FORMATS.get(fmt) if fmt else _BY_SUFFIX.get(path.suffix.lower())
    if module is None:
        raise UnsupportedFormatError(
            f"{path}: cannot tell the format from {path.suffix!r}; "
            f"pass --format {'|'.join(FORMATS)}"
        )
    read: Reader = import_module(f"socialcem.ingest.readers.{module}").read
    return read


def clip(text: str, limit: int = 500) -> str:
    """Raw content kept with a problem is bounded: enough to recognise the row."""
    text = text.replace("\x00", "")
    return text if len(text) <= limit else text[:limit] + "…"
