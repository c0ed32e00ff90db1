"""Server settings: SOCIALCEM_* environment variables, a .env file, or a TOML settings file.

Precedence, highest first: arguments to ``Settings(...)``, environment variables, .env, the
TOML file named by SOCIALCEM_CONFIG (``socialcem serve --config FILE`` sets it), defaults.
The file uses the field names as keys (``port = 8080``); an unknown key is an error, so a
typo does not silently fall back to a default.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

CONFIG_ENV = "SOCIALCEM_CONFIG"
MIB = 1024 * 1024


class _TomlFile(TomlConfigSettingsSource):
    """The settings file; refuses keys that are not settings, naming them."""

    def __call__(self) -> dict[str, Any]:
        values = super().__call__()
        unknown = sorted(set(values) - set(self.settings_cls.model_fields))
        if unknown:
            raise SettingsError(
                f"{self.toml_file_path}: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(self.settings_cls.model_fields)}"
            )
        return values


def config_file() -> Path | None:
    """The settings file named by $SOCIALCEM_CONFIG, checked to exist."""
    name = os.environ.get(CONFIG_ENV)
    if not name:
        return None
    path = Path(name).expanduser()
    if not path.is_file():
        raise SettingsError(f"{CONFIG_ENV}: no such settings file: {path}")
    return path


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
    metrics_token: SecretStr | None = Field(
        None, description="When set, /metrics wants the header Authorization: Bearer TOKEN."
    )
    max_body_bytes: int = Field(10 * MIB, ge=1024, description="Largest request body (else 413).")
    threads: int = Field(40, ge=1, le=1000, description="Threads running routes, per worker.")
    db_pool_size: int | None = Field(
        None,
        ge=1,
        le=500,
        description="PostgreSQL connections kept open per worker; default: threads, at most 20.",
    )
    db_max_overflow: int = Field(10, ge=0, le=500, description="Extra connections under load.")
    db_pool_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection.")
    forwarded_allow_ips: str | None = Field(
        None,
        description="Proxies trusted for X-Forwarded-For (client addresses for rate limits).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = config_file()
        if path is None:
            return init_settings, env_settings, dotenv_settings, file_secret_settings
        try:
            toml = _TomlFile(settings_cls, toml_file=path)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from None
        return init_settings, env_settings, dotenv_settings, toml, file_secret_settings
