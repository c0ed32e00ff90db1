"""Evaluating alerts: the brand's rules and anomaly detection over a window of weeks.

Evaluation is idempotent: an alert is keyed by what it is about (rule and item, or series
and week), so re-running over the same window raises nothing new. New alerts are queued
for notification in the same transaction; delivery happens apart (notify.outbox).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine

from socialcem.analysis.base import model_version
from socialcem.insights.alert_messages import queue_alerts
from socialcem.insights.anomaly import Finding
from socialcem.insights.anomaly_alerts import (
    anomaly_findings,
    build_series,
    dedupe_key,
    history_segment,
    raised_from,
)
from socialcem.insights.rule_alerts import rule_alerts
from socialcem.insights.segment import date_of, day_of
from socialcem.store.alert_queries import topic_items
from socialcem.store.alert_rules import list_rules
from socialcem.store.alert_store import Raised, save_alerts, stored_keys
from socialcem.store.locations import brand_id, location_tree
from socialcem.store.topic_queries import day_span, topic_daily


@dataclass(frozen=True, slots=True)
class Evaluation:
    first_day: date | None
    last_day: date | None
    raised: int
    """Alerts found in the window, new or already stored."""
    new_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "first_day": self.first_day and self.first_day.isoformat(),
            "last_day": self.last_day and self.last_day.isoformat(),
            "raised": self.raised,
            "new": len(self.new_ids),
            "new_ids": self.new_ids,
        }


def evaluate_alerts(
    engine: Engine,
    brand: str,
    as_of: date | None = None,
    weeks: int = 1,
    model: str | None = None,
) -> Evaluation:
    """Test the ``weeks`` weeks up to ``as_of`` (default: the newest day with data)."""
    if weeks < 1:
        raise ValueError(f"weeks: must be at least 1, got {weeks}")
    name = model_version(model)
    with engine.begin() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise LookupError(f"no brand named {brand!r} in this store")
        span = day_span(conn, key, name)
        last = day_of(as_of) if as_of else span and span[1]
        if last is None:
            return Evaluation(None, None, 0)
        first = last - (last + 3) % 7 - 7 * (weeks - 1)  # the Monday of the first tested week
        raised = rule_alerts(conn, key, name, list_rules(conn, key), first, last)
        raised += _anomalies(conn, key, name, first, last, weeks, span and span[0])
        new_ids = save_alerts(conn, key, raised)
        _notify(conn, key, new_ids)
    return Evaluation(date_of(first), date_of(last), len(raised), new_ids)


def _anomalies(
    conn: Connection,
    brand: int,
    model: str,
    first: int,
    last: int,
    weeks: int,
    data_start: int | None,
) -> list[Raised]:
    history = history_segment(first, last)
    rows = topic_daily(conn, brand, model, history)
    assert history.first_day is not None
    # Before the brand's first item there is no history, not a run of zeros: starting the
    # series there would make its first weeks look like spikes.
    start = max(history.first_day, data_start or last)
    if start > last:  # evaluated before the brand's first item: nothing to test
        return []
    tree = location_tree(conn, brand)
    ancestors = tree.ancestors
    keys, mentions, negative = build_series(rows, ancestors, start, last)
    stored = stored_keys(conn, brand, first)
    found = anomaly_findings(keys, mentions, negative, start, weeks)
    flagged = {(f.metric, topic, place, f.week_start) for (topic, place), f in found}
    out = []
    for series, finding in found:
        items: list[int] = []
        if dedupe_key(series, finding, model) not in stored:  # link items once, when first raised
            topic, place = series
            within = None if place == 0 else tree.descendants(place)
            week_end = finding.week_start + finding.days - 1
            negative_only = finding.metric == "negativity"
            items = topic_items(
                conn, brand, model, within, finding.week_start, week_end, topic, negative_only
            )
        raised = raised_from(series, finding, tree.names, items, model)
        parent = _flagged_ancestor(series, finding, ancestors, flagged)
        if parent is not None:  # one event, one notification: the widest level speaks for it
            parent_key = dedupe_key((series[0], parent), finding, model)
            raised = replace(raised, detail={**raised.detail, "within": parent_key})
        out.append(raised)
    return out


def _flagged_ancestor(
    series: tuple[str, int],
    finding: Finding,
    ancestors: dict[int, list[int]],
    flagged: set[tuple[str, str, int, int]],
) -> int | None:
    """The widest level above ``series`` flagged for the same topic, metric and week."""
    topic, place = series
    if place == 0:
        return None
    above = [0, *(a for a in ancestors.get(place, ()) if a != place)]
    return next(
        (a for a in above if (finding.metric, topic, a, finding.week_start) in flagged), None
    )


def _notify(conn: Connection, brand: int, new_ids: list[int]) -> None:
    """Queue the new alerts for every channel that wants their severity."""
    if new_ids:
        queue_alerts(conn, brand, new_ids)
