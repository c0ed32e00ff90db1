"""Empirical-Bayes shrinkage: the DerSimonian-Laird model, its NPS/CSAT wrappers, rankings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from socialcem.insights.shrinkage import rank_shrunk, shrink, shrink_csat, shrink_nps
from socialcem.nps import EMPTY, nps

count = st.one_of(st.integers(0, 300), st.floats(0.01, 300)).map(float)  # fractional: Social NPS
triple = st.tuples(count, count, count)
families = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), triple, max_size=12)
parents = st.one_of(st.none(), st.tuples(*[st.integers(1, 5000).map(float)] * 3))
TOL = 0.011  # every score is rounded to 2 decimals


# ---------------------------------------------------------------- the general model


def test_shrink_matches_hand_computed_dersimonian_laird() -> None:
    # w = 1, 1; centre 5; Q = 50; tau2 = (50 - 1) / (2 - 1) = 49; B = 49 / 50; Var(mu) = 25.
    low, high = shrink([0.0, 10.0], [1.0, 1.0])
    assert low.prior == high.prior == pytest.approx(5.0)
    assert low.weight == pytest.approx(0.98)
    assert low.mean == pytest.approx(0.1) and high.mean == pytest.approx(9.9)
    assert low.variance == pytest.approx(0.98 + 0.02**2 * 25)


def test_shrink_with_a_known_prior_uses_the_known_mean_moment_estimate() -> None:
    # Q = 0 + 100 about mu = 0; tau2 = (100 - 2) / 2 = 49; Var(mu) is the given one.
    a, b = shrink([0.0, 10.0], [1.0, 1.0], prior_mean=0.0, prior_variance=4.0)
    assert a.weight == pytest.approx(0.98)
    assert a.mean == pytest.approx(0.0) and b.mean == pytest.approx(9.8)
    assert b.variance == pytest.approx(0.98 + 0.02**2 * 4.0)


def test_shrink_agreeing_estimates_have_tau2_zero_and_collapse_to_the_mean() -> None:
    posts = shrink([3.0, 3.0, 3.0], [1.0, 4.0, 9.0])
    assert all(p.weight == 0 and p.mean == pytest.approx(3.0) for p in posts)
    # No spread, so the posterior variance is that of the pooled mean: 1 / (1 + 1/4 + 1/9).
    assert posts[2].variance == pytest.approx(1 / (1 + 1 / 4 + 1 / 9))


@pytest.mark.parametrize(
    ("values", "variances"),
    [([1.0], [1.0, 2.0]), ([1.0], [0.0]), ([1.0], [math.inf]), ([math.nan], [1.0])],
)
def test_shrink_rejects_bad_input(values: list[float], variances: list[float]) -> None:
    with pytest.raises(ValueError):
        shrink(values, variances)


def test_empty_inputs() -> None:
    assert shrink([], []) == []
    assert shrink_nps({}) == {}
    assert shrink_nps({}, parent=(5, 3, 2)) == {}
    assert rank_shrunk({}) == []


# ---------------------------------------------------------------- NPS: properties


@given(families, parents)
def test_shrunk_lies_between_raw_and_prior_inside_its_interval(
    children: dict[str, tuple[float, float, float]], parent: tuple[float, float, float] | None
) -> None:
    for s in shrink_nps(children, parent).values():
        if s.raw.value is None:
            continue
        assert s.prior is not None and s.shrunk.value is not None
        assert 0.0 <= s.weight <= 1.0
        assert min(s.raw.value, s.prior) - TOL <= s.shrunk.value <= max(s.raw.value, s.prior) + TOL
        assert s.shrunk.low is not None and s.shrunk.high is not None
        assert -100 <= s.shrunk.low <= s.shrunk.value <= s.shrunk.high <= 100
        assert s.shrunk.n == s.raw.n


@given(families, parents, triple, st.integers(2, 50))
def test_weight_grows_with_n_for_the_same_raw_value(
    children: dict[str, tuple[float, float, float]],
    parent: tuple[float, float, float] | None,
    probe: tuple[float, float, float],
    factor: int,
) -> None:
    if sum(probe) <= 0:
        return
    children = {**children, "SMALL": probe, "BIG": tuple(factor * c for c in probe)}  # type: ignore[dict-item]
    out = shrink_nps(children, parent)
    small, big = out["SMALL"], out["BIG"]
    assert small.raw.value == pytest.approx(big.raw.value, abs=TOL)
    assert big.weight >= small.weight
    if small.weight > 0:  # tau2 > 0: strictly more weight for more data
        assert big.weight > small.weight


@given(triple, st.lists(st.floats(0.1, 50), min_size=1, max_size=8))
def test_children_that_all_agree_shrink_fully_to_their_common_value(
    mix: tuple[float, float, float], sizes: list[float]
) -> None:
    if sum(mix) <= 0:
        return
    out = shrink_nps({i: tuple(s * c for c in mix) for i, s in enumerate(sizes)})  # type: ignore[misc]
    for s in out.values():  # tau2 = 0, and the prior is the common raw value: nothing moves
        assert s.weight == 0.0
        assert s.shrunk.value == pytest.approx(s.raw.value, abs=TOL)
        assert s.prior == pytest.approx(s.raw.value, abs=TOL)


@given(families, parents, st.floats(0.05, 0.95), st.floats(0.0, 1.0))
def test_a_child_with_huge_n_barely_moves(
    children: dict[str, tuple[float, float, float]],
    parent: tuple[float, float, float] | None,
    promoter_share: float,
    detractor_part: float,
) -> None:
    pro = 1e6 * promoter_share
    det = (1e6 - pro) * detractor_part
    huge = shrink_nps({**children, "HUGE": (pro, 1e6 - pro - det, det)}, parent)["HUGE"]
    assert huge.raw.value is not None and huge.shrunk.value is not None
    assert abs(huge.shrunk.value - huge.raw.value) < 0.5


@given(families, parents, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_the_order_of_children(
    children: dict[str, tuple[float, float, float]],
    parent: tuple[float, float, float] | None,
    random: object,
) -> None:
    items = list(children.items())
    random.shuffle(items)  # type: ignore[attr-defined]
    assert shrink_nps(dict(items), parent) == shrink_nps(children, parent)
    assert rank_shrunk(shrink_nps(dict(items), parent)) == rank_shrunk(shrink_nps(children, parent))


@given(triple)
@example((0.0, 0.0, 1e-311))
def test_a_lone_child_is_its_own_prior_with_the_nps_interval(counts: tuple[float, ...]) -> None:
    raw = nps(*counts)
    s = shrink_nps({"only": counts})["only"]  # type: ignore[dict-item]
    assert s.raw == raw and s.weight == 0.0
    if s.shrunk == EMPTY:  # no responses, or so few (1e-311) that the variance overflows
        assert raw.n == 0
        return
    # Same pseudo-count variance as socialcem.nps.nps: the intervals coincide.
    for mine, theirs in zip(
        (s.shrunk.value, s.shrunk.low, s.shrunk.high), (raw.value, raw.low, raw.high), strict=True
    ):
        assert mine == pytest.approx(theirs, abs=TOL)


def test_all_promoters_still_get_a_positive_variance() -> None:
    s = shrink_nps({"a": (3, 0, 0), "b": (10, 20, 30)})["a"]
    assert s.raw.value == 100 and s.shrunk.low is not None and s.shrunk.low < 100


# ---------------------------------------------------------------- no data, distinctness, ranks


def test_zero_count_children_are_reported_as_no_data_and_change_nothing() -> None:
    children = {"a": (50.0, 30.0, 20.0), "b": (5.0, 1.0, 4.0), "c": (80.0, 10.0, 10.0)}
    with_empty = shrink_nps({**children, "none": (0.0, 0.0, 0.0)}, parent=(135, 41, 34))
    empty = with_empty.pop("none")
    assert (empty.raw, empty.shrunk, empty.weight) == (EMPTY, EMPTY, 0.0)
    assert empty.prior == nps(135, 41, 34).value
    assert not empty.distinct
    assert with_empty == shrink_nps(children, parent=(135, 41, 34))
    assert "none" not in rank_shrunk({**with_empty, "none": empty})


def test_distinct_only_when_the_shrunk_interval_excludes_the_parent() -> None:
    out = shrink_nps(
        {"big_good": (700, 200, 100), "small_good": (6, 1, 1), "typical": (300, 300, 200)},
        parent=(1006, 501, 301),
    )
    assert out["big_good"].distinct and out["typical"].distinct
    assert not out["small_good"].distinct
    assert out["big_good"].as_dict() == {
        "raw": nps(700, 200, 100).as_dict(),
        "shrunk": out["big_good"].shrunk.as_dict(),
        "weight": out["big_good"].weight,
        "prior": nps(1006, 501, 301).value,
        "distinct": True,
    }
    assert rank_shrunk(out) == ["big_good", "small_good", "typical"]


def test_ties_at_tau2_zero_rank_by_the_strength_of_evidence() -> None:
    # Close to 30 within noise: tau2 = 0, every shrunk value equals the prior.
    out = shrink_nps({"tiny_high": (6, 2, 2), "big_high": (52, 30, 18), "big_low": (48, 32, 20)})
    assert all(s.weight == 0 for s in out.values())
    # As tau2 -> 0 the big location that is above the mean leads; the tiny one stays in the middle.
    assert rank_shrunk(out) == ["big_high", "tiny_high", "big_low"]


def test_shrink_csat_proportions() -> None:
    children = {"a": (10, 10), "b": (420, 500), "c": (370, 500), "d": (380, 500), "none": (0, 0)}
    out = shrink_csat(children, parent=(7500, 10000))
    assert out["none"].shrunk == EMPTY and out["none"].prior == 75.0
    for key in "abcd":
        low, value, high = out[key].shrunk.low, out[key].shrunk.value, out[key].shrunk.high
        assert low is not None and value is not None and high is not None
        assert 0 <= low <= value <= high <= 100
    # 10 of 10 satisfied is pulled far toward 75%; 84% of 500 barely moves and leads.
    assert out["a"].weight < 0.5 < out["b"].weight
    assert rank_shrunk(out) == ["b", "a", "d", "c"]
    assert out["b"].distinct and not out["a"].distinct
    with pytest.raises(ValueError, match="more satisfied"):
        shrink_csat({"x": (5, 4)})


@pytest.mark.parametrize("bad", [(-1.0, 2.0, 3.0), (math.nan, 1.0, 1.0), (math.inf, 0.0, 0.0)])
def test_invalid_counts_are_rejected(bad: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError, match="finite and non-negative"):
        shrink_nps({"x": bad})


# ---------------------------------------------------------------- the product requirement

SIZES = np.geomspace(8, 400, 40).round().astype(int)  # 8 .. 400 responses; 7 have n <= 15
SMALL = {i for i, n in enumerate(SIZES) if n <= 15}
TYPICAL, BETTER = (0.5, 0.3, 0.2), (0.65, 0.25, 0.1)  # true NPS 30 and 55


def _simulate(truth: list[tuple[float, float, float]], draws: int = 400) -> dict[str, float]:
    """Share of seeded draws where a small location is at either end, and where #39 is first."""
    hits = dict.fromkeys(("raw_ends", "shrunk_ends", "raw_first", "shrunk_first"), 0)
    for seed in range(draws):
        rng = np.random.default_rng(seed)
        children = {
            i: tuple(float(c) for c in rng.multinomial(n, truth[i])) for i, n in enumerate(SIZES)
        }
        out = shrink_nps(children)  # type: ignore[arg-type]
        by_shrunk = rank_shrunk(out)
        by_raw = sorted(out, key=lambda i: -(out[i].raw.value or 0.0))
        hits["raw_ends"] += by_raw[0] in SMALL or by_raw[-1] in SMALL
        hits["shrunk_ends"] += by_shrunk[0] in SMALL or by_shrunk[-1] in SMALL
        hits["raw_first"] += by_raw[0] == 39
        hits["shrunk_first"] += by_shrunk[0] == 39
    return {key: value / draws for key, value in hits.items()}


def test_small_locations_stop_topping_or_tailing_the_ranking_by_chance() -> None:
    # All 40 locations share the same true NPS. Measured over 400 draws: a location with
    # n <= 15 is first or last 87.5% of the time by raw NPS, 1.75% by shrunk NPS.
    rates = _simulate([TYPICAL] * 40)
    assert rates["raw_ends"] > 0.75
    assert rates["shrunk_ends"] < 0.08


def test_shrinkage_still_ranks_the_large_truly_best_location_first() -> None:
    # Four locations are truly better (n = 10, 13, 54 and 400). Measured over 400 draws: the
    # n = 400 one is first 86% of the time by shrunk NPS, 2.5% by raw NPS (small ones win);
    # a small location is at either end 86.5% of the time raw, 3% shrunk.
    truth = [BETTER if i in (2, 5, 20, 39) else TYPICAL for i in range(40)]
    rates = _simulate(truth)
    assert rates["shrunk_first"] > 0.75
    assert rates["raw_first"] < 0.1
    assert rates["shrunk_ends"] < 0.1 < 0.75 < rates["raw_ends"]
