"""Roles, scopes and the principal every query is filtered by.

A role fixes the most a member may do; a token's scopes can only narrow it. Location
managers and agents are pinned to a location and see it and the locations below it; items
without a location are seen only by members who see the whole brand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    LOCATION_MANAGER = "location_manager"
    AGENT = "agent"
    VIEWER = "viewer"


class Scope(StrEnum):
    FEEDBACK_READ = "feedback:read"
    FEEDBACK_WRITE = "feedback:write"
    METRICS_READ = "metrics:read"
    ALERTS_READ = "alerts:read"
    EXPORT = "export"
    ADMIN = "admin"  # users, tokens, sources, erasure, retention, the audit log


ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: frozenset(Scope),
    Role.ANALYST: frozenset(Scope) - {Scope.ADMIN},
    Role.LOCATION_MANAGER: frozenset(
        {Scope.FEEDBACK_READ, Scope.METRICS_READ, Scope.ALERTS_READ, Scope.EXPORT}
    ),
    Role.AGENT: frozenset({Scope.FEEDBACK_READ}),
    Role.VIEWER: frozenset({Scope.FEEDBACK_READ, Scope.METRICS_READ, Scope.ALERTS_READ}),
}
PINNED_ROLES = frozenset({Role.LOCATION_MANAGER, Role.AGENT})
"""Roles that must name a location and see only it and what lies below it."""


class InvalidScope(ValueError):
    pass


def parse_scopes(names: Iterable[str], role: Role) -> frozenset[Scope]:
    """Scopes named by a user, checked against what the role allows; raises InvalidScope."""
    scopes: set[Scope] = set()
    for name in names:
        try:
            scope = Scope(name)
        except ValueError:
            allowed = ", ".join(s.value for s in Scope)
            raise InvalidScope(f"unknown scope {name!r} (one of {allowed})") from None
        if scope not in ROLE_SCOPES[role]:
            raise InvalidScope(f"scope {name!r} is beyond the role {role.value!r}")
        scopes.add(scope)
    return frozenset(scopes)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a member of one brand, through one token (or the CLI)."""

    user_id: int | None
    username: str
    brand_id: int
    brand: str
    role: Role
    scopes: frozenset[Scope]
    locations: frozenset[int] | None = None
    """Location ids this principal may see (a subtree); None is the whole brand."""
    location: str | None = None
    """The location a pinned role is pinned to, by name."""
    token_id: int | None = None

    @classmethod
    def whole_brand(cls, brand_id: int, brand: str, username: str = "cli") -> Principal:
        """Everything in one brand: the command line, which has the store itself."""
        return cls(None, username, brand_id, brand, Role.ADMIN, frozenset(Scope))

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes

    def sees_location(self, location_id: int | None) -> bool:
        if self.locations is None:
            return True
        return location_id is not None and location_id in self.locations

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        suffix = f" (token {self.token_id})" if self.token_id is not None else ""
        return f"{self.username}{suffix}"
