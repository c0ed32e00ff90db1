"""Reading feedback: a filtered, newest-first listing with a cursor, and one item by id.

Also the query parameters every feedback read shares (the listing, exports), parsed once
into a FeedbackFilter. Items the caller may not see do not exist for them: 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, NoReturn

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.exceptions import RequestValidationError

from socialcem.accounts.principal import Principal, Scope
from socialcem.store.feedback_queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    BadCursor,
    FeedbackFilter,
    get_feedback,
    list_feedback,
)
from socialcem.store.visibility import LocationNotFound
from socialcem.web.deps import EngineDep, requires
from socialcem.web.models_out import FeedbackItemOut, FeedbackPageOut, error_responses

NO_NUL = r"^[^\x00]*$"
"""Text parameters may not hold NUL, which PostgreSQL cannot compare."""

router = APIRouter(prefix="/api/v1", tags=["feedback"], responses=error_responses(401, 403))
Reader = Annotated[Principal, Depends(requires(Scope.FEEDBACK_READ))]


def invalid(name: str, message: str, value: Any = None) -> NoReturn:
    """A 422 shaped like FastAPI's own validation errors, naming query parameter ``name``."""
    raise RequestValidationError(
        [{"type": "value_error", "loc": ("query", name), "msg": message, "input": value}]
    )


def check_range(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since > until:
        invalid("since", f"since ({since}) is after until ({until})", str(since))


def text_param(max_length: int, description: str) -> Any:
    return Query(max_length=max_length, pattern=NO_NUL, description=description)


def feedback_filter(
    source: Annotated[str | None, text_param(40, "Channel, e.g. twitter.")] = None,
    location: Annotated[
        str | None, text_param(200, "Location name; includes the locations below it.")
    ] = None,
    since: Annotated[date | None, Query(description="First day (UTC), inclusive.")] = None,
    until: Annotated[date | None, Query(description="Last day (UTC), inclusive.")] = None,
    constituency: Literal["customer", "employee", "partner"] | None = None,
    touchpoint: Annotated[str | None, text_param(60, "Journey stage.")] = None,
    author: Annotated[str | None, text_param(200, "Exact author.")] = None,
    sentiment: Annotated[
        Literal["negative", "neutral", "positive"] | None,
        Query(description="Sentiment read by the default model."),
    ] = None,
    rating_category: Annotated[
        Literal["detractor", "passive", "promoter"] | None,
        Query(description="NPS category of the item's own rating."),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            pattern=NO_NUL,
            description="Case-insensitive text search (substring).",
        ),
    ] = None,
) -> FeedbackFilter:
    check_range(since, until)
    return FeedbackFilter(
        source, location, since, until, constituency, touchpoint, author, sentiment,
        rating_category, q,
    )  # fmt: skip


FilterDep = Annotated[FeedbackFilter, Depends(feedback_filter)]


@router.get(
    "/feedback",
    response_model=FeedbackPageOut,
    responses=error_responses(400, 404),
    summary="List feedback, newest first",
)
def list_items(
    caller: Reader,
    engine: EngineDep,
    filters: FilterDep,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous page."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Items the caller may see, filtered; follow `next_cursor` until it is null."""
    try:
        with engine.connect() as conn:
            page = list_feedback(conn, caller, filters, cursor, limit)
    except BadCursor as exc:
        raise HTTPException(400, str(exc)) from None
    except LocationNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return {"items": [i.as_dict() for i in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/feedback/{feedback_id}",
    response_model=FeedbackItemOut,
    responses=error_responses(404),
    summary="One feedback item",
)
def get_item(caller: Reader, engine: EngineDep, feedback_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        item = get_feedback(conn, caller, feedback_id)
    if item is None:
        raise HTTPException(404, f"feedback_id: no item {feedback_id} visible to this caller")
    return item.as_dict()
