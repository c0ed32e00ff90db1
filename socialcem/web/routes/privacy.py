"""Erasure of one author and retention, for the caller's own brand (scope ``admin``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from socialcem.accounts.principal import Principal, Scope
from socialcem.privacy.erasure import erase_author
from socialcem.privacy.retention import apply_retention
from socialcem.web.deps import EngineDep, client_ip, requires

router = APIRouter(prefix="/api/v1", tags=["privacy"])
Admin = Annotated[Principal, Depends(requires(Scope.ADMIN))]


class ErasureOut(BaseModel):
    items: int = Field(description="The author's items erased.")
    deleted: dict[str, int] = Field(description="Rows deleted, per table.")
    scrubbed: dict[str, int] = Field(
        description="Rows rewritten without the author's words (alerts, notifications)."
    )


class SourceRetentionOut(BaseModel):
    source: str
    retention_days: int
    cutoff: datetime = Field(description="Items created before this moment are past retention.")
    items: int = Field(description="Items deleted, or that would be on a dry run.")


class RetentionOut(BaseModel):
    dry_run: bool
    items: int
    sources: list[SourceRetentionOut]
    deleted: dict[str, int] = Field(description="Rows deleted, per table; empty on a dry run.")


@router.delete("/authors/{author:path}", response_model=ErasureOut)
def erase(
    author: Annotated[
        str,
        Path(min_length=1, max_length=200, description="The author's name exactly as stored."),
    ],
    caller: Admin,
    engine: EngineDep,
    request: Request,
) -> ErasureOut:
    """Erase everything the brand holds from one author (exact match): their items with
    everything derived from them, quarantined rows naming them, and their words in alerts
    and notifications. Metrics stay exact; the audit log records counts, not the name.
    Erasing an author with nothing stored answers 200 with zero counts."""
    try:
        result = erase_author(
            engine, caller.brand_id, author, actor=caller.actor, ip=client_ip(request)
        )
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return ErasureOut(items=result.items, deleted=result.deleted, scrubbed=result.scrubbed)


@router.post("/retention/apply", response_model=RetentionOut)
def retention(
    caller: Admin,
    engine: EngineDep,
    request: Request,
    dry_run: Annotated[bool, Query(description="Count what would be deleted only.")] = False,
) -> RetentionOut:
    """Delete the brand's items older than their source's retention limit, in batches."""
    result = apply_retention(
        engine, caller.brand_id, dry_run=dry_run, actor=caller.actor, ip=client_ip(request)
    )
    return RetentionOut(
        dry_run=result.dry_run,
        items=result.items,
        sources=[
            SourceRetentionOut(
                source=s.source, retention_days=s.retention_days, cutoff=s.cutoff, items=s.items
            )
            for s in result.sources
        ],
        deleted=result.deleted,
    )
