"""Seasonal baselines for weekly anomaly tests, estimated from the weeks before the tested one.

Two passes. A screen (median and median absolute deviation, whose dispersion is shrunk toward
a pooled value) drops history weeks more than 3 standard deviations from the median: earlier
spikes, outages, holidays. Trimming a fixed share instead fails when two spikes fall in eight
weeks, and a spike left in the history inflates the variance enough to hide the next one.
The level and overdispersion then come from the kept weeks; the dispersion is shrunk, by its
precision, toward a value pooled across series, because eight weekly totals say little about
a variance and for sparse series Poisson noise drowns it. The uncertainty of the level itself
is added to the predictive variance, so three weeks of history are trusted less than eight.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

SCREEN_Z = 3.0
# Variance of a standard normal truncated to ±3: what the screen leaves of a clean history.
TRUNCATED_VARIANCE = 0.9733
MIN_DISPERSION = 1e-4


def row_median(values: FloatArray, valid: BoolArray) -> FloatArray:
    """Median over the valid entries of each row (0 for a row with none), without warnings."""
    n_valid = valid.sum(axis=1)
    ordered = np.sort(np.where(valid, values, np.inf), axis=1)
    low = np.maximum((n_valid - 1) // 2, 0)[:, None]
    high = np.maximum(n_valid // 2, 0)[:, None]
    pair = np.take_along_axis(ordered, low, 1) + np.take_along_axis(ordered, high, 1)
    out: FloatArray = np.where(n_valid > 0, pair[:, 0] / 2.0, 0.0)
    return out


# For n standard normal draws: E[MAD²], and the degrees of freedom MAD² is worth as a variance
# estimate (2·E²/Var). From 2 million simulated samples per n: properties of the normal law.
_MAD = {
    2: (0.5006, 1.001), 3: (0.3464, 0.788), 4: (0.3258, 1.602), 5: (0.4126, 1.529),
    6: (0.3938, 2.266), 7: (0.4319, 2.249), 8: (0.4187, 2.988), 9: (0.4394, 2.984),
    10: (0.4307, 3.716), 11: (0.4433, 3.714), 12: (0.4371, 4.459), 13: (0.4457, 4.455),
    14: (0.4410, 5.191), 15: (0.4476, 5.194), 16: (0.4440, 5.927),
}  # fmt: skip


@cache
def _mad_constants(n: int) -> tuple[float, float]:
    if n < 2:
        return 1.0, 0.0
    if n in _MAD:
        return _MAD[n]
    z = np.random.default_rng(0).standard_normal((100_000, n))
    mad2 = np.median(np.abs(z - np.median(z, axis=1, keepdims=True)), axis=1) ** 2
    return float(mad2.mean()), float(2.0 * mad2.mean() ** 2 / mad2.var())


def _mad_table(n_valid: IntArray) -> tuple[FloatArray, FloatArray]:
    table = np.array([_mad_constants(n) for n in range(int(n_valid.max(initial=0)) + 1)])
    return table[n_valid, 0], table[n_valid, 1]


def shrunk(
    raw: FloatArray, noise: FloatArray, df: FloatArray, prior: float
) -> tuple[FloatArray, FloatArray]:
    """Empirical-Bayes dispersion: per-series moment estimates weighted by their precision.

    ``noise`` is the sampling part of the relative variance (1/level for counts), so a raw
    estimate's variance is about 2·(noise + dispersion)²/df. The pool starts from ``prior``
    (worth one well-measured series, so a lone series is not left to itself) and is refined
    once; each series then moves from the pool toward its own estimate as far as its precision
    allows, taking the pool's own size as the spread between series. Returns the estimates
    and the degrees of freedom they are worth, for ``dispersion_draws``.
    """
    ok = (df > 0) & np.isfinite(raw) & np.isfinite(noise)
    raw0 = np.where(ok, raw, 0.0)
    safe_noise = np.where(np.isfinite(noise), noise, 0.0)
    pool = prior
    for _ in range(2):
        weight = np.where(ok, df / (2.0 * (safe_noise + pool) ** 2), 0.0)
        total = (weight @ raw0 + prior / prior**2) / (weight.sum() + 1.0 / prior**2)
        pool = max(float(total), MIN_DISPERSION)
    weight = np.where(ok, df / (2.0 * (safe_noise + pool) ** 2), 0.0)
    spread = 1.0 / pool**2
    estimate = np.maximum((weight * raw0 + spread * pool) / (weight + spread), MIN_DISPERSION)
    # The prior's weight in degrees of freedom: little for busy series, where the dispersion
    # is most of the variance, and a lot for sparse ones, where Poisson noise is.
    worth: FloatArray = np.where(ok, df, 0.0) + 2.0 * (1.0 + safe_noise / pool) ** 2
    return estimate, worth


# Standard normal quantiles at the midpoints of 32 equal slices of probability.
_SLICES = np.array([NormalDist().inv_cdf((i + 0.5) / 32) for i in range(32)])


def dispersion_draws(estimate: FloatArray, noise: FloatArray, df: FloatArray) -> FloatArray:
    """32 equally likely dispersions per series (n, 32) from a scaled inverse-χ² posterior.

    With a handful of history weeks the variance is itself uncertain: a p-value that plugs in
    the estimate is a z-test where a t-test is due, and on busy series, where overdispersion is
    all the variance, that made false alerts 5-20 times the nominal rate. Averaging the tail
    over these draws gives the heavier predictive tail. Quantiles of χ² by Wilson-Hilferty.
    """
    nu = np.maximum(df, 1.0)[:, None]
    c = 2.0 / (9.0 * nu)
    chi2 = nu * np.maximum(1.0 - c + _SLICES[None, :] * np.sqrt(c), 0.05) ** 3
    relative = (noise + estimate)[:, None] * nu / chi2
    out: FloatArray = np.maximum(relative - noise[:, None], MIN_DISPERSION)
    return out


def _screen(
    deviation: FloatArray, valid: BoolArray, scale: FloatArray, mad: FloatArray
) -> BoolArray:
    """Keep weeks within 3 sd of the median, and always the closer half so some remain."""
    distance = np.abs(deviation)
    keep: BoolArray = valid & ((distance <= SCREEN_Z * scale[:, None]) | (distance <= mad[:, None]))
    return keep


@dataclass(frozen=True, slots=True)
class VolumeBaseline:
    level: FloatArray  # expected weekly total
    profile: FloatArray  # (n_series, 7) share of the week per weekday, Monday first
    dispersion: FloatArray  # negative-binomial 1/size of a weekly total (point estimate)
    worth: FloatArray  # degrees of freedom the dispersion estimate is worth
    noise: FloatArray  # 1 / level: the Poisson part of the relative variance
    kept: FloatArray  # history weeks the level is the mean of


def volume_baseline(
    history: FloatArray, *, prior_dispersion: float, profile_strength: float, min_level: float
) -> VolumeBaseline:
    """Baseline from complete history weeks, ``history`` of shape (n_series, weeks, 7)."""
    n_series, n_weeks, _ = history.shape
    totals = history.sum(axis=2)
    valid = np.ones_like(totals, dtype=bool)
    centre = row_median(totals, valid)
    mad = row_median(np.abs(totals - centre[:, None]), valid)
    mad_mean, mad_df = _mad_constants(n_weeks)
    floor = np.maximum(centre, min_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        rough, _ = shrunk(
            (mad**2 / mad_mean - floor) / floor**2, 1.0 / floor, np.full(n_series, mad_df),
            prior_dispersion,
        )  # fmt: skip
    keep = _screen(totals - centre[:, None], valid, np.sqrt(floor + rough * floor**2), mad)
    kept = keep.sum(axis=1)
    level = np.where(keep, totals, 0.0).sum(axis=1) / kept
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = np.where(keep, (totals - level[:, None]) ** 2, 0.0).sum(axis=1) / (kept - 1)
        raw = (variance / TRUNCATED_VARIANCE - level) / level**2
    level = np.maximum(level, min_level)
    noise = 1.0 / level
    dispersion, worth = shrunk(raw, noise, kept - 1.0, prior_dispersion)
    by_day = np.einsum("swd,sw->sd", history, keep.astype(np.float64))
    pooled_days = by_day.sum(axis=0)
    pooled_profile = (pooled_days + 1.0) / (pooled_days.sum() + 7.0)
    profile = (by_day + profile_strength * pooled_profile) / (
        by_day.sum(axis=1, keepdims=True) + profile_strength
    )
    return VolumeBaseline(level, profile, dispersion, worth, noise, kept.astype(np.float64))


@dataclass(frozen=True, slots=True)
class ShareBaseline:
    share: FloatArray  # expected share negative
    dispersion: FloatArray  # beta-binomial intra-week correlation ρ (point estimate)
    worth: FloatArray  # degrees of freedom the dispersion estimate is worth
    noise: FloatArray  # 1 / (mean weekly mentions - 1): the binomial part, in ρ units
    weeks: FloatArray  # history weeks with any mention
    # Var(estimated share) = share·(1 - share)·(base + pairs·ρ)
    base: FloatArray
    pairs: FloatArray


def share_baseline(
    negative: FloatArray, totals: FloatArray, *, prior_dispersion: float, share_strength: float
) -> ShareBaseline:
    """Baseline from weekly negative and total counts of shape (n_series, weeks)."""
    valid = totals > 0
    n_valid = valid.sum(axis=1)
    safe_totals = np.where(valid, totals, 1.0)
    centre = np.clip(row_median(negative / safe_totals, valid), 1e-3, 0.999)
    binomial = centre * (1.0 - centre)
    residual = np.where(valid, (negative - totals * centre[:, None]), 0.0) / np.sqrt(
        safe_totals * binomial[:, None]
    )
    mad = row_median(np.abs(residual), valid)
    mad_mean, mad_df = _mad_table(n_valid)
    mean_n = np.where(valid, totals, 0.0).sum(axis=1) / np.maximum(n_valid, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        noise = 1.0 / np.maximum(mean_n - 1.0, 1.0)
        rough, _ = shrunk((mad**2 / mad_mean - 1.0) * noise, noise, mad_df, prior_dispersion)
    scale = np.sqrt(1.0 + (totals - 1.0) * rough[:, None])
    keep = _screen(residual / scale, valid, np.ones(len(totals)), mad)
    kept = keep.sum(axis=1)
    kept_neg = np.where(keep, negative, 0.0).sum(axis=1)
    kept_tot = np.where(keep, totals, 0.0).sum(axis=1)
    pooled = (kept_neg.sum() + 1.0) / (kept_tot.sum() + 2.0)
    share = np.clip((kept_neg + share_strength * pooled) / (kept_tot + share_strength), 1e-3, 0.999)
    binomial = share * (1.0 - share)
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.where(keep, (negative - totals * share[:, None]) ** 2 / safe_totals, 0.0)
        mean_n = kept_tot / np.maximum(kept, 1)
        noise = 1.0 / np.maximum(mean_n - 1.0, 1.0)
        phi = pearson.sum(axis=1) / binomial / (kept - 1) / TRUNCATED_VARIANCE
        raw = (phi - 1.0) * noise
    rho, worth = shrunk(raw, noise, kept - 1.0, prior_dispersion)
    # The prior share counts as ``share_strength`` mentions, so no history is not certainty.
    squared = (kept_tot + share_strength) ** 2
    pairs = np.where(keep, totals * (totals - 1.0), 0.0).sum(axis=1) / squared
    return ShareBaseline(
        share, rho, worth, noise, n_valid.astype(np.float64),
        (kept_tot + share_strength) / squared, pairs,
    )  # fmt: skip
