"""Upper-tail probabilities of the negative-binomial and beta-binomial laws, vectorised, numpy only.

Both are summed from the probability at the observed value using the ratio of successive
probabilities. Past the mode the ratio falls steadily (both laws are log-concave there for the
parameters used), so after a fixed number of terms the rest is bounded by a geometric series;
the bound is tight, and it can only make a p-value larger, never flag more.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_TERMS = 256
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def lgamma(x: FloatArray) -> FloatArray:
    """log Γ for x > 0 (numpy has none): Stirling's series after shifting x up by 8.

    The shift makes the series' first four terms accurate to about 1e-14; summing the logs of
    the shift keeps large arguments (a million mentions) from overflowing.
    """
    x = np.asarray(x, dtype=np.float64)
    shift = np.log(x)
    for i in range(1, 8):
        shift = shift + np.log(x + i)
    z = x + 8.0
    inv = 1.0 / z
    inv2 = inv * inv
    series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    out: FloatArray = (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series - shift
    return out


def _upper_tail(
    log_first: FloatArray, ratio: Callable[[FloatArray], FloatArray], start: FloatArray
) -> FloatArray:
    first = np.exp(log_first)
    term = np.ones_like(first)
    total = np.ones_like(first)
    j = start.astype(np.float64)
    last = ratio(j)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for step in range(_TERMS):
            term = term * last
            total += term
            j = j + 1.0
            last = ratio(j)
            if step % 16 == 15:
                rest = np.where(last < 1.0, term * last / (1.0 - last), np.inf)
                # Stop once every tail is known to 0.1%, or is surely large: big p-values
                # need no precision, and the bound below only ever errs upward.
                if bool(np.all((rest <= 1e-3 * total) | (first * total >= 0.5))):
                    break
        rest = np.where(last < 1.0, term * last / (1.0 - last), np.inf)
        p = first * (total + rest)
    out: FloatArray = np.minimum(np.nan_to_num(p, nan=1.0), 1.0)
    return out


def nb_upper_tail(observed: FloatArray, mean: FloatArray, size: FloatArray) -> FloatArray:
    """P(X ≥ observed) for a negative binomial of this mean and size (variance m + m²/size)."""
    x = np.asarray(observed, dtype=np.float64)
    p = mean / (mean + size)
    log_first = (
        lgamma(x + size)
        - lgamma(size)
        - lgamma(x + 1.0)
        + size * np.log1p(-p)
        + x * np.log(np.maximum(p, 1e-300))
    )
    return _upper_tail(log_first, lambda j: (j + size) / (j + 1.0) * p, x)


def betabinom_upper_tail(
    observed: FloatArray, n: FloatArray, a: FloatArray, b: FloatArray
) -> FloatArray:
    """P(X ≥ observed) for a beta-binomial with n trials and shape parameters a, b (≥ 1)."""
    k = np.asarray(observed, dtype=np.float64)
    log_first = (
        lgamma(n + 1.0)
        - lgamma(k + 1.0)
        - lgamma(n - k + 1.0)
        + lgamma(k + a)
        + lgamma(n - k + b)
        - lgamma(n + a + b)
        - lgamma(a)
        - lgamma(b)
        + lgamma(a + b)
    )

    def ratio(j: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (n - j) * (j + a) / ((j + 1.0) * (n - j - 1.0 + b))
        out: FloatArray = np.where(j < n, r, 0.0)
        return out

    return _upper_tail(log_first, ratio, k)
