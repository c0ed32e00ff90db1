"""Reputational risk and sales opportunity: ranked lists a team works through each morning.

Risk is (a) negative items that many people saw, ranked by reach x P(negative), and (b)
negative themes growing fast: this window's negative mentions of a topic against the
average of the four windows before, ranked by a Poisson z-score so that 2 -> 6 mentions
does not outrank 200 -> 300. Leads are items with purchase intent, ranked by reach, tone
and recency (a lead cools: half its weight after a week).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine

from socialcem.analysis.base import model_version
from socialcem.insights.segment import date_of, day_of
from socialcem.store.locations import brand_id
from socialcem.store.risk_queries import (
    ItemView,
    negative_by_topic_and_day,
    negative_reach,
    with_intent,
)
from socialcem.store.topic_queries import latest_day

BASELINE_WINDOWS = 4
LEAD_HALF_LIFE_DAYS = 7.0
MIN_THEME_MENTIONS = 5


@dataclass(frozen=True, slots=True)
class ListedItem:
    feedback_id: int
    date: str
    source: str
    author: str | None
    location: str | None
    reach: int | None
    score: float
    text: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ThemeGrowth:
    topic: str
    negative: int
    baseline: float
    """Mean negative mentions per window over the previous four windows."""
    growth: float | None
    z: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _listed(row: ItemView, score: float) -> ListedItem:
    fid, day, source, author, location, reach, _, _, text, _ = row
    flat = " ".join(text.split())
    return ListedItem(
        fid, date_of(day).isoformat(), source, author, location, reach, round(score, 3), flat[:280]
    )


def _window(
    engine: Engine, brand: str, model: str | None, as_of: date | None
) -> tuple[str, int, int | None]:
    """(model version, brand id, last day of the window: ``as_of`` or the newest data)."""
    name = model_version(model)
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise LookupError(f"no brand named {brand!r} in this store")
        return name, key, day_of(as_of) if as_of else latest_day(conn, key, name)


def risk_items(
    engine: Engine, brand: str, as_of: date | None = None, days: int = 7, limit: int = 20,
    model: str | None = None,
) -> list[ListedItem]:  # fmt: skip
    name, key, last = _window(engine, brand, model, as_of)
    if last is None:
        return []
    with engine.connect() as conn:
        rows = negative_reach(conn, key, name, last - days + 1, last, limit)
    return [_listed(r, (r[5] or 0) * r[6]) for r in rows]


def growing_themes(
    engine: Engine, brand: str, as_of: date | None = None, days: int = 7,
    model: str | None = None,
) -> list[ThemeGrowth]:  # fmt: skip
    name, key, last = _window(engine, brand, model, as_of)
    if last is None:
        return []
    first = last - days * (BASELINE_WINDOWS + 1) + 1
    with engine.connect() as conn:
        rows = negative_by_topic_and_day(conn, key, name, first, last)
    now: dict[str, int] = {}
    before: dict[str, int] = {}
    for topic, day, n in rows:
        bucket = now if day > last - days else before
        bucket[topic] = bucket.get(topic, 0) + n
    out = []
    for topic in now.keys() | before.keys():
        current, baseline = now.get(topic, 0), before.get(topic, 0) / BASELINE_WINDOWS
        if current < MIN_THEME_MENTIONS:
            continue
        z = (current - baseline) / math.sqrt(baseline + 1)
        growth = round(current / baseline, 2) if baseline else None
        out.append(ThemeGrowth(topic, current, round(baseline, 2), growth, round(z, 2)))
    return sorted(out, key=lambda t: -t.z)


def sales_leads(
    engine: Engine, brand: str, as_of: date | None = None, days: int = 30, limit: int = 50,
    model: str | None = None,
) -> list[ListedItem]:  # fmt: skip
    """Purchase intent, ranked by (1 + log10(1 + reach)) x (0.5 + P(positive)/2) x decay."""
    name, key, last = _window(engine, brand, model, as_of)
    if last is None:
        return []
    with engine.connect() as conn:
        rows = list(with_intent(conn, key, name, last - days + 1, last, "purchase_intent"))
    scored = []
    for row in rows:
        reach, p_positive, age = row[5] or 0, row[7], last - row[1]
        decay = 0.5 ** (age / LEAD_HALF_LIFE_DAYS)
        scored.append(_listed(row, (1 + math.log10(1 + reach)) * (0.5 + p_positive / 2) * decay))
    return sorted(scored, key=lambda item: (-item.score, -item.feedback_id))[:limit]
