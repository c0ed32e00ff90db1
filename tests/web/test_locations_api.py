"""GET /api/v1/locations: the tree (name, kind, parent) as far as the caller sees it."""

from __future__ import annotations

from accounts_helpers import member_token
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from socialcem.models import Location
from socialcem.store.locations import add_locations, brand_id
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

TREE = [
    Location("North", None, "region"),
    Location("Franchisee A", "North", "franchisee"),
    Location("A Kiosk", "Franchisee A", "store"),
    Location("Franchisee C", "North", "franchisee"),
    Location("South", None, "region"),
    Location("Franchisee B", "South", "franchisee"),
]


def test_each_caller_gets_their_part_of_the_tree(store: Engine, store_url: str) -> None:
    with store.begin() as conn:
        add_locations(conn, brand_id(conn, "acme") or 0, TREE)
        add_locations(conn, brand_id(conn, "rival") or 0, [Location("Rival Depot")])
    tokens = {
        "admin": member_token(store, "acme", "ann", "admin"),
        "viewer": member_token(store, "acme", "vic", "viewer"),
        "north": member_token(store, "acme", "nora", "location_manager", "North"),
        "a": member_token(store, "acme", "al", "agent", "Franchisee A"),
        "rival": member_token(store, "rival", "rob", "admin"),
    }
    with TestClient(create_app(Settings(db=store_url))) as client:

        def tree(who: str) -> list[tuple[str, str, str | None]]:
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            response = client.get("/api/v1/locations", headers=headers)
            assert response.status_code == 200
            return [(x["name"], x["kind"], x["parent"]) for x in response.json()["locations"]]

        whole = [(t.name, t.kind, t.parent) for t in TREE]
        assert tree("admin") == tree("viewer") == whole  # a parent before its children
        assert tree("north") == whole[:4]
        assert tree("a") == [
            ("Franchisee A", "franchisee", None),  # the region above is not named to them
            ("A Kiosk", "store", "Franchisee A"),
        ]
        assert tree("rival") == [("Rival Depot", "store", None)]
        assert client.get("/api/v1/locations").status_code == 401
