"""The maintained aggregates always equal the same figures computed from the items."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_csv
from sqlalchemy import Engine, and_, func, select

from socialcem.analysis.base import model_version
from socialcem.analysis.rescore import rescore
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store.queries import _social_from_items, rated_counts, social_counts
from socialcem.store.schema import daily_counts, feedback

MODEL = model_version()
TEXTS = ["Love it, brilliant staff!", "Awful and slow, never again.", "It was fine I suppose."]


def records(n: int, offset: int = 0) -> list[dict[str, str]]:
    """Few authors posting often, several sources, days and locations: many repeat votes."""
    out = []
    for i in range(offset, offset + n):
        out.append(
            {
                "id": f"i{i}",
                "text": TEXTS[(i * 7) % 3] + f" #{i}",
                "created_at": f"2026-02-{1 + (i * 5) % 27:02d}T{(i * 3) % 24:02d}:00:00Z",
                "author": f"a{i % 9}" if i % 4 else "",
                "source": ("twitter", "yelp", "survey", "reddit")[i % 4],
                "location": f"L{i % 3}",
                "touchpoint": ("app", "", "in_store")[i % 3],
                "constituency": "employee" if i % 11 == 0 else "customer",
                "score": str(i % 11) if i % 4 == 2 else "",
            }
        )
    return out


def live_rated(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        items = conn.execute(select(func.count()).select_from(feedback)).scalar_one()
        rolled = conn.execute(select(func.sum(daily_counts.c["items"]))).scalar_one()
    return int(items), int(rolled)


@pytest.mark.parametrize("by", [None, "location"])
@pytest.mark.parametrize("period", [None, "day", "week", "month"])
def test_votes_equal_live_computation(
    store: Engine, tmp_path: Path, by: str | None, period: str | None
) -> None:
    # two files with the same authors: votes must be replaced across batches and runs
    ingest_file(store, write_csv(tmp_path / "a.csv", records(150)), IngestOptions(batch_size=16))
    ingest_file(store, write_csv(tmp_path / "b.csv", records(150, 150)), IngestOptions())
    with store.connect() as conn:
        kept = social_counts(conn, 1, MODEL, by, period)  # type: ignore[arg-type]
        live = _social_from_items(conn, 1, MODEL, by, period, per_item=False)  # type: ignore[arg-type]
    assert kept == live
    assert kept


def test_daily_counts_equal_live_counts(store: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", records(200))
    ingest_file(store, path, IngestOptions(batch_size=32))
    ingest_file(store, path, IngestOptions())  # a re-run adds nothing
    items, rolled = live_rated(store)
    assert items == rolled == 200
    with store.connect() as conn:
        by_channel = rated_counts(conn, 1, "channel", None)
        surveys = conn.execute(
            select(func.count()).where(
                and_(
                    feedback.c.source == "survey",
                    feedback.c.rating_category == "promoter",
                    feedback.c.constituency != "employee",
                )
            )
        ).scalar_one()
    assert by_channel[("survey", None)].promoters == surveys


def test_rescoring_fills_the_votes(store: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", records(120))
    ingest_file(store, path, IngestOptions(model=None))
    with store.connect() as conn:
        assert social_counts(conn, 1, MODEL, "location", "week") == {}
    assert rescore(store, page_size=25) == 120
    with store.connect() as conn:
        kept = social_counts(conn, 1, MODEL, "location", "week")
        live = _social_from_items(conn, 1, MODEL, "location", "week", per_item=False)
    assert kept == live and kept
