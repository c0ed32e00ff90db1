"""Streaming ingest: read -> validate + analyse (worker processes) -> write, batch by batch.

Items are committed in transactions of ``commit_size`` together with the import-run
counts, so a process killed mid-import leaves whole transactions behind and a re-run
stores only the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from socialcem.analysis.base import DEFAULT_MODEL, loaded_classifier
from socialcem.ingest.mapping import ColumnMapping, resolve
from socialcem.ingest.readers import Record, reader_for
from socialcem.ingest.runs import RunCounts, start_run, update_run
from socialcem.ingest.validate import lookup, to_feedback
from socialcem.models import Analysis, Feedback, Problem
from socialcem.parallel import ordered_map
from socialcem.privacy.redact import redact_text
from socialcem.store.locations import brand_id, location_ids
from socialcem.store.sources import list_sources
from socialcem.store.writer import EncodedItem, encode_item, write_batch, write_problems

# Below this many rows the cost of starting worker processes is not worth paying.
PARALLEL_MIN_ROWS = 20_000
DEFAULT_COMMIT_SIZE = 25_000

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    brand: str = "default"
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    fmt: str | None = None
    model: str | None = DEFAULT_MODEL
    """Classifier to score new items with; None stores them unscored."""
    batch_size: int = 2_000
    """Items a worker validates and analyses at a time."""
    commit_size: int = DEFAULT_COMMIT_SIZE
    """Items written per transaction: a crash loses at most this much work, never data."""
    workers: int | None = None
    """Worker processes; None picks by input size, 0 runs everything in this process."""


@dataclass(frozen=True, slots=True)
class _Job:
    mapping: ColumnMapping
    file: str
    extra_columns: tuple[str, ...]
    model: str | None
    sqlite: bool
    redact_sources: frozenset[str] = frozenset()
    """Sources (lower case) whose text is redacted before it is analysed or stored."""


Prepared = tuple[list[EncodedItem], list[Problem]]


def prepare(job: _Job, records: list[Record]) -> Prepared:
    """Validate, analyse and encode one batch: the CPU-heavy part, run in worker processes."""
    good: list[Feedback] = []
    problems: list[Problem] = []
    for line, record in records:
        result = to_feedback(record, job.mapping, job.file, line, job.extra_columns)
        if isinstance(result, Feedback):
            if result.source in job.redact_sources:
                _redact(result)
            good.append(result)
        elif job.redact_sources and _source_of(record, job.mapping) in job.redact_sources:
            problems.extend(replace(p, raw=redact_text(p.raw)) for p in result)
        else:
            problems.extend(result)
    scored: list[Analysis | None]
    if job.model is None or not good:
        scored = [None] * len(good)
    else:
        scored = list(loaded_classifier(job.model).analyse([f.text for f in good]))
    encoded = [encode_item(f, a, job.sqlite) for f, a in zip(good, scored, strict=True)]
    return encoded, problems


def _redact(item: Feedback) -> None:
    """Redaction happens before analysis, so no stored field ever held the original."""
    item.text = redact_text(item.text)
    if item.raw:
        item.raw = {k: redact_text(v) for k, v in item.raw.items()}


def _source_of(record: dict[str, Any], mapping: ColumnMapping) -> str:
    """The source of a record that failed validation, as to_feedback would have read it."""
    spec = mapping.columns.get("source")
    value = lookup(record, spec) if spec else None
    return str(value or mapping.defaults.get("source") or "unknown").strip().lower()


def _prepare_batch(job: _Job, batch: tuple[list[Record], list[Problem]]) -> Prepared:
    return prepare(job, batch[0])


def estimate_rows(path: Path) -> int | None:
    """Rows in a file, cheaply, for the progress bar; None when unknown."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        return max(lines - (1 if suffix in (".csv", ".tsv") else 0), 0)
    except Exception:
        return None


def _batches(
    items: Iterator[Record | Problem], size: int
) -> Iterator[tuple[list[Record], list[Problem]]]:
    while True:
        chunk = list(islice(items, size))
        if not chunk:
            return
        records = [c for c in chunk if not isinstance(c, Problem)]
        problems = [c for c in chunk if isinstance(c, Problem)]
        yield records, problems


def _mapped(
    explicit: ColumnMapping, first: dict[str, Any]
) -> tuple[ColumnMapping, tuple[str, ...]]:
    mapping = resolve(explicit, first.keys())
    used = {spec.split(".")[0] for specs in mapping.columns.values() for spec in specs.split("|")}
    return mapping, tuple(k for k in first if k not in used)


def _workers(options: IngestOptions, rows: int | None) -> int:
    if options.workers is not None:
        return options.workers
    return 0 if rows is not None and rows < PARALLEL_MIN_ROWS else (os.cpu_count() or 1)


def ingest_file(
    engine: Engine,
    path: Path,
    options: IngestOptions,
    progress: Progress | None = None,
    rows: int | None = None,
) -> RunCounts:
    """Ingest one file; raises MappingError/UnsupportedFormatError before writing anything.

    ``rows`` is the caller's estimate_rows(path), if it has one, to save a second pass.
    """
    name = str(path)
    items = reader_for(path, options.fmt)(path)
    head: list[Record | Problem] = []
    for item in items:  # problems before the first good record are kept, not dropped
        head.append(item)
        if not isinstance(item, Problem):
            break
    first = next((h for h in head if not isinstance(h, Problem)), None)
    mapping, extra = _mapped(options.mapping, first[1]) if first else (options.mapping, ())
    counts = RunCounts(name)
    with engine.begin() as conn:
        brand = brand_id(conn, options.brand)
        assert brand is not None
        run_id = start_run(conn, brand, name)
        known = location_ids(conn, brand)
        redacted = frozenset(s.name.lower() for s in list_sources(conn, brand) if s.redact)
    sqlite = engine.dialect.name == "sqlite"
    job = _Job(mapping, name, extra, options.model, sqlite, redacted)
    batches = _batches(chain(head, items), options.batch_size)
    work = partial(_prepare_batch, job)
    pending: list[EncodedItem] = []
    pending_problems: list[Problem] = []

    def commit() -> None:
        """One transaction for many worker batches: fewer, fuller page writes."""
        with engine.begin() as conn:
            new = write_batch(conn, brand, run_id, pending, known)
            write_problems(conn, brand, run_id, pending_problems)
            counts.ingested += new
            counts.duplicates += len(pending) - new
            counts.quarantined += len(pending_problems)
            counts.analysed += new if job.model else 0
            update_run(conn, run_id, counts)
        pending.clear()
        pending_problems.clear()

    try:
        workers = _workers(options, rows if rows is not None else estimate_rows(path))
        # Workers keep preparing the next transaction's worth while this one is written.
        ahead = 2 * workers + options.commit_size // options.batch_size
        for (records, read_problems), (items_ok, problems) in ordered_map(
            work, batches, workers, ahead
        ):
            pending.extend(items_ok)
            if job.redact_sources:  # an unreadable line's source is unknown: redact to be safe
                read_problems = [replace(p, raw=redact_text(p.raw)) for p in read_problems]
            pending_problems.extend(read_problems + problems)
            if len(pending) + len(pending_problems) >= options.commit_size:
                commit()
            if progress:
                progress(len(records) + len(read_problems))
        if pending or pending_problems:
            commit()
        counts.status = "done"
    except BaseException:
        counts.status = "failed"
        raise
    finally:
        with engine.begin() as conn:
            update_run(conn, run_id, counts, finished=True)
    return counts
