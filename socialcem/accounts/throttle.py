"""Signing in with a password, throttled two ways.

Per user (in the store, so every worker agrees): after ``max_attempts`` failures the account
is locked for ``lockout_seconds``, and while locked even the right password is refused. Per
client address (in this process): a sliding window of failures, so one address cannot spray
guesses across many usernames without tripping a per-user lock.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update

from socialcem.accounts import audit
from socialcem.accounts.passwords import needs_rehash, rehash, verify_password
from socialcem.accounts.principal import Role
from socialcem.accounts.users import AccountError, normalize_username, utc
from socialcem.store.locations import brand_id as find_brand
from socialcem.store.schema import memberships, users


@dataclass(frozen=True, slots=True)
class LoggedIn:
    user_id: int
    username: str
    brand_id: int
    role: Role


@dataclass(frozen=True, slots=True)
class Refused:
    """Bad credentials: the same for an unknown user, a wrong password, a disabled user or
    one who is not a member of the brand, so the answer reveals nothing."""


@dataclass(frozen=True, slots=True)
class LockedOut:
    retry_after: int
    """Seconds to wait before trying again."""


LoginResult = LoggedIn | Refused | LockedOut


class AddressLimiter:
    """At most ``limit`` failed logins per client address in any ``window`` seconds."""

    def __init__(self, limit: int = 20, window: float = 300.0, max_addresses: int = 10_000):
        self.limit, self.window, self.max_addresses = limit, window, max_addresses
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, address: str | None, now: float) -> int:
        """0 when the address may try; else the seconds until its oldest failure ages out."""
        if address is None:
            return 0
        with self._lock:
            failures = self._failures.get(address)
            if failures is None:
                return 0
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            if len(failures) < self.limit:
                return 0
            return max(1, math.ceil(failures[0] + self.window - now))

    def failed(self, address: str | None, now: float) -> None:
        if address is None:
            return
        with self._lock:
            failures = self._failures.pop(address, None) or deque()
            failures.append(now)
            while len(failures) > self.limit:
                failures.popleft()
            self._failures[address] = failures  # most recent last
            while len(self._failures) > self.max_addresses:
                self._failures.popitem(last=False)


def login(
    conn: Connection,
    username: str,
    password: str,
    brand_name: str,
    now: datetime,
    max_attempts: int,
    lockout_seconds: int,
    ip: str | None,
    limiter: AddressLimiter | None = None,
) -> LoginResult:
    """Check a password for a member of ``brand_name``; counts, locks and audits (never the
    password). Call inside a transaction that commits whatever the result."""
    stamp = now.timestamp()
    if limiter is not None and (wait := limiter.retry_after(ip, stamp)):
        return LockedOut(wait)
    brand = find_brand(conn, brand_name, create=False) if brand_name.isprintable() else None
    try:
        name = normalize_username(username)
    except AccountError:
        name = None
    row = None
    if name is not None:
        row = conn.execute(
            select(users, memberships.c.role)
            .outerjoin(
                memberships,
                (memberships.c.user_id == users.c.id) & (memberships.c.brand_id == brand),
            )
            .where(users.c.username == name)
        ).first()
    target = name or ascii(username[:100])  # an invalid name is logged escaped

    def refuse(reason: str) -> None:
        audit.record(conn, brand, "anonymous", "login.failed", target, {"reason": reason}, ip)
        if limiter is not None:
            limiter.failed(ip, stamp)

    if row is None:
        verify_password(None, password)  # spend the same time as for a real user
        refuse("unknown user")
        return Refused()
    if row.locked_until is not None and utc(row.locked_until) > now:
        refuse("locked")
        return LockedOut(max(1, math.ceil((utc(row.locked_until) - now).total_seconds())))
    if not verify_password(row.password_hash, password):
        failures = conn.execute(
            update(users)
            .where(users.c.id == row.id)
            .values(failed_logins=users.c.failed_logins + 1)
            .returning(users.c.failed_logins)
        ).scalar_one()
        refuse("wrong password")
        if failures >= max_attempts:
            until = now + timedelta(seconds=lockout_seconds)
            conn.execute(
                update(users)
                .where(users.c.id == row.id)
                .values(failed_logins=0, locked_until=until)
            )
            audit.record(conn, brand, "system", "user.lockout", target, None, ip)
            return LockedOut(lockout_seconds)
        return Refused()
    if row.disabled or brand is None or row.role is None:
        refuse("disabled" if row.disabled else "not a member")
        return Refused()
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    if needs_rehash(row.password_hash):
        values["password_hash"] = rehash(password)
    conn.execute(update(users).where(users.c.id == row.id).values(**values))
    audit.record(conn, brand, row.username, "login", row.username, None, ip)
    return LoggedIn(row.id, row.username, brand, Role(row.role))
