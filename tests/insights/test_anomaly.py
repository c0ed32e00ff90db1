"""Weekly anomaly detection: catch rate and false alerts on planted spikes, and properties.

Thresholds (socialcem.insights.anomaly defaults) were chosen on simulate() seeds 1-5 only
(3,000 series x 20 weeks each). Seeds 8128 and 8129 were a first held-out check, with
p_threshold 5e-3 (it passed); the threshold was then lowered to 3e-3, not for them but so the
demo brand raises few alerts outside its planted week (tests/insights/test_alerts.py), and the
rate test moved to seeds 4242 and 4243, never run before that change.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcem.insights.anomaly import Finding, negativity_anomalies, volume_anomalies
from socialcem.insights.baseline import row_median
from socialcem.insights.simulate import flagged, simulate
from socialcem.insights.tails import betabinom_upper_tail, lgamma, nb_upper_tail

IntArray = npt.NDArray[np.int64]
MONDAY = 19_723  # 2024-01-01
RATE_SEEDS = (4242, 4243)

# ---------------------------------------------------------------- the product requirement


def _rate(hits: npt.NDArray[np.bool_], mask: npt.NDArray[np.bool_]) -> tuple[int, int]:
    return int(hits[mask].sum()), int(mask.sum())


def test_planted_spikes_are_caught_with_few_false_alerts() -> None:
    """At least 95% of planted spikes caught, at most 1 false alert per 100 series-weeks.

    Data: 2 x 1,500 generated series of 20 weeks (simulate(): levels log-uniform 0.5-200
    items/day, per-series weekday shapes, trends, week-level noise, holidays, negative-binomial
    days, 5% of series-weeks planted per metric). Every week with 3 weeks of history is tested
    (17 per series, 51,000 series-weeks).

    The 95% applies to these populations, each measured on its own:
    - volume x2.5 or more on series expecting >= 10 items/day in the week;
    - volume x3 or more on series expecting >= 3 items/day;
    - negativity +20 points or more with >= 150 mentions expected in the week;
    - negativity +30 points or more with >= 60 mentions expected.
    Sizes inside a population are drawn evenly from the generator's x2.5, 3, 4, 6 and +20, 30,
    40 points, so bigger spikes lift the average: the smallest size of the two widest
    populations (x2.5 at >= 10/day, +20 at >= 150) is also checked on its own, at 90% (it is
    a quarter to a third of its population, too few spikes to hold 95% without chance failures;
    it was caught 95-96% of the time on the tuning seeds).

    Excluded, because at a 3-in-1,000 test level the week-to-week noise of the series is as
    large as the spike: x1.5 and x2 anywhere, x2.5 below 10 items/day, anything below 3
    items/day, rises of +5 to +15 points, +20 below 150 mentions and +30 below 60
    (bench/anomaly.py prints detection for all of them). Those planted weeks count neither as
    caught nor as false alerts; false alerts are findings on series-weeks where nothing was
    planted for that metric.
    """
    hits: dict[str, list[int]] = {}

    def add(name: str, found: npt.NDArray[np.bool_], mask: npt.NDArray[np.bool_]) -> None:
        caught, total = _rate(found, mask)
        hits.setdefault(name, [0, 0])
        hits[name][0] += caught
        hits[name][1] += total

    for seed in RATE_SEEDS:
        sim = simulate(1500, 140, seed)
        n_weeks = sim.volume_multiplier.shape[1]
        tested = np.zeros(sim.volume_multiplier.shape, dtype=bool)
        tested[:, 3:] = True
        vol = flagged(volume_anomalies(sim.counts, sim.first_day, weeks=n_weeks), sim, "volume")
        neg_found = negativity_anomalies(sim.negative, sim.counts, sim.first_day, weeks=n_weeks)
        neg = flagged(neg_found, sim, "negativity")
        size, rise = sim.volume_multiplier, sim.negativity_rise
        per_day, mentions = sim.expected_volume / 7, sim.expected_volume
        add("volume x2.5+ at >= 10/day", vol, tested & (size >= 2.5) & (per_day >= 10))
        add("volume x3+ at >= 3/day", vol, tested & (size >= 3) & (per_day >= 3))
        add("volume x2.5 at >= 10/day", vol, tested & (size == 2.5) & (per_day >= 10))
        add("volume false", vol, tested & (size == 1))
        add("negativity +20+ at >= 150", neg, tested & (rise >= 0.2) & (mentions >= 150))
        add("negativity +30+ at >= 60", neg, tested & (rise >= 0.3) & (mentions >= 60))
        add("negativity +20 at >= 150", neg, tested & (rise == 0.2) & (mentions >= 150))
        add("negativity false", neg, tested & (rise == 0))
    for name, (caught, total) in hits.items():
        print(f"{name:<28} {caught:>5}/{total:<6} {100 * caught / total:6.2f}%")
    for name in ("volume", "negativity"):
        false, quiet = hits[f"{name} false"]
        assert quiet > 45_000
        assert 100 * false / quiet <= 1.0, (name, false, quiet)
    for name, (caught, total) in hits.items():
        if "false" in name:
            continue
        assert total >= 100, (name, total)
        floor = 0.90 if name in ("volume x2.5 at >= 10/day", "negativity +20 at >= 150") else 0.95
        assert caught >= floor * total, (name, caught, total)


# ---------------------------------------------------------------- properties


def _poisson(seed: int, rates: npt.ArrayLike, n_days: int) -> IntArray:
    rng = np.random.default_rng(seed)
    lam = np.broadcast_to(np.asarray(rates, dtype=float)[:, None], (np.size(rates), n_days))
    return rng.poisson(lam).astype(np.int64)


@settings(max_examples=40, deadline=None)
@given(
    levels=st.lists(st.integers(0, 500), min_size=1, max_size=6),
    n_days=st.integers(22, 120),
    first_day=st.integers(18_000, 21_000),
    weeks=st.integers(1, 12),
)
def test_a_constant_rate_never_alerts(
    levels: list[int], n_days: int, first_day: int, weeks: int
) -> None:
    counts = np.repeat(np.array(levels)[:, None], n_days, axis=1)
    assert volume_anomalies(counts, first_day, weeks=weeks) == []
    negative = counts // 3
    assert negativity_anomalies(negative, counts, first_day, weeks=weeks) == []


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(0, 60), min_size=7, max_size=7).filter(lambda s: sum(s) > 0),
    n_days=st.integers(22, 120),
    first_day=st.integers(18_000, 21_000),
)
def test_a_steady_weekly_shape_never_alerts_even_in_a_partial_week(
    shape: list[int], n_days: int, first_day: int
) -> None:
    """Weekend lulls and Monday peaks are the seasonal baseline, not anomalies."""
    weekday = (first_day + np.arange(n_days) + 3) % 7
    counts = np.array(shape)[weekday][None, :].repeat(3, axis=0) * np.array([[1], [2], [5]])
    assert volume_anomalies(counts, first_day, weeks=4) == []


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), factor=st.floats(1.25, 20.0))
def test_scaling_a_flagged_spike_up_keeps_it_flagged(seed: int, factor: float) -> None:
    sim = simulate(40, 70, seed, spike_rate=0.0)
    counts = sim.counts.copy()
    counts[:, -7:] *= 3
    found = {f.series for f in volume_anomalies(counts, sim.first_day)}
    bigger = counts.copy()
    bigger[:, -7:] = np.ceil(bigger[:, -7:] * factor).astype(np.int64)
    assert found <= {f.series for f in volume_anomalies(bigger, sim.first_day)}

    negative = sim.negative.copy()
    rng = np.random.default_rng(seed)
    negative[:, -7:] = rng.binomial(sim.counts[:, -7:], 0.7)
    found_neg = {f.series for f in negativity_anomalies(negative, sim.counts, sim.first_day)}
    worse = negative.copy()
    worse[:, -7:] = np.minimum(np.ceil(negative[:, -7:] * factor), sim.counts[:, -7:])
    assert found_neg <= {f.series for f in negativity_anomalies(worse, sim.counts, sim.first_day)}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), weeks=st.integers(1, 10))
def test_the_order_of_series_does_not_matter(seed: int, weeks: int) -> None:
    sim = simulate(60, 84, seed, first_day=MONDAY + seed % 7, spike_rate=0.1)
    order = np.random.default_rng(seed).permutation(60)

    def run(counts: IntArray, negative: IntArray) -> list[Finding]:
        found = volume_anomalies(counts, sim.first_day, weeks=weeks)
        return found + negativity_anomalies(negative, counts, sim.first_day, weeks=weeks)

    plain = {(f.series, f.metric, f.week_start): f for f in run(sim.counts, sim.negative)}
    shuffled = {
        (int(order[f.series]), f.metric, f.week_start): f
        for f in run(sim.counts[order], sim.negative[order])
    }
    assert plain.keys() == shuffled.keys()
    for key, f in plain.items():
        g = shuffled[key]
        assert (g.observed, g.days, g.severity) == (f.observed, f.days, f.severity)
        assert g.expected == pytest.approx(f.expected, rel=1e-9)
        assert g.p_value == pytest.approx(f.p_value, rel=1e-6, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rate=st.floats(10.0, 200.0),
    earlier=st.lists(st.integers(1, 8), min_size=1, max_size=2, unique=True),
    size=st.floats(3.0, 8.0),
)
def test_an_earlier_spike_does_not_mask_a_new_one(
    seed: int, rate: float, earlier: list[int], size: float
) -> None:
    """One or two spikes as big as the new one or bigger, anywhere in the 8 weeks of history.

    The new spike (x3 on 10 or more items a day, or 60% negative instead of 20%) is far
    beyond noise; what is tested is that the history's spikes neither raise the baseline nor
    inflate the variance enough to hide it.
    """
    rates = rate * np.linspace(0.5, 2.0, 20)
    rates[0] = rate
    counts = _poisson(seed, rates, 70)
    for back in earlier:
        week = slice(70 - 7 * (back + 1), 70 - 7 * back)
        counts[0, week] = np.round(counts[0, week] * size)
    counts[0, -7:] = np.round(counts[0, -7:] * 3)
    assert 0 in {f.series for f in volume_anomalies(counts, MONDAY)}

    totals = counts
    negative = np.random.default_rng(seed + 1).binomial(totals, 0.2)
    for back in earlier:
        week = slice(70 - 7 * (back + 1), 70 - 7 * back)
        negative[0, week] = np.random.default_rng(seed).binomial(totals[0, week], 0.6)
    negative[0, -7:] = np.random.default_rng(seed + 2).binomial(totals[0, -7:], 0.6)
    assert 0 in {f.series for f in negativity_anomalies(negative, totals, MONDAY)}


@settings(max_examples=40, deadline=None)
@given(
    present=st.integers(1, 6),
    shape=st.lists(st.integers(5, 60), min_size=7, max_size=7),
    offset=st.integers(0, 6),
)
def test_a_partial_current_week_uses_the_same_weekdays(
    present: int, shape: list[int], offset: int
) -> None:
    first_day = MONDAY + offset
    n_days = 63 - offset + present
    weekday = (first_day + np.arange(n_days) + 3) % 7
    counts = np.array(shape)[weekday][None, :].repeat(2, axis=0)
    counts[1, -present:] *= 4
    (finding,) = volume_anomalies(counts, first_day)
    monday = first_day + n_days - present
    assert (monday + 3) % 7 == 0
    assert (finding.series, finding.week_start, finding.days) == (1, monday, present)
    assert finding.expected == pytest.approx(sum(shape[:present]), rel=1e-3)
    assert finding.observed == 4 * sum(shape[:present])
    assert finding.severity in ("high", "critical")


@settings(max_examples=25)
@given(
    n_days=st.integers(0, 21),
    first_day=st.integers(18_000, 21_000),
    weeks=st.integers(1, 5),
)
def test_too_short_a_history_returns_nothing(n_days: int, first_day: int, weeks: int) -> None:
    counts = np.full((3, n_days), 5, dtype=np.int64)
    counts[:, -3:] = 500
    assert volume_anomalies(counts, first_day, weeks=weeks) == []
    assert negativity_anomalies(counts, counts, first_day, weeks=weeks) == []


@settings(max_examples=25)
@given(
    n_series=st.integers(0, 5),
    n_days=st.integers(0, 100),
    first_day=st.integers(18_000, 21_000),
)
def test_all_zero_series_never_alert(n_series: int, n_days: int, first_day: int) -> None:
    zeros = np.zeros((n_series, n_days), dtype=np.int64)
    assert volume_anomalies(zeros, first_day, weeks=20) == []
    assert negativity_anomalies(zeros, zeros, first_day, weeks=20) == []


def test_a_blip_of_a_few_items_never_alerts() -> None:
    counts = np.zeros((1, 63), dtype=np.int64)
    counts[0, ::7] = 1
    counts[0, -7:] = [3, 0, 0, 0, 0, 0, 0]
    assert volume_anomalies(counts, MONDAY) == []
    counts[0, -7:] = [3, 3, 3, 0, 0, 0, 0]
    assert len(volume_anomalies(counts, MONDAY)) == 1


def test_findings_carry_the_week_and_the_effect() -> None:
    counts = _poisson(3, np.full(10, 40.0), 84)
    counts[4, -7:] *= 5
    (finding,) = volume_anomalies(counts, MONDAY, weeks=1)
    assert finding.metric == "volume"
    assert finding.week_start == MONDAY + 77
    assert finding.days == 7
    assert finding.observed == counts[4, -7:].sum()
    assert finding.expected == pytest.approx(280, rel=0.15)
    assert finding.p_value < 1e-9
    assert finding.severity == "critical"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: volume_anomalies(np.zeros(10, dtype=int), MONDAY), "2-D"),
        (lambda: volume_anomalies(-np.ones((2, 30), dtype=int), MONDAY), "negative count"),
        (lambda: volume_anomalies(np.full((2, 30), 0.5), MONDAY), "whole counts"),
        (lambda: volume_anomalies(np.full((2, 30), "a"), MONDAY), "integer counts"),
        (lambda: volume_anomalies(np.ones((2, 30), dtype=int), MONDAY, weeks=0), "weeks"),
        (lambda: volume_anomalies(np.ones((2, 30), dtype=int), 1.5), "first_day"),  # type: ignore[arg-type]
        (
            lambda: negativity_anomalies(np.ones((2, 30), int), np.ones((3, 30), int), MONDAY),
            "shape",
        ),
        (
            lambda: negativity_anomalies(np.full((2, 30), 2), np.ones((2, 30), int), MONDAY),
            "negative exceeds totals",
        ),
        (
            lambda: negativity_anomalies(-np.ones((2, 30), int), np.ones((2, 30), int), MONDAY),
            "negative count",
        ),
        (
            lambda: volume_anomalies(np.ones((2, 30), int), MONDAY, min_history_weeks=1),
            "min_history_weeks",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


# ---------------------------------------------------------------- tail probabilities


def test_tails_match_scipy() -> None:
    """Within 5% (negative binomial) and 15% (beta-binomial, very overdispersed) of exact
    tails below 1%, and never below them: the truncation bound errs only toward no alert."""
    stats = pytest.importorskip("scipy.stats")
    special = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(0)
    checked = 0
    for _ in range(200):
        mean = float(np.exp(rng.uniform(np.log(0.5), np.log(5000))))
        size = float(np.exp(rng.uniform(0.0, np.log(1e5))))
        x = np.floor(mean + rng.uniform(0, 10) * np.sqrt(mean + mean**2 / size)) + 1
        ref = stats.nbinom.sf(x - 1, size, size / (size + mean))
        if 1e-250 < ref < 0.01:
            got = nb_upper_tail(np.array([x]), np.array([mean]), np.array([size]))[0]
            assert got == pytest.approx(ref, rel=0.05) and got >= ref * (1 - 1e-6)
            checked += 1
        n = int(np.exp(rng.uniform(np.log(2), np.log(2_000))))
        pi = rng.uniform(0.01, 0.95)
        cap = min(pi, 1 - pi) / (1 + min(pi, 1 - pi))
        rho = min(float(np.exp(rng.uniform(np.log(1e-6), np.log(0.3)))), cap)
        a, b = pi * (1 / rho - 1), (1 - pi) * (1 / rho - 1)
        sd = np.sqrt(n * pi * (1 - pi) * (1 + (n - 1) * rho))
        k = min(n, np.floor(n * pi + rng.uniform(0, 10) * sd) + 1)
        pmf = stats.betabinom.logpmf(np.arange(k, n + 1), n, a, b)
        ref = float(np.exp(special.logsumexp(pmf)))
        if 1e-250 < ref < 0.01:
            args = (np.array([k]), np.array([float(n)]), np.array([a]), np.array([b]))
            got = betabinom_upper_tail(*args)[0]
            assert got == pytest.approx(ref, rel=0.15) and got >= ref * (1 - 1e-6)
            checked += 1
    assert checked > 120
    x = np.concatenate([np.linspace(1e-3, 20, 2001), np.exp(np.linspace(0, 16, 500))])
    assert lgamma(x) == pytest.approx(special.gammaln(x), rel=1e-11, abs=1e-11)


def test_row_median_ignores_invalid_entries() -> None:
    values = np.array([[5.0, 1.0, 3.0, 100.0], [2.0, 4.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    valid = np.array([[True, True, True, False], [True, True, False, False], [False] * 4])
    assert row_median(values, valid).tolist() == [3.0, 3.0, 0.0]


def test_negativity_needs_mentions_in_enough_history_weeks() -> None:
    totals = np.full((2, 63), 10, dtype=np.int64)
    totals[0, :49] = 0  # only two weeks with mentions before the tested one
    negative = totals // 5
    negative[:, -7:] = totals[:, -7:]
    assert [f.series for f in negativity_anomalies(negative, totals, MONDAY)] == [1]
