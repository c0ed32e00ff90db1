"""`socialcem locations`: the tree, a subtree, and clear errors."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from typer.testing import CliRunner

import socialcem.cli.main  # noqa: F401  (registers every command)
from socialcem.cli.app import app
from socialcem.models import Location
from socialcem.store.locations import add_locations, brand_id

runner = CliRunner()
TREE = [("North", None, "region"), ("Store A", "North", "store"),
        ("Store B", "North", "franchisee"), ("South", None, "region"),
        ("Store C", "South", "store")]  # fmt: skip


def test_tree_subtree_and_errors(store_url: str, store: Engine) -> None:
    with store.begin() as conn:
        add_locations(conn, brand_id(conn, "acme") or 0, [Location(*t) for t in TREE])
    whole = runner.invoke(app, ["--db", store_url, "locations", "--brand", "acme", "--json"])
    assert whole.exit_code == 0, whole.output
    rows = json.loads(whole.output)
    assert {r["name"]: r["parent"] for r in rows} == {
        "North": None, "Store A": "North", "Store B": "North", "South": None, "Store C": "South",
    }  # fmt: skip
    names = [r["name"] for r in rows]
    assert all(names.index(r["parent"]) < names.index(r["name"]) for r in rows if r["parent"])
    north = runner.invoke(
        app, ["--db", store_url, "locations", "--brand", "acme", "--under", "North"]
    )
    assert north.exit_code == 0 and "Store B" in north.output and "franchisee" in north.output
    assert "Store C" not in north.output
    missing = runner.invoke(
        app, ["--db", store_url, "locations", "--brand", "acme", "--under", "West"]
    )
    assert missing.exit_code == 2 and "no location named 'West'" in missing.output
    nobody = runner.invoke(app, ["--db", store_url, "locations", "--brand", "nobody"])
    assert nobody.exit_code == 2 and "no brand 'nobody'" in nobody.output
