"""Real-time ingest: items posted to the API or to a source's webhook.

The file-ingest path (to_feedback, the classifier, encode_item, write_batch, the quarantine,
an import run), one request at a time. Everything a request brings is written in one
transaction, committed before the caller hears back: a 2xx means the items are durable.
Each call has an import run of its own (write_batch finds the rows it inserted by run id)
and a quarantine "file" of its own, ``api:<token>`` or ``webhook:<source>:<token>``, whose
lines are the 1-based positions of the items in the call. (The server's group commit makes
one call of the requests that arrive together.)
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from socialcem.analysis.base import DEFAULT_MODEL, loaded_classifier
from socialcem.ingest.mapping import FIELDS, ColumnMapping
from socialcem.ingest.outcomes import (
    Arrived,
    Invalid,
    LiveResult,
    Outcome,
    Record,
    arrived_item,
)
from socialcem.ingest.readers import clip
from socialcem.ingest.runs import RunCounts, start_run, update_run
from socialcem.ingest.validate import encodable, to_feedback
from socialcem.models import Analysis, Feedback, Location, Problem
from socialcem.privacy.redact import redact_text
from socialcem.store.locations import add_location
from socialcem.store.schema import feedback, locations
from socialcem.store.sources import get_source
from socialcem.store.writer import (
    EncodedItem,
    encode_item,
    write_batch,
    write_problems,
)

log = logging.getLogger(__name__)

MAPPING = ColumnMapping({name: name for name in FIELDS})
"""Posted items use the standard field names; one object, so to_feedback compiles it once."""
ATTEMPTS = 5
# Deadlock and serialization failure (and, should one get past known_locations, a unique
# violation): the writes are idempotent, so the whole transaction is replayed.
RETRY_SQLSTATES = frozenset({"40P01", "40001", "23505"})
_LOOKUP_CHUNK = 500


def source_of(record: Record, default_source: str | None = None) -> str:
    """The source an item will be stored under, as to_feedback normalises it."""
    raw = record.raw if isinstance(record, Invalid) else record
    value = raw.get("source") if isinstance(raw, Mapping) else None
    if not isinstance(value, str) or not value.replace("\x00", "").strip():
        value = default_source
    cleaned = encodable((value or "unknown").replace("\x00", "").strip().lower()[:100])
    return cleaned or "unknown"


def _value(name: str, value: Any) -> Any:
    if isinstance(value, str):
        return encodable(value)
    if name in FIELDS or value is None:
        return value  # to_feedback reads numbers and dates of its own fields
    return json.dumps(value)


def _plain(record: Mapping[str, Any], default_source: str | None) -> dict[str, Any]:
    """A copy with the default source filled in, extra values as text (JSON if not text) and
    text the store can encode."""
    out = {encodable(str(k)): _value(k, v) for k, v in record.items()}
    given = out.get("source")
    if default_source and (given is None or (isinstance(given, str) and not given.strip())):
        out["source"] = default_source
    return out


def _redacted(record: Record, sources: set[str], default_source: str | None) -> Record:
    if source_of(record, default_source) not in sources:
        return record
    if isinstance(record, Invalid):
        raw = record.raw
        if isinstance(raw, Mapping) and isinstance(raw.get("text"), str):
            return Invalid(record.problems, {**raw, "text": redact_text(raw["text"])})
        return record
    text = record.get("text")
    return {**record, "text": redact_text(text)} if isinstance(text, str) else record


def redacting_sources(conn: Connection, brand_id: int, sources: set[str]) -> set[str]:
    """The sources among ``sources`` whose settings ask for redaction (read per request, so
    turning it on takes effect at once)."""
    found = [get_source(conn, brand_id, name) for name in sorted(sources)]
    return {s.name for s in found if s is not None and s.redact}


def _check(record: Record, file: str, line: int) -> Feedback | list[Problem]:
    if isinstance(record, Invalid):
        raw = clip(repr(record.raw))
        return [Problem(file, line, f, r, raw) for f, r in record.problems]
    extra = tuple(k for k in record if k not in FIELDS)
    return to_feedback(dict(record), MAPPING, file, line, extra)


def _analyse(items: list[Feedback], model: str | None) -> list[Analysis | None]:
    if model is None or not items:
        return [None] * len(items)
    return list(loaded_classifier(model).analyse([f.text for f in items]))


def warm_up(model: str | None = DEFAULT_MODEL) -> None:
    """Load the classifier and its language model now: the first text pays ~150 ms."""
    if model is not None:
        loaded_classifier(model).analyse(["warm up"])


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A request validated, analysed and encoded: what its transaction writes."""

    items: list[Record]
    checked: list[Feedback | list[Problem]]
    analyses: list[Analysis | None]
    encoded: list[EncodedItem]
    problems: list[Problem]


