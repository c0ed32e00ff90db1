"""Spherical k-means on a sparse TF-IDF matrix, in numpy, with a merge of near-copies.

Cosine is the similarity that suits TF-IDF, and with unit rows and unit centroids the
k-means step is a dot product: each text joins its most similar centroid, each centroid
becomes the normalised sum of its texts. Seeded k-means++ starts and several restarts make
the result depend on the seed alone.
"""

from __future__ import annotations

import numpy as np

from socialcem.analysis.aspects.vectorise import Floats, Ints, TermMatrix

MAX_ITER = 50


def similarities(m: TermMatrix, centres: Floats) -> Floats:
    """Cosine of every row of ``m`` with every (unit) centre: an (n, k) array."""
    n, rows = m.shape[0], m.row_ids()
    columns = [np.bincount(rows, weights=m.vals * c[m.cols], minlength=n) for c in centres]
    return np.stack(columns, axis=1)


def _unit(sums: Floats) -> Floats:
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms > 0, norms, 1.0)


def cluster_sums(m: TermMatrix, labels: Ints, k: int) -> Floats:
    """The sum of each cluster's rows: a (k, terms) array."""
    width = m.shape[1]
    flat = labels[m.row_ids()] * width + m.cols
    sums = np.bincount(flat, weights=m.vals, minlength=k * width)
    return np.asarray(sums, dtype=np.float64).reshape(k, width)


def _row(m: TermMatrix, i: int) -> Floats:
    dense = np.zeros(m.shape[1])
    dense[m.cols[m.ptr[i] : m.ptr[i + 1]]] = m.vals[m.ptr[i] : m.ptr[i + 1]]
    return dense


def _start(m: TermMatrix, k: int, rng: np.random.Generator) -> Floats:
    """k-means++: each new centre is a row drawn with weight (1 - its best cosine)^2."""
    n = m.shape[0]
    centres = [_row(m, int(rng.integers(n)))]
    best = similarities(m, centres[0][None, :])[:, 0]
    for _ in range(1, k):
        weight = np.clip(1.0 - best, 0.0, None) ** 2
        total = weight.sum()
        pick = int(rng.choice(n, p=weight / total)) if total > 0 else int(rng.integers(n))
        centres.append(_row(m, pick))
        best = np.maximum(best, similarities(m, centres[-1][None, :])[:, 0])
    return np.array(centres)


def lloyd(m: TermMatrix, centres: Floats) -> tuple[Ints, Floats, Floats]:
    """k-means steps from ``centres`` until no row moves: (labels, centres, cosines)."""
    k = len(centres)
    labels = np.full(m.shape[0], -1, dtype=np.int64)
    for _ in range(MAX_ITER):
        sims = similarities(m, centres)
        new = sims.argmax(axis=1)
        empty = np.setdiff1d(np.arange(k), new)
        if len(empty):  # an emptied cluster takes the rows that fit their own worst
            worst = np.argsort(sims.max(axis=1), kind="stable")[: len(empty)]
            new[worst] = empty
        if np.array_equal(new, labels):
            break
        labels = new
        centres = _unit(cluster_sums(m, labels, k))
    return labels, centres, similarities(m, centres)


def spherical_kmeans(
    m: TermMatrix, k: int, seed: int = 0, restarts: int = 4
) -> tuple[Ints, Floats, Floats]:
    """(labels, unit centroids, (n, k) cosines) of the best of ``restarts`` seeded runs."""
    rng = np.random.default_rng(seed)
    best: tuple[Ints, Floats, Floats] | None = None
    best_fit = -np.inf
    for _ in range(restarts):
        labels, centres, sims = lloyd(m, _start(m, k, rng))
        fit = float(sims[np.arange(len(labels)), labels].sum())
        if fit > best_fit + 1e-9:
            best, best_fit = (labels, centres, sims), fit
    assert best is not None
    return best


def merge_close(m: TermMatrix, labels: Ints, k: int, threshold: float) -> Floats:
    """Centroids after merging, closest pair first, clusters whose centroids have a cosine
    of at least ``threshold``: k-means splits a large theme into near-copies; this joins
    them again. A merged centroid is the normalised sum of all its rows."""
    sums = cluster_sums(m, labels, k)
    while len(sums) > 1:
        centres = _unit(sums)
        close = centres @ centres.T
        np.fill_diagonal(close, -np.inf)
        i, j = divmod(int(close.argmax()), len(sums))
        if close[i, j] < threshold:
            break
        sums[min(i, j)] += sums[max(i, j)]
        sums = np.delete(sums, max(i, j), axis=0)
    return _unit(sums)
