"""Request models of incoming feedback: the OpenAPI document of the write endpoints.

An item has the standard field names of a file's columns. The model checks types and
sizes only; what needs the domain (dates, a rating against its scale, constituencies) is
ingest.validate.to_feedback's, so a file and the API refuse the same things with the same
words. Fields the model does not name are kept with the item, as a file's extra columns
are (a value that is not text is kept as its JSON), up to MAX_EXTRA_FIELDS of them.

Items of a bulk request or a webhook are checked one by one (``read_item``): a bad item is
answered and quarantined on its own while the others land.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StrictInt,
    ValidationError,
    WrapValidator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from socialcem.ingest.outcomes import FieldProblems, Invalid
from socialcem.ingest.validate import MAX_FIELD_CHARS, MAX_REACH, MAX_TEXT_CHARS, MAX_URL_CHARS

MAX_EXTRA_FIELDS = 50
MAX_EXTRA_NAME_CHARS = 100
MAX_EXTRA_VALUE_CHARS = 2_000
MAX_EXTRA_DEPTH = 10
BULK_ITEMS_CAP = 100_000
"""The model's own bound; the server's max_bulk_items setting (default 1,000) is tighter."""

_EXAMPLE: dict[str, JsonValue] = {
    "id": "rev-20260501-0042",
    "text": "Waited 20 minutes for a latte, but the barista apologised and was lovely.",
    "created_at": "2026-05-01T14:30:00Z",
    "author": "jane_doe",
    "source": "google_reviews",
    "location": "Downtown",
    "rating": 4,
    "rating_scale": "stars_1_5",
}


class FeedbackIn(BaseModel):
    """One piece of customer voice. Posting the same (source, id) again stores nothing new."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [_EXAMPLE]})

    id: Annotated[str, Field(max_length=MAX_FIELD_CHARS["id"])] | StrictInt | None = Field(
        None,
        description="Your id of the item, unique per source: the key that makes re-posting "
        "safe. Without one, the item's content is its key.",
    )
    text: str = Field(max_length=MAX_TEXT_CHARS, description="What the customer said.")
    created_at: str | float = Field(
        description="When it was said: ISO 8601 (a time without a zone is UTC) or Unix epoch "
        "seconds (or milliseconds); from 1990 to now.",
        examples=["2026-05-01T14:30:00Z", 1777645800],
    )
    author: str | None = Field(None, max_length=MAX_FIELD_CHARS["author"])
    source: str | None = Field(
        None,
        max_length=MAX_FIELD_CHARS["source"],
        description="Channel (twitter, google_reviews, survey, ...); default 'unknown', or the "
        "webhook's source.",
    )
    location: str | None = Field(
        None,
        max_length=MAX_FIELD_CHARS["location"],
        description="Location name; new ones are added.",
    )
    touchpoint: str | None = Field(None, max_length=MAX_FIELD_CHARS["touchpoint"])
    constituency: str | None = Field(
        None, max_length=20, description="customer (default), employee or partner."
    )
    rating: float | None = Field(None, description="Native rating; needs rating_scale.")
    rating_scale: str | None = Field(
        None, max_length=20, description="nps_0_10, stars_1_5, csat_1_5 or none."
    )
    reach: int | None = Field(None, le=MAX_REACH, description="Followers of the author.")
    url: str | None = Field(None, max_length=MAX_URL_CHARS)

    @model_validator(mode="after")
    def _bounded_extra(self) -> FeedbackIn:
        extra = self.model_extra or {}
        if len(extra) > MAX_EXTRA_FIELDS:
            raise ValueError(f"at most {MAX_EXTRA_FIELDS} extra fields, got {len(extra)}")
        for name, value in extra.items():
            if len(name) > MAX_EXTRA_NAME_CHARS:
                raise ValueError(f"extra field name over {MAX_EXTRA_NAME_CHARS} characters")
            if _depth(value) > MAX_EXTRA_DEPTH:
                raise ValueError(f"extra field {name[:40]!r}: nested over {MAX_EXTRA_DEPTH} levels")
            shown = value if isinstance(value, str) else json.dumps(value)
            if not _encodable(shown):
                raise ValueError(f"extra field {name[:40]!r}: not valid unicode (a lone surrogate)")
            if len(shown) > MAX_EXTRA_VALUE_CHARS:
                raise ValueError(
                    f"extra field {name[:40]!r}: over {MAX_EXTRA_VALUE_CHARS} characters"
                )
        return self

    def record(self) -> dict[str, Any]:
        """The item as ingest reads a row: standard fields first, extras after."""
        return self.model_dump(exclude_none=True)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _depth(value: Any) -> int:
    """How deeply a JSON value nests, without recursion (so without a limit to hit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level <= MAX_EXTRA_DEPTH and isinstance(node, dict | list):
            stack.extend(
                (child, level + 1) for child in (node.values() if isinstance(node, dict) else node)
            )
    return deepest


def _problems(exc: ValidationError) -> FieldProblems:
    """One (field, reason) per field named as the item names it ('text', 'reach', ...); of
    a union's errors (one per member type) the first says it."""
    out: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        loc = error.get("loc") or ()
        out.setdefault(str(loc[0]) if loc else "item", str(error.get("msg", "invalid value")))
    return tuple(out.items())


def read_item(value: Any) -> FeedbackIn | Invalid:
    """One posted item, or what is wrong with it (to answer and quarantine)."""
    try:
        return FeedbackIn.model_validate(value)
    except ValidationError as exc:
        return Invalid(_problems(exc), value)


def _lenient(value: Any, _handler: Any) -> FeedbackIn | Invalid:
    return read_item(value)


if TYPE_CHECKING:
    ItemIn = FeedbackIn | Invalid
else:  # Any, not Invalid: FastAPI would list a skipped dataclass among the components
    ItemIn = Annotated[FeedbackIn | SkipJsonSchema[Any], WrapValidator(_lenient)]
"""A FeedbackIn in the OpenAPI document; at run time a FeedbackIn or an Invalid, never a
validation error, so one bad item does not refuse the others."""


def as_record(item: FeedbackIn | Invalid) -> dict[str, Any] | Invalid:
    return item if isinstance(item, Invalid) else item.record()


class BulkIn(BaseModel):
    """Up to the server's max_bulk_items (default 1,000) items, each answered on its own."""

    items: list[ItemIn] = Field(max_length=BULK_ITEMS_CAP)


class ProblemOut(BaseModel):
    field: str = Field(description="The item's field ('text', 'created_at', ...).")
    message: str


class CreatedOut(BaseModel):
    status: Literal["created", "duplicate"] = Field(
        description="created: stored now; duplicate: stored before (same source and id)."
    )
    id: int = Field(description="The stored item's id.")


class ItemResultOut(BaseModel):
    index: int = Field(description="0-based position of the item in the request.")
    status: Literal["created", "duplicate", "rejected"]
    id: int | None = Field(description="The stored item's id; null when rejected.")
    problems: list[ProblemOut] | None = Field(
        description="Why the item was refused (it is in quarantine); null otherwise."
    )


class BulkOut(BaseModel):
    created: int
    duplicates: int
    rejected: int
    items: list[ItemResultOut] = Field(description="One result per item, in request order.")