def _prepare(
    conn: Connection,
    brand_id: int,
    records: Sequence[Record],
    file: str,
    default_source: str | None,
    model: str | None,
    redact: bool | None,
) -> _Prepared:
    items: list[Record] = [
        r if isinstance(r, Invalid) else _plain(r, default_source) for r in records
    ]
    sources = {source_of(r, default_source) for r in items}
    if redact is None:
        redacting = redacting_sources(conn, brand_id, sources)
    else:
        redacting = sources if redact else set()
    if redacting:
        items = [_redacted(r, redacting, default_source) for r in items]
    checked = [_check(r, file, line) for line, r in enumerate(items, 1)]
    good = [c for c in checked if isinstance(c, Feedback)]
    problems = [p for c in checked if not isinstance(c, Feedback) for p in c]
    analyses = _analyse(good, model)
    sqlite = conn.dialect.name == "sqlite"
    encoded = [encode_item(f, a, sqlite) for f, a in zip(good, analyses, strict=True)]
    return _Prepared(items, checked, analyses, encoded, problems)


def ingest_records(
    engine: Engine,
    brand_id: int,
    records: Sequence[Record],
    *,
    via: str,
    default_source: str | None = None,
    model: str | None = DEFAULT_MODEL,
    redact: bool | None = None,
) -> LiveResult:
    """Validate, analyse and store ``records`` of one request; every outcome in input order.

    ``redact`` None follows each source's settings; True or False forces it. ``model`` None
    stores items unscored. Raises only for store failures, and then nothing is written.
    One transaction reads the source settings and writes everything (one connection, one
    commit); a conflict with a concurrent request replays it.
    """
    if not records:
        return LiveResult(None, "", [], [])
    token = uuid.uuid4().hex[:16]
    file = ":".join(p for p in (via, default_source and default_source[:100], token) if p)
    prepared: _Prepared | None = None
    attempt = 0
    while True:
        try:
            with engine.begin() as conn:
                if prepared is None:
                    prepared = _prepare(
                        conn, brand_id, records, file, default_source, model, redact
                    )
                run_id, stored = _write(conn, brand_id, file, prepared, model)
            return _result(run_id, file, prepared, stored, default_source)
        except DBAPIError as exc:
            attempt += 1
            if attempt == ATTEMPTS or not retryable(exc):
                raise
            log.info("live ingest: retry %d after %s", attempt, type(exc.orig).__name__)
            time.sleep(0.005 * 2**attempt * (1 + random.random()))


def retryable(exc: DBAPIError) -> bool:
    """A conflict between concurrent transactions that replaying the transaction resolves."""
    return getattr(exc.orig, "sqlstate", None) in RETRY_SQLSTATES


Stored = dict[tuple[str, str], tuple[int, int | None, int | None]]
"""(source, external id) -> (item id, its run id, its location id)."""


