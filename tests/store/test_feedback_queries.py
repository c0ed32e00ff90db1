"""Listing feedback as a caller sees it: every filter, the keyset cursor, one item by id."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from socialcem.accounts.principal import Principal, Role, Scope
from socialcem.analysis.base import model_version
from socialcem.ingest.runs import start_run
from socialcem.models import Analysis, Constituency, Feedback, Location, NpsCategory, RatingScale
from socialcem.models import Sentiment as S
from socialcem.store.feedback_queries import (
    BadCursor,
    FeedbackFilter,
    get_feedback,
    list_feedback,
)
from socialcem.store.locations import add_locations, brand_id, location_ids
from socialcem.store.schema import feedback
from socialcem.store.visibility import LocationNotFound
from socialcem.store.writer import encode_item, write_batch

_serial = itertools.count()
TREE = [
    Location("North", None, "region"),
    Location("Franchisee A", "North", "franchisee"),
    Location("A Kiosk", "Franchisee A", "store"),
    Location("South", None, "region"),
    Location("Franchisee B", "South", "franchisee"),
]


def put(engine: Engine, brand: str, *specs: dict[str, Any]) -> list[int]:
    """Write items (Feedback fields, plus ``sentiment`` for a default-model analysis)."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        key = brand_id(conn, brand)
        assert key is not None
        add_locations(conn, key, TREE)
        run = start_run(conn, key, "test")
        encoded = []
        for spec in specs:
            spec = dict(spec)
            tone = spec.pop("sentiment", None)
            spec.setdefault("external_id", f"e{next(_serial)}")
            spec.setdefault("source", "twitter")
            spec.setdefault("text", "fine")
            spec.setdefault("created_at", datetime(2026, 3, 1, 12, tzinfo=UTC))
            analysis = None if tone is None else _analysis(tone)
            encoded.append(encode_item(Feedback(**spec), analysis, sqlite))
        write_batch(conn, key, run, encoded, location_ids(conn, key))
        ids = conn.execute(
            select(feedback.c.id).where(feedback.c.run_id == run).order_by(feedback.c.id)
        )
        return [int(i) for i in ids.scalars()]


def _analysis(tone: str) -> Analysis:
    extra = {"ltr": 3.5, "aspects": {"staff_service": -0.4}, "intents": ["churn_risk"]}
    return Analysis(
        model_version(None), S(tone), 0.2, 0.3, 0.5, NpsCategory.PASSIVE, 0.1, 0.6, 0.3, "en",
        extra,
    )  # fmt: skip


def member(engine: Engine, brand: str, role: Role = Role.ADMIN, at: str | None = None) -> Principal:
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        assert key is not None
        places = None
        if at is not None:
            from socialcem.store.visibility import visible_subtree

            admin = Principal(None, "x", key, brand, Role.ADMIN, frozenset(Scope))
            places = frozenset(visible_subtree(conn, admin, at))
    return Principal(None, role.value, key, brand, role, frozenset(Scope), places, at)


def day(d: int) -> datetime:
    return datetime(2026, 3, d, 9, tzinfo=UTC)


@pytest.fixture
def acme(store: Engine) -> Engine:
    put(
        store, "acme",
        {"external_id": "a1", "location": "Franchisee A", "author": "ann", "sentiment": "positive",
         "text": "Great COFFEE", "created_at": day(1), "rating": 10.0,
         "rating_scale": RatingScale.NPS_0_10},
        {"external_id": "k1", "location": "A Kiosk", "source": "yelp", "author": "bob",
         "sentiment": "negative", "text": "cold 100% coffee_x", "created_at": day(2),
         "rating": 2.0, "rating_scale": RatingScale.NPS_0_10, "touchpoint": "checkout"},
        {"external_id": "b1", "location": "Franchisee B", "author": "carl", "sentiment": "negative",
         "text": "Rude staff", "created_at": day(3), "constituency": Constituency.EMPLOYEE},
        {"external_id": "n1", "author": "dora", "text": "no place at all", "created_at": day(4),
         "source": "survey"},
        {"external_id": "r1", "location": "North", "text": "regional", "created_at": day(5)},
    )  # fmt: skip
    put(store, "other", {"external_id": "o1", "text": "another tenant", "location": "Franchisee A"})
    return store


def ext_ids(engine: Engine, principal: Principal, filters: FeedbackFilter) -> list[str]:
    with engine.connect() as conn:
        return [i.external_id for i in list_feedback(conn, principal, filters, limit=500).items]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (FeedbackFilter(), ["r1", "n1", "b1", "k1", "a1"]),
        (FeedbackFilter(source="twitter"), ["r1", "b1", "a1"]),
        (FeedbackFilter(location="Franchisee A"), ["k1", "a1"]),
        (FeedbackFilter(location="North"), ["r1", "k1", "a1"]),
        (FeedbackFilter(since=date(2026, 3, 2), until=date(2026, 3, 4)), ["n1", "b1", "k1"]),
        (FeedbackFilter(constituency="employee"), ["b1"]),
        (FeedbackFilter(touchpoint="checkout"), ["k1"]),
        (FeedbackFilter(author="ann"), ["a1"]),
        (FeedbackFilter(sentiment="negative"), ["b1", "k1"]),
        (FeedbackFilter(rating_category="detractor"), ["k1"]),
        (FeedbackFilter(q="coffee"), ["k1", "a1"]),  # any case
        (FeedbackFilter(q="100%"), ["k1"]),  # LIKE wildcards are literal
        (FeedbackFilter(q="_"), ["k1"]),
        (FeedbackFilter(source="twitter", location="North", sentiment="positive"), ["a1"]),
    ],
)
def test_each_filter_narrows_to_exactly_its_items(
    acme: Engine, filters: FeedbackFilter, expected: list[str]
) -> None:
    assert ext_ids(acme, member(acme, "acme"), filters) == expected


