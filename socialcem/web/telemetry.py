"""Prometheus metrics of one app: requests, latency, items ingested, outbox lag.

Each app owns a private CollectorRegistry, so tests and several apps in one process never
clash. With several worker processes every worker counts only its own requests and a scrape
reaches one worker at random, unless PROMETHEUS_MULTIPROC_DIR names an empty folder before
the workers start (``socialcem serve --workers N`` makes one): then every worker writes its
counts there and a scrape sums them all.

Routes count items with :func:`count_ingested` and :func:`count_quarantined`; they find the
app of the current request through a context variable the middleware sets, and do nothing
outside a request (the CLI, tests of the core).
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcem.store.outbox_stats import outbox_stats

try:  # FastAPI >= 0.160 nests included routers; this lists their routes
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover
    iter_route_contexts = None  # type: ignore[assignment]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MAX_ITEM_LABELS = 200
"""Distinct (source, via) label pairs kept per process; later ones count as source "other"."""

_current: ContextVar[Telemetry | None] = ContextVar("socialcem_telemetry", default=None)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or os.environ.get(MULTIPROC_ENV.lower()) or None


class OutboxCollector(Collector):
    """Outbox queue lag, queried at scrape time (so it is right whichever worker answers)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("socialcem_store_up", "1 when the store answered this scrape.")
        try:
            with self.engine.connect() as conn:
                stats = outbox_stats(conn)
        except SQLAlchemyError:
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)
        return [
            up,
            GaugeMetricFamily(
                "socialcem_outbox_pending", "Notifications waiting for delivery.", stats.pending
            ),
            GaugeMetricFamily(
                "socialcem_outbox_dead", "Notifications that ran out of attempts.", stats.dead
            ),
            GaugeMetricFamily(
                "socialcem_outbox_oldest_pending_age_seconds",
                "Age of the oldest pending notification: the queue lag (0 when none).",
                stats.oldest_pending_age_s,
            ),
        ]


class Telemetry:
    """The metrics of one app, in a registry of its own."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "socialcem_http_requests",
            "HTTP requests by method, route template and status.",
            ("method", "route", "status"),
            registry=registry,
        )
        self.duration = Histogram(
            "socialcem_http_request_duration_seconds",
            "HTTP request duration by method and route template.",
            ("method", "route"),
            registry=registry,
        )
        self.ingested = Counter(
            "socialcem_items_ingested",
            "Feedback items stored, by source and how they came (bulk, webhook).",
            ("source", "via"),
            registry=registry,
        )
        self.quarantined = Counter(
            "socialcem_items_quarantined",
            "Feedback records refused into quarantine, by source and how they came.",
            ("source", "via"),
            registry=registry,
        )
        self.outbox = OutboxCollector(engine) if engine is not None else None
        if self.outbox is not None:
            registry.register(self.outbox)
        self._item_labels: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.duration.labels(method, route).observe(seconds)

    def count_items(self, counter: Counter, source: str, via: str, n: int) -> None:
        if n <= 0:
            return
        labels = (source[:100], via[:20])
        with self._lock:
            if labels not in self._item_labels:
                if len(self._item_labels) >= MAX_ITEM_LABELS:
                    labels = ("other", labels[1])
                self._item_labels.add(labels)
        counter.labels(*labels).inc(n)

    def exposition(self) -> bytes:
        """The Prometheus text format; all workers' counts in multiprocess mode."""
        if multiprocess_dir() is None:
            return generate_latest(self.registry)
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        if self.outbox is not None:
            registry.register(self.outbox)
        return generate_latest(registry)


def count_ingested(source: str, via: str, n: int) -> None:
    """Counts ``n`` items of ``source`` stored through ``via`` (e.g. "bulk", "webhook")."""
    telemetry = _current.get()
    if telemetry is not None:
        telemetry.count_items(telemetry.ingested, source, via, n)


def count_quarantined(source: str, via: str, n: int) -> None:
    """Counts ``n`` records of ``source`` quarantined through ``via``."""
    telemetry = _current.get()
    if telemetry is not None:
        telemetry.count_items(telemetry.quarantined, source, via, n)


def route_template(scope: Scope) -> str:
    """The path template of the route that served (or would serve) this request.

    Never the raw path: label values must stay few. "unmatched" when no route fits (404).
    Answers sent before routing (429, 413) find their template by matching the path.
    """
    route: Any = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(template, str):
        return template
    routes: Iterable[Any] = getattr(scope.get("app"), "routes", ())
    if iter_route_contexts is not None:
        routes = iter_route_contexts(list(routes))
    for candidate in routes:
        regex = getattr(candidate, "path_regex", None)
        template = getattr(candidate, "path_format", None)
        if regex is not None and isinstance(template, str) and regex.match(scope["path"]):
            return template
    return "unmatched"


class MetricsMiddleware:
    """Counts and times every HTTP request; makes the telemetry current for the routes."""

    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _current.set(self.telemetry)
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            _current.reset(token)
            seconds = time.perf_counter() - start
            self.telemetry.observe_request(scope["method"], route_template(scope), status, seconds)


def metrics_endpoint(request: Request) -> Response:
    """GET /metrics in the Prometheus text format (behind settings.metrics_token when set)."""
    secret = request.app.state.settings.metrics_token
    if secret is not None:
        header = request.headers.get("authorization", "")
        expected = f"Bearer {secret.get_secret_value()}"
        if not hmac.compare_digest(header.encode(), expected.encode()):
            return JSONResponse(
                {"detail": "/metrics wants the header Authorization: Bearer METRICS_TOKEN"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
    telemetry: Telemetry = request.app.state.telemetry
    return Response(telemetry.exposition(), media_type=CONTENT_TYPE_LATEST)
