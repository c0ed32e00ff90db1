"""Honest figures for the MiniLM heads: leave-one-domain-out for rated text.

Each of the training domains is predicted by heads trained on the others, which is how
the product meets a new brand. The pooled held-out confusion is what adjusted
classify-and-count needs; the spread of the adjusted error across domains (each corrected
with the confusion of the *other* domains) is its systematic uncertainty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from socialcem.analysis.evaluate import metrics
from socialcem.analysis.minilm import CATEGORIES, Matrix
from socialcem.analysis.prevalence import adjust
from socialcem.analysis.training.data import Example
from socialcem.analysis.training.minilm_fit import (
    balanced_weights,
    fit_ridge,
    fit_softmax,
    predict_labels,
)

LTR_CLIP = (0.0, 10.0)


def nps_of(labels: Sequence[str]) -> float:
    n = len(labels)
    return 100.0 * (labels.count("promoter") - labels.count("detractor")) / n if n else 0.0


def confusion(truth: Sequence[str], predicted: Sequence[str]) -> list[list[int]]:
    grid = [[0] * 3 for _ in CATEGORIES]
    for t, p in zip(truth, predicted, strict=True):
        grid[CATEGORIES.index(t)][CATEGORIES.index(p)] += 1
    return grid


def adjusted_nps(predicted: Sequence[str], counts: Matrix) -> float:
    """Adjusted classify-and-count (prevalence.adjust) with these confusion counts."""
    shares = np.array([predicted.count(c) for c in CATEGORIES], dtype=np.float64)
    rates = (counts + 0.5) / (counts + 0.5).sum(axis=1, keepdims=True)
    p = adjust(shares / shares.sum(), rates)
    return float(100.0 * (p[2] - p[0]))


def _split(examples: Sequence[Example], held: str) -> tuple[NDArray[np.bool_], list[str]]:
    train = np.array([e.domain != held for e in examples])
    return train, [e.domain for e, keep in zip(examples, train, strict=True) if keep]


def ltr_lodo(x: Matrix, examples: Sequence[Example], alpha: float) -> dict[str, float]:
    """Mean absolute error of the 0-10 likelihood on each held-out domain."""
    ltr = np.array([e.ltr or 0.0 for e in examples])
    out = {}
    for held in sorted({e.domain for e in examples}):
        train, groups = _split(examples, held)
        head = fit_ridge(x[train], ltr[train].tolist(), alpha, balanced_weights(groups), LTR_CLIP)
        out[held] = round(float(np.abs(head.apply(x[~train])[:, 0] - ltr[~train]).mean()), 3)
    return out


def lodo(
    x: Matrix, examples: Sequence[Example], c: float, alpha: float | None = None
) -> dict[str, Any]:
    """Per held-out domain: macro-recall, accuracy, NPS errors (and LTR MAE with ``alpha``)."""
    labels = np.array([e.label for e in examples])
    rows: dict[str, dict[str, Any]] = {}
    for held in sorted({e.domain for e in examples}):
        train, groups = _split(examples, held)
        weight = balanced_weights(labels[train].tolist(), groups)
        head = fit_softmax(x[train], labels[train].tolist(), CATEGORIES, c, weight)
        truth = labels[~train].tolist()
        predicted = predict_labels(head, x[~train])
        scored = metrics(truth, predicted, CATEGORIES)
        rows[held] = {
            "n": len(truth),
            "macro_recall": round(scored["macro_recall"], 4),
            "accuracy": round(scored["accuracy"], 4),
            "true_nps": round(nps_of(truth), 2),
            "cc_error": round(nps_of(predicted) - nps_of(truth), 2),
            "confusion": confusion(truth, predicted),
            "predicted": predicted,
        }
    if alpha is not None:
        for held, mae in ltr_lodo(x, examples, alpha).items():
            rows[held]["ltr_mae"] = mae
    return _summarise(rows)


def _summarise(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    pooled = np.sum([np.array(r["confusion"], dtype=np.float64) for r in rows.values()], axis=0)
    for row in rows.values():
        others = pooled - np.array(row["confusion"], dtype=np.float64)
        estimate = adjusted_nps(row.pop("predicted"), others)
        row["adjusted_error"] = round(estimate - row["true_nps"], 2)
    adjusted = np.array([r["adjusted_error"] for r in rows.values()])
    summary = {
        "mean_macro_recall": round(float(np.mean([r["macro_recall"] for r in rows.values()])), 4),
        "mean_abs_cc_error": round(float(np.mean([abs(r["cc_error"]) for r in rows.values()])), 2),
        "mean_abs_adjusted_error": round(float(np.mean(np.abs(adjusted))), 2),
        "systematic_sd": round(float(np.sqrt(np.mean(adjusted**2))), 2),
    }
    if all("ltr_mae" in r for r in rows.values()):
        summary["mean_ltr_mae"] = round(float(np.mean([r["ltr_mae"] for r in rows.values()])), 3)
    return {"domains": rows, "summary": summary, "confusion": pooled.astype(int).tolist()}
