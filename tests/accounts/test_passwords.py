"""Password hashing: argon2id round trips, the length policy, rehashing, the dummy verify."""

from __future__ import annotations

import pytest
from accounts_helpers import CHEAP_HASHER
from argon2 import PasswordHasher
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcem.accounts import passwords
from socialcem.accounts.passwords import (
    WeakPassword,
    hash_password,
    needs_rehash,
    verify_password,
)


class CountingHasher(PasswordHasher):
    """A real argon2 hasher that counts verifies (to see the dummy verify happen)."""

    verifies = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        type(self).verifies += 1
        return super().verify(hash, password)


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", CHEAP_HASHER)


TEXT = st.characters(min_codepoint=32, exclude_characters="\x7f", exclude_categories=["Cs"])


@settings(max_examples=25, deadline=None)
@given(st.text(TEXT, min_size=12, max_size=80), st.text(min_size=1, max_size=80))
def test_round_trip_and_mismatch(password: str, other: str) -> None:
    stored = hash_password(password)  # the autouse fixture holds for every example
    assert stored.startswith("$argon2id$")
    assert password not in stored
    assert verify_password(stored, password)
    assert verify_password(stored, other) == (other == password)


@pytest.mark.parametrize("password", ["", "short", "x" * 11, "y" * 1025])
def test_policy_refuses_short_and_huge(password: str) -> None:
    with pytest.raises(WeakPassword, match="password: must be at"):
        hash_password(password)


def test_twelve_characters_is_enough() -> None:
    assert verify_password(hash_password("x" * 12), "x" * 12)


@pytest.mark.parametrize("stored", [None, "", "not a hash", "$argon2id$v=19$m=1,t=1,p=1$zz$zz"])
def test_no_or_broken_hash_never_matches(stored: str | None) -> None:
    assert not verify_password(stored, "whatever password")


def test_unknown_user_still_costs_a_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = CountingHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", counting)
    before = CountingHasher.verifies
    assert not verify_password(None, "a guess at a password")
    assert not verify_password("garbage", "a guess at a password")
    assert CountingHasher.verifies == before + 2


def test_needs_rehash_when_parameters_change(monkeypatch: pytest.MonkeyPatch) -> None:
    old = hash_password("correct horse battery")
    assert not needs_rehash(old)
    stronger = PasswordHasher(time_cost=2, memory_cost=128, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", stronger)
    assert needs_rehash(old)
    assert verify_password(old, "correct horse battery")  # old hashes still verify
    assert needs_rehash("not a hash")


@pytest.mark.parametrize(
    "password", ["\x00" * 12, "twelve chars\n", "tab\tseparated words", "\ud800" * 12]
)
def test_control_characters_and_broken_text_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword, match="password: may not contain"):
        hash_password(password)
    assert not verify_password(hash_password("x" * 12), password)
