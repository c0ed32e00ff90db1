"""Alerts from a brand's own rules over a window of days (see socialcem.insights.rules)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from socialcem.insights.rules import Rule, matcher
from socialcem.insights.segment import date_of
from socialcem.nps import nps
from socialcem.store.alert_queries import items_in_window, reach_detractors, weekly_location_mixes
from socialcem.store.alert_store import Raised
from socialcem.store.locations import location_tree


def rule_alerts(
    conn: Connection, brand: int, model: str, rules: Sequence[Rule], first: int, last: int
) -> list[Raised]:
    out: list[Raised] = []
    active = [r for r in rules if r.enabled]
    for rule in (r for r in active if r.kind == "reach"):
        out += _reach(conn, brand, model, rule, first, last)
    keyword_rules = [r for r in active if r.kind == "keyword"]
    if keyword_rules:
        out += _keywords(conn, brand, keyword_rules, first, last)
    for rule in (r for r in active if r.kind == "nps_below"):
        out += _nps_below(conn, brand, rule, first, last)
    return out


def _reach(
    conn: Connection, brand: int, model: str, rule: Rule, first: int, last: int
) -> list[Raised]:
    found = reach_detractors(conn, brand, model, first, last, rule.params["min_reach"])
    return [reach_alert(rule, fid, loc, day, reach, text) for fid, loc, day, reach, text in found]


def reach_alert(rule: Rule, fid: int, loc: int | None, day: int, reach: int, text: str) -> Raised:
    """One detractor item over the rule's reach; the arrival path raises the same alert."""
    return Raised(
        kind="rule:reach",
        dedupe_key=f"rule:{rule.id}:item:{fid}",
        severity=rule.severity,
        title=f"{rule.name}: detractor with reach {reach:,}: {_snippet(text)}",
        detail={"rule": rule.name, "reach": reach},
        first_day=day,
        last_day=day,
        location_id=loc or None,
        rule_id=rule.id,
        feedback_ids=(fid,),
    )


def _keywords(
    conn: Connection, brand: int, rules: Sequence[Rule], first: int, last: int
) -> list[Raised]:
    """One pass over the window's texts for all keyword rules; one alert per rule and day."""
    patterns = [(rule, matcher(rule.params)) for rule in rules]
    hits: dict[tuple[int, int], list[int]] = {}
    for fid, _, day, text in items_in_window(conn, brand, first, last):
        for i, (_, pattern) in enumerate(patterns):
            if pattern.search(text):
                hits.setdefault((i, day), []).append(fid)
    return [keyword_alert(patterns[i][0], day, ids) for (i, day), ids in sorted(hits.items())]


def keyword_alert(rule: Rule, day: int, ids: Sequence[int]) -> Raised:
    """The items of one day that match a keyword rule; the arrival path raises the same."""
    return Raised(
        kind="rule:keyword",
        dedupe_key=f"rule:{rule.id}:day:{day}",
        severity=rule.severity,
        title=f"{rule.name}: {len(ids)} item(s) on {date_of(day).isoformat()}",
        detail={"rule": rule.name, "matches": len(ids)},
        first_day=day,
        last_day=day,
        rule_id=rule.id,
        feedback_ids=tuple(ids),
    )


def _nps_below(conn: Connection, brand: int, rule: Rule, first: int, last: int) -> list[Raised]:
    """Weekly survey NPS of every location (with its descendants) and of the brand."""
    mixes = weekly_location_mixes(conn, brand, first, last)
    tree = location_tree(conn, brand)
    totals: dict[tuple[int, int], list[int]] = {}
    for (loc, week), mix in mixes.items():
        for place in (*tree.ancestors.get(loc, ()), 0):
            total = totals.setdefault((place, week), [0, 0, 0])
            for j in range(3):
                total[j] += mix[j]
    out = []
    for (place, week), (pro, pas, det) in sorted(totals.items()):
        score = nps(pro, pas, det)
        if score.value is None or score.n < rule.params["min_responses"]:
            continue
        if score.value >= rule.params["threshold"]:
            continue
        where = tree.names.get(place, "the whole brand")
        out.append(
            Raised(
                kind="rule:nps_below",
                dedupe_key=f"rule:{rule.id}:loc:{place}:week:{week}",
                severity=rule.severity,
                title=(
                    f"{rule.name}: NPS {score.value:+.0f} at {where}, week of "
                    f"{date_of(week).isoformat()} (threshold {rule.params['threshold']:+.0f}, "
                    f"n={score.n})"
                ),
                detail={"rule": rule.name, "nps": score.as_dict()},
                first_day=max(week, first),
                last_day=min(week + 6, last),
                location_id=place or None,
                rule_id=rule.id,
            )
        )
    return out


def _snippet(text: str, size: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"
