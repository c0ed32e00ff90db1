"""Turning new alerts into queued notifications: one message per alert, plain and HTML.

Alert titles hold user text (a keyword rule's name, a post's opening words), so the HTML
part escapes everything it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sqlalchemy import Connection, select

from socialcem.insights.notify.base import Message
from socialcem.insights.notify.outbox import enqueue
from socialcem.insights.segment import date_of
from socialcem.store.alert_store import alert_item_ids
from socialcem.store.schema import alerts


def queue_alerts(conn: Connection, brand: int, alert_ids: Sequence[int]) -> int:
    """Queue each alert for the channels that want its severity; returns rows queued."""
    queued = 0
    a = alerts.c
    rows = conn.execute(
        select(a.id, a.kind, a.severity, a.title, a.topic, a.first_day, a.last_day, a.detail)
        .where(a.id.in_(list(alert_ids)))
        .order_by(a.id)
    )
    for alert_id, kind, severity, title, topic, first, last, detail in rows.all():
        if (detail or {}).get("within"):
            continue  # part of a wider alert of the same event, which is sent
        items = alert_item_ids(conn, alert_id)
        data = {
            "alert_id": alert_id,
            "kind": kind,
            "severity": severity,
            "title": title,
            "topic": topic,
            "first_day": date_of(first).isoformat(),
            "last_day": date_of(last).isoformat(),
            "detail": detail,
            "feedback_ids": items[:100],
            "items": len(items),
        }
        text = f"[{severity}] {title}\n{len(items)} linked item(s). Alert {alert_id} ({kind})."
        html = (
            f"<p><strong>[{escape(severity)}]</strong> {escape(title)}</p>"
            f"<p>{len(items)} linked item(s). Alert {alert_id} ({escape(kind)}).</p>"
        )
        message = Message("alert", f"[{severity}] {title}"[:200], text, html, data)
        queued += enqueue(conn, brand, "alert", f"alert:{alert_id}", message, severity, alert_id)
    return queued
