"""THE access-control matrix: every read endpoint x every kind of caller, on both backends.

One brand (acme) with two regions, franchisees under each (one with a kiosk below it),
items at every location and one without a location; a second brand (rival) with its own.
Each location's items carry a marker in their text and ids, so a response body that leaks
another location's data is caught whatever field it hides in. A new endpoint is a new row
in CASES.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from accounts_helpers import member_token
from fastapi.testclient import TestClient
from helpers import fresh_store_url, item, write_jsonl
from httpx import Response
from sqlalchemy import select

from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.models import Location
from socialcem.store import open_store
from socialcem.store.alert_store import Raised, save_alerts
from socialcem.store.locations import add_locations, brand_id, location_ids
from socialcem.store.schema import feedback
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

# marker -> (location, parent, kind); None: the item has no location.
ACME: dict[str, tuple[str | None, str | None, str]] = {
    "mk-no": ("North", None, "region"),
    "mk-fa": ("Franchisee A", "North", "franchisee"),
    "mk-ak": ("A Kiosk", "Franchisee A", "store"),
    "mk-fc": ("Franchisee C", "North", "franchisee"),
    "mk-so": ("South", None, "region"),
    "mk-fb": ("Franchisee B", "South", "franchisee"),
    "mk-fd": ("Franchisee D", "South", "franchisee"),
    "mk-nl": (None, None, ""),
}
RIVAL = {"mk-rv": ("Rival Depot", None, "store")}
EVERY = {**ACME, **RIVAL}
ALL_ACME = frozenset(ACME)
SUBTREE_A = frozenset({"mk-fa", "mk-ak"})
TEXTS = ("{m} the staff were rude and the coffee was cold", "{m} lovely barista, great price")


@dataclass(frozen=True)
class Caller:
    name: str
    role: str
    brand: str
    location: str | None
    sees: frozenset[str]
    """Markers of the items this caller may see."""
    scopes: frozenset[str]


ALL_SCOPES = frozenset({"feedback", "metrics", "alerts", "export"})
READ_ONLY = frozenset({"feedback"})
CALLERS = [
    Caller("admin", "admin", "acme", None, ALL_ACME, ALL_SCOPES),
    Caller("analyst", "analyst", "acme", None, ALL_ACME, ALL_SCOPES),
    Caller("viewer", "viewer", "acme", None, ALL_ACME, ALL_SCOPES - {"export"}),
    Caller("manager_a", "location_manager", "acme", "Franchisee A", SUBTREE_A, ALL_SCOPES),
    Caller(
        "agent_b", "agent", "acme", "Franchisee B", frozenset({"mk-fb"}), frozenset({"feedback"})
    ),
    Caller("rival_admin", "admin", "rival", None, frozenset(RIVAL), ALL_SCOPES),
]


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str]
    ids: dict[int, str] = field(default_factory=dict)
    """Every stored item's id -> its marker."""

    def get(self, caller: Caller, path: str, **params: Any) -> Response:
        headers = {"Authorization": f"Bearer {self.tokens[caller.name]}"}
        return self.client.get(f"/api/v1{path}", params=params, headers=headers)


def build(engine: Any, tmp_path: Path) -> dict[int, str]:
    for brand, places in (("acme", ACME), ("rival", RIVAL)):
        with engine.begin() as conn:
            key = brand_id(conn, brand) or 0
            add_locations(conn, key, [Location(n, p, k) for n, p, k in places.values() if n])
        rows = [
            item(i, id=f"{m}-{j}", text=TEXTS[j].format(m=m), location=loc or "", author=m,
                 score=str(3 + 3 * j + i % 2), created_at=f"2026-03-0{1 + j}T10:00:00Z")
            for i, (m, (loc, _, _)) in enumerate(places.items())
            for j in range(2)
        ]  # fmt: skip
        path = write_jsonl(tmp_path / f"{brand}.jsonl", rows)
        ingest_file(engine, path, IngestOptions(brand=brand, workers=0))
    with engine.begin() as conn:
        key = brand_id(conn, "acme") or 0
        where = location_ids(conn, key)
        rows = conn.execute(select(feedback.c.id, feedback.c.external_id))
        ids = {int(i): str(e).rsplit("-", 1)[0] for i, e in rows}
        by_marker = {m: sorted(i for i, mm in ids.items() if mm == m) for m in EVERY}
        save_alerts(conn, key, [
            _alert("a", "Detractor at Franchisee A (mk-fa)", where["Franchisee A"],
                   by_marker["mk-fa"], {"within": "region key mk-no"}),
            _alert("b", "Detractor at Franchisee B (mk-fb)", where["Franchisee B"],
                   by_marker["mk-fb"]),
            _alert("n", "Spike at North (mk-no)", where["North"], by_marker["mk-no"]),
            _alert("w", "Keyword: mk-nl and mk-fb", None, by_marker["mk-nl"] + by_marker["mk-fb"]),
        ])  # fmt: skip
    return ids


