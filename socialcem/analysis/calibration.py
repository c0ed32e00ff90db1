"""Calibrating the prevalence correction on a brand's own labelled feedback.

A model's confusion differs from one source to the next, which is the main error left
after correction. A brand's survey answers that carry both a comment and a 0-10 score show
the model's confusion on that brand's own language. The brand's counts are combined with
the model's out-of-domain confusion as a prior worth ``PRIOR_WEIGHT`` items per class, so
200 answers move the correction a long way without making it noisy.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from socialcem.analysis.prevalence import CLASSES, Confusion, adjust

PRIOR_WEIGHT = 20.0
MIN_ITEMS = 50


class CalibrationError(ValueError):
    pass


def calibrated_confusion(
    truth: Sequence[str], predicted: Sequence[str], prior: Confusion | None
) -> Confusion:
    own = np.asarray(Confusion.from_pairs(truth, predicted).counts, dtype=np.float64)
    if prior is not None:
        own += PRIOR_WEIGHT * prior.rates()
    return Confusion(tuple((r[0], r[1], r[2]) for r in own.tolist()), 0.0, "calibrated")


def corrected_nps(predicted: Sequence[str], confusion: Confusion) -> float:
    shares = np.asarray([sum(p == c for p in predicted) for c in CLASSES], dtype=np.float64)
    fixed = adjust(shares / max(len(predicted), 1), confusion.rates())
    return float(100 * (fixed[2] - fixed[0]))


def true_nps(truth: Sequence[str]) -> float:
    return 100 * (truth.count("promoter") - truth.count("detractor")) / max(len(truth), 1)


@dataclass(frozen=True, slots=True)
class CrossValidation:
    folds: int
    items: int
    calibrated_mae: float
    """Mean absolute NPS error on held-out folds with the brand-calibrated correction."""
    uncalibrated_mae: float | None
    """The same with the model's out-of-domain correction only; None without one."""
    counted_mae: float
    """The same for raw classify-and-count, for comparison."""

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "folds": self.folds,
            "items": self.items,
            "calibrated_mae": round(self.calibrated_mae, 2),
            "uncalibrated_mae": None
            if self.uncalibrated_mae is None
            else round(self.uncalibrated_mae, 2),
            "counted_mae": round(self.counted_mae, 2),
        }


def cross_validate(
    truth: Sequence[str],
    predicted: Sequence[str],
    prior: Confusion | None,
    folds: int = 5,
    seed: int = 0,
) -> CrossValidation:
    """K-fold: calibrate on K-1 folds, score the NPS of the fold left out."""
    n = len(truth)
    if n < MIN_ITEMS:
        raise CalibrationError(f"{n} labelled items; calibration needs at least {MIN_ITEMS}")
    order = list(range(n))
    random.Random(seed).shuffle(order)
    errors: dict[str, list[float]] = {"cal": [], "raw": [], "cc": []}
    for k in range(folds):
        test = set(order[k::folds])
        t_in = [truth[i] for i in range(n) if i not in test]
        p_in = [predicted[i] for i in range(n) if i not in test]
        t_out = [truth[i] for i in sorted(test)]
        p_out = [predicted[i] for i in sorted(test)]
        target = true_nps(t_out)
        errors["cal"].append(corrected_nps(p_out, calibrated_confusion(t_in, p_in, prior)) - target)
        if prior is not None:
            errors["raw"].append(corrected_nps(p_out, prior) - target)
        errors["cc"].append(true_nps(p_out) - target)

    def mae(xs: list[float]) -> float:
        return float(np.mean(np.abs(xs)))

    uncalibrated = mae(errors["raw"]) if errors["raw"] else None
    return CrossValidation(folds, n, mae(errors["cal"]), uncalibrated, mae(errors["cc"]))


def simulate(
    truth: Sequence[str],
    predicted: Sequence[str],
    prior: Confusion | None,
    labelled: int = 200,
    repeats: int = 20,
    seed: int = 0,
) -> dict[str, float]:
    """Calibrate on ``labelled`` random items, estimate the NPS of all the others.

    This is the situation the product is in: a few hundred survey answers with scores,
    and many unscored social posts from the same customers.
    """
    rng = random.Random(seed)
    calibrated, uncalibrated = [], []
    for _ in range(repeats):
        chosen = set(rng.sample(range(len(truth)), labelled))
        t_in = [truth[i] for i in chosen]
        p_in = [predicted[i] for i in chosen]
        t_out = [t for i, t in enumerate(truth) if i not in chosen]
        p_out = [p for i, p in enumerate(predicted) if i not in chosen]
        target = true_nps(t_out)
        confusion = calibrated_confusion(t_in, p_in, prior)
        calibrated.append(abs(corrected_nps(p_out, confusion) - target))
        if prior is not None:
            uncalibrated.append(abs(corrected_nps(p_out, prior) - target))
    return {
        "labelled": labelled,
        "repeats": repeats,
        "calibrated_mae": round(float(np.mean(calibrated)), 2),
        "calibrated_max": round(float(np.max(calibrated)), 2),
        "uncalibrated_mae": round(float(np.mean(uncalibrated)), 2) if uncalibrated else -1.0,
    }
