"""Calibrating a brand from its rated comments, and the report using it (SQLite, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_csv
from sqlalchemy import Engine

from socialcem.analysis.calibration import CalibrationError
from socialcem.analysis.prevalence import adjusted_nps
from socialcem.calibrate import calibrate_brand
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.report import build_report, social_notes

POSITIVE = "Absolutely love this place, wonderful friendly staff, best coffee ever!"
NEGATIVE = "Terrible, rude staff and awful cold coffee. Worst visit, very disappointed."
FLAT = "I came in for a coffee on Tuesday."  # the lexicon reads this as neutral


def survey(i: int, text: str, score: int) -> dict[str, str]:
    return {"id": f"s{i}", "text": text, "created_at": "2026-03-02T09:00:00Z", "author": "",
            "source": "survey", "score": str(score)}  # fmt: skip


def post(i: int, text: str) -> dict[str, str]:
    return {"id": f"p{i}", "text": text, "created_at": "2026-03-03T09:00:00Z",
            "author": f"user{i}", "source": "twitter", "score": ""}  # fmt: skip


@pytest.fixture
def brand_data(store: Engine, tmp_path: Path) -> Engine:
    # Customers who write a flat, factual comment are promoters at this brand: the
    # lexicon calls them passive, so uncalibrated counting understates the NPS.
    rows = [survey(i, POSITIVE, 10) for i in range(30)]
    rows += [survey(100 + i, NEGATIVE, 2) for i in range(30)]
    rows += [survey(200 + i, FLAT, 9) for i in range(30)]
    rows += [post(i, FLAT) for i in range(40)] + [post(100 + i, NEGATIVE) for i in range(20)]
    ingest_file(store, write_csv(tmp_path / "in.csv", rows), IngestOptions(model="lexicon"))
    return store


def test_calibration_corrects_social_nps(brand_data: Engine) -> None:
    [before] = build_report(brand_data, model="lexicon")
    assert before.social_nps.value == pytest.approx(100 * (0 - 20) / 60, abs=0.01)
    assert social_notes(brand_data, model="lexicon").correction == "none"

    result = calibrate_brand(brand_data, model="lexicon")
    assert result.cv.items == 90
    assert result.cv.calibrated_mae < result.cv.counted_mae

    [after] = build_report(brand_data, model="lexicon")
    expected = adjusted_nps(0, 40, 20, result.confusion)
    assert after.social_nps == expected
    # Flat posts are promoters here: the corrected score is far above the counted one.
    assert after.social_nps.value is not None and after.social_nps.value > 20
    assert social_notes(brand_data, model="lexicon").correction == "brand calibration"


def test_recalibrating_replaces_the_old_calibration(brand_data: Engine) -> None:
    first = calibrate_brand(brand_data, model="lexicon")
    second = calibrate_brand(brand_data, model="lexicon")
    assert first.confusion == second.confusion


def test_a_brand_without_rated_items_is_refused(store: Engine, tmp_path: Path) -> None:
    rows = [post(i, FLAT) for i in range(5)]
    ingest_file(store, write_csv(tmp_path / "in.csv", rows), IngestOptions(model="lexicon"))
    with pytest.raises(CalibrationError, match="no rated items"):
        calibrate_brand(store, model="lexicon")
    with pytest.raises(CalibrationError, match="no brand"):
        calibrate_brand(store, brand="nobody", model="lexicon")
