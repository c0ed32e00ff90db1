"""Users and memberships on both backends: names, roles, pins, revocation, deletion, audit."""

from __future__ import annotations

import pytest
from accounts_helpers import cheap_hashing
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from socialcem.accounts import audit
from socialcem.accounts.passwords import WeakPassword, verify_password
from socialcem.accounts.principal import Role
from socialcem.accounts.tokens import authenticate_token, issue_token, list_tokens
from socialcem.accounts.users import (
    AccountError,
    Conflict,
    NotFound,
    create_user,
    delete_user,
    find_user,
    grant,
    list_users,
    member_id,
    membership,
    normalize_username,
    revoke,
    set_disabled,
    set_password,
)
from socialcem.models import Location
from socialcem.store.locations import add_locations, brand_id
from socialcem.store.schema import api_tokens, memberships, users


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


def brand(engine: Engine, name: str = "acme") -> int:
    with engine.begin() as conn:
        key = brand_id(conn, name)
        assert key is not None
        add_locations(conn, key, [Location("North", None, "region"), Location("Store 1", "North")])
        return key


@given(st.text(min_size=1, max_size=60))
def test_usernames_are_folded_or_refused_by_field(name: str) -> None:
    try:
        folded = normalize_username(name)
    except AccountError as exc:
        assert str(exc).startswith("username:")
        return
    assert normalize_username(folded) == folded
    assert folded == folded.lower() and 1 <= len(folded) <= 200
    assert all(ch.isprintable() and not ch.isspace() and ch != "/" for ch in folded)


@pytest.mark.parametrize(
    "name", ["", " ", "ana smith", "tab\there", "nul\x00", "zero\u200bwidth", "a/b", "x" * 201]
)
def test_bad_usernames_are_refused(name: str) -> None:
    with pytest.raises(AccountError, match="username:"):
        normalize_username(name)


def test_create_is_case_insensitive_and_audited(store: Engine) -> None:
    key = brand(store)
    with store.begin() as conn:
        user = create_user(conn, "Ana", "a long enough password", brand_id=key, actor="t")
        assert find_user(conn, "ANA") == user
        with pytest.raises(Conflict, match="taken"):
            create_user(conn, "ana", None)
        stored = conn.execute(select(users.c.username, users.c.password_hash)).one()
        assert stored.username == "ana" and verify_password(
            stored.password_hash, "a long enough password"
        )
        [entry] = audit.entries(conn, key, action="user.create")
        assert (entry.actor, entry.target) == ("t", "ana")
        assert "a long enough password" not in str(entry.as_dict())


def test_weak_password_creates_nothing(store: Engine) -> None:
    with pytest.raises(WeakPassword, match="12"), store.begin() as conn:
        create_user(conn, "ana", "short")
    with store.connect() as conn:
        assert find_user(conn, "ana") is None


def test_grant_pins_and_replaces(store: Engine) -> None:
    key = brand(store)
    with store.begin() as conn:
        user = create_user(conn, "bo", None)
        with pytest.raises(AccountError, match="location: the role 'agent' needs"):
            grant(conn, user, key, Role.AGENT, None)
        with pytest.raises(AccountError, match="location: no location 'Nowhere'"):
            grant(conn, user, key, "location_manager", "Nowhere")
        with pytest.raises(AccountError, match="location: the role 'analyst' sees the whole"):
            grant(conn, user, key, "analyst", "North")
        with pytest.raises(AccountError, match="role: unknown role 'boss'"):
            grant(conn, user, key, "boss", None)
        grant(conn, user, key, "location_manager", "North", actor="t")
        held = membership(conn, user, key)
        assert held is not None and (held.role, held.location) == (Role.LOCATION_MANAGER, "North")
        grant(conn, user, key, "viewer", None, actor="t")
        held = membership(conn, user, key)
        assert held is not None and (held.role, held.location) == (Role.VIEWER, None)
        latest, first = audit.entries(conn, key, action="role.grant")
        assert first.detail == {"role": "location_manager", "location": "North"}
        assert latest.detail == {
            "role": "viewer",
            "location": None,
            "previous": {"role": "location_manager", "location": "North"},
        }


