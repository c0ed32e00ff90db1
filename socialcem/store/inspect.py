"""What is in a store: totals for `socialcem stats`, quarantined rows for `socialcem errors`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from socialcem.store.schema import analyses, brands, feedback, import_runs, locations, quarantine


@dataclass(slots=True)
class StoreStats:
    brands: int = 0
    locations: int = 0
    feedback: int = 0
    quarantined: int = 0
    imports: int = 0
    first_item: datetime | None = None
    last_item: datetime | None = None
    by_source: dict[str, int] = field(default_factory=dict)
    by_constituency: dict[str, int] = field(default_factory=dict)
    analysed_by_model: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("first_item", "last_item"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def store_stats(conn: Connection) -> StoreStats:
    def scalar(stmt: Any) -> Any:
        return conn.execute(stmt).scalar()

    first, last = conn.execute(
        select(func.min(feedback.c.created_at), func.max(feedback.c.created_at))
    ).one()
    return StoreStats(
        brands=scalar(select(func.count()).select_from(brands)),
        locations=scalar(select(func.count()).select_from(locations)),
        feedback=scalar(select(func.count()).select_from(feedback)),
        quarantined=scalar(select(func.count()).select_from(quarantine)),
        imports=scalar(select(func.count()).select_from(import_runs)),
        first_item=first,
        last_item=last,
        by_source=dict(
            conn.execute(select(feedback.c.source, func.count()).group_by(feedback.c.source)).all()
        ),
        by_constituency=dict(
            conn.execute(
                select(feedback.c.constituency, func.count()).group_by(feedback.c.constituency)
            ).all()
        ),
        analysed_by_model=dict(
            conn.execute(select(analyses.c.model, func.count()).group_by(analyses.c.model)).all()
        ),
    )


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    file: str
    line: int
    field: str
    reason: str
    raw: str


def quarantined(
    conn: Connection, file: str | None = None, limit: int = 100
) -> tuple[list[QuarantinedRow], int]:
    """The first ``limit`` problems (by file and line) and the total count."""
    cond = [quarantine.c.file == file] if file else []
    total = conn.execute(select(func.count()).select_from(quarantine).where(*cond)).scalar_one()
    rows = conn.execute(
        select(
            quarantine.c.file,
            quarantine.c.line,
            quarantine.c.field,
            quarantine.c.reason,
            quarantine.c.raw,
        )
        .where(*cond)
        .order_by(quarantine.c.file, quarantine.c.line, quarantine.c.field)
        .limit(limit)
    )
    return [QuarantinedRow(*r) for r in rows], int(total)
