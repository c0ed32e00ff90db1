"""The ASGI application: one factory, so tests, `socialcem serve` and workers build it alike."""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError

from socialcem import __version__
from socialcem.analysis.base import DEFAULT_MODEL
from socialcem.ingest.group_commit import GroupCommit
from socialcem.ingest.live import warm_up
from socialcem.store import StoreError
from socialcem.store.engine import make_engine
from socialcem.store.migrate import ensure_current
from socialcem.web.errors import (
    BodyLimitMiddleware,
    UnexpectedErrorMiddleware,
    install_error_handlers,
)
from socialcem.web.logs import RequestLogMiddleware
from socialcem.web.ratelimit import RateLimitMiddleware
from socialcem.web.settings import Settings
from socialcem.web.telemetry import MetricsMiddleware, Telemetry, metrics_endpoint

log = logging.getLogger("socialcem.web")

# Route modules, each with a module-level ``router`` (an APIRouter).
ROUTE_MODULES = (
    "health",
    "auth",
    "admin",
    "feedback",
    "feedback_write",
    "webhooks",
    "metrics",
    "insights",
    "locations",
    "exports",
    "privacy",
)


def server_engine(settings: Settings) -> Engine:
    """The store engine; on PostgreSQL with a pool as large as the route thread pool.

    Every sync route may hold a connection while it runs in one of ``settings.threads``
    threads; a smaller pool opens and closes overflow connections under load (a PostgreSQL
    process each), so the pool is the thread count up to 20 (workers x (pool + overflow)
    must stay under the server's max_connections). No ping on checkout (a round trip per
    request): connections are renewed every 30 minutes, before the usual idle timeouts of
    proxies, and after a database restart the first request on a dead connection fails with
    503 and the whole pool is replaced.
    """
    engine = make_engine(settings.db)
    if engine.dialect.name != "postgresql":
        return engine
    url = engine.url
    engine.dispose()
    return create_engine(
        url,
        pool_size=settings.db_pool_size or min(settings.threads, 20),
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=1800,
        connect_args={"connect_timeout": 10},
    )


def migrate(engine: Engine) -> None:
    """Brings the schema to the head; an unreachable database only delays readiness."""
    try:
        ensure_current(engine)
    except OperationalError as exc:
        reason = str(exc.orig or exc).splitlines()[0]
        log.warning("store unreachable at start (/readyz answers 503 until it is): %s", reason)
    except StoreError:
        raise
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise StoreError(f"cannot open the store at {engine.url!r}: {reason}") from exc


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        # Load the classifier and its language model before the first request, not during
        # it: concurrent first requests would each load them, and a bad model name fails here.
        await anyio.to_thread.run_sync(warm_up, settings.model or DEFAULT_MODEL)
        try:
            yield
            arrival = getattr(app.state, "arrival", None)
            if arrival is not None:  # alert work queued by the last requests runs before exit
                await anyio.to_thread.run_sync(arrival.close)
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="socialcem",
        version=__version__,
        summary="Social NPS and survey NPS from customer voice on every channel.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = server_engine(settings)
    migrate(app.state.engine)  # a new or older store is brought to the head
    app.state.group_commit = GroupCommit(app.state.engine, settings.max_bulk_items)
    app.state.telemetry = Telemetry(app.state.engine)
    for name in ROUTE_MODULES:
        module = importlib.import_module(f"socialcem.web.routes.{name}")
        app.include_router(module.router)
    if settings.metrics_enabled:
        app.add_api_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)
    install_error_handlers(app)
    # The last added runs first: log (request id) > metrics > 500s > rate limit > body size.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(MetricsMiddleware, telemetry=app.state.telemetry)
    app.add_middleware(RequestLogMiddleware)
    return app
