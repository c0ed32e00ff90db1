"""Key drivers of a brand's segment read from the store: one query on the topic rollup."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from socialcem.analysis.base import model_version
from socialcem.insights.drivers import Driver, drivers_from_totals, overall
from socialcem.insights.segment import Segment
from socialcem.nps import EMPTY, Score
from socialcem.store.locations import brand_id
from socialcem.store.schema import locations
from socialcem.store.topic_queries import topic_totals


class UnknownBrand(LookupError):
    """The brand has no data in this store."""


@dataclass(frozen=True, slots=True)
class DriverReport:
    brand: str
    segment: Segment
    model: str
    items: int
    nps: Score
    """NPS of the segment's items with a category (rated, else inferred): the impacts' base."""
    drivers: list[Driver] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "brand": self.brand,
            "segment": self.segment.as_dict(),
            "model": self.model,
            "items": self.items,
            "nps": self.nps.as_dict(),
            "drivers": [d.as_dict() for d in self.drivers],
        }


def key_drivers(
    engine: Engine, brand: str, segment: Segment | None = None, model: str | None = None
) -> DriverReport:
    """Topics ranked by NPS impact; raises UnknownBrand or UnknownLocation for bad names."""
    segment = segment or Segment()
    name = model_version(model)
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise UnknownBrand(f"no brand named {brand!r} in this store")
        totals = topic_totals(conn, key, name, segment)
    items = totals.get("", (0,))[0]
    if not items:
        return DriverReport(brand, segment, name, 0, EMPTY)
    return DriverReport(brand, segment, name, items, overall(totals), drivers_from_totals(totals))


def drivers_by_location(
    engine: Engine, brand: str, segment: Segment | None = None, model: str | None = None
) -> list[DriverReport]:
    """One report per location of the brand (regions included), in name order."""
    segment = segment or Segment()
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise UnknownBrand(f"no brand named {brand!r} in this store")
        names = conn.execute(
            select(locations.c.name).where(locations.c.brand_id == key).order_by(locations.c.name)
        ).scalars()
        wanted = list(names)
    return [key_drivers(engine, brand, _at(segment, location), model) for location in wanted]


def _at(segment: Segment, location: str) -> Segment:
    from dataclasses import replace

    return replace(segment, location=location)
