"""The demo brand through the real ingest path: its planted service problem shows in the report."""

from __future__ import annotations

from sqlalchemy import Engine

from socialcem.demo.load import load_demo
from socialcem.report import build_report


def test_planted_problem_location_has_the_lowest_nps(sqlite_store: Engine) -> None:
    demo, counts = load_demo(sqlite_store, items=6_000, workers=0)
    assert (counts.ingested, counts.quarantined) == (6_000, 0)
    rows = build_report(sqlite_store, "demo", by="location")
    leaves = {r.segment: r for r in rows if r.depth == 1}
    assert len(leaves) >= 18
    worst = min(leaves.values(), key=lambda r: r.nps.value or 0)
    assert worst.segment == demo.planted["service_problem_location"]
    assert worst.social_nps.value is not None
    # a second load of the same seed stores nothing new
    _, again = load_demo(sqlite_store, items=6_000, workers=0)
    assert (again.ingested, again.duplicates) == (0, 6_000)
