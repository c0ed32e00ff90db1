"""API tokens: random secrets shown once, stored as SHA-256, scoped, expiring, revocable.

The secret has 256 random bits, so a fast hash is enough (nothing to brute-force) and the
lookup on every request is one indexed SELECT.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, select, update

from socialcem.accounts import audit
from socialcem.accounts.principal import (
    PINNED_ROLES,
    ROLE_SCOPES,
    Principal,
    Role,
    Scope,
    parse_scopes,
)
from socialcem.accounts.users import AccountError, NotFound, membership, username_of, utc
from socialcem.store.schema import api_tokens, brands, location_paths, locations, memberships
from socialcem.store.schema import users as users_table

PREFIX = "scm_"
DISPLAY_CHARS = 12
MAX_NAME = 100
TOUCH_EVERY = timedelta(minutes=1)
"""last_used_at is written at most this often per token: reads stay reads."""
_SHAPE = re.compile(r"scm_[A-Za-z0-9_-]{20,100}")
_SCOPE_NAMES = frozenset(s.value for s in Scope)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What may be shown about a token: never the secret, never its hash."""

    id: int
    user_id: int
    username: str
    brand_id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        def iso(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "prefix": self.prefix,
            "scopes": list(self.scopes),
            "created_at": iso(self.created_at),
            "expires_at": iso(self.expires_at),
            "revoked_at": iso(self.revoked_at),
            "last_used_at": iso(self.last_used_at),
        }


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def _info(row: Any) -> TokenInfo:
    def opt(moment: datetime | None) -> datetime | None:
        return None if moment is None else utc(moment)

    return TokenInfo(
        row.id,
        row.user_id,
        row.username,
        row.brand_id,
        row.name,
        row.prefix,
        tuple(sorted(row.scopes)),
        utc(row.created_at),
        opt(row.expires_at),
        opt(row.revoked_at),
        opt(row.last_used_at),
    )


def _listing() -> Any:
    return select(api_tokens, users_table.c.username).join(
        users_table, users_table.c.id == api_tokens.c.user_id
    )


def issue_token(
    conn: Connection,
    user_id: int,
    brand_id: int,
    name: str,
    scopes: Iterable[str] | None = None,
    expires_at: datetime | None = None,
    *,
    actor: str = "cli",
    ip: str | None = None,
) -> tuple[TokenInfo, str]:
    """A new token for a member of the brand; the raw secret is returned here and never again.

    ``scopes`` None grants all of the member's role's scopes; named scopes must lie within it.
    """
    if not 1 <= len(name.strip()) <= MAX_NAME or not name.isprintable():
        raise AccountError(f"name: must be 1 to {MAX_NAME} printable characters")
    held = membership(conn, user_id, brand_id)
    if held is None:
        raise NotFound(f"user {username_of(conn, user_id)!r} is not a member of this brand")
    chosen = ROLE_SCOPES[held.role] if scopes is None else parse_scopes(scopes, held.role)
    if not chosen:
        raise AccountError("scopes: name at least one scope (or none for all of the role's)")
    now = datetime.now(UTC)
    if expires_at is not None and utc(expires_at) <= now:
        raise AccountError("expires_at: must be in the future")
    raw = PREFIX + secrets.token_urlsafe(32)
    token_id = conn.execute(
        insert(api_tokens)
        .values(
            user_id=user_id,
            brand_id=brand_id,
            name=name.strip(),
            token_hash=token_hash(raw),
            prefix=raw[:DISPLAY_CHARS],
            scopes=sorted(s.value for s in chosen),
            created_at=now,
            expires_at=None if expires_at is None else utc(expires_at),
        )
        .returning(api_tokens.c.id)
    ).scalar_one()
    info = get_token(conn, brand_id, int(token_id))
    detail = {"token_id": info.id, "name": info.name, "scopes": list(info.scopes)}
    audit.record(conn, brand_id, actor, "token.issue", info.username, detail, ip)
    return info, raw


def get_token(conn: Connection, brand_id: int, token_id: int) -> TokenInfo:
    row = conn.execute(
        _listing().where(api_tokens.c.id == token_id, api_tokens.c.brand_id == brand_id)
    ).first()
    if row is None:
        raise NotFound(f"no token {token_id} in this brand")
    return _info(row)


