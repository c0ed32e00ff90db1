"""Concurrent requests' items written in one transaction: group commit.

A transaction costs about 6 ms of Python and a dozen round trips whatever its size; written
25 at a time, an item costs about 1 ms (`python bench/load.py` and the module's tests show
both). So while one transaction is being written, the requests that arrive queue, and the
next transaction takes them all. Each request still gets its own items' outcomes, and only
after the commit that stored them: a 2xx still means stored.

No thread of its own: the first request to find no transaction under way writes one; when
it is done, it hands the queue to the oldest waiting request, which writes the next. (Two
writers per process, overlapping one commit with the next one's Python work, measured the
same under `bench/load.py`: the CPU, not the disk, is what runs out.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from sqlalchemy import Engine

from socialcem.analysis.base import DEFAULT_MODEL
from socialcem.ingest.live import ingest_records
from socialcem.ingest.outcomes import LiveResult, Record


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
    batch: Batch
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
        self._queue: list[_Waiting] = []
        self._writing = False

    def ingest(
        self,
        brand_id: int,
        records: Sequence[Record],
        *,
        via: str,
        default_source: str | None = None,
        model: str | None = DEFAULT_MODEL,
    ) -> LiveResult:
        me = _Waiting(Batch(brand_id, via, default_source, model), records)
        with self._lock:
            self._queue.append(me)
            lead = not self._writing
            self._writing = True
        if not lead:
            me.done.wait()
            if not me.promoted:
                return me.outcome()
        self._write_round()
        return me.outcome()

    def _take(self) -> list[_Waiting]:
        """The oldest waiting requests, at least one, up to ``max_items`` records."""
        taken, size = 0, 0
        for waiting in self._queue:
            if taken and size + len(waiting.records) > self.max_items:
                break
            taken, size = taken + 1, size + len(waiting.records)
        out, self._queue = self._queue[:taken], self._queue[taken:]
        return out

    def _write_round(self) -> None:
        with self._lock:
            round_ = self._take()
        groups: dict[Batch, list[_Waiting]] = {}
        for waiting in round_:
            groups.setdefault(waiting.batch, []).append(waiting)
        try:
            for batch, members in groups.items():
                self._write_group(batch, members)
        finally:
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.promoted = True
                    successor.done.set()
                else:
                    self._writing = False
            for waiting in round_:
                if waiting.result is None and waiting.error is None:
                    waiting.error = RuntimeError("the write was interrupted")
                waiting.done.set()

    def _write_group(self, batch: Batch, members: list[_Waiting]) -> None:
        records = [record for waiting in members for record in waiting.records]
        try:
            result = self._write(batch, records)
        except Exception as exc:
            if len(members) == 1:
                members[0].error = exc
                return
            # One request's items may be what failed: each alone, so only it fails.
            for waiting in members:
                self._write_group(batch, [waiting])
            return
        parts = split(result, [len(waiting.records) for waiting in members])
        for waiting, part in zip(members, parts, strict=True):
            waiting.result = part


def split(result: LiveResult, sizes: Sequence[int]) -> list[LiveResult]:
    """One transaction's result cut back into each request's, in the order written."""
    out: list[LiveResult] = []
    arrived = iter(result.arrived)
    ends = list(accumulate(sizes))
    for start, end in zip([0, *ends][:-1], ends, strict=True):
        outcomes = result.outcomes[start:end]
        created = sum(1 for o in outcomes if o.status == "created")
        mine = [next(arrived) for _ in range(created)]
        out.append(LiveResult(result.run_id, result.file, outcomes, mine))
    return out
