"""A process killed in the middle of a large import, then re-run, stores every item once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import item, write_csv
from sqlalchemy import func, select

from socialcem.store import open_store
from socialcem.store.schema import analyses, feedback

N = 30_000


def _ingest_cmd(url: str, path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "socialcem",
        "--db",
        url,
        "ingest",
        str(path),
        "--workers",
        "0",
        "--commit-size",
        "2000",
        "--json",
    ]


def _stored(url: str) -> tuple[int, int, int]:
    engine = open_store(url)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(feedback)).scalar_one()
        distinct = conn.execute(
            select(func.count()).select_from(
                select(feedback.c.source, feedback.c.external_id).distinct().subquery()
            )
        ).scalar_one()
        scored = conn.execute(select(func.count()).select_from(analyses)).scalar_one()
    engine.dispose()
    return int(total), int(distinct), int(scored)


def test_killed_import_resumes_exactly_once(store_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", (item(i) for i in range(N)))
    open_store(store_url).dispose()
    proc = subprocess.Popen(
        _ingest_cmd(store_url, path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _stored(store_url)[0] < 4_000:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial, _, _ = _stored(store_url)
    assert 0 < partial < N, "the kill must land mid-import for this test to mean anything"

    done = subprocess.run(_ingest_cmd(store_url, path), capture_output=True, text=True, check=True)
    assert '"duplicates"' in done.stdout
    assert _stored(store_url) == (N, N, N)