def _write(
    conn: Connection, brand: int, file: str, prepared: _Prepared, model: str | None
) -> tuple[int, Stored]:
    if conn.dialect.name == "sqlite":
        # The write lock up front, whatever the driver's transaction mode: a transaction
        # that read before its first write fails at once ("database is locked") when
        # another writer committed in between.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    encoded, problems = prepared.encoded, prepared.problems
    keys = {(values[0], values[1]) for values, _, _ in encoded}
    run_id = start_run(conn, brand, file)
    known = known_locations(conn, brand, {loc for _, loc, _ in encoded if loc})
    # One order for every request: concurrent ones then lock shared rows in the same order.
    ordered = sorted(encoded, key=lambda e: (e[0][0], e[0][1]))
    new = write_batch(conn, brand, run_id, ordered, known)
    write_problems(conn, brand, run_id, problems)
    stored = stored_items(conn, brand, keys)
    counts = RunCounts(file, new, len(encoded) - new, len(problems), new if model else 0, "done")
    update_run(conn, run_id, counts, finished=True)
    return run_id, stored


def named_locations(conn: Connection, brand: int, names: set[str]) -> dict[str, int]:
    """Ids of just the locations a request names: cheaper than the brand's whole table and
    never stale, unlike a cache shared by concurrent requests."""
    if not names:
        return {}
    rows = conn.execute(
        select(locations.c.name, locations.c.id).where(
            locations.c.brand_id == brand, locations.c.name.in_(sorted(names))
        )
    )
    return {str(name): int(id_) for name, id_ in rows}


def known_locations(conn: Connection, brand: int, names: set[str]) -> dict[str, int]:
    """Ids of the named locations, new ones added. On PostgreSQL two requests may add the
    same new location at once: the second waits for the first, fails on the unique key
    inside its savepoint and reads the first one's row (a SQLite writer is alone)."""
    known = named_locations(conn, brand, names)
    for name in sorted(names - known.keys()):
        if conn.dialect.name != "postgresql":
            add_location(conn, brand, Location(name), known)
            continue
        try:
            with conn.begin_nested():
                add_location(conn, brand, Location(name), known)
        except IntegrityError:
            known.update(named_locations(conn, brand, {name}))
    return known


def stored_items(conn: Connection, brand: int, keys: set[tuple[str, str]]) -> Stored:
    by_source: dict[str, list[str]] = {}
    for source, external_id in sorted(keys):
        by_source.setdefault(source, []).append(external_id)
    out: Stored = {}
    f = feedback.c
    for source, ids in by_source.items():
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            rows = conn.execute(
                select(f.id, f.external_id, f.run_id, f.location_id).where(
                    f.brand_id == brand,
                    f.source == source,
                    f.external_id.in_(ids[start : start + _LOOKUP_CHUNK]),
                )
            )
            for id_, external_id, run, loc in rows:
                out[(source, str(external_id))] = (int(id_), run, loc)
    return out


def _result(
    run_id: int, file: str, prepared: _Prepared, stored: Stored, default_source: str | None
) -> LiveResult:
    outcomes: list[Outcome] = []
    arrived: list[Arrived] = []
    seen: set[tuple[str, str]] = set()
    scored = iter(prepared.analyses)
    for record, result in zip(prepared.items, prepared.checked, strict=True):
        if not isinstance(result, Feedback):
            problems = tuple((p.field, p.reason) for p in result)
            outcomes.append(Outcome("rejected", source_of(record, default_source), None, problems))
            continue
        analysis = next(scored)
        key = (result.source, result.external_id)
        if key not in stored:  # the insert saw it, so the lookup after it must
            raise RuntimeError(f"item {key} was neither inserted nor found")
        id_, run, loc = stored[key]
        if run != run_id or key in seen:
            outcomes.append(Outcome("duplicate", result.source, id_))
            continue
        seen.add(key)
        outcomes.append(Outcome("created", result.source, id_))
        arrived.append(arrived_item(id_, loc, result, analysis))
    return LiveResult(run_id, file, outcomes, arrived)
