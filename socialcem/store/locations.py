"""Brands and their location hierarchy, with the closure table kept in step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from socialcem.models import LOCATION_KINDS, Location
from socialcem.store.schema import brands, location_paths, locations


def brand_id(conn: Connection, name: str, create: bool = True) -> int | None:
    found = conn.execute(select(brands.c.id).where(brands.c.name == name)).scalar()
    if found is not None or not create:
        return found
    return int(
        conn.execute(
            brands.insert().values(name=name, created_at=datetime.now(UTC)).returning(brands.c.id)
        ).scalar_one()
    )


def location_ids(conn: Connection, brand: int) -> dict[str, int]:
    rows = conn.execute(
        select(locations.c.name, locations.c.id).where(locations.c.brand_id == brand)
    )
    return {name: id_ for name, id_ in rows}


def add_location(conn: Connection, brand: int, loc: Location, known: dict[str, int]) -> int:
    """Insert ``loc`` (its parent must be known or is created as a region) and its paths."""
    if loc.name in known:
        return known[loc.name]
    if loc.kind not in LOCATION_KINDS:
        raise ValueError(
            f"location {loc.name!r}: unknown kind {loc.kind!r}; kinds: {LOCATION_KINDS}"
        )
    parent_id = None
    if loc.parent:
        parent_id = add_location(conn, brand, Location(loc.parent, None, "region"), known)
    new_id = int(
        conn.execute(
            locations.insert()
            .values(brand_id=brand, name=loc.name, parent_id=parent_id, kind=loc.kind)
            .returning(locations.c.id)
        ).scalar_one()
    )
    paths = [{"ancestor_id": new_id, "location_id": new_id, "depth": 0}]
    if parent_id is not None:
        above = conn.execute(
            select(location_paths.c.ancestor_id, location_paths.c.depth).where(
                location_paths.c.location_id == parent_id
            )
        )
        paths += [{"ancestor_id": a, "location_id": new_id, "depth": d + 1} for a, d in above]
    conn.execute(location_paths.insert(), paths)
    known[loc.name] = new_id
    return new_id


def add_locations(conn: Connection, brand: int, locs: Iterable[Location]) -> dict[str, int]:
    known = location_ids(conn, brand)
    for loc in locs:
        add_location(conn, brand, loc, known)
    return known


@dataclass(frozen=True, slots=True)
class LocationTree:
    ancestors: dict[int, list[int]]
    """Each location's ancestors and itself (the closure table's rows)."""
    names: dict[int, str]

    def descendants(self, place: int) -> list[int]:
        """``place`` and every location below it."""
        return [loc for loc, above in self.ancestors.items() if place in above]


def location_tree(conn: Connection, brand: int) -> LocationTree:
    rows = conn.execute(
        select(location_paths.c.location_id, location_paths.c.ancestor_id, locations.c.name)
        .join(locations, locations.c.id == location_paths.c.ancestor_id)
        .where(locations.c.brand_id == brand)
    )
    ancestors: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for loc, anc, anc_name in rows:
        ancestors.setdefault(int(loc), []).append(int(anc))
        names[int(anc)] = str(anc_name)
    return LocationTree(ancestors, names)
