"""Seeded daily count series with planted spikes, to measure anomaly detection against truth.

Volume follows a per-series level (log-uniform, sparse to busy) times a day-of-week profile
that differs by series, a slow trend, a week-level "news cycle" factor, holiday dips and
negative-binomial daily noise. Negativity is a binomial draw from the day's volume with a
beta-distributed daily share around a drifting per-series baseline. Spikes are planted per
ISO week: volume spikes multiply the week's volume and leave the share alone; negativity
spikes raise the share and leave the volume alone, so each metric has clean ground truth.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from socialcem.insights.anomaly import Finding

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

VOLUME_MULTIPLIERS = (1.5, 2.0, 2.5, 3.0, 4.0, 6.0)
NEGATIVITY_RISES = (0.05, 0.10, 0.15, 0.20, 0.30, 0.40)
# 2024-01-01, a Monday.
DEFAULT_FIRST_DAY = 19_723


@dataclass(frozen=True, slots=True)
class Simulated:
    """Daily arrays (n_series, n_days) and the truth per series and ISO week (n_series, n_weeks).

    Week 0 is the week holding ``first_day``; ``week_starts`` are their Mondays. A volume
    multiplier of 1 and a rise of 0 mean nothing was planted. ``expected_volume`` and
    ``base_share`` describe the week without its spike (and without the news-cycle factor),
    so tests can say which spikes a detector should be able to see.
    """

    counts: IntArray
    negative: IntArray
    first_day: int
    week_starts: IntArray
    days_in_week: IntArray
    volume_multiplier: FloatArray
    negativity_rise: FloatArray
    expected_volume: FloatArray
    base_share: FloatArray


def _dow_profiles(rng: np.random.Generator, n: int) -> FloatArray:
    """Office-hours, weekend-heavy or irregular weekly shapes of random strength, mean 1."""
    office = np.array([0.6, 0.7, 0.7, 0.6, 0.3, -1.4, -1.6])
    weekend = np.array([-0.5, -0.5, -0.4, -0.3, 0.2, 0.8, 0.7])
    irregular = rng.normal(0.0, 0.6, (n, 7))
    kind = rng.integers(0, 3, n)[:, None]
    shape = np.where(kind == 0, office, np.where(kind == 1, weekend, irregular))
    profile = np.exp(rng.uniform(0.0, 0.6, (n, 1)) * shape)
    out: FloatArray = profile / profile.mean(axis=1, keepdims=True)
    return out


def simulate(
    n_series: int,
    n_days: int,
    seed: int,
    *,
    first_day: int = DEFAULT_FIRST_DAY,
    spike_rate: float = 0.05,
    multipliers: tuple[float, ...] = VOLUME_MULTIPLIERS,
    rises: tuple[float, ...] = NEGATIVITY_RISES,
    level_range: tuple[float, float] = (0.5, 200.0),
) -> Simulated:
    """Generate ``n_series`` series of ``n_days`` days; spikes land in ~``spike_rate`` of weeks."""
    rng = np.random.default_rng(seed)
    day = first_day + np.arange(n_days)
    lead = (first_day + 3) % 7
    n_weeks = (lead + n_days + 6) // 7
    week = (np.arange(n_days) + lead) // 7
    weekday = (day + 3) % 7
    years = (day - first_day) / 365.0

    lo, hi = np.log(level_range[0]), np.log(level_range[1])
    level = np.exp(rng.uniform(lo, hi, n_series))
    seasonal = _dow_profiles(rng, n_series)[:, weekday]
    trend = np.exp(rng.normal(0.0, 0.5, (n_series, 1)) * years)
    cycle_sd = rng.uniform(0.0, 0.1, (n_series, 1))
    cycle = np.exp(rng.normal(0.0, 1.0, (n_series, n_weeks)) * cycle_sd - cycle_sd**2 / 2)
    # Holidays hit every series; outages or quiet days hit one.
    holiday = np.where(rng.random(n_days) < 1 / 30, rng.uniform(0.3, 0.7, n_days), 1.0)
    dips = np.where(
        rng.random((n_series, n_days)) < 0.005, rng.uniform(0.1, 0.5, (n_series, n_days)), 1.0
    )
    base = level[:, None] * seasonal * trend * holiday * dips

    planted = rng.random((n_series, n_weeks)) < spike_rate
    multiplier = np.where(planted, rng.choice(np.array(multipliers), (n_series, n_weeks)), 1.0)
    mean = base * cycle[:, week] * multiplier[:, week]
    size = np.exp(rng.uniform(np.log(4.0), np.log(100.0), (n_series, 1)))
    counts = rng.poisson(rng.gamma(size, mean / size)).astype(np.int64)

    logit0 = rng.uniform(np.log(0.05 / 0.95), np.log(0.6 / 0.4), (n_series, 1))
    share = 1.0 / (1.0 + np.exp(-(logit0 + rng.normal(0.0, 0.5, (n_series, 1)) * years)))
    planted_neg = rng.random((n_series, n_weeks)) < spike_rate
    rise = np.where(planted_neg, rng.choice(np.array(rises), (n_series, n_weeks)), 0.0)
    raised = np.minimum(share + rise[:, week], 0.97)
    phi = np.exp(rng.uniform(np.log(20.0), np.log(500.0), (n_series, 1)))
    daily_share = rng.beta(raised * phi, (1.0 - raised) * phi)
    negative = rng.binomial(counts, daily_share).astype(np.int64)

    per_week = np.zeros((n_series, n_weeks))
    np.add.at(per_week.T, week, base.T)
    share_week = np.zeros((n_series, n_weeks))
    np.add.at(share_week.T, week, share.T)
    days_in_week = np.bincount(week, minlength=n_weeks).astype(np.int64)
    week_starts = (first_day - lead + 7 * np.arange(n_weeks)).astype(np.int64)
    return Simulated(
        counts=counts,
        negative=negative,
        first_day=first_day,
        week_starts=week_starts,
        days_in_week=days_in_week,
        volume_multiplier=multiplier,
        negativity_rise=rise,
        expected_volume=per_week,
        base_share=share_week / days_in_week,
    )


def flagged(findings: Iterable[Finding], sim: Simulated, metric: str) -> npt.NDArray[np.bool_]:
    """Findings of one metric as a (n_series, n_weeks) mask aligned with the truth arrays."""
    out = np.zeros(sim.volume_multiplier.shape, dtype=bool)
    for f in findings:
        if f.metric == metric:
            out[f.series, (f.week_start - int(sim.week_starts[0])) // 7] = True
    return out
