"""The location tree, as far as the caller sees it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from socialcem.accounts.principal import Principal, Scope
from socialcem.store.visibility import visible_locations
from socialcem.web.deps import EngineDep, requires
from socialcem.web.models_out import LocationsOut, error_responses

router = APIRouter(prefix="/api/v1", tags=["locations"], responses=error_responses(401, 403))
Reader = Annotated[Principal, Depends(requires(Scope.FEEDBACK_READ))]


@router.get("/locations", response_model=LocationsOut, summary="Locations the caller sees")
def locations(caller: Reader, engine: EngineDep) -> dict[str, Any]:
    """A parent before its children; a pinned caller's top location has no parent."""
    with engine.connect() as conn:
        found = visible_locations(conn, caller)
    return {
        "locations": [{"name": loc.name, "kind": loc.kind, "parent": loc.parent} for loc in found]
    }
