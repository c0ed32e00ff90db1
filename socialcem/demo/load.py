"""Loading the demo brand into a store through the real ingest path (CSV -> pipeline)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from socialcem.demo.generator import DemoBrand, generate_brand, iter_feedback, write_csv
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.ingest.runs import RunCounts
from socialcem.models import Location
from socialcem.store.locations import add_locations, brand_id


def load_demo(
    engine: Engine,
    brand: str = "demo",
    items: int = 10_000,
    seed: int = 7,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[DemoBrand, RunCounts]:
    """Generate ``items`` records for a seeded brand and ingest them; safe to run twice."""
    demo = generate_brand(seed)
    with engine.begin() as conn:
        key = brand_id(conn, brand)
        assert key is not None
        add_locations(
            conn, key, [Location(loc.name, loc.parent, loc.kind) for loc in demo.locations]
        )
    with tempfile.TemporaryDirectory(prefix="socialcem-demo-") as folder:
        path = Path(folder) / f"demo-{seed}-{items}.csv"
        write_csv(path, iter_feedback(demo, items, seed=seed))
        counts = ingest_file(engine, path, IngestOptions(brand=brand, workers=workers), progress)
    counts.file = f"generated demo data (seed {seed}, {items:,} items)"
    return demo, counts
