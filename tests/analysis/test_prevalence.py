"""Adjusted classify-and-count: the algebra inverts the confusion, the interval is honest."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcem.analysis.prevalence import Confusion, adjust, adjusted_nps

shares = st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3).map(
    lambda xs: np.asarray(xs) / sum(xs)
)
# Diagonally dominant confusion rows: a model better than chance on every class.
rows = st.lists(st.floats(0.0, 0.3), min_size=2, max_size=2)


def _rates(offdiag: list[list[float]]) -> np.ndarray:
    m = np.zeros((3, 3))
    for i, (a, b) in enumerate(offdiag):
        others = [j for j in range(3) if j != i]
        m[i, others[0]], m[i, others[1]] = a, b
        m[i, i] = 1.0 - a - b
    return m


@given(shares, st.lists(rows, min_size=3, max_size=3))
def test_adjust_recovers_true_shares(true: np.ndarray, offdiag: list[list[float]]) -> None:
    rates = _rates(offdiag)
    observed = rates.T @ true
    assert np.allclose(adjust(observed, rates), true, atol=1e-9)


@given(shares, st.lists(rows, min_size=3, max_size=3))
def test_adjusted_shares_stay_on_the_simplex(
    observed: np.ndarray, offdiag: list[list[float]]
) -> None:
    fixed = adjust(observed, _rates(offdiag))
    assert np.all(fixed >= 0)
    assert abs(fixed.sum() - 1) < 1e-9


def test_perfect_model_gives_the_counted_nps() -> None:
    perfect = Confusion(((1000, 0, 0), (0, 1000, 0), (0, 0, 1000)))
    score = adjusted_nps(50, 30, 20, perfect)
    assert score.value is not None and abs(score.value - 30.0) < 0.2
    assert score.low is not None and score.high is not None
    assert score.low < 30 < score.high


def test_correction_removes_a_known_bias() -> None:
    # The model calls a third of detractors passive: counting understates detractors.
    confusion = Confusion(((600, 300, 0), (0, 900, 0), (0, 0, 900)))
    true = np.array([0.3, 0.2, 0.5])
    observed = confusion.rates().T @ true
    counts = observed * 10_000
    score = adjusted_nps(counts[2], counts[1], counts[0], confusion)
    counted = 100 * (observed[2] - observed[0])
    assert score.value is not None
    assert abs(score.value - 20.0) < 1.0 < abs(counted - 20.0)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 400), st.integers(0, 400), st.integers(0, 400), st.floats(0, 10))
def test_interval_contains_the_estimate(pro: int, pas: int, det: int, sd: float) -> None:
    confusion = Confusion(((70, 20, 10), (20, 60, 20), (5, 15, 80)), systematic_sd=sd)
    score = adjusted_nps(pro, pas, det, confusion)
    assert score.value is not None and score.low is not None and score.high is not None
    assert -100 <= score.low <= score.value <= score.high <= 100
    assert score.n == pro + pas + det


def test_uncertainty_widens_the_interval() -> None:
    sharp = Confusion(((7000, 2000, 1000), (2000, 6000, 2000), (500, 1500, 8000)))
    vague = Confusion(((70, 20, 10), (20, 60, 20), (5, 15, 80)), systematic_sd=5.0)
    a, b = adjusted_nps(500, 300, 200, sharp), adjusted_nps(500, 300, 200, vague)
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    assert (b.high - b.low) > (a.high - a.low)


def test_empty_counts_give_no_score() -> None:
    assert adjusted_nps(0, 0, 0, Confusion(((1, 0, 0), (0, 1, 0), (0, 0, 1)))).value is None


def test_round_trip_through_a_dict() -> None:
    c = Confusion(((1, 2, 3), (4, 5, 6), (7, 8, 9)), 2.5, "test")
    assert Confusion.from_dict(c.as_dict()) == c
