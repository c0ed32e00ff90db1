"""Server settings, from SOCIALCEM_* environment variables or a .env file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every field is also an environment variable: ``db`` is SOCIALCEM_DB, and so on."""

    model_config = SettingsConfigDict(env_prefix="SOCIALCEM_", env_file=".env", extra="ignore")

    db: str | None = Field(None, description="Store URL; default sqlite:///socialcem.db.")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64, description="Worker processes (PostgreSQL for > 1).")
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    model: str | None = Field(
        None, description="Classifier for new items; default the shipped one."
    )
    rate_limit_per_minute: int = Field(1200, ge=1, description="Requests per token (or address).")
    login_attempts: int = Field(5, ge=1, description="Failed logins before a lockout.")
    lockout_seconds: int = Field(300, ge=1)
    max_bulk_items: int = Field(1000, ge=1, le=100_000)
    alerts_on_arrival: bool = Field(True, description="Evaluate alert rules as items arrive.")
    metrics_enabled: bool = Field(True, description="Serve Prometheus metrics at /metrics.")
