"""Per-token rate limits: a token bucket for each caller, checked before any route runs.

A caller is the SHA-256 of its Authorization header (the token itself is never kept), or
its client address when it sends none (put the server behind a proxy with
``forwarded_allow_ips`` so that address is the real client's). The bucket holds a minute's
worth of requests and refills continuously, so short bursts pass and a steady flood gets
429 with Retry-After.

Buckets live in this process's memory: with N workers each counts on its own, so a caller
may get up to N times the limit in all (a shared store would cost a round trip a request).
Memory is bounded: a bucket idle long enough to be full again carries nothing and is
dropped, and at most ``max_keys`` are kept (the least recently used go first).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
MAX_KEYS = 50_000


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    """One bucket per key. Not thread-safe: the middleware runs on the event loop only."""

    def __init__(
        self,
        per_minute: int,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute: must be at least 1")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()  # least recently used first

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """0.0 when a request may pass (one token taken), else the seconds to wait."""
        now = self.clock()
        self._drop_idle(now)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        else:
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            self._buckets.move_to_end(key)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _drop_idle(self, now: float) -> None:
        refill = self.capacity / self.rate
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if now - oldest.at < refill:
                break
            self._buckets.popitem(last=False)


def caller_key(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            return "token:" + hashlib.sha256(value).hexdigest()
    client = scope.get("client")
    return f"address:{client[0] if client else 'unknown'}"


class RateLimitMiddleware:
    """429 with Retry-After once a caller's bucket is empty; probes and /metrics are exempt."""

    def __init__(self, app: ASGIApp, per_minute: int, max_keys: int = MAX_KEYS) -> None:
        self.app = app
        self.per_minute = per_minute
        self.buckets = TokenBuckets(per_minute, max_keys)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in EXEMPT_PATHS:
            wait = self.buckets.take(caller_key(scope))
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                detail = (
                    f"rate limit: at most {self.per_minute} requests a minute per token "
                    f"(or address without one); retry in {seconds} s"
                )
                response = JSONResponse(
                    {"detail": detail}, status_code=429, headers={"Retry-After": str(seconds)}
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
