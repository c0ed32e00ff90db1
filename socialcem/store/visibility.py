"""What a caller may see, as SQL conditions: every read of feedback, rollups or locations
goes through here, so no endpoint can forget the brand or the caller's locations.

A principal sees one brand; a pinned one (location manager, agent) only the locations in
``Principal.locations``. Items without a location, and rollup rows keyed by location 0,
are seen only by members who see the whole brand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from socialcem.accounts.principal import Principal
from socialcem.store.alert_store import list_alerts
from socialcem.store.schema import location_paths, locations


class LocationNotFound(LookupError):
    """A location the brand lacks or the caller may not see: the two read the same, so a
    caller cannot probe the names of locations outside their own."""


def visible_conditions(
    principal: Principal, table: Any, brand_indexed: bool = True
) -> list[ColumnElement[bool]]:
    """Conditions on any table with ``brand_id`` and ``location_id`` columns (feedback,
    daily_counts, social_votes, topic_counts, alerts). ``brand_indexed=False`` writes the
    brand test so that SQLite cannot answer it from an index (see feedback_queries)."""
    brand = table.c.brand_id if brand_indexed else table.c.brand_id + 0
    out: list[ColumnElement[bool]] = [brand == principal.brand_id]
    if principal.locations is not None:
        out.append(table.c.location_id.in_(sorted(principal.locations)))
    return out


def visible_location(conn: Connection, principal: Principal, name: str) -> int:
    """Id of the location called ``name``; LocationNotFound when unknown or not visible."""
    found = conn.execute(
        select(locations.c.id).where(
            locations.c.brand_id == principal.brand_id, locations.c.name == name
        )
    ).scalar()
    if found is None or not principal.sees_location(int(found)):
        raise LocationNotFound(f"location: no location named {name!r} visible to this caller")
    return int(found)


def visible_subtree(conn: Connection, principal: Principal, name: str) -> list[int]:
    """The location called ``name`` and every visible location below it."""
    top = visible_location(conn, principal, name)
    rows = conn.execute(
        select(location_paths.c.location_id).where(location_paths.c.ancestor_id == top)
    )
    return sorted(int(r[0]) for r in rows if principal.sees_location(int(r[0])))


@dataclass(frozen=True, slots=True)
class VisibleLocation:
    id: int
    name: str
    kind: str
    parent: str | None
    """The parent's name, or None at the top of what the caller sees (a pinned caller is not
    told the name of the region above them)."""
    path: tuple[str, ...]
    """Names from the top of what the caller sees down to this location."""


def visible_locations(conn: Connection, principal: Principal) -> list[VisibleLocation]:
    """The brand's locations the caller sees, a parent before its children."""
    rows = conn.execute(
        select(locations.c.id, locations.c.name, locations.c.kind, locations.c.parent_id).where(
            locations.c.brand_id == principal.brand_id
        )
    ).all()
    names = {int(i): str(n) for i, n, _, _ in rows}
    parents = {int(i): None if p is None else int(p) for i, _, _, p in rows}

    def path(place: int) -> tuple[str, ...]:
        chain: list[str] = []
        current: int | None = place
        while current is not None and principal.sees_location(current) and len(chain) < 64:
            chain.append(names[current])
            current = parents.get(current)
        return tuple(reversed(chain))

    out = []
    for id_, name, kind, _ in rows:
        if not principal.sees_location(int(id_)):
            continue
        parent = parents[int(id_)]
        shown = names[parent] if parent is not None and principal.sees_location(parent) else None
        out.append(VisibleLocation(int(id_), str(name), str(kind), shown, path(int(id_))))
    return sorted(out, key=lambda loc: loc.path)


def visible_alerts(
    conn: Connection, principal: Principal, since_day: int | None, limit: int
) -> list[dict[str, Any]]:
    """Alerts newest first. A pinned caller sees those of their locations, neither the
    brand-wide ones (their counts and items span every location) nor the key of a wider
    alert one of theirs is grouped under."""
    found = list_alerts(conn, principal.brand_id, since_day, limit, principal.locations)
    shown = [alert.as_dict() for alert in found]
    if principal.locations is not None:
        for alert in shown:
            alert["detail"] = {k: v for k, v in alert["detail"].items() if k != "within"}
    return shown


def visible_top(conn: Connection, principal: Principal, name: str | None) -> str | None:
    """The location a read covers: the one asked for, else a pinned caller's own; None is
    the whole brand. LocationNotFound when the caller may not see it."""
    top = name or principal.location
    if top is None and principal.locations is not None:
        raise LocationNotFound("location: this caller is pinned to no location")
    if top is not None:
        visible_location(conn, principal, top)
    return top
