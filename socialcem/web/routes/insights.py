"""Key drivers and raised alerts, as the caller may see them (store.visibility decides)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from socialcem.accounts.principal import Principal, Scope
from socialcem.insights.driver_report import key_drivers
from socialcem.insights.segment import Segment, day_of
from socialcem.store.visibility import LocationNotFound, visible_alerts, visible_top
from socialcem.web.deps import EngineDep, requires
from socialcem.web.models_out import AlertsOut, DriversOut, error_responses
from socialcem.web.routes.feedback import check_range, text_param

router = APIRouter(prefix="/api/v1", tags=["insights"], responses=error_responses(401, 403))
MetricsReader = Annotated[Principal, Depends(requires(Scope.METRICS_READ))]
AlertsReader = Annotated[Principal, Depends(requires(Scope.ALERTS_READ))]


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
    check_range(since, until)
    try:
        with engine.connect() as conn:
            top = visible_top(conn, caller, location)
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
        return {"alerts": visible_alerts(conn, caller, since_day, limit)}
