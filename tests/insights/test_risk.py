"""Risk and sales-lead lists, and the digest built from them, on the demo brand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import Engine

from socialcem.analysis.intents import stored_intents
from socialcem.demo.generator import DemoBrand
from socialcem.insights.digest import build_digest
from socialcem.insights.risk import ListedItem, growing_themes, risk_items, sales_leads


def test_the_spike_topic_is_the_fastest_growing_negative_theme_that_week(
    demo_store: tuple[Engine, DemoBrand],
) -> None:
    engine, demo = demo_store
    week_end = date.fromisoformat(str(demo.planted["spike_week_start"])) + timedelta(days=6)
    themes = growing_themes(engine, "demo", as_of=week_end)
    assert themes[0].topic == demo.planted["spike_topic"]
    assert themes[0].z > 3 and themes[0].growth is not None and themes[0].growth > 2
    quiet = growing_themes(engine, "demo", as_of=week_end - timedelta(days=14))
    assert all(t.z < themes[0].z for t in quiet)


def test_risk_items_are_negative_and_ranked_by_exposure(
    demo_store: tuple[Engine, DemoBrand],
) -> None:
    engine, _ = demo_store
    items = risk_items(engine, "demo", limit=10)
    assert items and all(i.reach for i in items)
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)


def test_leads_carry_purchase_intent(demo_store: tuple[Engine, DemoBrand]) -> None:
    engine, _ = demo_store
    leads = sales_leads(engine, "demo", days=84, limit=500)
    assert len(leads) >= 20
    assert all("purchase_intent" in stored_intents(lead.text) for lead in leads)
    assert [lead.score for lead in leads] == sorted((lead.score for lead in leads), reverse=True)


def test_digest_summarises_the_week_and_escapes_customer_text(
    demo_store: tuple[Engine, DemoBrand],
) -> None:
    engine, _ = demo_store
    digest = build_digest(engine, "demo")
    assert digest.items_week > 0 and digest.nps_week.value is not None
    assert len(digest.drivers) == 3
    assert digest.subject() in digest.text()
    hostile = ListedItem(
        1, "2026-01-01", "twitter", "<b>x</b>", None, 5, 1.0, "<script>alert(1)</script>"
    )
    html = replace(digest, risks=[hostile], leads=[hostile]).html()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html
    payload = digest.as_dict()
    assert payload["items_week"] == digest.items_week