def test_location_of_another_brand_is_refused(store: Engine) -> None:
    brand(store, "acme")
    other = brand(store, "globex")
    with store.begin() as conn:
        user = create_user(conn, "bo", None)
        grant(conn, user, other, "agent", "Store 1")  # globex has its own Store 1
        acme_only = brand_id(conn, "acme")
        assert acme_only is not None
        add_locations(conn, acme_only, [Location("Acme Only")])
        with pytest.raises(AccountError, match="no location 'Acme Only'"):
            grant(conn, user, other, "agent", "Acme Only")


def test_list_users_shows_only_the_brands_membership(store: Engine) -> None:
    acme, globex = brand(store, "acme"), brand(store, "globex")
    with store.begin() as conn:
        ana, bo = create_user(conn, "ana", None), create_user(conn, "bo", None)
        grant(conn, ana, acme, "admin", None)
        grant(conn, ana, globex, "viewer", None)
        grant(conn, bo, globex, "agent", "Store 1")
        everyone = {u.username: u for u in list_users(conn)}
        assert [m.brand for m in everyone["ana"].memberships] == ["acme", "globex"]
        [only] = list_users(conn, acme)
        assert only.username == "ana" and [m.brand for m in only.memberships] == ["acme"]
        assert member_id(conn, globex, "BO") == bo
        with pytest.raises(NotFound):
            member_id(conn, acme, "bo")


def test_revoke_ends_membership_and_tokens(store: Engine) -> None:
    key = brand(store)
    with store.begin() as conn:
        user = create_user(conn, "bo", None)
        grant(conn, user, key, "analyst", None)
        _, raw = issue_token(conn, user, key, "crm")
        revoke(conn, user, key, actor="t")
        assert membership(conn, user, key) is None
        assert authenticate_token(conn, raw) is None
        [token] = list_tokens(conn, key)
        assert token.revoked_at is not None
        grant(conn, user, key, "analyst", None)
        assert authenticate_token(conn, raw) is None  # a new grant revives no old token
        [entry] = audit.entries(conn, key, action="role.revoke")
        assert entry.target == "bo" and entry.detail == {"role": "analyst", "location": None}
        revoke(conn, user, key)
        with pytest.raises(NotFound):
            revoke(conn, user, key)


def test_the_last_admin_stays_when_asked(store: Engine) -> None:
    key = brand(store)
    with store.begin() as conn:
        ana, bo = create_user(conn, "ana", None), create_user(conn, "bo", None)
        grant(conn, ana, key, "admin", None)
        with pytest.raises(Conflict, match="last admin"):
            grant(conn, ana, key, "viewer", None, keep_an_admin=True)
        with pytest.raises(Conflict, match="last admin"):
            revoke(conn, ana, key, keep_an_admin=True)
        grant(conn, bo, key, "admin", None)
        grant(conn, ana, key, "viewer", None, keep_an_admin=True)
        with pytest.raises(Conflict):
            revoke(conn, bo, key, keep_an_admin=True)
        revoke(conn, bo, key)  # the CLI may


def test_delete_removes_tokens_and_memberships(store: Engine) -> None:
    acme, globex = brand(store, "acme"), brand(store, "globex")
    with store.begin() as conn:
        user = create_user(conn, "bo", None)
        grant(conn, user, acme, "analyst", None)
        grant(conn, user, globex, "viewer", None)
        _, raw = issue_token(conn, user, acme, "crm")
        delete_user(conn, user, actor="t")
        assert find_user(conn, "bo") is None
        assert conn.execute(select(api_tokens)).first() is None
        assert conn.execute(select(memberships)).first() is None
        assert authenticate_token(conn, raw) is None
        for key in (acme, globex):
            [entry] = audit.entries(conn, key, action="user.delete")
            assert entry.target == "bo"
        with pytest.raises(NotFound):
            delete_user(conn, user)


def test_disable_and_password(store: Engine) -> None:
    key = brand(store)
    with store.begin() as conn:
        user = create_user(conn, "bo", None)
        grant(conn, user, key, "viewer", None)
        _, raw = issue_token(conn, user, key, "crm")
        set_disabled(conn, user, True)
        assert authenticate_token(conn, raw) is None
        assert list_users(conn)[0].disabled
        set_disabled(conn, user, False)
        assert authenticate_token(conn, raw) is not None
        with pytest.raises(WeakPassword):
            set_password(conn, user, "tiny")
        set_password(conn, user, "a much better password")
        stored = conn.execute(select(users.c.password_hash)).scalar()
        assert verify_password(stored, "a much better password")
        actions = [e.action for e in audit.entries(conn, None)]
        assert {"user.disable", "user.enable", "user.password"} <= set(actions)
