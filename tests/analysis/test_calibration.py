"""Calibration on generated labelled predictions with a known confusion."""

from __future__ import annotations

import random

import pytest

from socialcem.analysis.calibration import (
    CalibrationError,
    calibrated_confusion,
    cross_validate,
    simulate,
    true_nps,
)
from socialcem.analysis.prevalence import CLASSES, Confusion

# How the generated "model" reads this brand: quite unlike the prior below.
BRAND_RATES = {
    "detractor": (0.6, 0.3, 0.1),
    "passive": (0.1, 0.6, 0.3),
    "promoter": (0.0, 0.2, 0.8),
}
PRIOR = Confusion(((80, 15, 5), (15, 70, 15), (5, 15, 80)), systematic_sd=5.0)


def generate(n: int, shares: tuple[float, float, float], seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    truth = rng.choices(CLASSES, weights=shares, k=n)
    predicted = [rng.choices(CLASSES, weights=BRAND_RATES[t])[0] for t in truth]
    return truth, predicted


def test_calibrated_confusion_adds_brand_counts_to_the_prior() -> None:
    truth, predicted = generate(300, (0.3, 0.3, 0.4), seed=1)
    confusion = calibrated_confusion(truth, predicted, PRIOR)
    row_totals = [sum(r) for r in confusion.counts]
    assert row_totals == pytest.approx([truth.count(c) + 20.0 for c in CLASSES])


def test_calibration_beats_the_uncalibrated_correction() -> None:
    truth, predicted = generate(5_000, (0.35, 0.25, 0.40), seed=2)
    result = simulate(truth, predicted, PRIOR, labelled=200, repeats=20, seed=3)
    assert result["calibrated_mae"] < result["uncalibrated_mae"]
    assert result["calibrated_mae"] < 8.0


def test_cross_validation_reports_three_errors() -> None:
    truth, predicted = generate(400, (0.2, 0.3, 0.5), seed=4)
    cv = cross_validate(truth, predicted, PRIOR, folds=5)
    assert cv.items == 400 and cv.folds == 5
    assert cv.calibrated_mae < cv.counted_mae
    assert set(cv.as_dict()) == {
        "folds",
        "items",
        "calibrated_mae",
        "uncalibrated_mae",
        "counted_mae",
    }


def test_too_few_items_is_refused_with_the_minimum() -> None:
    truth, predicted = generate(20, (0.3, 0.3, 0.4), seed=5)
    with pytest.raises(CalibrationError, match="at least 50"):
        cross_validate(truth, predicted, PRIOR)


def test_true_nps() -> None:
    assert true_nps(["promoter", "promoter", "passive", "detractor"]) == 25.0
