"""Key drivers and raised alerts, as the caller may see them.

A pinned caller's drivers are those of their own subtree; they see the alerts of the
locations they see, and neither brand-wide alerts (their counts and items span every
location) nor the key of a wider alert that one of theirs is grouped under.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from socialcem.accounts.principal import Principal, Scope
from socialcem.insights.driver_report import key_drivers
from socialcem.insights.segment import Segment, day_of
from socialcem.store.alert_store import list_alerts
from socialcem.store.visibility import LocationNotFound, visible_location, visible_locations
from socialcem.web.deps import EngineDep, requires
from socialcem.web.models_out import AlertsOut, DriversOut, error_responses
from socialcem.web.routes.feedback import invalid, text_param

router = APIRouter(prefix="/api/v1", tags=["insights"], responses=error_responses(401, 403))
MetricsReader = Annotated[Principal, Depends(requires(Scope.METRICS_READ))]
AlertsReader = Annotated[Principal, Depends(requires(Scope.ALERTS_READ))]
PINNED_SCAN = 5_000
"""Alerts read for a pinned caller before those of other locations are dropped."""


@router.get(
    "/drivers",
    response_model=DriversOut,
    responses=error_responses(404),
    summary="Key drivers: topics ranked by NPS impact",
)
def drivers(
    caller: MetricsReader,
    engine: EngineDep,
    location: Annotated[str | None, text_param(200, "A location and everything below it.")] = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    if since is not None and until is not None and since > until:
        invalid("since", f"since ({since}) is after until ({until})", str(since))
    top = location or caller.location
    try:
        if top is None and caller.locations is not None:
            raise LocationNotFound("location: this caller is pinned to no location")
        if top is not None:
            with engine.connect() as conn:
                visible_location(conn, caller, top)
    except LocationNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    report = key_drivers(engine, caller.brand, Segment(location=top, since=since, until=until))
    return report.as_dict()


@router.get("/alerts", response_model=AlertsOut, summary="Raised alerts, newest first")
def alerts(
    caller: AlertsReader,
    engine: EngineDep,
    since: Annotated[date | None, Query(description="Alerts ending on or after.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    since_day = None if since is None else day_of(since)
    with engine.connect() as conn:
        if caller.locations is None:
            found = list_alerts(conn, caller.brand_id, since_day, limit)
        else:
            names = {loc.name for loc in visible_locations(conn, caller)}
            scanned = list_alerts(conn, caller.brand_id, since_day, PINNED_SCAN)
            found = [a for a in scanned if a.location is not None and a.location in names]
    out = []
    for alert in found[:limit]:
        shown = alert.as_dict()
        if caller.locations is not None:
            shown["detail"] = {k: v for k, v in alert.detail.items() if k != "within"}
        out.append(shown)
    return {"alerts": out}
