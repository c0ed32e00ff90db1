"""Members, tokens and the audit log of the caller's own brand (scope ``admin``).

A brand is a tenant: users and tokens of other brands answer 404, as if they did not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from socialcem.accounts import audit
from socialcem.accounts.passwords import WeakPassword
from socialcem.accounts.principal import InvalidScope, Principal, Role, Scope
from socialcem.accounts.tokens import TokenInfo, issue_token, list_tokens, revoke_token
from socialcem.accounts.users import (
    AccountError,
    Conflict,
    NotFound,
    User,
    create_user,
    get_user,
    grant,
    list_users,
    member_id,
    revoke,
)
from socialcem.web.deps import EngineDep, client_ip, requires

router = APIRouter(prefix="/api/v1", tags=["admin"])
Admin = Annotated[Principal, Depends(requires(Scope.ADMIN))]
Username = Annotated[str, Path(min_length=1, max_length=200)]
NAME_PATTERN = r"^[^\x00-\x1f\x7f]+$"


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str | None = Field(
        None, min_length=12, max_length=1024, description="None: signs in with tokens only."
    )
    role: Role = Role.VIEWER
    location: str | None = Field(
        None, max_length=200, description="Required for location_manager and agent, else none."
    )


class RoleUpdate(BaseModel):
    role: Role
    location: str | None = Field(None, max_length=200)


class UserOut(BaseModel):
    id: int
    username: str
    disabled: bool
    has_password: bool
    created_at: datetime
    role: Role
    location: str | None


class TokenCreate(BaseModel):
    username: str = Field(min_length=1, max_length=200, description="A member of this brand.")
    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN)
    scopes: list[Scope] | None = Field(
        None, max_length=len(Scope), description="None: all of the member's role's scopes."
    )
    expires_in_days: int | None = Field(30, ge=1, le=365, description="None: never expires.")


class TokenOut(BaseModel):
    id: int
    username: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedTokenOut(TokenOut):
    token: str = Field(description="The secret: shown only in this response.")


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, Any] | None
    ip: str | None


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    next_before_id: int | None = Field(description="Pass as before_id for the older page.")


@contextmanager
def http_errors() -> Iterator[None]:
    """Core errors as HTTP answers; used outside the transaction, so it has rolled back."""
    try:
        yield
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    except InvalidScope as exc:
        raise HTTPException(422, f"scopes: {exc}") from None
    except (AccountError, WeakPassword) as exc:
        raise HTTPException(422, str(exc)) from None


def _user_out(user: User) -> UserOut:
    [held] = user.memberships  # listed within one brand: its membership only
    return UserOut(
        id=user.id,
        username=user.username,
        disabled=user.disabled,
        has_password=user.has_password,
        created_at=user.created_at,
        role=held.role,
        location=held.location,
    )


def _token_out(info: TokenInfo) -> TokenOut:
    return TokenOut.model_validate(info.as_dict())


@router.get("/users")
def users(caller: Admin, engine: EngineDep) -> list[UserOut]:
    """The members of this brand, with their role."""
    with engine.connect() as conn:
        return [_user_out(u) for u in list_users(conn, caller.brand_id)]


@router.post("/users", status_code=201, responses={409: {"description": "Username taken"}})
def add_user(body: UserCreate, caller: Admin, request: Request, engine: EngineDep) -> UserOut:
    """Create a user and make them a member of this brand."""
    actor, ip = caller.actor, client_ip(request)
    with http_errors(), engine.begin() as conn:
        user_id = create_user(
            conn, body.username, body.password, actor=actor, brand_id=caller.brand_id, ip=ip
        )
        grant(conn, user_id, caller.brand_id, body.role, body.location, actor, ip)
        return _user_out(get_user(conn, user_id, caller.brand_id))


@router.put("/users/{username}/role", responses={404: {"description": "No such member"}})
def set_role(
    username: Username, body: RoleUpdate, caller: Admin, request: Request, engine: EngineDep
) -> UserOut:
    """Change a member's role (and pinned location); the brand's last admin stays an admin."""
    with http_errors(), engine.begin() as conn:
        user_id = member_id(conn, caller.brand_id, username)
        grant(
            conn,
            user_id,
            caller.brand_id,
            body.role,
            body.location,
            caller.actor,
            client_ip(request),
            keep_an_admin=True,
        )
        return _user_out(get_user(conn, user_id, caller.brand_id))


@router.delete(
    "/users/{username}/role", status_code=204, responses={404: {"description": "No such member"}}
)
def remove_member(username: Username, caller: Admin, request: Request, engine: EngineDep) -> None:
    """End a membership of this brand and revoke the member's tokens here."""
    with http_errors(), engine.begin() as conn:
        user_id = member_id(conn, caller.brand_id, username)
        revoke(conn, user_id, caller.brand_id, caller.actor, client_ip(request), keep_an_admin=True)


@router.get("/tokens")
def tokens(
    caller: Admin,
    engine: EngineDep,
    username: Annotated[str | None, Query(max_length=200)] = None,
) -> list[TokenOut]:
    """This brand's tokens (never their secrets), optionally of one member."""
    with http_errors(), engine.connect() as conn:
        user_id = None if username is None else member_id(conn, caller.brand_id, username)
        return [_token_out(t) for t in list_tokens(conn, caller.brand_id, user_id)]


@router.post("/tokens", status_code=201, responses={404: {"description": "No such member"}})
def add_token(
    body: TokenCreate, caller: Admin, request: Request, engine: EngineDep
) -> IssuedTokenOut:
    """Issue a token for a member of this brand; its secret is shown only in this answer."""
    days = body.expires_in_days
    expires = None if days is None else datetime.now(UTC) + timedelta(days=days)
    scopes = None if body.scopes is None else [s.value for s in body.scopes]
    with http_errors(), engine.begin() as conn:
        user_id = member_id(conn, caller.brand_id, body.username)
        info, raw = issue_token(
            conn,
            user_id,
            caller.brand_id,
            body.name,
            scopes,
            expires,
            actor=caller.actor,
            ip=client_ip(request),
        )
    return IssuedTokenOut(token=raw, **_token_out(info).model_dump())


@router.delete("/tokens/{token_id}", responses={404: {"description": "No such token"}})
def delete_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    caller: Admin,
    request: Request,
    engine: EngineDep,
) -> TokenOut:
    """Revoke a token of this brand at once (revoking twice is harmless)."""
    with http_errors(), engine.begin() as conn:
        info = revoke_token(conn, caller.brand_id, token_id, caller.actor, client_ip(request))
    return _token_out(info)


@router.get("/audit")
def audit_log(
    caller: Admin,
    engine: EngineDep,
    action: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z._]+$")] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditPage:
    """This brand's audit trail, newest first; page back with ``before_id``."""
    with engine.connect() as conn:
        found = audit.entries(conn, caller.brand_id, limit, action, before_id)
    entries = [AuditEntryOut.model_validate(e.as_dict()) for e in found]
    last = found[-1].id if len(found) == limit else None
    return AuditPage(entries=entries, next_before_id=last)
