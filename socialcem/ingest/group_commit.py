"""Concurrent requests' items written in one transaction: group commit.

A transaction costs 6-12 ms of Python and a dozen round trips whatever its size; written 25
at a time, an item costs about 1 ms (`python bench/live_write.py` prints both). So while
one transaction is being written, the requests that arrive queue, and the next transaction
takes them all. Each request still gets its own items' outcomes, and only after the commit
that stored them: a 2xx still means stored.

No thread of its own: the first request to find no transaction under way writes one; when
it is done, it hands the queue to the oldest waiting request, which writes the next. There
is one queue per brand and way in (a `Batch`), so one brand's slow write never holds up
another's. (Two writers per queue, overlapping one commit with the next one's Python work,
measured the same under `bench/load.py`: the CPU, not the disk, is what runs out.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from sqlalchemy import Engine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from socialcem.analysis.base import DEFAULT_MODEL
from socialcem.ingest.live import ingest_records
from socialcem.ingest.outcomes import LiveResult, Record

# The store itself failing (down, unreachable, out of connections): no request's items are
# to blame, so every request of the transaction hears it at once, none is retried alone.
STORE_FAILURES = (OperationalError, DisconnectionError, PoolTimeout)


@dataclass(frozen=True, slots=True)
class Batch:
    """What one transaction writes: records of one brand that arrived the same way."""

    brand_id: int
    via: str
    default_source: str | None
    model: str | None


Write = Callable[[Batch, Sequence[Record]], LiveResult]


@dataclass(slots=True, eq=False)
class _Waiting:
    records: Sequence[Record]
    done: threading.Event = field(default_factory=threading.Event)
    promoted: bool = False
    """Woken to write the next transaction rather than with a result."""
    result: LiveResult | None = None
    error: BaseException | None = None

    def outcome(self) -> LiveResult:
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


@dataclass(slots=True)
class _Queue:
    waiting: list[_Waiting] = field(default_factory=list)
    writing: bool = False


class GroupCommit:
    """``ingest`` is ``ingest_records`` for many threads at once, sharing transactions."""

    def __init__(self, engine: Engine, max_items: int = 1000, write: Write | None = None) -> None:
        self.max_items = max_items
        self._write: Write = write or (
            lambda b, records: ingest_records(
                engine,
                b.brand_id,
                records,
                via=b.via,
                default_source=b.default_source,
                model=b.model,
            )
        )
        self._lock = threading.Lock()
        self._queues: dict[Batch, _Queue] = {}

    def ingest(
        self,
        brand_id: int,
        records: Sequence[Record],
        *,
        via: str,
        default_source: str | None = None,
        model: str | None = DEFAULT_MODEL,
    ) -> LiveResult:
        batch = Batch(brand_id, via, default_source, model)
        me = _Waiting(records)
        with self._lock:
            queue = self._queues.setdefault(batch, _Queue())
            queue.waiting.append(me)
            lead = not queue.writing
            queue.writing = True
        if not lead:
            try:
                me.done.wait()
            except BaseException:
                self._abandon(batch, me)
                raise
            if not me.promoted:
                return me.outcome()
        self._write_round(batch)
        return me.outcome()

    def _abandon(self, batch: Batch, me: _Waiting) -> None:
        """A waiter interrupted (never in the server; a Ctrl-C in a notebook) leaves the
        queue; if the turn to write had passed to it, it passes on to the next one."""
        with self._lock:
            queue = self._queues[batch]
            if me in queue.waiting:
                queue.waiting.remove(me)
            if me.promoted:
                if queue.waiting:
                    queue.waiting[0].promoted = True
                    queue.waiting[0].done.set()
                else:
                    del self._queues[batch]

    def _take(self, queue: _Queue) -> list[_Waiting]:
        """The oldest waiting requests, at least one, up to ``max_items`` records."""
        taken, size = 0, 0
        for waiting in queue.waiting:
            if taken and size + len(waiting.records) > self.max_items:
                break
            taken, size = taken + 1, size + len(waiting.records)
        out, queue.waiting = queue.waiting[:taken], queue.waiting[taken:]
        return out

    def _write_round(self, batch: Batch) -> None:
        with self._lock:
            round_ = self._take(self._queues[batch])
        try:
            self._write_members(batch, round_)
        finally:
            with self._lock:
                queue = self._queues[batch]
                if queue.waiting:
                    successor = queue.waiting[0]
                    successor.promoted = True
                    successor.done.set()
                else:
                    del self._queues[batch]
            for waiting in round_:
                if waiting.result is None and waiting.error is None:
                    waiting.error = RuntimeError("the write was interrupted")
                waiting.done.set()

    def _write_members(self, batch: Batch, members: list[_Waiting]) -> None:
        records = [record for waiting in members for record in waiting.records]
        try:
            result = self._write(batch, records)
            parts = split(result, [len(waiting.records) for waiting in members])
        except STORE_FAILURES as exc:
            for waiting in members:
                waiting.error = exc
            return
        except Exception as exc:
            if len(members) == 1:
                members[0].error = exc
                return
            # One request's items may be what failed: each alone, so only it fails.
            for waiting in members:
                self._write_members(batch, [waiting])
            return
        for waiting, part in zip(members, parts, strict=True):
            waiting.result = part


def split(result: LiveResult, sizes: Sequence[int]) -> list[LiveResult]:
    """One transaction's result cut back into each request's, in the order written."""
    if len(result.outcomes) != sum(sizes):
        raise ValueError(f"{len(result.outcomes)} outcomes for {sum(sizes)} records")
    out: list[LiveResult] = []
    arrived = iter(result.arrived)
    ends = list(accumulate(sizes))
    for start, end in zip([0, *ends][:-1], ends, strict=True):
        outcomes = result.outcomes[start:end]
        created = sum(1 for o in outcomes if o.status == "created")
        mine = [next(arrived) for _ in range(created)]
        out.append(LiveResult(result.run_id, result.file, outcomes, mine))
    return out
