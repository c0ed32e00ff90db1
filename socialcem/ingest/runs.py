"""Import runs: one row per file import, so a summary and its problems can be listed later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete

from socialcem.store.schema import import_runs, quarantine


@dataclass(slots=True)
class RunCounts:
    file: str
    ingested: int = 0
    duplicates: int = 0
    quarantined: int = 0
    analysed: int = 0
    status: str = "running"

    def add(self, other: RunCounts) -> None:
        self.ingested += other.ingested
        self.duplicates += other.duplicates
        self.quarantined += other.quarantined
        self.analysed += other.analysed


def start_run(conn: Connection, brand: int, file: str) -> int:
    """Open a run; the quarantine of an earlier import of the same file is replaced."""
    conn.execute(
        delete(quarantine).where(quarantine.c.brand_id == brand, quarantine.c.file == file)
    )
    return int(
        conn.execute(
            import_runs.insert()
            .values(brand_id=brand, file=file, started_at=datetime.now(UTC), status="running")
            .returning(import_runs.c.id)
        ).scalar_one()
    )


def update_run(conn: Connection, run_id: int, counts: RunCounts, finished: bool = False) -> None:
    values: dict[str, object] = {
        "ingested": counts.ingested,
        "duplicates": counts.duplicates,
        "quarantined": counts.quarantined,
        "status": counts.status,
    }
    if finished:
        values["finished_at"] = datetime.now(UTC)
    conn.execute(import_runs.update().where(import_runs.c.id == run_id).values(**values))