def list_tokens(conn: Connection, brand_id: int, user_id: int | None = None) -> list[TokenInfo]:
    query = _listing().where(api_tokens.c.brand_id == brand_id).order_by(api_tokens.c.id)
    if user_id is not None:
        query = query.where(api_tokens.c.user_id == user_id)
    return [_info(row) for row in conn.execute(query)]


def revoke_token(
    conn: Connection, brand_id: int, token_id: int, actor: str = "cli", ip: str | None = None
) -> TokenInfo:
    """Revoke at once (idempotent); NotFound for tokens of other brands."""
    info = get_token(conn, brand_id, token_id)
    if info.revoked_at is not None:
        return info
    conn.execute(
        update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=datetime.now(UTC))
    )
    detail = {"token_id": token_id, "name": info.name}
    audit.record(conn, brand_id, actor, "token.revoke", info.username, detail, ip)
    return get_token(conn, brand_id, token_id)


# Built once: composing this five-table SELECT costs more than running it (per request).
_LOOKUP = (
    select(
        api_tokens.c.id,
        api_tokens.c.scopes,
        api_tokens.c.expires_at,
        api_tokens.c.revoked_at,
        api_tokens.c.last_used_at,
        users_table.c.id.label("user_id"),
        users_table.c.username,
        users_table.c.disabled,
        memberships.c.role,
        memberships.c.location_id,
        brands.c.id.label("brand_id"),
        brands.c.name.label("brand"),
        locations.c.name.label("location"),
        location_paths.c.location_id.label("visible"),
    )
    .join(users_table, users_table.c.id == api_tokens.c.user_id)
    .join(
        memberships,
        (memberships.c.user_id == api_tokens.c.user_id)
        & (memberships.c.brand_id == api_tokens.c.brand_id),
    )
    .join(brands, brands.c.id == api_tokens.c.brand_id)
    .outerjoin(locations, locations.c.id == memberships.c.location_id)
    .outerjoin(location_paths, location_paths.c.ancestor_id == memberships.c.location_id)
    .where(api_tokens.c.token_hash == bindparam("token_hash"))
)


def authenticate_token(conn: Connection, raw: str) -> Principal | None:
    """The principal a raw token speaks for, or None (malformed, unknown, revoked, expired,
    disabled user, membership gone).

    One SELECT: scopes are cut to the role's current ones, so a demotion narrows old tokens at
    once; a pinned role's visible locations come from the closure table in the same query.
    """
    if not isinstance(raw, str) or not _SHAPE.fullmatch(raw):
        return None
    rows = conn.execute(_LOOKUP, {"token_hash": token_hash(raw)}).all()
    if not rows:
        return None
    row, now = rows[0], datetime.now(UTC)
    if row.revoked_at is not None or row.disabled:
        return None
    if row.expires_at is not None and utc(row.expires_at) <= now:
        return None
    try:
        role = Role(row.role)
    except ValueError:
        return None
    named = {s for s in row.scopes if s in _SCOPE_NAMES}
    scopes = frozenset(Scope(s) for s in named) & ROLE_SCOPES[role]
    visible = None
    if role in PINNED_ROLES:
        if row.location_id is None:
            return None  # fail closed: a pinned role without its pin sees nothing
        visible = frozenset(int(r.visible) for r in rows if r.visible is not None)
    if row.last_used_at is None or now - utc(row.last_used_at) >= TOUCH_EVERY:
        _touch(conn, row.id, now)
    return Principal(
        user_id=row.user_id,
        username=row.username,
        brand_id=row.brand_id,
        brand=row.brand,
        role=role,
        scopes=scopes,
        locations=visible,
        location=row.location if visible is not None else None,
        token_id=row.id,
    )


def _touch(conn: Connection, token_id: int, now: datetime) -> None:
    """Record use; the guard keeps concurrent workers from all writing the same minute."""
    stale = now - TOUCH_EVERY
    conn.execute(
        update(api_tokens)
        .where(
            api_tokens.c.id == token_id,
            or_(api_tokens.c.last_used_at.is_(None), api_tokens.c.last_used_at < stale),
        )
        .values(last_used_at=now)
    )
