"""Weekly anomaly detection on daily series: volume and share negative, upward only.

Each tested ISO week (Monday to Sunday; the current one may be partial) is compared with a
baseline from the complete weeks before it (see ``baseline``): a negative-binomial law for
volume, a beta-binomial for the negatives among the week's mentions. A finding needs both a
small upper-tail probability and a material effect, because on busy series a tiny p-value comes
with changes no one would act on, and on sparse ones a big ratio comes from a couple of items.

Defaults, chosen on ``simulate`` data (seeds 1-5): a tail probability under 0.003, which
with calibrated p-values bounds false alerts near 0.3 per 100 series-weeks (measured: 0.2
for volume, 0.1 for negativity), a third of the 1-per-100 budget, leaving room for real data
being rougher than simulated; volume at least x1.5 and 5 items above the baseline; share
negative at least 10 points above it, on at least 20 mentions. tests/insights/test_anomaly.py
and bench/anomaly.py measure catch rates and false alerts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialcem.insights.baseline import dispersion_draws, share_baseline, volume_baseline
from socialcem.insights.tails import betabinom_upper_tail, nb_upper_tail

FloatArray = npt.NDArray[np.float64]
SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True, slots=True)
class Finding:
    """One series-week that passed both the tail test and the materiality test."""

    series: int  # row index of the series in the input arrays
    metric: str  # "volume" or "negativity"
    week_start: int  # day number of the Monday starting the tested week
    days: int  # days of that week present in the data (7, or fewer for the current week)
    observed: float  # count in the week (volume) or share negative (negativity, 0-1)
    expected: float  # the baseline for the same days
    p_value: float  # upper-tail probability under the baseline model
    severity: str  # "low" | "medium" | "high" | "critical"


def _counts(name: str, values: npt.ArrayLike) -> FloatArray:
    array = np.asarray(values)
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_series, n_days), got shape {array.shape}")
    if array.dtype.kind not in "iubf":
        raise ValueError(f"{name} must hold integer counts, got dtype {array.dtype}")
    as_float = array.astype(np.float64)
    if array.dtype.kind == "f" and not np.all(np.isfinite(as_float) & (as_float % 1 == 0)):
        raise ValueError(f"{name} must hold whole counts (found NaN, inf or fractions)")
    if np.any(as_float < 0):
        series, day = np.argwhere(as_float < 0)[0]
        raise ValueError(f"{name} has a negative count (series {series}, day column {day})")
    return as_float


def _by_week(values: FloatArray, lead: int) -> FloatArray:
    """(n_series, n_weeks, 7) with Monday first; days outside the data are zero."""
    n_series, n_days = values.shape
    n_weeks = (lead + n_days + 6) // 7
    out = np.zeros((n_series, n_weeks * 7))
    out[:, lead : lead + n_days] = values
    return out.reshape(n_series, n_weeks, 7)


def _tested_weeks(
    first_day: int, n_days: int, weeks: int, history: int, min_history: int
) -> list[tuple[int, int, npt.NDArray[np.bool_]]]:
    """(week index, first history week, weekdays present) for each week that can be tested."""
    if isinstance(first_day, bool) or not isinstance(first_day, int | np.integer):
        raise ValueError(f"first_day must be an integer day number, got {first_day!r}")
    if isinstance(weeks, bool) or not isinstance(weeks, int | np.integer) or weeks < 1:
        raise ValueError(f"weeks must be a positive integer, got {weeks!r}")
    if min_history < 2 or history < min_history:
        raise ValueError(
            f"need 2 <= min_history_weeks <= history_weeks, got {min_history} and {history}"
        )
    lead = (int(first_day) + 3) % 7
    n_weeks = (lead + n_days + 6) // 7
    first_complete = 1 if lead else 0
    column = np.arange(n_weeks * 7).reshape(n_weeks, 7) - lead
    present = (column >= 0) & (column < n_days)
    out = []
    for week in range(max(0, n_weeks - weeks), n_weeks):
        start = max(first_complete, week - history)
        if week - start >= min_history:
            out.append((week, start, present[week]))
    return out


def _severity(effect: FloatArray, steps: tuple[float, float, float], p: FloatArray) -> list[str]:
    """Grade by the size of the effect, one grade lower when the evidence is only moderate."""
    grade = np.searchsorted(np.array(steps), effect, side="right") - (p > 1e-6)
    return [SEVERITIES[g] for g in np.clip(grade, 0, 3)]


def volume_anomalies(
    counts: npt.ArrayLike,
    first_day: int,
    weeks: int = 1,
    *,
    history_weeks: int = 8,
    min_history_weeks: int = 3,
    p_threshold: float = 3e-3,
    min_ratio: float = 1.5,
    min_excess: float = 5.0,
    prior_dispersion: float = 0.02,
    profile_strength: float = 50.0,
    min_level: float = 1.0,
) -> list[Finding]:
    """Weeks whose volume is far above the seasonal baseline: counts of shape (series, days)."""
    data = _counts("counts", counts)
    tested = _tested_weeks(first_day, data.shape[1], weeks, history_weeks, min_history_weeks)
    lead = (int(first_day) + 3) % 7
    folded = _by_week(data, lead)
    findings: list[Finding] = []
    for week, start, present in tested:
        base = volume_baseline(
            folded[:, start:week],
            prior_dispersion=prior_dispersion,
            profile_strength=profile_strength,
            min_level=min_level,
        )
        expected = base.level * base.profile[:, present].sum(axis=1)
        observed = folded[:, week].sum(axis=1)
        material = (observed >= min_ratio * expected) & (observed - expected >= min_excess)
        idx = np.flatnonzero(material)
        noise = base.noise[idx]
        draws = dispersion_draws(base.dispersion[idx], noise, base.worth[idx])
        # The level is a mean of ``kept`` weeks: its own variance adds to the week's.
        draws = draws + (noise[:, None] + draws) / base.kept[idx, None]
        size = 1.0 / np.minimum(draws, 1.0)
        p = (
            nb_upper_tail(
                np.repeat(observed[idx], size.shape[1]),
                np.repeat(expected[idx], size.shape[1]),
                size.ravel(),
            )
            .reshape(size.shape)
            .mean(axis=1)
        )
        hit = p < p_threshold
        idx, p = idx[hit], p[hit]
        ratio = observed[idx] / expected[idx]
        severity = _severity(ratio, (2.0, 2.5, 4.0), p)
        week_start = int(first_day) - lead + 7 * week
        days = int(present.sum())
        findings += [
            Finding(int(s), "volume", week_start, days, float(observed[s]), float(expected[s]),
                    float(pv), sev)
            for s, pv, sev in zip(idx, p, severity, strict=True)
        ]  # fmt: skip
    return findings


def negativity_anomalies(
    negative: npt.ArrayLike,
    totals: npt.ArrayLike,
    first_day: int,
    weeks: int = 1,
    *,
    history_weeks: int = 8,
    min_history_weeks: int = 3,
    p_threshold: float = 3e-3,
    min_rise: float = 0.10,
    min_mentions: int = 20,
    prior_dispersion: float = 0.01,
    share_strength: float = 10.0,
) -> list[Finding]:
    """Weeks whose share of negative mentions is far above the baseline share."""
    neg = _counts("negative", negative)
    tot = _counts("totals", totals)
    if neg.shape != tot.shape:
        raise ValueError(f"negative has shape {neg.shape} but totals has shape {tot.shape}")
    if np.any(neg > tot):
        series, day = np.argwhere(neg > tot)[0]
        raise ValueError(f"negative exceeds totals (series {series}, day column {day})")
    tested = _tested_weeks(first_day, neg.shape[1], weeks, history_weeks, min_history_weeks)
    lead = (int(first_day) + 3) % 7
    weekly_neg = _by_week(neg, lead).sum(axis=2)
    weekly_tot = _by_week(tot, lead).sum(axis=2)
    findings: list[Finding] = []
    for week, start, present in tested:
        base = share_baseline(
            weekly_neg[:, start:week],
            weekly_tot[:, start:week],
            prior_dispersion=prior_dispersion,
            share_strength=share_strength,
        )
        k, n = weekly_neg[:, week], weekly_tot[:, week]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(n > 0, k / n, 0.0)
        # A share needs mentions in enough history weeks, as a volume needs enough weeks.
        material = (
            (n >= max(min_mentions, 2))
            & (share - base.share >= min_rise)
            & (base.weeks >= min_history_weeks)
        )
        idx = np.flatnonzero(material)
        pi, m = base.share[idx, None], n[idx, None]
        rho = dispersion_draws(base.dispersion[idx], base.noise[idx], base.worth[idx])
        # The estimated share's own variance, folded into ρ for a week of m mentions.
        rho = rho + (base.base[idx, None] + base.pairs[idx, None] * rho) * m / (m - 1.0)
        # Shape parameters of at least 1 keep the law log-concave (see ``tails``).
        small = np.minimum(pi, 1.0 - pi)
        scale = 1.0 / np.minimum(rho, small / (1.0 + small)) - 1.0
        shape = scale.shape
        p = (
            betabinom_upper_tail(
                np.repeat(k[idx], shape[1]),
                np.repeat(n[idx], shape[1]),
                (pi * scale).ravel(),
                ((1.0 - pi) * scale).ravel(),
            )
            .reshape(shape)
            .mean(axis=1)
        )
        hit = p < p_threshold
        idx, p = idx[hit], p[hit]
        severity = _severity(share[idx] - base.share[idx], (0.15, 0.20, 0.30), p)
        week_start = int(first_day) - lead + 7 * week
        days = int(present.sum())
        findings += [
            Finding(int(s), "negativity", week_start, days, float(share[s]),
                    float(base.share[s]), float(pv), sev)
            for s, pv, sev in zip(idx, p, severity, strict=True)
        ]  # fmt: skip
    return findings
