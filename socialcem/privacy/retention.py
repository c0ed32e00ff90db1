"""Retention limits per source: items older than a source's ``retention_days`` are deleted.

Age is measured from the item's ``created_at`` (when the customer said it), not from when
it was imported: a policy such as "keep reviews two years" is about the words' age. Items
go through the same deletion path as an erasure (rollups decremented, dependent rows
removed, votes passed on), in batches that each commit on their own, so a large purge
never holds one giant transaction and an interrupted one is finished by running it again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select

from socialcem.accounts.audit import record
from socialcem.privacy.deletion import delete_items
from socialcem.store.schema import feedback
from socialcem.store.sources import list_sources

BATCH = 5_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SourceRetention:
    source: str
    retention_days: int
    cutoff: datetime
    """Items created before this moment are past retention."""
    items: int
    """Items deleted (or, on a dry run, that would be)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "retention_days": self.retention_days,
            "cutoff": self.cutoff.isoformat(),
            "items": self.items,
        }


@dataclass(frozen=True, slots=True)
class RetentionResult:
    dry_run: bool
    sources: list[SourceRetention] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)
    """Rows deleted per table (empty on a dry run)."""

    @property
    def items(self) -> int:
        return sum(s.items for s in self.sources)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "items": self.items,
            "sources": [s.as_dict() for s in self.sources],
            "deleted": self.deleted,
        }


def _expired(brand: int, source: str, cutoff: datetime) -> Any:
    """Items of ``source`` created before ``cutoff``; the day bound lets the (brand, day)
    index do the work, created_at settles the cutoff's own day."""
    day = (cutoff - EPOCH).days
    return and_(
        feedback.c.brand_id == brand,
        feedback.c.source.in_({source, source.lower()}),
        or_(
            feedback.c.day < day,
            and_(feedback.c.day == day, feedback.c.created_at < cutoff),
        ),
    )


def apply_retention(
    engine: Engine,
    brand_id: int,
    now: datetime | None = None,
    dry_run: bool = False,
    actor: str = "cli",
    ip: str | None = None,
    batch_size: int = BATCH,
) -> RetentionResult:
    """Delete (or, with ``dry_run``, count) the brand's items past their source's retention."""
    if batch_size < 1:
        raise ValueError("batch_size: must be at least 1")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.connect() as conn:
        policies = [s for s in list_sources(conn, brand_id) if s.retention_days]
    done: list[SourceRetention] = []
    deleted: Counter[str] = Counter()
    for policy in policies:
        assert policy.retention_days is not None
        cutoff = moment - timedelta(days=policy.retention_days)
        expired = _expired(brand_id, policy.name, cutoff)
        items = 0
        if dry_run:
            with engine.connect() as conn:
                items = conn.execute(select(func.count()).where(expired)).scalar_one()
        while not dry_run:
            with engine.begin() as conn:  # one batch, one transaction
                ids = list(
                    conn.execute(
                        select(feedback.c.id)
                        .where(expired)
                        .order_by(feedback.c.id)
                        .limit(batch_size)
                    ).scalars()
                )
                counts = delete_items(conn, brand_id, ids)
            items += counts["feedback"]
            deleted.update(counts)
            if len(ids) < batch_size:
                break
        done.append(SourceRetention(policy.name, policy.retention_days, cutoff, int(items)))
    result = RetentionResult(dry_run, done, {t: n for t, n in sorted(deleted.items()) if n})
    if not dry_run:
        with engine.begin() as conn:
            record(conn, brand_id, actor, "retention", None, result.as_dict(), ip)
    return result
