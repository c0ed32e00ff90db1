"""The report against hand-computed figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_csv
from sqlalchemy import Engine

from socialcem.analysis.base import model_version
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.models import Location
from socialcem.report import ReportRow, build_report, period_label
from socialcem.store.locations import add_locations, brand_id

LEXICON = "lexicon"
POSITIVE = "Absolutely love this place, wonderful friendly staff, best coffee ever!"
NEGATIVE = "Terrible, rude staff and awful cold coffee. Worst visit, very disappointed."


def row(segment: str, created: str, i: int, **kw: str) -> dict[str, str]:
    base = {
        "id": f"r{i}",
        "text": POSITIVE,
        "created_at": created,
        "author": "",
        "source": "survey",
        "location": segment,
        "constituency": "customer",
        "score": "",
    }
    base.update(kw)
    return base


@pytest.fixture
def loaded(store: Engine, tmp_path: Path) -> Engine:
    with store.begin() as conn:
        brand = brand_id(conn, "default")
        assert brand is not None
        add_locations(
            conn,
            brand,
            [
                Location("North", None, "region"),
                Location("Store 1", "North", "store"),
                Location("Store 2", "North", "franchisee"),
            ],
        )
    rows = [
        # Store 1, week of 2026-03-02: surveys 10, 9, 8, 3 -> NPS (2-1)/4 = +25
        row("Store 1", "2026-03-02T09:00:00Z", 1, score="10"),
        row("Store 1", "2026-03-03T09:00:00Z", 2, score="9"),
        row("Store 1", "2026-03-04T09:00:00Z", 3, score="8"),
        row("Store 1", "2026-03-05T09:00:00Z", 4, score="3", text=NEGATIVE),
        # Store 2, next week: surveys 2, 9 -> NPS 0; an employee 10 (eNPS +100)
        row("Store 2", "2026-03-09T09:00:00Z", 5, score="2", text=NEGATIVE),
        row("Store 2", "2026-03-10T09:00:00Z", 6, score="9"),
        row("Store 2", "2026-03-10T10:00:00Z", 7, score="10", constituency="employee"),
        # Social posts at Store 1: ann posts negative then positive (latest counts), bob negative
        row("Store 1", "2026-03-02T12:00:00Z", 8, source="twitter", author="ann", text=NEGATIVE),
        row("Store 1", "2026-03-06T12:00:00Z", 9, source="twitter", author="ann"),
        row("Store 1", "2026-03-06T13:00:00Z", 10, source="yelp", author="bob", text=NEGATIVE),
    ]
    # The lexicon: figures here are hand-computed counts, with no model correction.
    ingest_file(store, write_csv(tmp_path / "in.csv", rows), IngestOptions(model=LEXICON))
    return store


def by_segment(rows: list[ReportRow]) -> dict[str, ReportRow]:
    return {r.segment: r for r in rows}


def test_overall_scores(loaded: Engine) -> None:
    [overall] = build_report(loaded, model=LEXICON)
    assert overall.items == 10
    # customer surveys: 10, 9, 8, 3, 2, 9 -> 3 promoters, 1 passive, 2 detractors
    assert overall.nps.value == pytest.approx(100 * (3 - 2) / 6, abs=0.01)
    assert overall.nps.n == 6
    assert overall.enps.value == 100 and overall.enps.n == 1
    # social: ann's latest is positive, bob negative -> one vote each
    assert overall.social_nps.n == 2
    assert overall.social_nps.value == 0
    assert overall.nps.low is not None and overall.nps.low < overall.nps.value < overall.nps.high


def test_per_item_counts_every_post(loaded: Engine) -> None:
    [overall] = build_report(loaded, model=LEXICON, per_item=True)
    assert overall.social_nps.n == 3
    assert overall.social_nps.value == pytest.approx(100 * (1 - 2) / 3, abs=0.01)


def test_location_rows_roll_up_to_parents(loaded: Engine) -> None:
    rows = build_report(loaded, by="location", model=LEXICON)
    assert [r.segment for r in rows] == ["North", "Store 1", "Store 2"]
    seg = by_segment(rows)
    assert seg["North"].depth == 0 and seg["Store 1"].depth == 1
    assert seg["Store 1"].nps.value == 25
    assert seg["Store 2"].nps.value == 0
    assert seg["North"].items == seg["Store 1"].items + seg["Store 2"].items
    assert seg["North"].nps.n == 6


def test_weekly_buckets_start_on_monday(loaded: Engine) -> None:
    rows = build_report(loaded, by="channel", period="week", model=LEXICON)
    weeks = {(r.period, r.segment): r for r in rows}
    assert weeks[("2026-W10", "survey")].items == 4  # Mon 2 March to Thu 5 March
    assert weeks[("2026-W11", "survey")].items == 3
    # ann posted in week 10 twice: one vote, her latest (positive)
    assert weeks[("2026-W10", "twitter")].social_nps.value == 100


def test_by_constituency(loaded: Engine) -> None:
    seg = by_segment(build_report(loaded, by="constituency", model=LEXICON))
    assert set(seg) == {"customer", "employee"}
    assert seg["employee"].enps.value == 100
    assert seg["employee"].nps.n == 0


def test_unknown_brand_gives_no_rows(loaded: Engine) -> None:
    assert build_report(loaded, brand="nobody") == []


@pytest.mark.parametrize(
    ("period", "bucket", "label"),
    [
        ("day", 20514, "2026-03-02"),
        ("week", 20514, "2026-W10"),
        ("month", 202603, "2026-03"),
        (None, None, "all"),
    ],
)
def test_period_labels(period: str | None, bucket: int | None, label: str) -> None:
    assert period_label(period, bucket) == label  # type: ignore[arg-type]


def test_model_version_is_stored_name() -> None:
    assert model_version(LEXICON) == "lexicon-vader@1"
    assert model_version() == "linear-cx@1"