def test_a_pinned_caller_sees_only_their_subtree(acme: Engine) -> None:
    pinned = member(acme, "acme", Role.LOCATION_MANAGER, "Franchisee A")
    assert ext_ids(acme, pinned, FeedbackFilter()) == ["k1", "a1"]
    assert ext_ids(acme, pinned, FeedbackFilter(location="A Kiosk")) == ["k1"]
    for elsewhere in ("Franchisee B", "North", "Nowhere"):  # above, beside, unknown: alike
        with pytest.raises(LocationNotFound, match="location: no location named"):
            ext_ids(acme, pinned, FeedbackFilter(location=elsewhere))
    assert ext_ids(acme, member(acme, "other"), FeedbackFilter()) == ["o1"]


def test_get_returns_visible_items_only(acme: Engine) -> None:
    admin = member(acme, "acme")
    pinned = member(acme, "acme", Role.AGENT, "Franchisee A")
    with acme.connect() as conn:
        by_ext = {i.external_id: i for i in list_feedback(conn, admin, FeedbackFilter()).items}
        other = list_feedback(conn, member(acme, "other"), FeedbackFilter()).items[0]
        seen = get_feedback(conn, pinned, by_ext["k1"].id)
        assert seen == by_ext["k1"]
        for hidden in ("b1", "n1", "r1"):
            assert get_feedback(conn, pinned, by_ext[hidden].id) is None
        assert get_feedback(conn, admin, other.id) is None  # another tenant
        assert get_feedback(conn, admin, 10**30) is None
    assert seen is not None and seen.analysis is not None
    assert seen.created_at == day(2) and seen.location == "A Kiosk"
    assert seen.analysis.aspects == {"staff_service": -0.4}
    assert seen.analysis.intents == ["churn_risk"] and seen.analysis.predicted_ltr == 3.5
    assert by_ext["r1"].analysis is None  # stored without analysis


def test_bad_cursors_and_limits_name_the_parameter(acme: Engine) -> None:
    admin = member(acme, "acme")
    with acme.connect() as conn:
        page = list_feedback(conn, admin, FeedbackFilter(), limit=2)
        assert page.next_cursor is not None
        for token in ("garbage", page.next_cursor[:-2], page.next_cursor + "AA", "LTEuMA"):
            with pytest.raises(BadCursor, match=r"^cursor: "):
                list_feedback(conn, admin, FeedbackFilter(), token)
        with pytest.raises(BadCursor, match="other filters"):
            list_feedback(conn, admin, FeedbackFilter(source="yelp"), page.next_cursor)
        for limit in (0, 501):
            with pytest.raises(ValueError, match=r"^limit: "):
                list_feedback(conn, admin, FeedbackFilter(), limit=limit)
    with pytest.raises(ValueError, match=r"^q: "):
        FeedbackFilter(q="x" * 201)
    with pytest.raises(ValueError, match=r"^since: "):
        FeedbackFilter(since=date(2026, 3, 2), until=date(2026, 3, 1))


FILTERS = [FeedbackFilter(), FeedbackFilter(source="yelp"), FeedbackFilter(location="North")]


def expected_ids(engine: Engine, brand: str, filters: FeedbackFilter) -> list[int]:
    """The same selection written independently of the code under test."""
    f = feedback.c
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        stmt = select(f.id).where(f.brand_id == key).order_by(f.id.desc())
        if filters.source:
            stmt = stmt.where(f.source == filters.source)
        if filters.location:
            known = location_ids(conn, key or 0)
            names = ("North", "Franchisee A", "A Kiosk")
            stmt = stmt.where(f.location_id.in_([known[n] for n in names]))
        return [int(i) for i in conn.execute(stmt).scalars()]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    limit=st.integers(1, 6),
    which=st.sampled_from(range(len(FILTERS))),
    arrivals=st.lists(st.integers(0, 3), min_size=1, max_size=12),
)
def test_pages_concatenate_to_the_whole_list_while_items_arrive(
    store: Engine, limit: int, which: int, arrivals: list[int]
) -> None:
    """Follow next_cursor to the end, writing new items between pages: the pages hold exactly
    the items that matched when the first page was read, newest first, each once."""
    brand = f"b{next(_serial)}"
    places = ["Franchisee A", "A Kiosk", "Franchisee B", "North", None]
    sources = ["twitter", "yelp"]
    put(store, brand, *({"location": places[i % 5], "source": sources[i % 2]} for i in range(9)))
    admin = member(store, brand)
    filters = FILTERS[which]
    expected = expected_ids(store, brand, filters)
    seen: list[int] = []
    cursor = None
    for n in itertools.chain(arrivals, itertools.repeat(1)):
        with store.connect() as conn:
            page = list_feedback(conn, admin, filters, cursor, limit)
        assert len(page.items) <= limit
        seen += [i.id for i in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
        put(store, brand, *({"location": places[j % 5], "source": "yelp"} for j in range(n)))
    assert seen == expected and len(set(seen)) == len(seen)
