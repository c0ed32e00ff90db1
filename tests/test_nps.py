"""NPS arithmetic: categories from native ratings, NPS with its interval, CSAT (Wilson)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcem.models import NpsCategory, RatingScale
from socialcem.nps import EMPTY, Z95, category_from_rating, csat, nps

D, P, R = NpsCategory.DETRACTOR, NpsCategory.PASSIVE, NpsCategory.PROMOTER

# ---------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        (0, D),
        (1, D),
        (5, D),
        (6, D),
        (6.9, D),
        (7, P),
        (7.5, P),
        (8, P),
        (8.99, P),
        (9, R),
        (9.5, R),
        (10, R),
    ],
)
def test_category_nps_0_10_boundaries(rating: float, expected: NpsCategory) -> None:
    assert category_from_rating(rating, RatingScale.NPS_0_10) is expected


@pytest.mark.parametrize(
    ("rating", "expected"),
    [(1, D), (2, D), (3, D), (3.5, P), (4, P), (4.5, R), (5, R)],
)
def test_category_stars_boundaries(rating: float, expected: NpsCategory) -> None:
    assert category_from_rating(rating, RatingScale.STARS_1_5) is expected


def test_category_stars_custom_cuts() -> None:
    # 1-2 detractor, 3-4 passive, 5 promoter.
    cuts = (2, 4)
    assert category_from_rating(2, RatingScale.STARS_1_5, cuts) is D
    assert category_from_rating(3, RatingScale.STARS_1_5, cuts) is P
    assert category_from_rating(5, RatingScale.STARS_1_5, cuts) is R


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_category_csat_has_no_nps_meaning(rating: int) -> None:
    assert category_from_rating(rating, RatingScale.CSAT_1_5) is None


def test_category_none_scale() -> None:
    assert category_from_rating(0, RatingScale.NONE) is None


@given(st.floats(min_value=0, max_value=10))
def test_category_nps_is_monotone(rating: float) -> None:
    order = {D: 0, P: 1, R: 2}
    lower = category_from_rating(rating, RatingScale.NPS_0_10)
    higher = category_from_rating(min(10.0, rating + 0.5), RatingScale.NPS_0_10)
    assert lower is not None and higher is not None
    assert order[lower] <= order[higher]


# ---------------------------------------------------------------- nps()

counts = st.integers(min_value=0, max_value=1_000_000)
fractional = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
any_count = counts | fractional


def _width(score_low: float | None, score_high: float | None) -> float:
    assert score_low is not None and score_high is not None
    return score_high - score_low


@given(counts, counts, counts)
def test_nps_value_and_interval_properties(pro: int, pas: int, det: int) -> None:
    score = nps(pro, pas, det)
    n = pro + pas + det
    if n == 0:
        assert score == EMPTY
        return
    assert score.value is not None and score.low is not None and score.high is not None
    assert -100 <= score.value <= 100
    assert score.low >= -100
    assert score.high <= 100
    assert score.low <= score.value <= score.high
    assert score.value == pytest.approx(100 * (pro - det) / n, abs=0.005 + 1e-9)
    assert score.n == n


@given(any_count, any_count, any_count)
def test_nps_interval_shrinks_with_four_times_the_data(pro: float, pas: float, det: float) -> None:
    if pro + pas + det <= 0:
        return
    small, large = nps(pro, pas, det), nps(4 * pro, 4 * pas, 4 * det)
    assert large.value == pytest.approx(small.value, abs=0.01)
    w_small, w_large = _width(small.low, small.high), _width(large.low, large.high)
    assert w_large <= w_small
    assert small.low is not None and small.high is not None
    if small.low > -100 and small.high < 100 and w_small > 0.05:
        assert w_large < w_small


@given(fractional, fractional, fractional)
def test_nps_accepts_fractional_counts(pro: float, pas: float, det: float) -> None:
    score = nps(pro, pas, det)
    n = pro + pas + det
    if n <= 0:
        assert score.value is None
        return
    assert score.value is not None and score.low is not None and score.high is not None
    assert -100 <= score.low <= score.value <= score.high <= 100
    assert score.value == pytest.approx(100 * (pro - det) / n, abs=0.005 + 1e-9)
    assert not any(math.isnan(x) for x in (score.value, score.low, score.high))


def test_nps_fractional_expected_counts() -> None:
    # Social NPS: expected counts summed from probabilities.
    score = nps(2.4, 1.1, 0.5)
    assert score.value == pytest.approx(100 * (2.4 - 0.5) / 4.0, abs=0.005)
    assert score.n == 4


def test_nps_zero_total_is_empty() -> None:
    score = nps(0, 0, 0)
    assert score.value is None and score.low is None and score.high is None
    assert score.n == 0
    assert score.as_dict() == {"value": None, "low": None, "high": None, "n": 0}


def test_nps_worked_example_by_hand() -> None:
    """50 promoters, 30 passives, 20 detractors (n = 100).

    NPS = 50% - 20% = 30.
    Pseudo-counted shares: q+ = 51/103, q- = 21/103.
    Var = (q+ + q- - (q+ - q-)^2) / n = (72/103 - (30/103)^2) / 100 = 6516 / 1,060,900
        = 0.00614195...; sd = 0.0783706; half-width = 1.959964 * 0.0783706 = 0.153604.
    Interval: 30 -/+ 15.36 -> [14.64, 45.36].
    """
    score = nps(50, 30, 20)
    assert score.value == 30.0
    assert score.low == 14.64
    assert score.high == 45.36
    assert score.n == 100
    half = Z95 * math.sqrt(6516 / 1_060_900)
    assert score.low == round(30 - 100 * half, 2)
    assert score.high == round(30 + 100 * half, 2)


def test_nps_all_promoters_has_non_zero_width() -> None:
    score = nps(3, 0, 0)
    assert score.value == 100.0
    assert score.high == 100.0
    assert score.low is not None and score.low < 100.0


def test_nps_all_detractors() -> None:
    score = nps(0, 0, 10)
    assert score.value == -100.0
    assert score.low == -100.0
    assert score.high is not None and score.high > -100.0


# ---------------------------------------------------------------- csat()


@st.composite
def csat_counts(draw: st.DrawFn) -> tuple[int, int]:
    total = draw(st.integers(min_value=1, max_value=1_000_000))
    satisfied = draw(st.integers(min_value=0, max_value=total))
    return satisfied, total


@given(csat_counts())
def test_csat_wilson_properties(sat_total: tuple[int, int]) -> None:
    satisfied, total = sat_total
    score = csat(satisfied, total)
    assert score.value is not None and score.low is not None and score.high is not None
    assert score.value == pytest.approx(100 * satisfied / total, abs=0.005 + 1e-9)
    assert 0 <= score.low <= score.value <= score.high <= 100
    assert score.n == total


@given(csat_counts())
def test_csat_interval_shrinks_with_four_times_the_data(sat_total: tuple[int, int]) -> None:
    satisfied, total = sat_total
    small, large = csat(satisfied, total), csat(4 * satisfied, 4 * total)
    assert large.value == small.value
    w_small, w_large = _width(small.low, small.high), _width(large.low, large.high)
    assert w_large <= w_small
    if w_small > 0.05:
        assert w_large < w_small


def test_csat_all_or_nothing_keeps_a_width() -> None:
    none_satisfied, all_satisfied = csat(0, 10), csat(10, 10)
    assert none_satisfied.value == 0.0 and none_satisfied.low == 0.0
    assert none_satisfied.high is not None and none_satisfied.high > 0
    assert all_satisfied.value == 100.0 and all_satisfied.high == 100.0
    assert all_satisfied.low is not None and all_satisfied.low < 100


@pytest.mark.parametrize("total", [0, -1])
def test_csat_empty_total(total: int) -> None:
    assert csat(0, total) == EMPTY


def test_csat_worked_example_by_hand() -> None:
    """80 satisfied of 100: Wilson interval.

    z^2 = 3.841459; denom = 1 + z^2/100 = 1.0384146
    centre = (0.8 + z^2/200) / denom = 0.8192073 / 1.0384146 = 0.788902
    half = z * sqrt(0.8 * 0.2 / 100 + z^2 / 40000) / denom = 1.959964 * 0.041183 / 1.0384146
         = 0.077731
    -> [71.12, 86.66]
    """
    score = csat(80, 100)
    assert score.value == 80.0
    assert score.low == 71.12
    assert score.high == 86.66
    assert score.n == 100
