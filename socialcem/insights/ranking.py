"""Ranking segments without ranking noise: raw and shrunk scores side by side.

Each location is shrunk toward its parent (a region toward the brand), each channel or
touchpoint toward the brand, by empirical Bayes (socialcem.insights.shrinkage): a location
with 8 responses keeps little of its own extreme score, one with 800 keeps almost all.
Social NPS is shrunk on its counted votes, before the confusion correction: the ranking
compares segments read by the same model, so the correction would move them all alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine

from socialcem.analysis.base import model_version
from socialcem.insights.shrinkage import Shrunk, rank_shrunk, shrink_nps
from socialcem.report import _hierarchy
from socialcem.store.locations import brand_id
from socialcem.store.queries import Counts, rated_counts, social_counts

RankMetric = Literal["nps", "enps", "social_nps"]
RankBy = Literal["location", "channel", "touchpoint"]
Mix = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Ranked:
    segment: str
    parent: str
    rank: int
    """1 = best shrunk score among the segment's siblings."""
    result: Shrunk

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "parent": self.parent,
            "rank": self.rank,
            **self.result.as_dict(),
        }


def _mix(c: Counts, metric: RankMetric) -> Mix:
    if metric == "enps":
        return (c.employee_promoters, c.employee_passives, c.employee_detractors)
    return (c.promoters, c.passives, c.detractors)


def rank_segments(
    engine: Engine,
    brand: str,
    by: RankBy = "location",
    metric: RankMetric = "nps",
    model: str | None = None,
) -> list[Ranked]:
    """Siblings ranked within each parent, parents in hierarchy order."""
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise LookupError(f"no brand named {brand!r} in this store")
        if metric == "social_nps":
            votes = social_counts(conn, key, model_version(model), by, None)
            mixes: dict[Any, Mix] = {seg: tuple(map(float, v)) for (seg, _), v in votes.items()}  # type: ignore[misc]
        else:
            counted = rated_counts(conn, key, by, None)
            mixes = {seg: _mix(c, metric) for (seg, _), c in counted.items()}
    if by != "location":
        total = tuple(float(sum(m[i] for m in mixes.values())) for i in range(3))
        return _ranked({str(s): m for s, m in mixes.items()}, total, "brand")  # type: ignore[arg-type]
    tree = _hierarchy(engine, key)
    summed: dict[int, list[float]] = {}
    for loc, mix in mixes.items():
        for anc in tree.ancestors.get(loc, [loc]):
            row = summed.setdefault(anc, [0.0, 0.0, 0.0])
            for i in range(3):
                row[i] += mix[i]
    families: dict[tuple[str, ...], dict[str, Mix]] = {}
    for loc, path in sorted(tree.paths.items(), key=lambda item: item[1]):
        row = summed.get(loc, [0.0, 0.0, 0.0])
        families.setdefault(path[:-1], {})[path[-1]] = (row[0], row[1], row[2])
    out: list[Ranked] = []
    for parent_path, children in families.items():
        parent = _parent_mix(parent_path, families, children)
        out += _ranked(children, parent, parent_path[-1] if parent_path else "brand")
    return out


def _parent_mix(
    path: tuple[str, ...], families: dict[tuple[str, ...], dict[str, Mix]], children: dict[str, Mix]
) -> Mix:
    if path:
        return families[path[:-1]][path[-1]]
    return (
        sum(m[0] for m in children.values()),
        sum(m[1] for m in children.values()),
        sum(m[2] for m in children.values()),
    )


def _ranked(children: dict[str, Mix], parent: Mix, parent_name: str) -> list[Ranked]:
    shrunk = shrink_nps(children, parent if sum(parent) else None)
    order = rank_shrunk(shrunk)
    ranks = {name: i + 1 for i, name in enumerate(order)}
    return [
        Ranked(name, parent_name, ranks.get(name, 0), shrunk[name])
        for name in sorted(children, key=lambda n: (ranks.get(n, len(ranks) + 1), n))
    ]
