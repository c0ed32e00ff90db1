"""Signing in (a password buys a token), who am I, and revoking the token in hand."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

from socialcem.accounts.throttle import AddressLimiter, LockedOut, LoggedIn, login
from socialcem.accounts.tokens import issue_token, revoke_token
from socialcem.accounts.users import AccountError
from socialcem.web.deps import Caller, EngineDep, SettingsDep, client_ip

router = APIRouter(prefix="/api/v1", tags=["auth"])
_limiter_lock = threading.Lock()
BAD_CREDENTIALS = "wrong username or password, or not a member of this brand"


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)
    brand: str = Field(min_length=1, max_length=200, description="The brand (tenant) to act in.")
    token_name: str = Field("login", min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    expires_in_days: int = Field(30, ge=1, le=365)


class IssuedToken(BaseModel):
    token: str = Field(description="The secret: shown only in this response.")
    id: int
    prefix: str = Field(description="The first characters, to recognise the token in lists.")
    scopes: list[str]
    expires_at: datetime | None


class Me(BaseModel):
    username: str
    brand: str
    role: str
    scopes: list[str]
    location: str | None = Field(description="The location a pinned role sees (and below).")
    token_id: int | None


def address_limiter(app: FastAPI) -> AddressLimiter:
    """One limiter per application (per worker process)."""
    with _limiter_lock:
        limiter: AddressLimiter | None = getattr(app.state, "login_limiter", None)
        if limiter is None:
            limiter = app.state.login_limiter = AddressLimiter()
        return limiter


@router.post(
    "/auth/token",
    status_code=201,
    responses={401: {"description": "Bad credentials"}, 429: {"description": "Locked out"}},
)
def create_token(
    body: LoginRequest, request: Request, engine: EngineDep, settings: SettingsDep
) -> IssuedToken:
    """Exchange a member's username and password for an API token of that brand."""
    now, ip = datetime.now(UTC), client_ip(request)
    issued = problem = None
    with engine.begin() as conn:  # commits failure counts and audit entries too
        result = login(
            conn,
            body.username,
            body.password,
            body.brand,
            now,
            settings.login_attempts,
            settings.lockout_seconds,
            ip,
            address_limiter(request.app),
        )
        if isinstance(result, LoggedIn):
            expires = now + timedelta(days=body.expires_in_days)
            try:
                issued = issue_token(
                    conn,
                    result.user_id,
                    result.brand_id,
                    body.token_name,
                    None,
                    expires,
                    actor=result.username,
                    ip=ip,
                )
            except AccountError as exc:
                problem = str(exc)
    if problem is not None:
        raise HTTPException(422, problem)
    if isinstance(result, LockedOut):
        raise HTTPException(
            429,
            f"too many failed logins; try again in {result.retry_after} s",
            headers={"Retry-After": str(result.retry_after)},
        )
    if issued is None:
        raise HTTPException(401, BAD_CREDENTIALS)
    info, raw = issued
    return IssuedToken(
        token=raw,
        id=info.id,
        prefix=info.prefix,
        scopes=list(info.scopes),
        expires_at=info.expires_at,
    )


@router.get("/me")
def me(principal: Caller) -> Me:
    """Who the token in hand speaks for, in which brand, with what it may do."""
    return Me(
        username=principal.username,
        brand=principal.brand,
        role=principal.role.value,
        scopes=sorted(s.value for s in principal.scopes),
        location=principal.location,
        token_id=principal.token_id,
    )


@router.post("/auth/revoke", status_code=204)
def revoke_own_token(principal: Caller, request: Request, engine: EngineDep) -> None:
    """Revoke the token this request carries (signing out)."""
    if principal.token_id is None:
        raise HTTPException(400, "this request carries no API token")
    with engine.begin() as conn:
        revoke_token(
            conn, principal.brand_id, principal.token_id, principal.actor, client_ip(request)
        )
