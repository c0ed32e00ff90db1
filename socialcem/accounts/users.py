"""Users and their memberships: who exists, and which role each holds in which brand."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from socialcem.accounts import audit
from socialcem.accounts.passwords import hash_password
from socialcem.accounts.principal import PINNED_ROLES, Role
from socialcem.store.schema import api_tokens, brands, locations, memberships, users

MAX_USERNAME = 200


class AccountError(ValueError):
    """Input about accounts that cannot be accepted; the message names the field."""


class Conflict(AccountError):
    """Valid input that clashes with what exists (a taken username, the last admin)."""


class NotFound(LookupError):
    """No such user, membership or token (in this brand)."""


@dataclass(frozen=True, slots=True)
class Membership:
    brand_id: int
    brand: str
    role: Role
    location: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"brand": self.brand, "role": self.role.value, "location": self.location}


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    disabled: bool
    has_password: bool
    created_at: datetime
    memberships: tuple[Membership, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "disabled": self.disabled,
            "has_password": self.has_password,
            "created_at": self.created_at.isoformat(),
            "memberships": [m.as_dict() for m in self.memberships],
        }


def normalize_username(name: str) -> str:
    """Usernames compare case-insensitively: stored in NFKC lower case."""
    folded = "" if len(name) > 4 * MAX_USERNAME else unicodedata.normalize("NFKC", name).lower()
    if not 1 <= len(folded) <= MAX_USERNAME:
        raise AccountError(f"username: must be 1 to {MAX_USERNAME} characters")
    for ch in folded:
        if ch.isspace() or unicodedata.category(ch)[0] in "CZ" or ch == "/":
            raise AccountError(
                f"username: may not contain spaces, '/' or control characters ({ch!r})"
            )
    return folded


def parse_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise AccountError(f"role: unknown role {role!r} (one of {names})") from None


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def find_user(conn: Connection, username: str) -> int | None:
    try:
        name = normalize_username(username)
    except AccountError:
        return None
    return conn.execute(select(users.c.id).where(users.c.username == name)).scalar()


def require_user(conn: Connection, username: str) -> int:
    found = find_user(conn, username)
    if found is None:
        raise NotFound(f"no user {username!r}")
    return found


def member_id(conn: Connection, brand_id: int, username: str) -> int:
    """The id of a member of this brand; NotFound for everyone else, members of other brands
    included (a brand is a tenant)."""
    found = find_user(conn, username)
    if found is None or membership(conn, found, brand_id) is None:
        raise NotFound(f"no user {username!r} in this brand")
    return found


def username_of(conn: Connection, user_id: int) -> str:
    name = conn.execute(select(users.c.username).where(users.c.id == user_id)).scalar()
    if name is None:
        raise NotFound(f"no user with id {user_id}")
    return str(name)


def create_user(
    conn: Connection,
    username: str,
    password: str | None,
    *,
    actor: str = "cli",
    brand_id: int | None = None,
    ip: str | None = None,
) -> int:
    """A new user (no password: signs in with tokens only); ``brand_id`` files the audit entry."""
    name = normalize_username(username)
    if find_user(conn, name) is not None:
        raise Conflict(f"username: {name!r} is taken")
    hashed = None if password is None else hash_password(password)
    user_id = conn.execute(
        insert(users)
        .values(username=name, password_hash=hashed, created_at=datetime.now(UTC))
        .returning(users.c.id)
    ).scalar_one()
    audit.record(conn, brand_id, actor, "user.create", name, None, ip)
    return int(user_id)


def set_password(
    conn: Connection, user_id: int, password: str, *, actor: str = "cli", ip: str | None = None
) -> None:
    name = username_of(conn, user_id)
    values = {"password_hash": hash_password(password), "failed_logins": 0, "locked_until": None}
    conn.execute(update(users).where(users.c.id == user_id).values(**values))
    audit.record(conn, None, actor, "user.password", name, None, ip)


def set_disabled(
    conn: Connection, user_id: int, disabled: bool, *, actor: str = "cli", ip: str | None = None
) -> None:
    """A disabled user keeps memberships and tokens, but nothing of theirs authenticates."""
    name = username_of(conn, user_id)
    conn.execute(update(users).where(users.c.id == user_id).values(disabled=disabled))
    action = "user.disable" if disabled else "user.enable"
    audit.record(conn, None, actor, action, name, None, ip)


def delete_user(
    conn: Connection, user_id: int, *, actor: str = "cli", ip: str | None = None
) -> None:
    """Delete the user with their memberships and tokens; each brand's trail records it."""
    name = username_of(conn, user_id)
    held = _memberships(conn, [user_id]).get(user_id, [])
    brand_ids: list[int | None] = [m.brand_id for m in held] or [None]
    conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user_id))
    conn.execute(delete(memberships).where(memberships.c.user_id == user_id))
    conn.execute(delete(users).where(users.c.id == user_id))
    for brand in brand_ids:
        audit.record(conn, brand, actor, "user.delete", name, None, ip)


