"""socialcem vs the script an analyst would write instead, side by side on the same file.

The baseline reads the CSV with pandas in chunks, scores each row with VADER, appends to
SQLite with to_sql and runs one GROUP BY for weekly NPS by location. It does no
validation, no deduplication and no quarantine. socialcem runs `ingest` (which analyses)
and `report --by location --period week`, as two commands.

    python bench/baseline.py [--items 200000]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time

from _common import OUT, demo_csv, run_measured

BASELINE = r"""
import sqlite3, sys, pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
src, db = sys.argv[1], sys.argv[2]
vader = SentimentIntensityAnalyzer()
con = sqlite3.connect(db)
for chunk in pd.read_csv(src, chunksize=50_000, dtype=str, keep_default_na=False):
    chunk["compound"] = [vader.polarity_scores(t)["compound"] for t in chunk["text"]]
    chunk["category"] = pd.cut(chunk["compound"], [-1.01, -0.05, 0.5, 1.01], right=False,
                               labels=["detractor", "passive", "promoter"]).astype(str)
    chunk["week"] = pd.to_datetime(chunk["created_at"], utc=True).dt.strftime("%G-W%V")
    chunk.to_sql("feedback", con, if_exists="append", index=False)
rows = con.execute(
    "SELECT location, week, 100.0 * (SUM(category = 'promoter') - SUM(category = 'detractor'))"
    " / COUNT(*) FROM feedback GROUP BY location, week").fetchall()
con.commit()
print(len(rows))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=200_000)
    args = parser.parse_args()
    source = demo_csv(args.items)
    base_db, ours_db = OUT / "baseline.db", OUT / "baseline-socialcem.db"
    for db in (base_db, ours_db):
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)

    base_s, base_mib, _ = run_measured([sys.executable, "-c", BASELINE, str(source), str(base_db)])
    url = f"sqlite:///{ours_db}"
    cli = [sys.executable, "-m", "socialcem", "--db", url]
    start = time.perf_counter()
    ingest_s, ours_mib, _ = run_measured([*cli, "ingest", str(source), "--json"])
    report_s, _, _ = run_measured(
        [*cli, "report", "--by", "location", "--period", "week", "--json"]
    )
    ours_s = time.perf_counter() - start
    with sqlite3.connect(ours_db) as con:
        stored = con.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
    print(f"items: {args.items:,}")
    print(
        f"baseline (pandas + VADER + to_sql + GROUP BY): {base_s:.1f} s, "
        f"{args.items / base_s:,.0f} items/s, peak {base_mib:,.0f} MiB"
    )
    print(
        f"socialcem ingest + report:                      {ours_s:.1f} s "
        f"(ingest {ingest_s:.1f} s, report {report_s:.1f} s), {args.items / ours_s:,.0f} items/s, "
        f"peak {ours_mib:,.0f} MiB, {stored:,} stored"
    )
    print(f"speed-up: {base_s / ours_s:.2f}x (target: at least 1.5x)")


if __name__ == "__main__":
    main()
