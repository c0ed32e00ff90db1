"""The server under load on PostgreSQL, and the metrics query over N stored items.

Part one (target: 2 workers, 50 clients, 60 s: no errors, nothing lost or duplicated, p99 <
250 ms): a fresh schema, an admin token, `socialcem serve --workers W` on a loopback port,
then C concurrent clients (httpx.AsyncClient, spread over a few client processes) each post
single items with unique ids to POST /api/v1/feedback for S seconds. Every latency and status
is kept; afterwards the store is checked: every item answered 2xx is there exactly once.

Part two (target: p95 < 300 ms over 1,000,000 items): N demo items in a schema of their own
(built once, then reused), the server on it, then 100 GETs of
/api/v1/metrics?period=week&by=location, one after the other.

    export SOCIALCEM_BENCH_PG=postgresql+psycopg://socialcem:socialcem@127.0.0.1:5432/socialcem
    python bench/load.py [--workers 2] [--clients 50] [--seconds 60] [--metrics-items 200000]

--seconds 0 skips part one, --metrics-items 0 part two; 1,000,000 is the target figure for
the metrics query (the load takes minutes the first time). The rate limit is lifted for the
run (one token for all clients). Client and server share this machine: the clients' CPU
counts against the server's, so figures from a machine with few cores are pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from _common import OUT
from sqlalchemy import Engine, create_engine, func, select, text

from socialcem.accounts.tokens import issue_token
from socialcem.accounts.users import create_user, find_user, grant
from socialcem.demo.load import load_demo
from socialcem.store import open_store
from socialcem.store.locations import brand_id
from socialcem.store.schema import feedback, import_runs

SERVE = [sys.executable, "-m", "socialcem"]
TEXTS = [
    "Great coffee and friendly staff, will come back",
    "Waited twenty minutes for a cold sandwich",
    "The new app makes ordering easy",
    "Checkout was slow but the manager fixed it",
]


def schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def make_schema(base: str, schema: str, drop_first: bool = False) -> None:
    admin = create_engine(base)
    with admin.begin() as conn:
        if drop_first:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()


def drop_schema(base: str, schema: str) -> None:
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def admin_token(engine: Engine, brand: str) -> str:
    with engine.begin() as conn:
        key = brand_id(conn, brand)
        assert key is not None
        user = find_user(conn, "bench-admin")
        if user is None:
            user = create_user(conn, "bench-admin", None, actor="bench")
            grant(conn, user, key, "admin", None, actor="bench")
        _, raw = issue_token(conn, user, key, "bench load", None, actor="bench")
    return raw


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(url: str, workers: int, log: Path) -> Iterator[str]:
    """`socialcem serve` on a free loopback port; yields its base URL, stops it after."""
    port = free_port()
    env = {**os.environ, "SOCIALCEM_RATE_LIMIT_PER_MINUTE": "100000000"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*SERVE, "--db", url, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"serve exited; see {log}")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"serve not ready in 90 s; see {log}")
            time.sleep(0.2)
        time.sleep(1.0)  # every worker up, not only the first
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _client(base: str, token: str, prefix: str, until: float) -> list[tuple[float, int, str]]:
    """One client posting items until ``until``: (latency ms, status or 0, external id)."""
    out: list[tuple[float, int, str]] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        seq = 0
        while time.time() < until:
            external = f"{prefix}-{seq}"
            seq += 1
            body = {
                "id": external,
                "text": TEXTS[seq % len(TEXTS)],
                "created_at": datetime.now(UTC).isoformat(),
                "source": "survey",
                "location": f"Store {seq % 7}",
                "rating": seq % 11,
                "rating_scale": "nps_0_10",
            }
            start = time.perf_counter()
            try:
                status = (await client.post("/api/v1/feedback", json=body)).status_code
            except httpx.HTTPError:
                status = 0
            out.append(((time.perf_counter() - start) * 1000, status, external))
    return out


def _client_process(
    base: str, token: str, run: str, first: int, count: int, until: float
) -> list[tuple[float, int, str]]:
    async def all_clients() -> list[tuple[float, int, str]]:
        tasks = [_client(base, token, f"{run}-{first + i}", until) for i in range(count)]
        return [row for rows in await asyncio.gather(*tasks) for row in rows]

    return asyncio.run(all_clients())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def part_one(args: argparse.Namespace) -> None:
    schema = f"bench_load_{uuid.uuid4().hex[:8]}"
    make_schema(args.db, schema)
    url = schema_url(args.db, schema)
    try:
        engine = open_store(url)
        token = admin_token(engine, "load")
        run = uuid.uuid4().hex[:8]
        procs = max(1, min(args.client_processes, args.clients))
        shares = [args.clients // procs + (i < args.clients % procs) for i in range(procs)]
        with serving(url, args.workers, OUT / "load-serve.log") as base:
            until = time.time() + args.seconds
            started = time.perf_counter()
            with ProcessPoolExecutor(procs) as pool:
                futures = [
                    pool.submit(_client_process, base, token, run, sum(shares[:i]), n, until)
                    for i, n in enumerate(shares)
                ]
                rows = [row for f in futures for row in f.result()]
            elapsed = time.perf_counter() - started
        ok = {ext for _, status, ext in rows if 200 <= status < 300}
        with engine.connect() as conn:
            query = (
                select(feedback.c.external_id, func.count())
                .where(feedback.c.source == "survey", feedback.c.external_id.like(f"{run}-%"))
                .group_by(feedback.c.external_id)
            )
            stored: dict[str, int] = {ext: n for ext, n in conn.execute(query)}
            runs = conn.execute(select(func.count()).select_from(import_runs)).scalar_one()
        engine.dispose()
    finally:
        if not args.keep:
            drop_schema(args.db, schema)
    latencies = [ms for ms, _, _ in rows]
    statuses = Counter(status for _, status, _ in rows)
    lost = len(ok - stored.keys())
    duplicated = sum(1 for n in stored.values() if n > 1)
    errors = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    print(f"PostgreSQL, {args.workers} workers, {args.clients} clients, {args.seconds} s")
    print(f"  requests           {len(rows):,} ({len(rows) / elapsed:,.0f} /s)")
    print(
        f"  latency ms         p50 {percentile(latencies, 50):.1f}  "
        f"p95 {percentile(latencies, 95):.1f}  p99 {percentile(latencies, 99):.1f}  "
        f"max {max(latencies):.1f}"
    )
    print(f"  statuses           {dict(sorted(statuses.items()))} (0: no answer)")
    print(f"  transactions       {runs:,} ({len(stored) / max(runs, 1):.1f} items each)")
    print(f"  errors (non-2xx)   {errors:,}")
    print(f"  lost (2xx, absent) {lost:,}")
    print(f"  duplicated         {duplicated:,}")
    print(f"  stored, no 2xx     {len(stored.keys() - ok):,} (answer lost after the commit)")


QUERIES = (
    {"period": "week", "by": "location"},
    {"period": "month", "by": "source"},
    {"period": "all", "by": "none"},
)


def part_two(args: argparse.Namespace) -> None:
    schema = f"bench_metrics_{args.metrics_items}"
    make_schema(args.db, schema)
    url = schema_url(args.db, schema)
    engine = open_store(url)
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(feedback)).scalar_one()
    if stored < args.metrics_items:
        engine.dispose()
        make_schema(args.db, schema, drop_first=True)
        engine = open_store(url)
        start = time.perf_counter()
        _, counts = load_demo(engine, "demo", args.metrics_items, seed=7)
        stored = counts.ingested
        print(f"built {schema}: {stored:,} items in {time.perf_counter() - start:.0f} s")
    token = admin_token(engine, "demo")
    engine.dispose()
    # The state autovacuum leaves a loaded store in: planner statistics and the visibility
    # map that lets the covering index answer without reading the table.
    vacuum = create_engine(url, isolation_level="AUTOCOMMIT")
    with vacuum.connect() as conn:
        for table in ("feedback", "analyses", "daily_counts", "social_votes", "topic_counts"):
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
    vacuum.dispose()
    print(f"metrics queries, {stored:,} items, 100 GETs each (first: cold, with a new server)")
    with serving(url, args.workers, OUT / "load-metrics-serve.log") as base:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            for params in QUERIES:
                start = time.perf_counter()
                first = client.get("/api/v1/metrics", params=params)
                cold = (time.perf_counter() - start) * 1000
                if first.status_code != 200:
                    raise SystemExit(f"GET /api/v1/metrics: {first.status_code} {first.text[:300]}")
                timings = []
                for _ in range(100):
                    start = time.perf_counter()
                    client.get("/api/v1/metrics", params=params).raise_for_status()
                    timings.append((time.perf_counter() - start) * 1000)
                shape = " ".join(f"{k}={v}" for k, v in params.items())
                print(
                    f"  {shape:<24} {len(first.json()['rows']):>5} rows  ms  first {cold:.0f}  "
                    f"p50 {statistics.median(timings):.0f}  p95 {percentile(timings, 95):.0f}  "
                    f"max {max(timings):.0f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("SOCIALCEM_BENCH_PG"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--metrics-items", type=int, default=200_000)
    parser.add_argument(
        "--client-processes", type=int, default=4, help="Processes the clients run in."
    )
    parser.add_argument("--keep", action="store_true", help="Keep part one's schema.")
    args = parser.parse_args()
    if not args.db or not args.db.startswith("postgresql"):
        parser.error("--db: a postgresql:// URL (or set SOCIALCEM_BENCH_PG)")
    OUT.mkdir(exist_ok=True)
    if args.seconds > 0:
        part_one(args)
    if args.metrics_items > 0:
        part_two(args)


if __name__ == "__main__":
    main()
