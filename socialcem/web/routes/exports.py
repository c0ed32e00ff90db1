"""Downloads of feedback as CSV, JSON Lines or Parquet, with the listing's filters.

The audit entry is written before the first byte is sent; rows are read in pages while
the response streams, so an export of any size holds one page in memory.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from socialcem.accounts.principal import Principal, Scope
from socialcem.exports import MEDIA_TYPES, Format, filename, record_export, streamed
from socialcem.store.feedback_queries import select_feedback
from socialcem.store.visibility import LocationNotFound
from socialcem.web.deps import EngineDep, client_ip, requires
from socialcem.web.models_out import error_responses
from socialcem.web.routes.feedback import FilterDep

router = APIRouter(prefix="/api/v1", tags=["exports"], responses=error_responses(401, 403))
Exporter = Annotated[Principal, Depends(requires(Scope.EXPORT))]
BINARY = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD = {
    "description": "The file, streamed (Content-Disposition names it).",
    "content": {media.split(";")[0]: BINARY for media in MEDIA_TYPES.values()},
}


@router.get(
    "/exports/feedback",
    response_class=StreamingResponse,
    responses={200: DOWNLOAD, **error_responses(404)},
    summary="Export feedback as CSV, JSON Lines or Parquet",
)
def export_feedback(
    request: Request,
    caller: Exporter,
    engine: EngineDep,
    filters: FilterDep,
    fmt: Annotated[Format, Query(alias="format")] = "csv",
) -> StreamingResponse:
    """Items the caller may see, newest first; CSV cells that a spreadsheet would run as a
    formula start with a quote."""
    try:
        with engine.connect() as conn:
            selection = select_feedback(conn, caller, filters)
    except LocationNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    ip = client_ip(request)
    record_export(engine, caller, fmt, filters, ip=ip)
    name = filename(caller.brand, fmt, datetime.now(UTC).date())
    return StreamingResponse(
        streamed(engine, selection, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
