"""Fitting one head: weighted, standardised linear models whose scaling folds into the weights.

Standardising makes one regularisation grid fit both the embedding and the lexicon columns;
folding the scaling back into the weights keeps inference a single matrix product.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence

import numpy as np

from socialcem.analysis.minilm import Head, Matrix


def balanced_weights(labels: Sequence[str], groups: Sequence[str] | None = None) -> Matrix:
    """Weights giving every group (domain) equal mass, then every class within it.

    Classes are balanced over the group-weighted data, so a large domain's label mix does
    not decide the prior of the whole model.
    """
    n = len(labels)
    weight: Matrix = np.ones(n)
    if groups is not None:
        sizes = Counter(groups)
        weight = np.array([n / (len(sizes) * sizes[g]) for g in groups])
    mass: dict[str, float] = {}
    for label, w in zip(labels, weight, strict=True):
        mass[label] = mass.get(label, 0.0) + float(w)
    total = sum(mass.values())
    per_class = {c: total / (len(mass) * m) for c, m in mass.items()}
    result: Matrix = weight * np.array([per_class[c] for c in labels])
    return result


def _standardise(x: Matrix, weight: Matrix) -> tuple[Matrix, Matrix, Matrix]:
    mean = np.average(x, axis=0, weights=weight)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=weight))
    scale = np.where(scale > 1e-9, scale, 1.0)
    return (x - mean) / scale, mean, scale


def _fold(w: Matrix, b: Matrix, mean: Matrix, scale: Matrix) -> tuple[Matrix, Matrix]:
    """Weights on raw inputs equal to ``w`` on standardised ones."""
    raw = w / scale[:, None]
    return raw, b - mean @ raw


def fit_softmax(
    x: Matrix, labels: Sequence[str], classes: Sequence[str], c: float, weight: Matrix
) -> Head:
    """Multinomial logistic regression; ``c`` is the inverse L2 strength (sklearn's C)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    z, mean, scale = _standardise(x, weight)
    model = LogisticRegression(C=c, max_iter=2_000, tol=1e-5)
    with warnings.catch_warnings():
        # lbfgs may stop a hair short of tol on the weakest penalty; the grid still ranks it.
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        model.fit(z, list(labels), sample_weight=weight / weight.mean())
    order = [list(model.classes_).index(name) for name in classes]
    w, b = _fold(model.coef_.T[:, order], model.intercept_[order], mean, scale)
    return Head(tuple(classes), w, b)


def fit_ridge(
    x: Matrix, target: Sequence[float], alpha: float, weight: Matrix, clip: tuple[float, float]
) -> Head:
    """Weighted ridge regression for a bounded score (the 0-10 likelihood to recommend)."""
    z, mean, scale = _standardise(x, weight)
    y = np.asarray(target, dtype=np.float64)
    w_norm = weight / weight.mean()
    offset = np.average(y, weights=w_norm)
    root = np.sqrt(w_norm)[:, None]
    a = z * root
    gram = a.T @ a + alpha * np.eye(z.shape[1])
    coef = np.linalg.solve(gram, a.T @ ((y - offset) * root[:, 0]))
    w, b = _fold(coef[:, None], np.array([offset]), mean, scale)
    return Head(("ltr",), w, b, kind="linear", clip=clip)


def predict_labels(head: Head, x: Matrix) -> list[str]:
    return [head.outputs[i] for i in head.apply(x).argmax(axis=1)]
