"""Anomaly alerts: daily series per topic and location from the rollup, tested week by week.

Every location is tested with its descendants (a region is its locations), and the brand as
a whole too. The detection itself, and its false-alarm control, is socialcem.insights.anomaly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from socialcem.insights.anomaly import Finding, negativity_anomalies, volume_anomalies
from socialcem.insights.segment import Segment, date_of
from socialcem.store.alert_store import Raised

HISTORY_WEEKS = 8
SeriesKey = tuple[str, int]
"""(topic, location id); topic '' is every item, location 0 the whole brand."""


def build_series(
    rows: Sequence[tuple[str, int, int, int, int]],
    ancestors: Mapping[int, Sequence[int]],
    first_day: int,
    last_day: int,
) -> tuple[list[SeriesKey], np.ndarray, np.ndarray]:
    """(keys, mentions, negative) with one row per series and one column per day."""
    index: dict[SeriesKey, int] = {}
    cells: list[tuple[int, int, int, int]] = []
    for topic, loc, day, n, neg in rows:
        if not first_day <= day <= last_day:
            continue
        for place in (*ancestors.get(loc, ()), 0):
            row = index.setdefault((topic, place), len(index))
            cells.append((row, day - first_day, n, neg))
    days = last_day - first_day + 1
    mentions = np.zeros((len(index), days), dtype=np.int64)
    negative = np.zeros((len(index), days), dtype=np.int64)
    if cells:
        r, c, counted, negatives = (np.array(x, dtype=np.int64) for x in zip(*cells, strict=True))
        np.add.at(mentions, (r, c), counted)
        np.add.at(negative, (r, c), negatives)
    return list(index), mentions, negative


def anomaly_findings(
    keys: Sequence[SeriesKey],
    mentions: np.ndarray,
    negative: np.ndarray,
    first_day: int,
    weeks: int,
) -> list[tuple[SeriesKey, Finding]]:
    found = volume_anomalies(mentions, first_day, weeks=weeks)
    found += negativity_anomalies(negative, mentions, first_day, weeks=weeks)
    return [(keys[f.series], f) for f in found]


def dedupe_key(key: SeriesKey, finding: Finding, model: str) -> str:
    topic, place = key
    return f"anomaly:{model}:{finding.metric}:{topic or '*'}:{place}:{finding.week_start}"


def raised_from(
    key: SeriesKey, finding: Finding, names: Mapping[int, str], items: Sequence[int], model: str
) -> Raised:
    topic, place = key
    where = names.get(place, "the whole brand") if place else "the whole brand"
    what = topic.replace("_", " ") if topic else "all feedback"
    week = date_of(finding.week_start).isoformat()
    if finding.metric == "volume":
        ratio = finding.observed / finding.expected if finding.expected else float("inf")
        title = (
            f"Volume spike: {what} at {where}, week of {week}: {finding.observed:.0f} items, "
            f"{finding.expected:.0f} expected (x{ratio:.1f})"
        )
    else:
        title = (
            f"Negativity rise: {what} at {where}, week of {week}: "
            f"{100 * finding.observed:.0f}% negative, {100 * finding.expected:.0f}% expected"
        )
    detail = {
        "metric": finding.metric,
        "observed": finding.observed,
        "expected": finding.expected,
        "p_value": finding.p_value,
        "days": finding.days,
        "week_start": week,
    }
    return Raised(
        kind=f"anomaly:{finding.metric}",
        dedupe_key=dedupe_key(key, finding, model),
        severity=finding.severity,
        title=title,
        detail=detail,
        first_day=finding.week_start,
        last_day=finding.week_start + finding.days - 1,
        location_id=place or None,
        topic=topic or None,
        feedback_ids=tuple(items),
    )


def history_segment(first_tested: int, last_day: int) -> Segment:
    """The days a test needs: the tested weeks and the weeks of baseline before them."""
    return Segment(since=date_of(first_tested - 7 * HISTORY_WEEKS), until=date_of(last_day))
