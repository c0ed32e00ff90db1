"""The NPS report: survey NPS, Social NPS, eNPS and CSAT per segment and period.

Counts come from the store; every score here is computed by socialcem.nps and carries
its 95% interval, so nothing reaches a user without its uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select

from socialcem.analysis.base import model_version
from socialcem.nps import Score, csat, nps
from socialcem.store.locations import brand_id
from socialcem.store.queries import By, Counts, Period, rated_counts, social_counts
from socialcem.store.schema import location_paths, locations

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class ReportRow:
    segment: str
    period: str
    items: int
    nps: Score
    social_nps: Score
    enps: Score
    csat: Score
    depth: int = 0
    """Position in the location hierarchy (0 = top), for indenting."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "period": self.period,
            "items": self.items,
            "nps": self.nps.as_dict(),
            "social_nps": self.social_nps.as_dict(),
            "enps": self.enps.as_dict(),
            "csat": self.csat.as_dict(),
        }


def period_label(period: Period, bucket: int | None) -> str:
    if period is None or bucket is None:
        return "all"
    if period == "month":
        return f"{bucket // 100:04d}-{bucket % 100:02d}"
    day = EPOCH + timedelta(days=bucket)
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def _depths(engine: Engine, brand: int) -> dict[str, int]:
    """Depth of each location below its root, for ordering and indenting."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(locations.c.name, location_paths.c.depth)
            .join(location_paths, location_paths.c.location_id == locations.c.id)
            .where(locations.c.brand_id == brand)
        )
        depths: dict[str, int] = {}
        for name, depth in rows:
            depths[name] = max(depths.get(name, 0), depth)
    return depths


def build_report(
    engine: Engine,
    brand: str = "default",
    by: By = None,
    period: Period = None,
    model: str | None = None,
    per_item: bool = False,
) -> list[ReportRow]:
    """Rows ordered by period, then by hierarchy (a region before its locations) and name."""
    model_name = model_version(model)
    with engine.connect() as conn:
        brand_key = brand_id(conn, brand, create=False)
        if brand_key is None:
            return []
        rated = rated_counts(conn, brand_key, by, period)
        social = social_counts(conn, brand_key, model_name, by, period, per_item=per_item)
    depths = _depths(engine, brand_key) if by == "location" else {}
    rows = []
    for key in sorted(rated.keys() | social.keys(), key=lambda k: (k[1] or 0, str(k[0]))):
        segment, bucket = key
        c = rated.get(key, Counts())
        s = social.get(key, (0, 0, 0))
        rows.append(
            ReportRow(
                segment=str(segment),
                period=period_label(period, bucket),
                items=c.items,
                nps=nps(c.promoters, c.passives, c.detractors),
                social_nps=nps(*s),
                enps=nps(c.employee_promoters, c.employee_passives, c.employee_detractors),
                csat=csat(c.csat_satisfied, c.csat_total),
                depth=depths.get(str(segment), 0),
            )
        )
    if by == "location":
        rows = _hierarchy_order(engine, brand_key, rows)
    return rows


def _hierarchy_order(engine: Engine, brand: int, rows: list[ReportRow]) -> list[ReportRow]:
    """Within each period: each root, then its descendants, depth first."""
    with engine.connect() as conn:
        parent_of = {
            name: parent
            for name, parent in conn.execute(
                select(locations.c.name, locations.c.parent_id).where(locations.c.brand_id == brand)
            )
        }
        names: dict[int, str] = {
            id_: name
            for id_, name in conn.execute(
                select(locations.c.id, locations.c.name).where(locations.c.brand_id == brand)
            )
        }

    def path(name: str) -> tuple[str, ...]:
        chain = [name]
        parent = parent_of.get(name)
        while parent is not None:
            chain.append(names[parent])
            parent = parent_of.get(names[parent])
        return tuple(reversed(chain))

    return sorted(rows, key=lambda r: (r.period, path(r.segment)))
