"""Placeholder: API tokens are being built."""

from __future__ import annotations

from sqlalchemy import Connection

from socialcem.accounts.principal import Principal


def authenticate_token(conn: Connection, raw: str) -> Principal | None:
    return None
