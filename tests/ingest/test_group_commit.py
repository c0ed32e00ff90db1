"""Group commit: concurrent requests share transactions, and each gets exactly its answer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError

from socialcem.analysis.base import DEFAULT_MODEL
from socialcem.ingest.group_commit import Batch, GroupCommit, _Queue, _Waiting, split
from socialcem.ingest.outcomes import Arrived, LiveResult, Outcome, Record
from socialcem.store.locations import brand_id
from socialcem.store.schema import feedback, import_runs


def queued(commit: GroupCommit, brand: int = 1) -> int:
    queue = commit._queues.get(Batch(brand, "api", None, DEFAULT_MODEL))
    return 0 if queue is None else len(queue.waiting)


def record(i: int, **overrides: Any) -> dict[str, Any]:
    base = {
        "id": f"g{i}",
        "text": f"Lovely flat white, visit {i}",
        "created_at": "2026-05-01T09:00:00Z",
        "source": "twitter",
    }
    return base | overrides


class Recorder:
    """A write that echoes its records, holding the first call until released."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.release = threading.Event()
        self.entered = threading.Event()
        self.fail_on = fail_on

    def __call__(self, batch: Batch, records: Sequence[Record]) -> LiveResult:
        ids = [str(r["id"]) for r in records if not hasattr(r, "problems")]  # type: ignore[index]
        self.calls.append(ids)
        self.entered.set()
        self.release.wait(5)
        if self.fail_on in ids:
            raise ValueError(f"cannot write {self.fail_on}")
        outcomes = [Outcome("created", "twitter", int(i[1:])) for i in ids]
        arrived = [Arrived(int(i[1:]), None, 0, i, None, None, None) for i in ids]
        return LiveResult(1, "api", outcomes, arrived)


def test_requests_that_arrive_during_a_write_share_the_next_one() -> None:
    write = Recorder()
    commit = GroupCommit(engine=None, write=write)  # type: ignore[arg-type]
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(commit.ingest, 1, [record(0)], via="api")
        assert write.entered.wait(5)
        rest = [
            pool.submit(commit.ingest, 1, [record(i), record(100 + i)], via="api")
            for i in (1, 2, 3)
        ]
        while queued(commit) < 3:  # all three wait behind the first write
            threading.Event().wait(0.005)
        write.release.set()
        results = [first.result(5), *(f.result(5) for f in rest)]
    assert write.calls[0] == ["g0"] and len(write.calls) == 2
    assert sorted(write.calls[1]) == sorted(["g1", "g101", "g2", "g102", "g3", "g103"])
    for i, result in enumerate(results[1:], start=1):
        assert [o.id for o in result.outcomes] == [i, 100 + i]
        assert [a.id for a in result.arrived] == [i, 100 + i]


def test_a_failing_request_fails_alone() -> None:
    write = Recorder(fail_on="g2")
    commit = GroupCommit(engine=None, write=write)  # type: ignore[arg-type]
    write.release.set()
    with ThreadPoolExecutor(4) as pool:
        futures = {i: pool.submit(commit.ingest, 1, [record(i)], via="api") for i in range(4)}
        with pytest.raises(ValueError, match="cannot write g2"):
            futures[2].result(5)
        assert all(futures[i].result(5).outcomes[0].id == i for i in (0, 1, 3))


def test_one_brands_slow_write_does_not_hold_up_anothers() -> None:
    write = Recorder()
    brands: list[int] = []

    def slow_for_brand_1_via_api(batch: Batch, records: Sequence[Record]) -> LiveResult:
        brands.append(batch.brand_id)
        if (batch.brand_id, batch.via) == (1, "api"):
            return write(batch, records)  # held until released
        return _echo(records)

    commit = GroupCommit(engine=None, write=slow_for_brand_1_via_api)  # type: ignore[arg-type]
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(commit.ingest, 1, [record(0)], via="api")
        assert write.entered.wait(5)
        other = pool.submit(commit.ingest, 2, [record(1)], via="api")
        webhook = pool.submit(commit.ingest, 1, [record(2)], via="webhook", default_source="yelp")
        assert other.result(5).outcomes[0].id == 1  # while brand 1's write is still held
        assert webhook.result(5).outcomes[0].id == 2  # another way in: another queue
        assert not first.done()
        write.release.set()
        assert first.result(5).outcomes[0].id == 0
    assert sorted(brands) == [1, 1, 2] and commit._queues == {}


