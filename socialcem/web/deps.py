"""What routes depend on: the store engine, the settings and the authenticated principal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine

from socialcem.accounts.principal import Principal, Scope
from socialcem.accounts.tokens import authenticate_token
from socialcem.ingest.group_commit import GroupCommit
from socialcem.web.settings import Settings

# Dependencies that do no I/O are async: FastAPI runs a sync one in a worker thread, a
# thread hop per dependency per request.


async def get_group_commit(request: Request) -> GroupCommit:
    writer: GroupCommit = request.app.state.group_commit
    return writer


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def client_ip(request: Request) -> str | None:
    """The address the audit log records (the proxy's client when forwarded_allow_ips)."""
    return request.client.host if request.client else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def get_principal(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> Principal:
    """The caller, from ``Authorization: Bearer TOKEN``; 401 when missing, bad or revoked."""
    raw = bearer_token(request)
    principal = None
    if raw is not None:
        # Autocommit: one round trip for the lookup, not BEGIN, SELECT and COMMIT.
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            principal = authenticate_token(conn, raw)
    if principal is None:
        raise HTTPException(
            401,
            "missing, unknown, expired or revoked API token (header Authorization: Bearer TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.principal = principal
    return principal


def requires(scope: Scope) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets through only principals holding ``scope`` (else 403)."""

    async def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.allows(scope):
            raise HTTPException(403, f"this token lacks the scope {scope.value!r}")
        return principal

    return check


Caller = Annotated[Principal, Depends(get_principal)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
GroupCommitDep = Annotated[GroupCommit, Depends(get_group_commit)]
