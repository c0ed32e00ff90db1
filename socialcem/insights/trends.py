"""Trends: a metric of one segment per day, week or month, with the change between periods.

Metrics: survey ``nps``, ``social_nps`` (corrected like the report), ``enps``, ``csat``;
and from the topic rollup ``mentions`` (how many items), ``negative_share`` (percent of
them negative) and ``topic_nps`` (NPS of the items mentioning the topic, rated category
when rated, else inferred). Every point carries its 95% interval.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sqlalchemy import Engine

from socialcem.analysis.base import model_version
from socialcem.analysis.prevalence import adjusted_nps
from socialcem.calibrate import social_confusion
from socialcem.insights.change import Change, change
from socialcem.insights.segment import Segment
from socialcem.nps import Z95, Score, csat, nps
from socialcem.report import period_label
from socialcem.store.locations import brand_id
from socialcem.store.queries import Period
from socialcem.store.trend_queries import rated_series, social_series, topic_series

Metric = Literal["nps", "social_nps", "enps", "csat", "mentions", "negative_share", "topic_nps"]
METRICS: tuple[Metric, ...] = (
    "nps", "social_nps", "enps", "csat", "mentions", "negative_share", "topic_nps",
)  # fmt: skip
TOPIC_METRICS = ("mentions", "negative_share", "topic_nps")


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: str
    bucket: int
    score: Score

    def as_dict(self) -> dict[str, Any]:
        return {"period": self.period, **self.score.as_dict()}


@dataclass(frozen=True, slots=True)
class Trend:
    metric: Metric
    period: Period
    segment: Segment
    topic: str | None
    points: list[TrendPoint] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "period": self.period,
            "segment": self.segment.as_dict(),
            "topic": self.topic,
            "points": [p.as_dict() for p in self.points],
            "changes": [c.as_dict() for c in self.changes],
        }


def trend(
    engine: Engine,
    brand: str,
    metric: Metric,
    period: Period = "week",
    segment: Segment | None = None,
    topic: str | None = None,
    model: str | None = None,
) -> Trend:
    """The series of ``metric``; ``topic`` narrows the topic metrics (default: all items)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose from {', '.join(METRICS)}")
    if topic is not None and metric not in TOPIC_METRICS:
        raise ValueError(f"--topic applies to {', '.join(TOPIC_METRICS)}, not {metric}")
    segment = segment or Segment()
    name = model_version(model)
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise LookupError(f"no brand named {brand!r} in this store")
        scores, tested = _scores(conn, key, name, metric, period, segment, topic, model)
    points = [TrendPoint(period_label(period, b), b, s) for b, s in sorted(scores.items())]
    changes = [
        change(a.period, tested[a.bucket], b.period, tested[b.bucket])
        for a, b in itertools.pairwise(points)
    ]
    if metric == "social_nps":  # its definition, whatever constituency was asked for
        segment = replace(segment, constituency="customer+partner")
    return Trend(metric, period, segment, topic, points, changes)


def _scores(
    conn: Any,
    brand: int,
    name: str,
    metric: Metric,
    period: Period,
    segment: Segment,
    topic: str | None,
    model: str | None,
) -> tuple[dict[int, Score], dict[int, Score]]:
    """(scores to show, scores to test changes on): they differ only for corrected Social NPS,
    whose interval includes the model's systematic error across sources. That error is the
    same in two periods of one brand, so it cancels in their difference and stays out of
    the test."""
    if metric == "social_nps":
        if segment.constituency == "employee":
            raise ValueError("Social NPS reads customers and partners; use --metric enps")
        confusion = social_confusion(conn, brand, model)
        mixes = social_series(conn, brand, name, segment, period)
        if confusion is None:
            plain = {b: nps(*m) for b, m in mixes.items()}
            return plain, plain
        shared = replace(confusion, systematic_sd=0.0)
        return (
            {b: adjusted_nps(*m, confusion) for b, m in mixes.items()},
            {b: adjusted_nps(*m, shared) for b, m in mixes.items()},
        )
    scores = _plain_scores(conn, brand, name, metric, period, segment, topic)
    return scores, scores


def _plain_scores(
    conn: Any,
    brand: int,
    name: str,
    metric: Metric,
    period: Period,
    segment: Segment,
    topic: str | None,
) -> dict[int, Score]:
    if metric in TOPIC_METRICS:
        rows = topic_series(conn, brand, name, segment, period, topic or "")
        if metric == "mentions":
            return {b: _count(r[0]) for b, r in rows.items()}
        if metric == "negative_share":
            return {b: _percent(r[4], r[0]) for b, r in rows.items()}
        return {b: nps(r[1], r[2], r[3]) for b, r in rows.items()}
    if metric == "enps":
        segment = replace(segment, constituency=None)  # the employee columns are the filter
    counts = rated_series(conn, brand, segment, period)
    if metric == "nps":
        return {b: nps(c.promoters, c.passives, c.detractors) for b, c in counts.items()}
    if metric == "csat":
        return {b: csat(c.csat_satisfied, c.csat_total) for b, c in counts.items()}
    return {
        b: nps(c.employee_promoters, c.employee_passives, c.employee_detractors)
        for b, c in counts.items()
    }


def _count(n: int) -> Score:
    """A count with its Poisson interval, so week-on-week volume changes can be tested."""
    half = Z95 * math.sqrt(n)
    return Score(float(n), round(max(0.0, n - half), 2), round(n + half, 2), n)


def _percent(part: int, whole: int) -> Score:
    """Share in percent with a Wilson interval (csat's arithmetic is the same)."""
    return csat(part, whole)
