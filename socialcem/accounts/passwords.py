"""Password hashing with argon2id: slow on purpose, salted, parameters stored in the hash."""

from __future__ import annotations

import os
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024
"""Long enough for any passphrase; the bound keeps one request from hashing megabytes."""

HASHER = PasswordHasher()
"""argon2id with the library's RFC 9106 defaults; a change of parameters rehashes on login."""

_SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))
"""Each hash takes 64 MiB and a core's worth of time: a burst of logins queues here instead of
exhausting the server's memory."""


class WeakPassword(ValueError):
    """A password the policy refuses; the message says why."""


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from "\ud800" in JSON
        return False
    return True


def check_password(password: str) -> None:
    if not _encodable(password) or any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
        raise WeakPassword("password: may not contain control characters or invalid text")
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"password: must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"password: must be at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    check_password(password)
    return rehash(password)


def rehash(password: str) -> str:
    """A fresh hash with the current parameters, for a password that just verified."""
    with _SLOTS:
        return HASHER.hash(password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    with _SLOTS:
        return hasher.hash("not a password anyone has; only to spend the time")


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``.

    With no stored hash (unknown user, token-only user) a dummy hash is verified instead,
    so the time taken does not tell which usernames exist.
    """
    if len(password) > MAX_LENGTH or not _encodable(password):
        password = "x" * MIN_LENGTH  # still spend the time, never match a stored hash
        stored = None
    target = stored if stored is not None else _dummy_hash(HASHER)
    try:
        with _SLOTS:
            matched = HASHER.verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored is not None


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than the current hasher's."""
    try:
        return HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True