def _memberships(
    conn: Connection, user_ids: list[int], brand_id: int | None = None
) -> dict[int, list[Membership]]:
    query = (
        select(
            memberships.c.user_id, brands.c.id, brands.c.name, memberships.c.role, locations.c.name
        )
        .join(brands, brands.c.id == memberships.c.brand_id)
        .outerjoin(locations, locations.c.id == memberships.c.location_id)
        .where(memberships.c.user_id.in_(user_ids))
        .order_by(brands.c.name)
    )
    if brand_id is not None:
        query = query.where(memberships.c.brand_id == brand_id)
    out: dict[int, list[Membership]] = {}
    for user_id, brand, brand_name, role, location in conn.execute(query):
        out.setdefault(user_id, []).append(Membership(brand, brand_name, Role(role), location))
    return out


def list_users(
    conn: Connection, brand_id: int | None = None, user_id: int | None = None
) -> list[User]:
    """Every user, or only the members of ``brand_id`` (and only that membership shown)."""
    query = select(users).order_by(users.c.username)
    if user_id is not None:
        query = query.where(users.c.id == user_id)
    if brand_id is not None:
        members = select(memberships.c.user_id).where(memberships.c.brand_id == brand_id)
        query = query.where(users.c.id.in_(members))
    rows = conn.execute(query).all()
    held = _memberships(conn, [r.id for r in rows], brand_id) if rows else {}
    return [
        User(
            r.id,
            r.username,
            bool(r.disabled),
            r.password_hash is not None,
            utc(r.created_at),
            tuple(held.get(r.id, ())),
        )
        for r in rows
    ]


def get_user(conn: Connection, user_id: int, brand_id: int | None = None) -> User:
    found = list_users(conn, brand_id, user_id)
    if not found:
        raise NotFound(f"no user with id {user_id}")
    return found[0]


def membership(conn: Connection, user_id: int, brand_id: int) -> Membership | None:
    held = _memberships(conn, [user_id], brand_id).get(user_id)
    return held[0] if held else None


def _check_admins_left(conn: Connection, user_id: int, brand_id: int) -> None:
    others = conn.execute(
        select(func.count())
        .select_from(memberships)
        .where(
            memberships.c.brand_id == brand_id,
            memberships.c.role == Role.ADMIN.value,
            memberships.c.user_id != user_id,
        )
    ).scalar_one()
    if others == 0:
        raise Conflict("role: this is the brand's last admin; make another admin first")


def grant(
    conn: Connection,
    user_id: int,
    brand_id: int,
    role: Role | str,
    location: str | None,
    actor: str = "cli",
    ip: str | None = None,
    keep_an_admin: bool = False,
) -> None:
    """Give the user ``role`` in the brand (replacing any earlier role there).

    Pinned roles name an existing location of the brand; other roles see the whole brand and
    must not name one. ``keep_an_admin`` refuses to demote the brand's last admin.
    """
    role = parse_role(role)
    location_id = None
    if role in PINNED_ROLES:
        if not location:
            raise AccountError(f"location: the role {role.value!r} needs a location")
        named = (locations.c.brand_id == brand_id) & (locations.c.name == location)
        found = (
            conn.execute(select(locations.c.id).where(named)) if location.isprintable() else None
        )
        location_id = None if found is None else found.scalar()
        if location_id is None:
            raise AccountError(f"location: no location {location!r} in this brand")
    elif location:
        raise AccountError(f"location: the role {role.value!r} sees the whole brand; omit it")
    name = username_of(conn, user_id)
    before = membership(conn, user_id, brand_id)
    if keep_an_admin and before and before.role is Role.ADMIN and role is not Role.ADMIN:
        _check_admins_left(conn, user_id, brand_id)
    key = (memberships.c.user_id == user_id) & (memberships.c.brand_id == brand_id)
    conn.execute(delete(memberships).where(key))
    conn.execute(
        insert(memberships).values(
            user_id=user_id,
            brand_id=brand_id,
            role=role.value,
            location_id=location_id,
            created_at=datetime.now(UTC),
        )
    )
    detail: dict[str, Any] = {"role": role.value, "location": location if location_id else None}
    if before is not None:
        detail["previous"] = {"role": before.role.value, "location": before.location}
    audit.record(conn, brand_id, actor, "role.grant", name, detail, ip)


def revoke(
    conn: Connection,
    user_id: int,
    brand_id: int,
    actor: str = "cli",
    ip: str | None = None,
    keep_an_admin: bool = False,
) -> None:
    """End the membership and revoke the user's tokens of this brand (a later grant revives
    nothing)."""
    before = membership(conn, user_id, brand_id)
    if before is None:
        raise NotFound(f"user {user_id} is not a member of this brand")
    if keep_an_admin and before.role is Role.ADMIN:
        _check_admins_left(conn, user_id, brand_id)
    name = username_of(conn, user_id)
    key = (memberships.c.user_id == user_id) & (memberships.c.brand_id == brand_id)
    conn.execute(delete(memberships).where(key))
    conn.execute(
        update(api_tokens)
        .where(
            api_tokens.c.user_id == user_id,
            api_tokens.c.brand_id == brand_id,
            api_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.now(UTC))
    )
    detail = {"role": before.role.value, "location": before.location}
    audit.record(conn, brand_id, actor, "role.revoke", name, detail, ip)