def _alert(
    key: str, title: str, place: int | None, items: list[int], detail: dict[str, Any] | None = None
) -> Raised:
    return Raised(
        "rule:test", key, "high", title, detail or {}, 20513, 20514, place, None, None, tuple(items)
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("matrix")
    with fresh_store_url(request.param, tmp) as url:
        engine = open_store(url)
        ids = build(engine, tmp)
        tokens = {
            c.name: member_token(engine, c.brand, f"{c.name}-user", c.role, c.location)
            for c in CALLERS
        }
        engine.dispose()
        with TestClient(create_app(Settings(db=url))) as client:
            yield World(client, tokens, ids)


def body_text(response: Response) -> str:
    """The body as text; Parquet is read back so its (compressed) strings can be searched."""
    if response.headers.get("content-type", "").startswith("application/vnd.apache.parquet"):
        return json.dumps(pq.read_table(io.BytesIO(response.content)).to_pylist(), default=str)
    return response.text


def markers_in(body: str) -> set[str]:
    return {m for m in EVERY if m in body}


def names_in(body: str) -> set[str]:
    names = {loc for loc, _, _ in EVERY.values() if loc}
    return {n for n in names if n in body} | ({"acme"} if '"acme"' in body else set())


def names_of(markers: frozenset[str]) -> set[str]:
    return {EVERY[m][0] or "" for m in markers} - {""}


# --- one row per endpoint ------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    scope: str
    """feedback, metrics, alerts or export: what a caller needs (else 403)."""
    check: Callable[[Caller, Response, World], None]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def within(self) -> str | None:
        """The location filter asked for: callers who cannot see it get 404."""
        return self.params.get("location")


def case(name: str, path: str, scope: str, check: Callable[..., None], **params: Any) -> Case:
    return Case(name, path, scope, check, params)


def feedback_markers(caller: Caller, response: Response, world: World) -> None:
    seen = {i["external_id"].rsplit("-", 1)[0] for i in response.json()["items"]}
    assert seen == expected(caller, response)


def export_markers(caller: Caller, response: Response, world: World) -> None:
    body = body_text(response)
    if response.headers["content-type"].startswith("text/csv"):
        rows = list(csv.DictReader(io.StringIO(body)))
    elif response.headers["content-type"].startswith("application/x-ndjson"):
        rows = [json.loads(line) for line in body.splitlines()]
    else:
        rows = json.loads(body)
    assert {r["external_id"].rsplit("-", 1)[0] for r in rows} == expected(caller, response)
    assert "attachment; filename=" in response.headers["content-disposition"]


def expected(caller: Caller, response: Response) -> set[str]:
    """The markers a caller should get back: what they see, within the filter asked for."""
    location = response.request.url.params.get("location")
    return set(caller.sees) & (below(location) if location else set(EVERY))


PARENTS = {loc: parent for loc, parent, _ in EVERY.values() if loc}


def below(name: str) -> set[str]:
    """Markers of the items at ``name`` or at any location under it."""
    out = set()
    for marker, (place, _, _) in EVERY.items():
        while place is not None and place != name:
            place = PARENTS[place]
        if place == name:
            out.add(marker)
    return out


def metric_segments(caller: Caller, response: Response, world: World) -> None:
    rows = response.json()["rows"]
    segments = {r["segment"] for r in rows}
    wanted = names_of(caller.sees)
    if caller.sees == ALL_ACME and "since" not in response.request.url.params:
        wanted.add("(no location)")  # a dated read is per location: unlocated items only in totals
    assert segments == wanted
    assert all(r["nps"]["low"] <= r["nps"]["value"] <= r["nps"]["high"] for r in rows)


def metric_total(caller: Caller, response: Response, world: World) -> None:
    body = response.json()
    assert sum(r["items"] for r in body["rows"]) == 2 * len(caller.sees)
    if caller.location:
        assert body["location"] == caller.location


def metric_one(caller: Caller, response: Response, world: World) -> None:
    [row] = response.json()["rows"]
    assert row["segment"] == "Franchisee B" and row["items"] == 2


def driver_items(caller: Caller, response: Response, world: World) -> None:
    location = response.request.url.params.get("location")
    want = len(expected(caller, response)) if location else len(caller.sees)
    assert response.json()["items"] == 2 * want


def alert_places(caller: Caller, response: Response, world: World) -> None:
    places = {a["location"] for a in response.json()["alerts"]}
    if caller.brand == "rival":
        assert places == set()
    elif caller.location is None:
        assert places == {"Franchisee A", "Franchisee B", "North", None}
    else:
        assert places == {"Franchisee A"}
        [alert] = response.json()["alerts"]
        assert alert["items"] == 2 and "within" not in alert["detail"]


def location_names(caller: Caller, response: Response, world: World) -> None:
    assert {loc["name"] for loc in response.json()["locations"]} == names_of(caller.sees)


B = "Franchisee B"
MAR_1 = "2026-03-01"
CASES = [
    case("feedback", "/feedback", "feedback", feedback_markers, limit=500),
    case("feedback_at_a", "/feedback", "feedback", feedback_markers, location="Franchisee A"),
    case("feedback_at_b", "/feedback", "feedback", feedback_markers, location=B),
    case("feedback_in_south", "/feedback", "feedback", feedback_markers, location="South"),
    case("metrics_by_location", "/metrics", "metrics", metric_segments, by="location"),
    case(
        "metrics_dated", "/metrics", "metrics", metric_segments, by="location", since="2026-03-01"
    ),
    case("metrics_total", "/metrics", "metrics", metric_total, metric="nps"),
    case("metrics_by_source", "/metrics", "metrics", metric_total, by="source", period="week"),
    case("metrics_at_b", "/metrics", "metrics", metric_one, location=B),
    case("drivers", "/drivers", "metrics", driver_items),
    case("drivers_at_b", "/drivers", "metrics", driver_items, location=B),
    case("alerts", "/alerts", "alerts", alert_places),
    case("locations", "/locations", "feedback", location_names),
    case("export_csv", "/exports/feedback", "export", export_markers, format="csv"),
    case("export_jsonl", "/exports/feedback", "export", export_markers, format="jsonl"),
    case("export_parquet", "/exports/feedback", "export", export_markers, format="parquet"),
    case("export_at_b", "/exports/feedback", "export", export_markers, location=B),
]


def visible_place(caller: Caller, name: str) -> bool:
    return name in names_of(caller.sees)


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_endpoint_shows_each_caller_exactly_what_they_may_see(
    world: World, case: Case, caller: Caller
) -> None:
    response = world.get(caller, case.path, **case.params)
    if case.scope not in caller.scopes:
        assert response.status_code == 403, response.text
        return
    if case.within is not None and not visible_place(caller, case.within):
        assert response.status_code == 404, response.text
        assert "location: no location named" in response.json()["detail"]
        return
    assert response.status_code == 200, response.text
    body = body_text(response)
    hidden = EVERY.keys() - caller.sees
    assert markers_in(body) & hidden == set()
    assert names_in(body) - names_of(caller.sees) - {caller.brand} == set()
    case.check(caller, response, world)


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
def test_items_by_id_exist_only_for_those_who_see_them(world: World, caller: Caller) -> None:
    assert len(world.ids) == 2 * len(EVERY)
    for id_, marker in world.ids.items():
        response = world.get(caller, f"/feedback/{id_}")
        if marker in caller.sees:
            assert response.status_code == 200 and response.json()["id"] == id_
        else:  # another franchisee's, another region's, unlocated, another tenant's: alike
            assert response.status_code == 404, (caller.name, marker)
            assert response.json()["detail"] == (
                f"feedback_id: no item {id_} visible to this caller"
            )


def test_a_location_outside_reads_like_one_that_does_not_exist(world: World) -> None:
    manager = CALLERS[3]
    for path in ("/feedback", "/metrics", "/drivers", "/exports/feedback"):
        other = world.get(manager, path, location="Franchisee B")
        missing = world.get(manager, path, location="Franchisee Z")
        assert other.status_code == missing.status_code == 404
        assert other.json()["detail"].replace("B", "Z") == missing.json()["detail"]
