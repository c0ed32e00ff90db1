"""Test helpers for accounts: members with real tokens, and cheap password hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from socialcem.accounts import passwords
from socialcem.accounts.tokens import issue_token
from socialcem.accounts.users import create_user, find_user, grant, membership
from socialcem.models import Location
from socialcem.store.locations import add_location, brand_id, location_ids

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
"""argon2id at minimal cost, so tests that log in many times stay fast."""


def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use in an autouse fixture: ``monkeypatch.setattr`` of the module's hasher."""
    monkeypatch.setattr(passwords, "HASHER", CHEAP_HASHER)


def member_token(
    engine: Engine,
    brand: str,
    username: str,
    role: str,
    location: str | None = None,
    scopes: list[str] | None = None,
) -> str:
    """A raw token of ``username`` in ``brand`` with ``role``; creates the brand, the location
    (a store; "Parent/Child" makes the parent too), the user and the membership as needed."""
    with engine.begin() as conn:
        brand_key = brand_id(conn, brand)
        assert brand_key is not None
        place = None
        if location is not None:
            parent, _, name = location.rpartition("/")
            known = location_ids(conn, brand_key)
            add_location(conn, brand_key, Location(name, parent or None, "store"), known)
            place = name
        user = find_user(conn, username)
        if user is None:
            user = create_user(conn, username, None, actor="test")
        held = membership(conn, user, brand_key)
        if held is None or held.role.value != role or held.location != place:
            grant(conn, user, brand_key, role, place, actor="test")
        _, raw = issue_token(conn, user, brand_key, f"test {role}", scopes, actor="test")
    return raw


def bearer(raw: str) -> dict[str, str]:
    """The header that carries an API token."""
    return {"Authorization": f"Bearer {raw}"}
