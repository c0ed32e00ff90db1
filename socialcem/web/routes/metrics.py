"""GET /api/v1/metrics: parses the question; insights.scores answers it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from socialcem.accounts.principal import Principal, Scope
from socialcem.analysis.base import model_version
from socialcem.insights.scores import ALL_METRICS, ScoreQuery, score_table
from socialcem.store.visibility import LocationNotFound
from socialcem.web.deps import EngineDep, requires
from socialcem.web.models_out import ByName, MetricName, MetricsOut, PeriodName, error_responses
from socialcem.web.routes.feedback import check_range, text_param

router = APIRouter(prefix="/api/v1", tags=["metrics"], responses=error_responses(401, 403))
MetricsReader = Annotated[Principal, Depends(requires(Scope.METRICS_READ))]


@router.get(
    "/metrics",
    response_model=MetricsOut,
    responses=error_responses(404),
    summary="NPS, Social NPS, eNPS and CSAT by segment and period",
)
def metrics(
    caller: MetricsReader,
    engine: EngineDep,
    metric: Annotated[
        list[MetricName] | None, Query(description="Repeat for several; default: all four.")
    ] = None,
    period: PeriodName = "all",
    by: ByName = "none",
    location: Annotated[str | None, text_param(200, "A location and everything below it.")] = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """Every score carries its 95% interval. Pinned callers get their own subtree; by
    location lists only locations they see."""
    check_range(since, until)
    chosen = tuple(m for m in ALL_METRICS if metric is None or m in metric)
    top = location or caller.location
    ask = ScoreQuery(
        caller.brand_id, model_version(None), chosen, None if period == "all" else period,
        by, top, since, until,
    )  # fmt: skip
    try:
        with engine.connect() as conn:
            scores = score_table(conn, caller, ask)
    except LocationNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return {
        "brand": caller.brand, "model": ask.model, "metrics": list(chosen), "period": period,
        "by": by, "location": top, "since": since, "until": until,
        "social_correction": scores.correction, "rows": scores.rows,
    }  # fmt: skip
