"""Key drivers: the arithmetic of NPS impact, and the planted problem found on the demo."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from socialcem.demo.generator import DemoBrand
from socialcem.insights.driver_report import UnknownBrand, drivers_by_location, key_drivers
from socialcem.insights.drivers import drivers_from_totals, overall
from socialcem.insights.segment import Segment
from socialcem.store.segments import UnknownLocation

Z = (0, 0, 0)


def totals(all_mix: tuple[int, int, int], neg: tuple[int, int, int], pos=Z, neutral=Z):  # type: ignore[no-untyped-def]
    topic = tuple(n + p + u for n, p, u in zip(neg, pos, neutral, strict=True))
    items = sum(topic)
    return {
        "": (sum(all_mix), *all_mix, 0, 0, *Z, *Z),
        "service": (items, *topic, sum(neg), sum(pos), *neg, *pos),
    }


def test_negative_mentions_all_detractors_cost_their_share_times_the_gap() -> None:
    # 1000 items: reference 400/300/200 (NPS +22.2%), 100 negative mentions all detractors.
    (driver,) = drivers_from_totals(totals((400, 300, 300), (0, 0, 100)))
    reference_nps = (400 - 200) / 900
    expected = 100 / 1000 * (reference_nps - (-1.0)) * 100
    assert driver.impact.value == pytest.approx(expected, abs=0.01)
    assert driver.impact.low is not None and driver.impact.high is not None
    assert driver.impact.low < expected < driver.impact.high
    assert driver.detractor_share.value == 100.0


def test_negative_mentions_that_look_like_everyone_else_cost_nothing() -> None:
    (driver,) = drivers_from_totals(totals((500, 300, 200), (50, 30, 20)))
    assert driver.impact.value == pytest.approx(0.0, abs=1e-9)
    assert driver.impact.low is not None and driver.impact.high is not None
    assert driver.impact.low < 0 < driver.impact.high


mixes = st.tuples(*(st.integers(0, 300) for _ in range(3)))


@given(mixes, mixes, mixes)
def test_impact_interval_contains_the_value_and_base_is_the_overall_nps(
    neg: tuple[int, int, int], pos: tuple[int, int, int], rest: tuple[int, int, int]
) -> None:
    all_mix = tuple(a + b + c for a, b, c in zip(neg, pos, rest, strict=True))
    t = totals(all_mix, neg, pos)  # type: ignore[arg-type]
    (driver,) = drivers_from_totals(t)
    for score in (driver.impact, driver.strength):
        if score.value is not None:
            assert score.low <= score.value <= score.high  # type: ignore[operator]
    assert driver.mentions == sum(neg) + sum(pos)
    if sum(all_mix):
        assert overall(t).n == sum(all_mix)


def test_ranked_by_impact_and_empty_input() -> None:
    t = totals((400, 300, 300), (0, 0, 100))
    t["price"] = (50, 0, 0, 50, 50, 0, 0, 0, 50, *Z)
    ranked = drivers_from_totals(t)
    assert [d.topic for d in ranked] == ["service", "price"]
    assert drivers_from_totals({}) == []


def test_planted_service_problem_is_the_top_driver_at_its_location(
    demo_store: tuple[Engine, DemoBrand],
) -> None:
    engine, demo = demo_store
    where = str(demo.planted["service_problem_location"])
    report = key_drivers(engine, "demo", Segment(location=where))
    assert report.drivers[0].topic == demo.planted["service_problem_topic"]
    assert report.drivers[0].impact.low > 0  # type: ignore[operator]
    brand_wide = key_drivers(engine, "demo")
    assert brand_wide.items > report.items > 0
    per_location = {r.segment.location: r for r in drivers_by_location(engine, "demo")}
    assert per_location[where].drivers[0].topic == "staff_service"


def test_unknown_names_are_errors(demo_store: tuple[Engine, DemoBrand]) -> None:
    engine, _ = demo_store
    with pytest.raises(UnknownBrand, match="nobody"):
        key_drivers(engine, "nobody")
    with pytest.raises(UnknownLocation, match="Atlantis"):
        key_drivers(engine, "demo", Segment(location="Atlantis"))
    empty = key_drivers(engine, "demo", Segment(channel="carrier-pigeon"))
    assert (empty.items, empty.drivers) == (0, [])
