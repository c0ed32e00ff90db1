"""The factory uvicorn's workers import: ``socialcem.web.asgi:create`` (settings from the env).

Workers are fresh processes, so everything they need comes through the environment that
``socialcem serve`` prepared: SOCIALCEM_DB, SOCIALCEM_CONFIG and the other SOCIALCEM_* settings.
"""

from __future__ import annotations

from fastapi import FastAPI

from socialcem.web.app import create_app
from socialcem.web.logs import configure_logging
from socialcem.web.settings import Settings


def create() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return create_app(settings)
