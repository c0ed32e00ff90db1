"""Drivers, trends, alerts, risk and leads over N stored demo items on SQLite (target: 1M < 2 s).

Builds (once, then reuses) a SQLite store of N demo items through the real ingest path with
the default model, then times each insight query: the median of 3 runs, in-process. Alert
evaluation is timed on a clean alert table (it raises and links items) and again (nothing
new: deduplicated).

    python bench/insights.py [--items 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from _common import OUT
from alembic import command
from sqlalchemy import delete, func, select

from socialcem.demo.generator import generate_brand
from socialcem.demo.load import load_demo
from socialcem.insights.alerting import evaluate_alerts
from socialcem.insights.digest import build_digest
from socialcem.insights.driver_report import key_drivers
from socialcem.insights.risk import growing_themes, risk_items, sales_leads
from socialcem.insights.segment import Segment
from socialcem.insights.trends import trend
from socialcem.report import build_report
from socialcem.store import open_store
from socialcem.store.migrate import alembic_config, upgrade
from socialcem.store.schema import alert_items, alerts, feedback, notifications


def timed(work: Callable[[], Any], runs: int = 3) -> float:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument(
        "--backfill", action="store_true", help="Also time migration 0003 filling the rollups."
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / f"bench-insights-{args.items}.db"
    engine = open_store(f"sqlite:///{db}")
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(feedback)).scalar_one()
    if stored < args.items:
        start = time.perf_counter()
        _, counts = load_demo(engine, "demo", args.items, seed=7)
        seconds = time.perf_counter() - start
        print(f"built {db.name}: {counts.ingested:,} items in {seconds:.0f} s")
    demo = generate_brand(7)
    if args.backfill:
        command.downgrade(alembic_config(engine), "0002")
        start = time.perf_counter()
        upgrade(engine)
        print(f"migration 0003 backfill: {time.perf_counter() - start:.1f} s")
    where = str(demo.planted["service_problem_location"])
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("drivers, whole brand, all time", lambda: key_drivers(engine, "demo")),
        ("drivers, one location", lambda: key_drivers(engine, "demo", Segment(location=where))),
        ("trend nps per week", lambda: trend(engine, "demo", "nps", "week")),
        ("trend social_nps per week", lambda: trend(engine, "demo", "social_nps", "week")),
        (
            "trend negative_share of a topic per day",
            lambda: trend(engine, "demo", "negative_share", "day", topic="delivery"),
        ),
        ("risk items, last 7 days", lambda: risk_items(engine, "demo")),
        ("growing negative themes", lambda: growing_themes(engine, "demo")),
        ("sales leads, last 30 days", lambda: sales_leads(engine, "demo")),
        ("report by location per week", lambda: build_report(engine, "demo", "location", "week")),
    ]
    print(f"{args.items:,} stored items, SQLite, median of 3 runs")
    for name, work in checks:
        print(f"  {name:42} {timed(work):6.3f} s")

    def fresh_alerts() -> None:
        with engine.begin() as conn:
            for table in (notifications, alert_items, alerts):
                conn.execute(delete(table))
        evaluate_alerts(engine, "demo")

    print(f"  {'alerts, last week (raise and link)':42} {timed(fresh_alerts):6.3f} s")
    again = timed(lambda: evaluate_alerts(engine, "demo"))
    print(f"  {'alerts, last week (again: deduplicated)':42} {again:6.3f} s")
    print(f"  {'daily digest':42} {timed(lambda: build_digest(engine, 'demo')):6.3f} s")


if __name__ == "__main__":
    main()