def _echo(records: Sequence[Record]) -> LiveResult:
    ids = [int(str(r["id"])[1:]) for r in records]  # type: ignore[index]
    outcomes = [Outcome("created", "twitter", i) for i in ids]
    return LiveResult(1, "api", outcomes, [Arrived(i, None, 0, "", None, None, None) for i in ids])


def test_a_store_failure_reaches_every_request_without_retries() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def down(batch: Batch, records: Sequence[Record]) -> LiveResult:
        calls.append(len(records))
        gate.wait(5)
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    commit = GroupCommit(engine=None, write=down)  # type: ignore[arg-type]
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(commit.ingest, 1, [record(0)], via="api")]
        while not calls:
            threading.Event().wait(0.005)
        futures += [pool.submit(commit.ingest, 1, [record(i)], via="api") for i in range(1, 6)]
        while queued(commit) < 5:
            threading.Event().wait(0.005)
        gate.set()
        for future in futures:
            with pytest.raises(OperationalError):
                future.result(5)
    assert calls == [1, 5]  # the first alone, then the five together: none re-run alone


def test_an_interrupted_waiter_passes_its_turn_on() -> None:
    commit = GroupCommit(engine=None, write=lambda b, r: _echo(r))  # type: ignore[arg-type]
    batch = Batch(1, "api", None, DEFAULT_MODEL)
    first, second = _Waiting([record(0)]), _Waiting([record(1)])
    first.promoted = True
    commit._queues[batch] = _Queue([first, second], writing=True)
    commit._abandon(batch, first)
    assert second.promoted and second.done.is_set() and commit._queues[batch].waiting == [second]
    second_alone = _Waiting([record(2)])
    second_alone.promoted = True
    commit._queues[batch] = _Queue([second_alone], writing=True)
    commit._abandon(batch, second_alone)
    assert batch not in commit._queues  # nobody left: the next request writes at once
    assert commit.ingest(1, [record(3)], via="api").outcomes[0].id == 3


@given(st.lists(st.integers(0, 5), max_size=8), st.data())
def test_split_gives_each_request_its_own_outcomes(sizes: list[int], data: st.DataObject) -> None:
    total = sum(sizes)
    statuses = data.draw(
        st.lists(
            st.sampled_from(["created", "duplicate", "rejected"]), min_size=total, max_size=total
        )
    )
    outcomes = [Outcome(s, "x", i) for i, s in enumerate(statuses)]  # type: ignore[arg-type]
    arrived = [
        Arrived(o.id or 0, None, 0, "", None, None, None) for o in outcomes if o.status == "created"
    ]
    parts = split(LiveResult(7, "f", outcomes, arrived), sizes)
    assert [len(p.outcomes) for p in parts] == sizes
    assert [o for p in parts for o in p.outcomes] == outcomes
    for part in parts:
        assert [a.id for a in part.arrived] == [
            o.id for o in part.outcomes if o.status == "created"
        ]


def test_concurrent_requests_on_a_real_store(store: Engine) -> None:
    """40 threads, 5 items each, some ids posted twice: every item stored once, every
    answer its own, and fewer transactions than requests."""
    with store.begin() as conn:
        brand = brand_id(conn, "acme") or 0
    commit = GroupCommit(store)

    def post(n: int) -> LiveResult:
        items = [record(n * 5 + k) for k in range(5)]
        if n % 10 == 0:
            items.append(record(0))  # posted by request 0 too: created once
        return commit.ingest(brand, items, via="api", model=None)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(post, range(40)))
    created = [o.id for r in results for o in r.outcomes if o.status == "created"]
    duplicates = {o.id for r in results for o in r.outcomes if o.status == "duplicate"}
    assert len(created) == len(set(created)) == 200
    assert sum(len(r.outcomes) for r in results) == 204 and len(duplicates) == 1
    for result in results:
        mine = [o.id for o in result.outcomes if o.status == "created"]
        assert [a.id for a in result.arrived] == mine
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(feedback)).scalar() == 200
        runs = conn.execute(select(func.count()).select_from(import_runs)).scalar() or 0
    assert runs < 40
