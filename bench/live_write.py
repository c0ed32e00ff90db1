"""What one item costs the server's write path, alone and in shared transactions, and what
a token lookup costs: the figures behind group commit (socialcem.ingest.group_commit).

    SOCIALCEM_BENCH_PG=postgresql+psycopg://... python bench/live_write.py

In-process, on a fresh PostgreSQL schema (or --db sqlite:///file), with the default model.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Callable

from load import admin_token, drop_schema, make_schema, schema_url
from sqlalchemy import Engine

from socialcem.accounts.tokens import authenticate_token
from socialcem.ingest.live import ingest_records, warm_up
from socialcem.store import open_store
from socialcem.store.locations import brand_id

TEXTS = [
    "Great coffee and friendly staff, will come back",
    "Waited twenty minutes for a cold sandwich",
    "ok I guess, nothing special",
]


def per_call(run: Callable[[], object], calls: int) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) per call."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        run()
    return (
        1000 * (time.perf_counter() - wall) / calls,
        1000 * (time.process_time() - cpu) / calls,
    )


def measure(engine: Engine, items: int) -> None:
    with engine.begin() as conn:
        brand = brand_id(conn, "bench") or 0
    token = admin_token(engine, "bench")
    warm_up()
    seq = iter(range(10**9))

    def record() -> dict[str, object]:
        n = next(seq)
        return {
            "id": f"w{n}", "text": f"{TEXTS[n % 3]} {n}", "created_at": "2026-11-20T10:00:00Z",
            "author": f"u{n % 500}", "source": "twitter", "location": f"Store {n % 5}",
        }  # fmt: skip

    print(f"{engine.dialect.name}, {items} items per size, default model")

    def write(size: int) -> None:
        ingest_records(engine, brand, [record() for _ in range(size)], via="api")

    per_call(lambda: write(1), 50)  # statement caches and prepared statements warm
    for size in (1, 5, 25, 100):
        wall, cpu = per_call(lambda size=size: write(size), items // size)  # type: ignore[misc]
        wall, cpu = wall / size, cpu / size
        print(f"  {size:>3} per transaction  {wall:6.2f} ms/item wall  {cpu:6.2f} ms/item CPU")

    def lookup() -> None:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            assert authenticate_token(conn, token) is not None

    wall, cpu = per_call(lookup, 2000)
    print(f"  token lookup (as a request does it)  {wall:.2f} ms wall  {cpu:.2f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("SOCIALCEM_BENCH_PG"))
    parser.add_argument("--items", type=int, default=400)
    args = parser.parse_args()
    if not args.db:
        raise SystemExit("--db: a database URL (or set SOCIALCEM_BENCH_PG)")
    schema = None
    url = args.db
    if args.db.startswith("postgresql"):
        schema = f"bench_write_{uuid.uuid4().hex[:8]}"
        make_schema(args.db, schema)
        url = schema_url(args.db, schema)
    engine = open_store(url)
    try:
        measure(engine, args.items)
    finally:
        engine.dispose()
        if schema is not None:
            drop_schema(args.db, schema)


if __name__ == "__main__":
    main()
