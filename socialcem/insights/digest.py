"""The daily digest: what a CX lead reads with the morning coffee, built from the views.

Last seven days against the seven before, the alerts raised over the last day, the top
drivers of the last four weeks, and the riskiest items and best leads of the week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any

from sqlalchemy import Engine

from socialcem.analysis.base import model_version
from socialcem.insights.driver_report import key_drivers
from socialcem.insights.drivers import overall
from socialcem.insights.notify.base import Message
from socialcem.insights.notify.outbox import enqueue
from socialcem.insights.risk import ListedItem, risk_items, sales_leads
from socialcem.insights.segment import Segment, date_of, day_of
from socialcem.nps import Score
from socialcem.store.alert_store import StoredAlert, list_alerts
from socialcem.store.locations import brand_id
from socialcem.store.topic_queries import latest_day, topic_totals


@dataclass(frozen=True, slots=True)
class Digest:
    brand: str
    day: date
    items_week: int
    items_before: int
    nps_week: Score
    nps_before: Score
    alerts: list[StoredAlert]
    drivers: list[tuple[str, Score]]
    risks: list[ListedItem]
    leads: list[ListedItem]

    def subject(self) -> str:
        return f"socialcem digest · {self.brand} · {self.day.isoformat()}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "brand": self.brand,
            "day": self.day.isoformat(),
            "items_week": self.items_week,
            "items_before": self.items_before,
            "nps_week": self.nps_week.as_dict(),
            "nps_before": self.nps_before.as_dict(),
            "alerts": [{"id": a.id, "severity": a.severity, "title": a.title} for a in self.alerts],
            "drivers": [{"topic": t, "impact": s.as_dict()} for t, s in self.drivers],
            "risks": [r.as_dict() for r in self.risks],
            "leads": [r.as_dict() for r in self.leads],
        }

    def text(self) -> str:
        lines = [self.subject(), ""]
        lines.append(
            f"Items, last 7 days: {self.items_week:,} (7 days before: {self.items_before:,})"
        )
        lines.append(
            f"NPS of rated and inferred items: {_fmt(self.nps_week)} "
            f"(before: {_fmt(self.nps_before)})"
        )
        lines += ["", f"Alerts over the last day: {len(self.alerts)}"]
        lines += [f"  [{a.severity}] {a.title}" for a in self.alerts[:10]]
        lines += ["", "Top drivers (NPS points lost to negative mentions, last 28 days):"]
        lines += [f"  {t}: {_fmt(s)}" for t, s in self.drivers]
        lines += ["", "Highest-reach negative items:"]
        lines += [f"  {r.reach or 0:,} reach · {r.source} · {r.text[:100]}" for r in self.risks]
        lines += ["", "Sales leads:"]
        lines += [f"  {r.source} · {r.author or 'anonymous'} · {r.text[:100]}" for r in self.leads]
        return "\n".join(lines)

    def html(self) -> str:
        """Every value from the store is escaped: titles and texts are customer words."""
        paragraphs = self.text().split("\n")
        return (
            "<html><body><pre>" + "\n".join(escape(p) for p in paragraphs) + "</pre></body></html>"
        )


def _fmt(score: Score) -> str:
    if score.value is None:
        return "no data"
    return f"{score.value:+.1f} [{score.low:+.1f}, {score.high:+.1f}] n={score.n:,}"


def build_digest(
    engine: Engine, brand: str, as_of: date | None = None, model: str | None = None
) -> Digest:
    name = model_version(model)
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise LookupError(f"no brand named {brand!r} in this store")
        last = day_of(as_of) if as_of else latest_day(conn, key, name)
        last = last if last is not None else day_of(date.today())
        week = topic_totals(conn, key, name, Segment(since=date_of(last - 6), until=date_of(last)))
        before = topic_totals(
            conn, key, name, Segment(since=date_of(last - 13), until=date_of(last - 7))
        )
        alerts = list_alerts(conn, key, since_day=last - 1, limit=50)
    day = date_of(last)
    drivers = key_drivers(engine, brand, Segment(since=day - timedelta(days=27), until=day), model)
    return Digest(
        brand=brand,
        day=day,
        items_week=week.get("", (0,))[0],
        items_before=before.get("", (0,))[0],
        nps_week=overall(week),
        nps_before=overall(before),
        alerts=alerts,
        drivers=[(d.topic, d.impact) for d in drivers.drivers[:3]],
        risks=risk_items(engine, brand, day, days=7, limit=3, model=model),
        leads=sales_leads(engine, brand, day, days=7, limit=3, model=model),
    )


def queue_digest(engine: Engine, digest: Digest) -> int:
    """Queue the digest once per brand and day for every channel (severity 'low')."""
    message = Message("digest", digest.subject(), digest.text(), digest.html(), digest.as_dict())
    with engine.begin() as conn:
        key = brand_id(conn, digest.brand, create=False)
        if key is None:
            return 0
        return enqueue(conn, key, "digest", f"digest:{digest.day.isoformat()}", message, "low")
