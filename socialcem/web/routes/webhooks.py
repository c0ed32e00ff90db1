"""POST /api/v1/webhooks/{brand}/{source}: items pushed by a source, signed with its secret.

The scheme is socialcem's own outgoing one (insights.notify.webhook): the header
X-Socialcem-Signature is ``sha256=`` and the hex HMAC-SHA256, under the source's secret
(`socialcem sources set NAME --rotate-secret`), of ``"{X-Socialcem-Timestamp}." + body``.
The signature is the credential, so no token is needed. A missing or bad signature, a
timestamp more than 5 minutes away, an unknown brand or source and a source without a
secret all get the same 401, so a caller learns nothing about what exists.

The body is one item, an array of items, or {"items": [...]}; an item without a source
gets the path's. Items are checked, stored and answered as in the bulk endpoint.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError

from socialcem.insights.notify.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from socialcem.store.locations import brand_id
from socialcem.store.sources import get_source
from socialcem.web.deps import EngineDep, GroupCommitDep, SettingsDep
from socialcem.web.models_in import BulkOut, as_record, read_item
from socialcem.web.models_out import ErrorOut
from socialcem.web.routes.feedback_write import (
    VALIDATION_ERROR,
    after_commit,
    item_results,
    model_of,
    too_many,
)

TOLERANCE_S = 300
UNSIGNED = (
    f"missing, stale or bad signature (headers {TIMESTAMP_HEADER} and {SIGNATURE_HEADER}: "
    "sha256=HMAC-SHA256(source secret, timestamp + '.' + body))"
)
# A secret no source has: unknown brands and sources cost a check like known ones.
_NO_SECRET = "\x00unknown"

_ITEM = {"$ref": "#/components/schemas/FeedbackIn"}
BODY_SCHEMA = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    _ITEM,
                    {"type": "array", "items": _ITEM},
                    {"$ref": "#/components/schemas/BulkIn"},
                ]
            }
        }
    },
}

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature is over these bytes (size bounded upstream)."""
    return await request.body()


def _items(body: bytes) -> list[Any]:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body",), "msg": f"not valid JSON: {exc}"}]
        ) from None
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        return list(document["items"])
    if isinstance(document, dict):
        return [document]
    if isinstance(document, list):
        return document
    raise RequestValidationError(
        [
            {
                "type": "model_type",
                "loc": ("body",),
                "msg": 'expected an item, an array of items or {"items": [...]}',
            }
        ]
    )


@router.post(
    "/{brand}/{source}",
    response_model=BulkOut,
    openapi_extra={"requestBody": BODY_SCHEMA},
    responses={
        401: {"model": ErrorOut, "description": UNSIGNED},
        422: {
            "description": "Not JSON, not items, or more items than max_bulk_items.",
            "content": VALIDATION_ERROR,
        },
    },
)
def receive_webhook(
    brand: str,
    source: str,
    body: Annotated[bytes, Depends(raw_body)],
    request: Request,
    engine: EngineDep,
    writer: GroupCommitDep,
    settings: SettingsDep,
    x_socialcem_timestamp: Annotated[
        str | None, Header(description="Unix time of signing, seconds.")
    ] = None,
    x_socialcem_signature: Annotated[
        str | None, Header(description="sha256= and the hex HMAC-SHA256 of timestamp.body.")
    ] = None,
) -> BulkOut:
    """Store the items a source pushes, signed with the source's secret.

    Example: `socialcem sources set reviews --brand acme --rotate-secret` prints the secret;
    the sender signs each request with it.
    """
    name = source.strip().lower()
    owner, settings_of = None, None
    if "\x00" not in brand + name:  # no store can hold NUL; PostgreSQL would refuse the query
        with engine.connect() as conn:
            owner = brand_id(conn, brand, create=False)
            settings_of = None if owner is None else get_source(conn, owner, name)
    secret = settings_of.webhook_secret if settings_of is not None else None
    signed = verify(
        secret or _NO_SECRET,
        x_socialcem_timestamp or "",
        body,
        x_socialcem_signature or "",
        tolerance_s=TOLERANCE_S,
    )
    if not signed or secret is None or owner is None:
        raise HTTPException(401, UNSIGNED)
    items = _items(body)
    if len(items) > settings.max_bulk_items:
        raise too_many(len(items), settings.max_bulk_items, ("body",))
    records = [as_record(read_item(item)) for item in items]
    result = writer.ingest(
        owner, records, via="webhook", default_source=name, model=model_of(settings)
    )
    after_commit(request, owner, brand, result, "webhook")
    return item_results(result)
