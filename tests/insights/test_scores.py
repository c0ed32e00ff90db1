"""insights.scores: the metrics table a principal may see, straight from the core."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import item, write_jsonl
from sqlalchemy import Engine

from socialcem.accounts.principal import ROLE_SCOPES, Principal, Role
from socialcem.analysis.base import model_version
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.insights.scores import ALL_METRICS, ScoreQuery, score_table
from socialcem.models import Location
from socialcem.store.locations import add_locations, brand_id
from socialcem.store.visibility import LocationNotFound, visible_subtree

TREE = [("North", None, "region"), ("Store A", "North", "store"),
        ("Store B", "North", "store"), ("South", None, "region"),
        ("Store C", "South", "store")]  # fmt: skip
STORES = ("Store A", "Store B", "Store C")


@pytest.fixture
def brand(store: Engine, tmp_path: Path) -> int:
    """30 rated survey items, ten per store: scores 0, 1, ... 10, 0, ... in turn."""
    with store.begin() as conn:
        add_locations(conn, brand_id(conn, "acme") or 0, [Location(*t) for t in TREE])
    rows = [
        item(
            i, source="survey", location=STORES[i % 3], rating=str(i % 11), rating_scale="nps_0_10"
        )
        for i in range(30)
    ]
    ingest_file(store, write_jsonl(tmp_path / "s.jsonl", rows), IngestOptions("acme", workers=0))
    with store.connect() as conn:
        return brand_id(conn, "acme") or 0


def principal(brand: int, role: Role, locations: frozenset[int] | None = None) -> Principal:
    where = None if locations is None else "North"
    return Principal(None, "t", brand, "acme", role, ROLE_SCOPES[role], locations, where)


def query(brand: int, by: str = "location", top: str | None = None) -> ScoreQuery:
    return ScoreQuery(brand, model_version(None), ALL_METRICS, None, by, top, None, None)  # type: ignore[arg-type]


def test_a_region_row_is_the_sum_of_its_stores(store: Engine, brand: int) -> None:
    with store.connect() as conn:
        rows = {
            r["segment"]: r
            for r in score_table(conn, principal(brand, Role.ANALYST), query(brand)).rows
        }
    assert rows["North"]["items"] == rows["Store A"]["items"] + rows["Store B"]["items"] == 20
    assert rows["South"]["items"] == rows["Store C"]["items"] == 10


def test_a_pinned_principal_sees_its_subtree_only(store: Engine, brand: int) -> None:
    with store.connect() as conn:
        admin = principal(brand, Role.ADMIN)
        north = frozenset(visible_subtree(conn, admin, "North"))
        manager = principal(brand, Role.LOCATION_MANAGER, north)
        rows = score_table(conn, manager, query(brand, "location", "North")).rows
        untold = score_table(conn, manager, query(brand)).rows  # pinned, no place: nothing
        total = score_table(conn, manager, query(brand, "none", "North")).rows
        with pytest.raises(LocationNotFound):
            score_table(conn, manager, query(brand, "none", "South"))
    assert {r["segment"] for r in rows} == {"North", "Store A", "Store B"}
    assert [r["items"] for r in total] == [20] and untold == []
