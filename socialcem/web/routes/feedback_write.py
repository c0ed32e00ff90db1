"""Posting feedback: one item, or a bulk of them, into the caller's brand.

Each request is one transaction (ingest.live): a 2xx means every accepted item is stored,
whatever happens to the server next. Items are checked as file rows are; a refused item is
quarantined and answered with its problems, and in a bulk the other items still land (200
with one result per item, not 207, which is WebDAV's). Posting an item again is safe: the
answer is "duplicate" with the stored item's id. After the commit the new items are queued
for the brand's alert rules (ingest.arrival), which run off the request thread.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response
from fastapi.exceptions import RequestValidationError

from socialcem.accounts.principal import Principal, Scope
from socialcem.analysis.base import DEFAULT_MODEL
from socialcem.ingest.arrival import ArrivalAlerts
from socialcem.ingest.outcomes import LiveResult, Outcome
from socialcem.web.deps import GroupCommitDep, SettingsDep, requires
from socialcem.web.models_in import (
    BulkIn,
    BulkOut,
    CreatedOut,
    ItemIn,
    ItemResultOut,
    ProblemOut,
    as_record,
)
from socialcem.web.models_out import error_responses
from socialcem.web.settings import Settings
from socialcem.web.telemetry import count_ingested, count_quarantined

router = APIRouter(prefix="/api/v1", tags=["feedback"], responses=error_responses(401, 403))
VALIDATION_ERROR = {
    "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
}
Writer = Annotated[Principal, Depends(requires(Scope.FEEDBACK_WRITE))]
_arrival_lock = threading.Lock()


def model_of(settings: Settings) -> str:
    return settings.model or DEFAULT_MODEL


def arrival_alerts(request: Request) -> ArrivalAlerts | None:
    """The app's queue of alert work, made on first use; None when alerts on arrival are off."""
    state = request.app.state
    settings: Settings = state.settings
    if not settings.alerts_on_arrival:
        return None
    with _arrival_lock:
        found: ArrivalAlerts | None = getattr(state, "arrival", None)
        if found is None:
            found = state.arrival = ArrivalAlerts(state.engine, settings.model)
    return found


def after_commit(request: Request, brand_id: int, brand: str, result: LiveResult, via: str) -> None:
    """Counts for /metrics, and the new items queued for the alert rules."""
    for source, n in result.by_source("created").items():
        count_ingested(source, via, n)
    for source, n in result.by_source("rejected").items():
        count_quarantined(source, via, n)
    alerts = arrival_alerts(request) if result.arrived else None
    if alerts is not None:
        alerts.add(brand_id, brand, result.arrived)


def invalid_item(outcome: Outcome) -> RequestValidationError:
    """A 422 shaped like FastAPI's own, naming each refused field of the body."""
    return RequestValidationError(
        [
            {"type": "value_error", "loc": ("body", field), "msg": reason}
            for field, reason in outcome.problems
        ]
    )


def item_results(result: LiveResult) -> BulkOut:
    items = [
        ItemResultOut(
            index=i,
            status=o.status,
            id=o.id,
            problems=[ProblemOut(field=f, message=m) for f, m in o.problems] or None,
        )
        for i, o in enumerate(result.outcomes)
    ]
    return BulkOut(
        created=result.count("created"),
        duplicates=result.count("duplicate"),
        rejected=result.count("rejected"),
        items=items,
    )


def too_many(n: int, limit: int, loc: tuple[str, ...]) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "too_long", "loc": loc, "msg": f"at most {limit:,} items a request, got {n:,}"}]
    )


@router.post(
    "/feedback",
    status_code=201,
    response_model=CreatedOut,
    responses={
        200: {"model": CreatedOut, "description": "Stored before: the stored item's id."},
        422: {
            "description": "Refused (and quarantined); each problem names its field.",
            "content": VALIDATION_ERROR,
        },
    },
)
def create_feedback(
    item: Annotated[ItemIn, Body()],
    principal: Writer,
    request: Request,
    response: Response,
    writer: GroupCommitDep,
    settings: SettingsDep,
) -> CreatedOut:
    """Store one item (201), or find it stored already (200, status "duplicate").

    Example: `curl -H "Authorization: Bearer $TOKEN" --json '{"text": "Great coffee",
    "created_at": "2026-05-01T09:00:00Z", "source": "survey"}' $URL/api/v1/feedback`
    (the body is JSON: without `--json`, curl needs `-H "Content-Type: application/json"`)
    """
    result = writer.ingest(
        principal.brand_id, [as_record(item)], via="api", model=model_of(settings)
    )
    after_commit(request, principal.brand_id, principal.brand, result, "api")
    outcome = result.outcomes[0]
    if outcome.status == "rejected" or outcome.id is None:
        raise invalid_item(outcome)
    if outcome.status == "duplicate":
        response.status_code = 200
    return CreatedOut(status=outcome.status, id=outcome.id)


@router.post(
    "/feedback/bulk",
    response_model=BulkOut,
    responses={
        422: {
            "description": "Not a bulk, or more items than max_bulk_items.",
            "content": VALIDATION_ERROR,
        }
    },
)
def create_feedback_bulk(
    body: BulkIn,
    principal: Writer,
    request: Request,
    writer: GroupCommitDep,
    settings: SettingsDep,
) -> BulkOut:
    """Store many items in one transaction; each is answered on its own, in order.

    Refused items are quarantined and listed with their problems; the others are stored.

    Example: `curl -H "Authorization: Bearer $TOKEN" --json '{"items": [...]}'
    $URL/api/v1/feedback/bulk`
    """
    if len(body.items) > settings.max_bulk_items:
        raise too_many(len(body.items), settings.max_bulk_items, ("body", "items"))
    records = [as_record(item) for item in body.items]
    result = writer.ingest(principal.brand_id, records, via="api", model=model_of(settings))
    after_commit(request, principal.brand_id, principal.brand, result, "bulk")
    return item_results(result)
