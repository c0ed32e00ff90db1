"""`socialcem serve`: the REST API under uvicorn, with N worker processes.

Workers are fresh processes that build the app from the environment (socialcem.web.asgi), so
every option here travels as a SOCIALCEM_* variable. The store is migrated once, here, before
any worker starts: N workers must not race to migrate it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from socialcem.cli.app import app, fail, state

log = logging.getLogger("socialcem.serve")


class LogFormat(StrEnum):
    json = "json"
    text = "text"


def _export(name: str, value: object) -> None:
    """Passes an option to the workers (and to Settings here) as SOCIALCEM_NAME."""
    if value is not None:
        os.environ[f"SOCIALCEM_{name.upper()}"] = str(value)


def _multiprocess_metrics() -> str | None:
    """A fresh folder for the workers' Prometheus counts; returns it when we made it."""
    from socialcem.web.telemetry import MULTIPROC_ENV, multiprocess_dir

    folder = multiprocess_dir()
    if folder is None:
        made = tempfile.mkdtemp(prefix="socialcem-metrics-")
        os.environ[MULTIPROC_ENV] = made
        return made
    # Counts left by an earlier run would be added to this one's.
    for stale in Path(folder).glob("*.db"):
        if stale.name.split("_")[0] in {"counter", "histogram", "gauge", "summary"}:
            stale.unlink()
    return None


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on [default: 127.0.0.1, this machine only]."),
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Port [default: 8000].")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=64, help="Worker processes [default: 1]; more than one wants PostgreSQL."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="TOML settings file (keys as in SOCIALCEM_*: port = 8080); env vars win.",
            show_default=False,
        ),
    ] = None,
    log_format: Annotated[
        LogFormat | None,
        typer.Option("--log-format", help="Log lines as JSON objects or text [default: json]."),
    ] = None,
) -> None:
    """Serve the REST API (/api/v1, OpenAPI at /docs), /healthz, /readyz and /metrics.

    Every setting is also an environment variable (SOCIALCEM_PORT, SOCIALCEM_RATE_LIMIT_PER_MINUTE,
    ...) or a key of the --config file; options given here win over both.

    Example: `socialcem --db postgresql://cx@localhost/cx serve --host 0.0.0.0 --workers 4`
    """
    import uvicorn
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from socialcem.store import StoreError, open_store, resolve_url
    from socialcem.web.logs import configure_logging
    from socialcem.web.settings import CONFIG_ENV, Settings

    if config is not None:
        if not config.is_file():
            fail(f"--config: no such settings file: {config}")
        os.environ[CONFIG_ENV] = str(config.resolve())
    _export("db", state.db)
    _export("host", host)
    _export("port", port)
    _export("workers", workers)
    _export("log_format", log_format.value if log_format else None)
    try:
        settings = Settings()
    except (ValidationError, SettingsError) as exc:
        fail(f"settings: {exc}")
    configure_logging(settings.log_format, settings.log_level)
    try:
        open_store(settings.db).dispose()  # migrate once, before any worker
    except StoreError as exc:
        fail(str(exc))
    made = None
    if settings.workers > 1:
        if resolve_url(settings.db).startswith("sqlite"):
            log.warning(
                "%d workers on SQLite: writes are serialised (one writer at a time); "
                "use PostgreSQL for concurrent writers",
                settings.workers,
            )
        if settings.metrics_enabled:
            made = _multiprocess_metrics()
    try:
        uvicorn.run(
            "socialcem.web.asgi:create",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_config=None,  # our handlers, set up in every worker by the factory
            log_level=settings.log_level,
            access_log=False,  # we log each request ourselves, with its id
            forwarded_allow_ips=settings.forwarded_allow_ips,
            timeout_graceful_shutdown=30,
        )
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
