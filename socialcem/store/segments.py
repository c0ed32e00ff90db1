"""A Segment as SQL conditions on any table that carries the segment's columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from socialcem.insights.segment import Segment
from socialcem.store.schema import location_paths, locations


class UnknownLocation(LookupError):
    """The segment names a location the brand does not have."""


def subtree(conn: Connection, brand: int, name: str) -> list[int]:
    """Ids of the location called ``name`` and of every location below it."""
    top = conn.execute(
        select(locations.c.id).where(locations.c.brand_id == brand, locations.c.name == name)
    ).scalar()
    if top is None:
        raise UnknownLocation(f"no location named {name!r} in this brand")
    rows = conn.execute(
        select(location_paths.c.location_id).where(location_paths.c.ancestor_id == top)
    )
    return [int(r[0]) for r in rows]


def segment_conditions(
    conn: Connection, table: Any, brand: int, segment: Segment, source_column: str = "source"
) -> list[Any]:
    """Conditions for ``table`` (feedback or a rollup); fields the table lacks raise KeyError."""
    c = table.c
    out: list[Any] = [c.brand_id == brand]
    if segment.location is not None:
        out.append(c.location_id.in_(subtree(conn, brand, segment.location)))
    if segment.channel is not None:
        out.append(c[source_column] == segment.channel)
    if segment.touchpoint is not None:
        out.append(c.touchpoint == segment.touchpoint)
    if segment.constituency is not None:
        out.append(c.constituency == segment.constituency)
    if segment.language is not None:
        out.append(c.language == segment.language)
    if segment.first_day is not None:
        out.append(c.day >= segment.first_day)
    if segment.last_day is not None:
        out.append(c.day <= segment.last_day)
    return out
