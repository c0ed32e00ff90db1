"""Signing in: lockout after failures, unlock when the time has passed, address limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from accounts_helpers import CHEAP_HASHER, cheap_hashing
from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, select, update

from socialcem.accounts import audit, passwords
from socialcem.accounts.principal import Role
from socialcem.accounts.throttle import AddressLimiter, LockedOut, LoggedIn, Refused, login
from socialcem.accounts.users import create_user, grant, set_disabled
from socialcem.store.locations import brand_id
from socialcem.store.schema import audit_log, users

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


@pytest.fixture
def member(store: Engine) -> int:
    with store.begin() as conn:
        key = brand_id(conn, "acme")
        assert key is not None
        user = create_user(conn, "ana", PASSWORD)
        grant(conn, user, key, "analyst", None)
        brand_id(conn, "globex")
        return user


def attempt(
    conn: Connection, password: str, now: datetime = T0, username: str = "ana", brand: str = "acme"
) -> object:
    return login(conn, username, password, brand, now, 3, 60, "10.0.0.1")


def test_success_resets_and_is_audited(store: Engine, member: int) -> None:
    with store.begin() as conn:
        assert attempt(conn, "wrong password!") == Refused()
        acme = brand_id(conn, "acme", create=False)
        assert attempt(conn, PASSWORD, username="ANA") == LoggedIn(
            member, "ana", acme, Role.ANALYST
        )
        assert conn.execute(select(users.c.failed_logins)).scalar() == 0
        actions = [e.action for e in audit.entries(conn, None)]
        assert actions[:2] == ["login", "login.failed"]
        everything = " ".join(str(row) for row in conn.execute(select(audit_log)))
        assert PASSWORD not in everything and "wrong password!" not in everything


def test_lockout_refuses_the_right_password_until_it_expires(store: Engine, member: int) -> None:
    with store.begin() as conn:
        assert attempt(conn, "guess one", T0) == Refused()
        assert attempt(conn, "guess two", T0 + timedelta(seconds=1)) == Refused()
        assert attempt(conn, "guess three", T0 + timedelta(seconds=2)) == LockedOut(60)
        locked = attempt(conn, PASSWORD, T0 + timedelta(seconds=32))
        assert locked == LockedOut(30)
        assert isinstance(attempt(conn, PASSWORD, T0 + timedelta(seconds=63)), LoggedIn)
        assert conn.execute(select(users.c.locked_until)).scalar() is None
        assert "user.lockout" in [e.action for e in audit.entries(conn, None)]


def test_a_lockout_gives_a_fresh_count_afterwards(store: Engine, member: int) -> None:
    with store.begin() as conn:
        for second in range(3):
            attempt(conn, "nope nope nope", T0 + timedelta(seconds=second))
        later = T0 + timedelta(minutes=5)
        assert attempt(conn, "nope nope nope", later) == Refused()
        assert attempt(conn, "nope nope nope", later) == Refused()
        assert isinstance(attempt(conn, "nope nope nope", later), LockedOut)


@pytest.mark.parametrize("case", ["unknown", "not a member", "no brand", "disabled", "bad name"])
def test_every_refusal_looks_the_same(store: Engine, member: int, case: str) -> None:
    with store.begin() as conn:
        if case == "disabled":
            set_disabled(conn, member, True)
        username = {"unknown": "nobody", "bad name": "has space"}.get(case, "ana")
        brand = {"not a member": "globex", "no brand": "initech"}.get(case, "acme")
        assert attempt(conn, PASSWORD, username=username, brand=brand) == Refused()
        [entry] = audit.entries(conn, None, action="login.failed")  # None: every brand
        assert (entry.actor, entry.ip) == ("anonymous", "10.0.0.1")


def test_a_changed_hasher_rehashes_on_login(
    store: Engine, member: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.connect() as conn:
        old = conn.execute(select(users.c.password_hash)).scalar_one()
    stronger = PasswordHasher(time_cost=2, memory_cost=128, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", stronger)
    with store.begin() as conn:
        assert isinstance(attempt(conn, PASSWORD), LoggedIn)
        new = conn.execute(select(users.c.password_hash)).scalar_one()
    assert new != old and "t=2" in new and stronger.verify(new, PASSWORD)
    assert CHEAP_HASHER.check_needs_rehash(new)


def test_token_only_user_cannot_log_in(store: Engine, member: int) -> None:
    with store.begin() as conn:
        conn.execute(update(users).values(password_hash=None))
        assert attempt(conn, PASSWORD) == Refused()


def test_address_limiter_slides() -> None:
    limiter = AddressLimiter(limit=3, window=10)
    for t in (0.0, 1.0, 2.0):
        assert limiter.retry_after("a", t) == 0
        limiter.failed("a", t)
    assert limiter.retry_after("a", 2.5) == 8
    assert limiter.retry_after("b", 2.5) == 0
    assert limiter.retry_after(None, 2.5) == 0
    assert limiter.retry_after("a", 10.5) == 0  # the first failure aged out


def test_address_limiter_forgets_the_oldest_addresses() -> None:
    limiter = AddressLimiter(limit=1, window=60, max_addresses=2)
    for address in ("a", "b", "c"):
        limiter.failed(address, 0)
    assert limiter.retry_after("a", 1) == 0
    assert limiter.retry_after("c", 1) == 59


def test_one_address_cannot_spray_usernames(store: Engine, member: int) -> None:
    limiter = AddressLimiter(limit=5, window=300)
    with store.begin() as conn:
        for i in range(5):
            result = login(conn, f"user{i}", "guess guess", "acme", T0, 3, 60, "10.9.9.9", limiter)
            assert result == Refused()
        blocked = login(conn, "ana", PASSWORD, "acme", T0, 3, 60, "10.9.9.9", limiter)
        assert blocked == LockedOut(300)
        other = login(conn, "ana", PASSWORD, "acme", T0, 3, 60, "10.1.1.1", limiter)
        assert isinstance(other, LoggedIn)
