"""Token buckets: bursts up to a minute's worth, a steady rate after, bounded memory; 429s."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from socialcem.web.app import create_app
from socialcem.web.ratelimit import TokenBuckets, caller_key
from socialcem.web.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_request_per_refill() -> None:
    clock = Clock()
    buckets = TokenBuckets(6, clock=clock)  # 6 a minute: one every 10 s
    assert [buckets.take("a") for _ in range(6)] == [0.0] * 6
    assert buckets.take("a") == 10.0
    assert buckets.take("b") == 0.0  # callers do not share a bucket
    clock.now += 4.0
    assert buckets.take("a") == pytest.approx(6.0)
    clock.now += 6.0
    assert buckets.take("a") == 0.0
    assert buckets.take("a") == 10.0


def test_idle_buckets_are_dropped_and_memory_is_bounded() -> None:
    clock = Clock()
    buckets = TokenBuckets(60, max_keys=3, clock=clock)
    for key in "abc":
        buckets.take(key)
    buckets.take("d")  # the least recently used goes
    assert len(buckets) == 3
    clock.now += 59.0
    buckets.take("d")
    assert len(buckets) == 3  # a, b, c are not yet full again
    clock.now += 1.0
    buckets.take("e")
    assert len(buckets) == 2  # b, c, (a) idle a full minute: dropped; d and e stay


@given(
    per_minute=st.integers(1, 120),
    steps=st.lists(st.tuples(st.sampled_from("xy"), st.floats(0, 30)), max_size=300),
)
def test_never_more_than_the_burst_plus_the_refill(
    per_minute: int, steps: list[tuple[str, float]]
) -> None:
    clock = Clock()
    start = clock.now
    buckets = TokenBuckets(per_minute, clock=clock)
    passed = {"x": 0, "y": 0}
    for key, wait in steps:
        clock.now += wait
        if buckets.take(key) == 0.0:
            passed[key] += 1
    elapsed = clock.now - start
    for count in passed.values():
        assert count <= per_minute + elapsed * per_minute / 60 + 1e-9


def test_callers_are_keyed_by_a_hash_of_the_token_else_the_address() -> None:
    token = b"Bearer scm_secret"
    keyed = caller_key({"headers": [(b"authorization", token)], "client": ("10.0.0.1", 5)})
    assert keyed == "token:" + hashlib.sha256(token).hexdigest()
    assert "secret" not in keyed
    assert caller_key({"headers": [], "client": ("10.0.0.1", 5)}) == "address:10.0.0.1"


def test_429_with_retry_after_per_token(tmp_path: Path) -> None:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'r.db'}", rate_limit_per_minute=3))
    client = TestClient(app)
    first = {"Authorization": "Bearer scm_first"}
    assert [client.get("/api/v1/me", headers=first).status_code for _ in range(3)] == [401] * 3
    refused = client.get("/api/v1/me", headers=first)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) == 20  # 3 a minute: one every 20 s
    assert "3 requests a minute" in refused.json()["detail"]
    assert refused.headers["x-request-id"]  # still logged and traceable
    other = {"Authorization": "Bearer scm_other"}
    assert client.get("/api/v1/me", headers=other).status_code == 401
    assert client.get("/metrics").status_code == 200  # scrapes are exempt
    assert 'route="/api/v1/me",status="429"' in client.get("/metrics").text
