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
from socialcem.analysis.prevalence import Confusion, adjusted_nps
from socialcem.calibrate import correction_kind, social_confusion
from socialcem.nps import Score, csat, nps
from socialcem.store.locations import brand_id
from socialcem.store.queries import (
    By,
    Counts,
    Key,
    Period,
    rated_counts,
    social_counts,
    unscored_languages,
)
from socialcem.store.schema import location_paths, locations

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class ReportRow:
    segment: str
    period: str
    items: int
    nps: Score
    social_nps: Score
    """Corrected for the model's known confusion when one is available."""
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


@dataclass(frozen=True, slots=True)
class _Hierarchy:
    names: dict[int, str]
    ancestors: dict[int, list[int]]
    """Each location's ancestors and itself (closure table rows)."""
    paths: dict[int, tuple[str, ...]]
    """Root-to-location names, for ordering a region before its locations."""


def _hierarchy(engine: Engine, brand: int) -> _Hierarchy:
    with engine.connect() as conn:
        rows = conn.execute(
            select(locations.c.id, locations.c.name, locations.c.parent_id).where(
                locations.c.brand_id == brand
            )
        ).all()
        closure = conn.execute(
            select(location_paths.c.location_id, location_paths.c.ancestor_id)
            .join(locations, locations.c.id == location_paths.c.location_id)
            .where(locations.c.brand_id == brand)
        ).all()
    names = {id_: name for id_, name, _ in rows}
    parent = {id_: p for id_, _, p in rows}
    ancestors: dict[int, list[int]] = {}
    for loc, anc in closure:
        ancestors.setdefault(loc, []).append(anc)

    def path(id_: int) -> tuple[str, ...]:
        chain: list[str] = []
        current: int | None = id_
        while current is not None:
            chain.append(names[current])
            current = parent[current]
        return tuple(reversed(chain))

    return _Hierarchy(names, ancestors, {id_: path(id_) for id_ in names})


def _roll_up(
    hierarchy: _Hierarchy,
    rated: dict[Key, Counts],
    social: dict[Key, tuple[int, int, int]],
) -> tuple[dict[Key, Counts], dict[Key, tuple[int, int, int]]]:
    """Location-level counts added into every ancestor: a region sums its locations."""
    rated_up: dict[Key, Counts] = {}
    social_up: dict[Key, list[int]] = {}
    for (loc, bucket), counts in rated.items():
        for anc in hierarchy.ancestors.get(loc, [loc]):
            rated_up.setdefault((anc, bucket), Counts()).add(counts)
    for (loc, bucket), votes in social.items():
        for anc in hierarchy.ancestors.get(loc, [loc]):
            total = social_up.setdefault((anc, bucket), [0, 0, 0])
            for i, n in enumerate(votes):
                total[i] += n
    return rated_up, {k: (v[0], v[1], v[2]) for k, v in social_up.items()}


def build_report(
    engine: Engine,
    brand: str = "default",
    by: By = None,
    period: Period = None,
    model: str | None = None,
    per_item: bool = False,
) -> list[ReportRow]:
    """Rows ordered by period, then by hierarchy (a region before its locations) or name.

    Social NPS counts one vote per author per location (or segment) and period; a region's
    votes are the sum of its locations' votes.
    """
    model_name = model_version(model)
    with engine.connect() as conn:
        brand_key = brand_id(conn, brand, create=False)
        if brand_key is None:
            return []
        rated = rated_counts(conn, brand_key, by, period)
        social = social_counts(conn, brand_key, model_name, by, period, per_item=per_item)
        confusion = social_confusion(conn, brand_key, model)
    hierarchy = _hierarchy(engine, brand_key) if by == "location" else None
    if hierarchy is not None:
        rated, social = _roll_up(hierarchy, rated, social)
    keyed: list[tuple[tuple[Any, ...], ReportRow]] = []
    for key in rated.keys() | social.keys():
        segment, bucket = key
        c = rated.get(key, Counts())
        s = social.get(key, (0, 0, 0))
        path: tuple[str, ...] = (str(segment),)
        if hierarchy is not None:
            path = hierarchy.paths.get(segment, ("(no location)",))
        row = ReportRow(
            segment=path[-1],
            period=period_label(period, bucket),
            items=c.items,
            nps=nps(c.promoters, c.passives, c.detractors),
            social_nps=_social_score(s, confusion),
            enps=nps(c.employee_promoters, c.employee_passives, c.employee_detractors),
            csat=csat(c.csat_satisfied, c.csat_total),
            depth=len(path) - 1,
        )
        keyed.append(((bucket or 0, *path), row))
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def _social_score(votes: tuple[int, int, int], confusion: Confusion | None) -> Score:
    return adjusted_nps(*votes, confusion) if confusion is not None else nps(*votes)


@dataclass(frozen=True, slots=True)
class SocialNotes:
    """What a reader of Social NPS must know: which correction it uses, and what it leaves out."""

    correction: str
    """``brand calibration``, ``model default`` or ``none`` (classify-and-count)."""
    unscored_languages: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"correction": self.correction, "unscored_languages": self.unscored_languages}


def social_notes(engine: Engine, brand: str = "default", model: str | None = None) -> SocialNotes:
    name = model_version(model)
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            return SocialNotes("none", {})
        return SocialNotes(correction_kind(conn, key, model), unscored_languages(conn, key, name))
