"""API tokens on both backends: round trip, revocation, expiry, narrowing, pins, junk input."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from accounts_helpers import member_token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, update

from socialcem.accounts import audit
from socialcem.accounts.principal import ROLE_SCOPES, InvalidScope, Role, Scope
from socialcem.accounts.tokens import (
    authenticate_token,
    issue_token,
    list_tokens,
    revoke_token,
)
from socialcem.accounts.users import (
    AccountError,
    NotFound,
    create_user,
    find_user,
    grant,
    revoke,
    set_disabled,
)
from socialcem.models import Location
from socialcem.store.locations import add_locations, brand_id, location_ids
from socialcem.store.schema import api_tokens


def setup_member(engine: Engine, role: str = "analyst") -> tuple[int, int]:
    with engine.begin() as conn:
        key = brand_id(conn, "acme")
        assert key is not None
        user = create_user(conn, "ana", None)
        grant(conn, user, key, role, None)
        return user, key


def test_round_trip_stores_only_a_hash(store: Engine) -> None:
    user, key = setup_member(store)
    with store.begin() as conn:
        info, raw = issue_token(conn, user, key, "crm sync", actor="t", ip="10.0.0.1")
        assert raw.startswith("scm_") and len(raw) == 47 and info.prefix == raw[:12]
        row = conn.execute(select(api_tokens)).one()
        assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in " ".join(str(v) for v in row)
        assert "hash" not in " ".join(info.as_dict()) and raw not in str(info)
        principal = authenticate_token(conn, raw)
        assert principal is not None
        assert (principal.username, principal.brand, principal.role) == ("ana", "acme", "analyst")
        assert principal.scopes == ROLE_SCOPES[Role.ANALYST] and principal.locations is None
        assert principal.token_id == info.id and principal.actor == f"ana (token {info.id})"
        [entry] = audit.entries(conn, key, action="token.issue")
        assert entry.detail is not None and entry.detail["name"] == "crm sync"
        assert raw not in str(entry.as_dict())


def test_two_tokens_differ(store: Engine) -> None:
    user, key = setup_member(store)
    with store.begin() as conn:
        raws = {issue_token(conn, user, key, "t")[1] for _ in range(5)}
        assert len(raws) == 5
        assert len(list_tokens(conn, key)) == 5 and list_tokens(conn, key, user_id=user + 99) == []


def test_revoked_expired_disabled_and_former_members_are_refused(store: Engine) -> None:
    user, key = setup_member(store)
    with store.begin() as conn:
        info, revoked = issue_token(conn, user, key, "a")
        revoke_token(conn, key, info.id, actor="t")
        assert authenticate_token(conn, revoked) is None
        assert revoke_token(conn, key, info.id).revoked_at is not None  # again: harmless
        assert len(audit.entries(conn, key, action="token.revoke")) == 1

        soon = datetime.now(UTC) + timedelta(hours=1)
        info, expiring = issue_token(conn, user, key, "b", expires_at=soon)
        assert authenticate_token(conn, expiring) is not None
        past = datetime.now(UTC) - timedelta(seconds=1)
        conn.execute(update(api_tokens).where(api_tokens.c.id == info.id).values(expires_at=past))
        assert authenticate_token(conn, expiring) is None
        with pytest.raises(AccountError, match="expires_at"):
            issue_token(conn, user, key, "c", expires_at=past)

        _, raw = issue_token(conn, user, key, "d")
        set_disabled(conn, user, True)
        assert authenticate_token(conn, raw) is None
        set_disabled(conn, user, False)
        assert authenticate_token(conn, raw) is not None
        conn.execute(update(api_tokens).values(revoked_at=None))  # undo, to test membership alone
        revoke(conn, user, key)
        conn.execute(update(api_tokens).values(revoked_at=None))
        assert authenticate_token(conn, raw) is None


def test_scopes_narrow_with_the_role(store: Engine) -> None:
    user, key = setup_member(store, "analyst")
    with store.begin() as conn:
        _, full = issue_token(conn, user, key, "all")
        _, reader = issue_token(conn, user, key, "reader", scopes=["feedback:read"])
        grant(conn, user, key, "viewer", None)
        demoted = authenticate_token(conn, full)
        assert demoted is not None and demoted.scopes == ROLE_SCOPES[Role.VIEWER]
        assert not demoted.allows(Scope.EXPORT)
        grant(conn, user, key, "admin", None)
        promoted = authenticate_token(conn, full)
        assert promoted is not None and not promoted.allows(Scope.ADMIN)  # never widened
        narrow = authenticate_token(conn, reader)
        assert narrow is not None and narrow.scopes == {Scope.FEEDBACK_READ}


def test_scopes_are_checked_against_the_role(store: Engine) -> None:
    user, key = setup_member(store, "viewer")
    with store.begin() as conn:
        with pytest.raises(InvalidScope, match="beyond the role 'viewer'"):
            issue_token(conn, user, key, "x", scopes=["export"])
        with pytest.raises(InvalidScope, match="unknown scope 'everything'"):
            issue_token(conn, user, key, "x", scopes=["everything"])
        with pytest.raises(AccountError, match="scopes: name at least one"):
            issue_token(conn, user, key, "x", scopes=[])
        with pytest.raises(AccountError, match="name: must be"):
            issue_token(conn, user, key, "  ")
        other = brand_id(conn, "globex")
        assert other is not None
        with pytest.raises(NotFound, match="not a member"):
            issue_token(conn, user, other, "x")


def test_pinned_roles_see_their_subtree(store: Engine) -> None:
    with store.begin() as conn:
        key = brand_id(conn, "acme")
        assert key is not None
        add_locations(
            conn,
            key,
            [
                Location("North", None, "region"),
                Location("South", None, "region"),
                Location("Store 1", "North"),
                Location("Store 2", "North"),
                Location("Kiosk 2a", "Store 2"),
                Location("Store 3", "South"),
            ],
        )
        ids = location_ids(conn, key)
    raw = member_token(store, "acme", "franchisee", "location_manager", "North")
    store_raw = member_token(store, "acme", "clerk", "agent", "Store 2")
    with store.begin() as conn:
        manager = authenticate_token(conn, raw)
        assert manager is not None and manager.location == "North"
        north = {"North", "Store 1", "Store 2", "Kiosk 2a"}
        assert manager.locations == {ids[n] for n in north}
        assert not manager.sees_location(ids["Store 3"]) and not manager.sees_location(None)
        agent = authenticate_token(conn, store_raw)
        assert agent is not None and agent.locations == {ids["Store 2"], ids["Kiosk 2a"]}
        assert agent.scopes == ROLE_SCOPES[Role.AGENT]
        add_locations(conn, key, [Location("Store 4", "North")])  # a new child is seen at once
        later = authenticate_token(conn, raw)
        assert later is not None and later.locations is not None
        assert len(later.locations) == 5 and ids["North"] in later.locations


def test_member_token_helper_reuses_and_nests(store: Engine) -> None:
    first = member_token(store, "acme", "Bo", "agent", "North/Store 7")
    second = member_token(store, "acme", "bo", "viewer", scopes=["metrics:read"])
    with store.begin() as conn:
        assert find_user(conn, "bo") is not None
        viewer = authenticate_token(conn, second)
        assert viewer is not None and viewer.scopes == {Scope.METRICS_READ}
        agent_now = authenticate_token(conn, first)
        assert agent_now is not None and agent_now.role is Role.VIEWER  # follows the membership


def test_last_used_is_written_at_most_once_a_minute(store: Engine) -> None:
    raw = member_token(store, "acme", "ana", "analyst")

    def last_used() -> datetime | None:
        with store.connect() as conn:
            return conn.execute(select(api_tokens.c.last_used_at)).scalar()

    with store.begin() as conn:
        authenticate_token(conn, raw)
    first = last_used()
    assert first is not None
    with store.begin() as conn:
        authenticate_token(conn, raw)
    assert last_used() == first
    old = datetime.now(UTC) - timedelta(minutes=2)
    with store.begin() as conn:
        conn.execute(update(api_tokens).values(last_used_at=old))
        authenticate_token(conn, raw)
    again = last_used()
    assert again is not None and again.replace(tzinfo=UTC) > old + timedelta(minutes=1)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "scm_",
        "scm_short",
        "Bearer scm_" + "a" * 43,
        "scm_" + "é" * 43,
        "x" * 100_000,
        "scm_" + "a" * 10_000,
        "scm_" + "a" * 42 + "\x00",
        "SCM_" + "a" * 43,
    ],
)
def test_malformed_tokens_are_nobody(store: Engine, raw: str) -> None:
    member_token(store, "acme", "ana", "admin")
    with store.begin() as conn:
        assert authenticate_token(conn, raw) is None


@pytest.fixture
def seeded(sqlite_store: Engine) -> tuple[Engine, str]:
    return sqlite_store, member_token(sqlite_store, "acme", "ana", "admin")


TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=200),
        st.text(alphabet=TOKEN_CHARS, min_size=40, max_size=50).map(lambda s: "scm_" + s),
    )
)
def test_random_strings_authenticate_to_nobody(seeded: tuple[Engine, str], raw: str) -> None:
    engine, real = seeded
    with engine.begin() as conn:
        assert authenticate_token(conn, raw) is None or raw == real
        assert authenticate_token(conn, real) is not None  # the store does hold a live token
