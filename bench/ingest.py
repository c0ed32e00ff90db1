"""Ingest + analyse + store N generated items into a fresh SQLite file; then the report.

Prints items/s end to end (the `socialcem ingest` command, process start included), the
peak resident memory of the whole process tree (main process and workers), and the time of
a weekly-by-location report over everything stored.

    python bench/ingest.py [--items 1000000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from _common import OUT, demo_csv, run_measured

from socialcem.report import build_report
from socialcem.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    args = parser.parse_args()
    source = demo_csv(args.items)
    db = OUT / f"bench-ingest-{args.items}.db"
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    cmd = [sys.executable, "-m", "socialcem", "--db", url, "ingest", str(source), "--json"]
    seconds, peak_mib, out = run_measured(cmd)
    result = json.loads(out)["files"][0]

    engine = open_store(url)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        rows = build_report(engine, "default", by="location", period="week")
        timings.append(time.perf_counter() - start)
    report_cli, _, _ = run_measured(
        [
            sys.executable,
            "-m",
            "socialcem",
            "--db",
            url,
            "report",
            "--by",
            "location",
            "--period",
            "week",
            "--json",
        ]
    )
    print(
        f"items:            {args.items:,} ({result['ingested']:,} stored, "
        f"{result['quarantined']:,} quarantined)"
    )
    print(f"ingest+analyse:   {seconds:.1f} s  ->  {args.items / seconds:,.0f} items/s end to end")
    print(f"peak memory:      {peak_mib:,.0f} MiB (whole process tree)")
    print(
        f"weekly report by location: {min(timings):.2f} s in-process (best of 3), "
        f"{report_cli:.2f} s as a command; {len(rows):,} rows"
    )


if __name__ == "__main__":
    main()
