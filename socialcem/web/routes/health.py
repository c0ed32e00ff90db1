"""Probes: /healthz (the process answers) and /readyz (it can serve: store up, schema current).

Neither needs a token nor counts against rate limits. A load balancer sends traffic only to
ready workers; an orchestrator restarts a worker only when /healthz fails, which is why it
does not touch the database (a database outage must not restart every worker).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from socialcem import __version__
from socialcem.store.migrate import HEAD, current_revision
from socialcem.web.deps import EngineDep

router = APIRouter(tags=["health"])
log = logging.getLogger("socialcem.web.health")


class Health(BaseModel):
    status: str
    version: str


class Readiness(BaseModel):
    status: str
    revision: str | None = None
    reason: str | None = None


@router.get("/healthz", response_model=Health, summary="The process is alive.")
async def healthz() -> Health:
    return Health(status="ok", version=__version__)


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="The store answers and its schema is the one this server needs.",
    responses={503: {"model": Readiness, "description": "Not ready; the reason says why."}},
)
def readyz(engine: EngineDep) -> Readiness | JSONResponse:
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        log.warning("not ready: database unreachable: %s", str(exc).splitlines()[0])
        return _not_ready(None, f"database unreachable ({type(exc).__name__})")
    if revision != HEAD:
        reason = (
            f"schema at revision {revision or 'none'}, this server needs {HEAD}: "
            "run `socialcem db upgrade`"
        )
        return _not_ready(revision, reason)
    return Readiness(status="ready", revision=revision)


def _not_ready(revision: str | None, reason: str) -> JSONResponse:
    body = Readiness(status="not ready", revision=revision, reason=reason)
    return JSONResponse(body.model_dump(), status_code=503)
