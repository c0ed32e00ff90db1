"""What a principal sees: the brand always, a pinned caller only their subtree, on the items,
the rollups and the location tree alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import item, write_jsonl
from sqlalchemy import Engine, func, select

from socialcem.accounts.principal import Principal, Role, Scope
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.models import Location
from socialcem.store.alert_store import Raised, save_alerts
from socialcem.store.locations import add_locations, brand_id, location_ids
from socialcem.store.schema import daily_counts, feedback
from socialcem.store.visibility import (
    LocationNotFound,
    visible_alerts,
    visible_conditions,
    visible_location,
    visible_locations,
    visible_subtree,
)

TREE = [
    Location("North", None, "region"),
    Location("Franchisee A", "North", "franchisee"),
    Location("A Kiosk", "Franchisee A", "store"),
    Location("South", None, "region"),
    Location("Franchisee B", "South", "franchisee"),
]
PLACES = ["Franchisee A", "A Kiosk", "Franchisee B", "North", ""]


@pytest.fixture
def tree(store: Engine, tmp_path: Path) -> dict[str, int]:
    """Brand acme (10 items, 2 per place, 2 without one) and brand other (3 items)."""
    for brand, n in (("acme", 10), ("other", 3)):
        with store.begin() as conn:
            add_locations(conn, brand_id(conn, brand) or 0, TREE)
        rows = [item(i, id=f"{brand}{i}", location=PLACES[i % 5]) for i in range(n)]
        path = write_jsonl(tmp_path / f"{brand}.jsonl", rows)
        ingest_file(store, path, IngestOptions(brand=brand, model=None, workers=0))
    with store.connect() as conn:
        return location_ids(conn, brand_id(conn, "acme") or 0)


def principal(store: Engine, brand: str, places: set[int] | None = None) -> Principal:
    with store.connect() as conn:
        key = brand_id(conn, brand, create=False) or 0
    pinned = places is not None
    role = Role.LOCATION_MANAGER if pinned else Role.ADMIN
    at = "Franchisee A" if pinned else None
    seen = None if places is None else frozenset(places)
    return Principal(None, "u", key, brand, role, frozenset(Scope), seen, at)


def count(store: Engine, who: Principal, table: object) -> int:
    column = feedback.c.id if table is feedback else daily_counts.c["items"]
    agg = func.count(column) if table is feedback else func.sum(column)
    with store.connect() as conn:
        return int(conn.execute(select(agg).where(*visible_conditions(who, table))).scalar() or 0)


def test_conditions_hold_items_and_rollups_to_the_brand_and_subtree(
    store: Engine, tree: dict[str, int]
) -> None:
    admin = principal(store, "acme")
    pinned = principal(store, "acme", {tree["Franchisee A"], tree["A Kiosk"]})
    for table in (feedback, daily_counts):
        assert count(store, admin, table) == 10
        assert count(store, pinned, table) == 4  # no unlocated items, no rollup row 0
        assert count(store, principal(store, "other"), table) == 3
        assert count(store, principal(store, "acme", set()), table) == 0


def test_invisible_and_unknown_locations_read_the_same(store: Engine, tree: dict[str, int]) -> None:
    pinned = principal(store, "acme", {tree["Franchisee A"], tree["A Kiosk"]})
    with store.connect() as conn:
        assert visible_location(conn, pinned, "A Kiosk") == tree["A Kiosk"]
        assert visible_subtree(conn, pinned, "Franchisee A") == sorted(
            [tree["Franchisee A"], tree["A Kiosk"]]
        )
        messages = set()
        for name in ("Franchisee B", "North", "Atlantis"):
            with pytest.raises(LocationNotFound) as caught:
                visible_location(conn, pinned, name)
            messages.add(str(caught.value).replace(repr(name), "NAME"))
        assert messages == {"location: no location named NAME visible to this caller"}
        admin = principal(store, "acme")
        assert len(visible_subtree(conn, admin, "North")) == 3


def test_the_tree_is_cut_to_what_the_caller_sees(store: Engine, tree: dict[str, int]) -> None:
    with store.connect() as conn:
        everything = visible_locations(conn, principal(store, "acme"))
        pinned = principal(store, "acme", {tree["Franchisee A"], tree["A Kiosk"]})
        mine = visible_locations(conn, pinned)
    assert [(loc.name, loc.parent) for loc in everything] == [
        ("North", None),
        ("Franchisee A", "North"),
        ("A Kiosk", "Franchisee A"),
        ("South", None),
        ("Franchisee B", "South"),
    ]
    # The region above a franchisee is not named to it.
    assert [(loc.name, loc.kind, loc.parent) for loc in mine] == [
        ("Franchisee A", "franchisee", None),
        ("A Kiosk", "store", "Franchisee A"),
    ]


def test_a_pinned_caller_sees_the_alerts_of_their_locations_only(
    store: Engine, tree: dict[str, int]
) -> None:
    """Filtered in the query, so ``limit`` counts the caller's alerts, however many newer
    ones other locations have."""
    ours = {tree["Franchisee A"], tree["A Kiosk"]}

    def raised(key: str, place: int | None, day: int) -> Raised:
        detail = {"within": "brand:1"} if place else {}
        return Raised("volume", key, "high", key, detail, day, day, place)

    with store.begin() as conn:
        brand = brand_id(conn, "acme") or 0
        save_alerts(conn, brand, [raised("kiosk", tree["A Kiosk"], 100)])
        save_alerts(
            conn, brand, [raised(f"south{i}", tree["Franchisee B"], 200 + i) for i in range(5)]
        )
        save_alerts(conn, brand, [raised("brand", None, 300)])
    with store.connect() as conn:
        pinned = visible_alerts(conn, principal(store, "acme", ours), None, 1)
        everything = visible_alerts(conn, principal(store, "acme"), None, 10)
    assert [a["title"] for a in pinned] == ["kiosk"] and pinned[0]["detail"] == {}
    assert len(everything) == 7 and everything[0]["title"] == "brand"
    assert {"within": "brand:1"} in [a["detail"] for a in everything]
