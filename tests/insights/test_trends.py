"""Trends per period with intervals, and the significance of each change."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from socialcem.demo.generator import DemoBrand
from socialcem.insights.change import change
from socialcem.insights.segment import Segment
from socialcem.insights.trends import trend
from socialcem.nps import nps


def test_a_big_move_on_big_samples_is_significant_a_small_one_is_not() -> None:
    before, after = nps(500, 300, 200), nps(300, 300, 400)
    moved = change("W1", before, "W2", after)
    assert moved.delta == pytest.approx(-40.0)
    assert moved.significant and moved.p_value is not None and moved.p_value < 1e-6
    small = change("W1", nps(5, 3, 2), "W2", nps(4, 3, 3))
    assert not small.significant
    empty = change("W1", nps(0, 0, 0), "W2", after)
    assert (empty.delta, empty.p_value, empty.significant) == (None, None, False)


@given(st.tuples(*(st.integers(0, 200) for _ in range(3))))
def test_no_change_is_never_significant(mix: tuple[int, int, int]) -> None:
    same = nps(*mix)
    result = change("a", same, "b", same)
    assert not result.significant


def test_the_planted_spike_week_stands_out(demo_store: tuple[Engine, DemoBrand]) -> None:
    engine, demo = demo_store
    spike = date.fromisoformat(str(demo.planted["spike_week_start"]))
    topic = str(demo.planted["spike_topic"])
    mentions = trend(engine, "demo", "mentions", "week", topic=topic)
    peak = max(mentions.points, key=lambda p: p.score.n)
    assert peak.bucket == (spike - date(1970, 1, 1)).days
    negative = trend(engine, "demo", "negative_share", "week", topic=topic)
    into_spike = [c for c in negative.changes if c.after == peak.period]
    assert into_spike and into_spike[0].delta is not None and into_spike[0].delta > 0
    assert all(p.score.low <= p.score.value <= p.score.high for p in negative.points if p.score.n)  # type: ignore[operator]


@pytest.mark.parametrize("metric", ["nps", "social_nps", "enps", "topic_nps"])
def test_every_metric_has_intervals_and_changes(
    demo_store: tuple[Engine, DemoBrand], metric: str
) -> None:
    engine, _ = demo_store
    result = trend(engine, "demo", metric, "month")  # type: ignore[arg-type]
    assert result.points and len(result.changes) == len(result.points) - 1
    assert any(p.score.value is not None for p in result.points)
    for p in result.points:
        if p.score.value is not None:
            assert p.score.low <= p.score.value <= p.score.high  # type: ignore[operator]


def test_social_nps_by_channel_reads_the_items_and_by_location_the_votes(
    demo_store: tuple[Engine, DemoBrand],
) -> None:
    engine, demo = demo_store
    where = str(demo.planted["service_problem_location"])
    at_location = trend(engine, "demo", "social_nps", "week", Segment(location=where))
    on_channel = trend(engine, "demo", "social_nps", "week", Segment(channel="twitter"))
    brand = trend(engine, "demo", "social_nps", "week")
    assert 0 < sum(p.score.n for p in at_location.points) < sum(p.score.n for p in brand.points)
    assert 0 < sum(p.score.n for p in on_channel.points) < sum(p.score.n for p in brand.points)
    daily = trend(engine, "demo", "social_nps", "day", Segment(location=where))
    assert len(daily.points) > len(at_location.points)


def test_bad_requests_are_errors(demo_store: tuple[Engine, DemoBrand]) -> None:
    engine, _ = demo_store
    with pytest.raises(ValueError, match="unknown metric"):
        trend(engine, "demo", "happiness")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="--topic applies"):
        trend(engine, "demo", "nps", topic="delivery")
    with pytest.raises(ValueError, match="no language"):
        trend(engine, "demo", "nps", segment=Segment(language="en"))
    with pytest.raises(LookupError, match="nobody"):
        trend(engine, "nobody", "nps")
    with pytest.raises(ValueError, match="after until"):
        Segment(since=date(2026, 2, 1), until=date(2026, 1, 1))


def test_social_nps_changes_are_tested_without_the_shared_model_error(
    demo_store: tuple[Engine, DemoBrand],
) -> None:
    """The planted complaint week moves Social NPS by more than sampling explains; the
    cross-source error in each point's interval would hide that if it were not shared."""
    engine, demo = demo_store
    spike = date.fromisoformat(str(demo.planted["spike_week_start"]))
    result = trend(engine, "demo", "social_nps", "week")
    into = next(
        c
        for c in result.changes
        if c.after == f"{spike.isocalendar()[0]}-W{spike.isocalendar()[1]:02d}"
    )
    assert into.delta is not None and into.delta < 0 and into.significant
    mentions = trend(engine, "demo", "mentions", "week", topic="delivery")
    assert any(c.significant and (c.delta or 0) > 0 for c in mentions.changes)
