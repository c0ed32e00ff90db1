"""The ASGI application: one factory, so tests, `socialcem serve` and workers build it alike."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from socialcem import __version__
from socialcem.store import open_store
from socialcem.web.settings import Settings

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


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="socialcem",
        version=__version__,
        summary="Social NPS and survey NPS from customer voice on every channel.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = open_store(settings.db)  # migrates a new or older store to the head
    for name in ROUTE_MODULES:
        module = importlib.import_module(f"socialcem.web.routes.{name}")
        app.include_router(module.router)
    return app
