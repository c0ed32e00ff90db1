"""An item answered with a 2xx is never lost: the real server, SIGKILLed mid-traffic.

Client threads post items (single and bulk) to a server in a subprocess; the server is
killed while requests are in flight. Every item that got a 2xx must then be in the store
exactly once, with its analysis, and the rollups must hold whole requests only. After a
restart, posting everything again (answered or not) creates no duplicate.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from accounts_helpers import member_token
from helpers import item
from sqlalchemy import Engine, func, select

from socialcem.store import open_store
from socialcem.store.schema import analyses, daily_counts, feedback, import_runs

CLIENTS = 6
BULK = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """`socialcem serve` runs this same factory in each worker (socialcem.web.asgi)."""

    url: str
    db: str
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 20) -> None:
        port = self.url.rsplit(":", 1)[1]
        env = {
            **os.environ,
            "SOCIALCEM_DB": self.db,
            "SOCIALCEM_LOG_FORMAT": "text",
            "SOCIALCEM_LOG_LEVEL": "warning",
            "SOCIALCEM_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        command = [sys.executable, "-m", "uvicorn", "--factory", "socialcem.web.asgi:create"]
        command += ["--host", "127.0.0.1", "--port", port, "--log-level", "warning"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=self.log.parent
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail(f"server not up in {timeout_s} s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server(store_url: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(f"http://127.0.0.1:{free_port()}", store_url, tmp_path / "server.log")
    yield running
    running.stop()


@dataclass
class Traffic:
    headers: dict[str, str]
    base: str
    acked: dict[str, int] = field(default_factory=dict)
    """external id -> the id a 2xx answered with."""
    attempted: list[dict[str, Any]] = field(default_factory=list)
    cut_off: int = 0
    """Requests that died with the server mid-flight (not refused connections)."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def client(self, n: int) -> None:
        with httpx.Client(base_url=self.base, headers=self.headers, timeout=10) as http:
            sent = 0
            while not self.stop.is_set():
                size = 1 if sent % 2 == 0 else BULK
                batch = [
                    item(n * 10_000 + sent + k, id=f"c{n}-{sent + k}", location=f"Store {k}")
                    for k in range(size)
                ]
                sent += size
                with self.lock:
                    self.attempted.extend(batch)
                try:
                    if size == 1:
                        answer = http.post("/api/v1/feedback", json=batch[0])
                    else:
                        answer = http.post("/api/v1/feedback/bulk", json={"items": batch})
                except httpx.ConnectError:
                    return
                except httpx.TransportError:
                    with self.lock:
                        self.cut_off += 1
                    return
                assert answer.status_code in (200, 201), answer.text
                results = [answer.json()] if size == 1 else answer.json()["items"]
                with self.lock:
                    for posted, result in zip(batch, results, strict=True):
                        assert result["status"] in ("created", "duplicate"), result
                        self.acked[posted["id"]] = result["id"]


def check_store(engine: Engine, acked: dict[str, int]) -> int:
    """Every answered item once, with its analysis; rollups and runs hold whole requests."""
    with engine.connect() as conn:
        rows = conn.execute(select(feedback.c.external_id, feedback.c.id)).all()
        scored = set(conn.execute(select(analyses.c.feedback_id)).scalars())
        counted = conn.execute(select(func.sum(daily_counts.c["items"]))).scalar() or 0
        runs = conn.execute(select(import_runs.c.status, import_runs.c.ingested)).all()
    ids = dict(rows)
    assert len(ids) == len(rows)
    missing = {k for k in acked if k not in ids}
    assert not missing, f"answered 2xx but lost: {sorted(missing)[:10]}"
    assert all(ids[k] == v for k, v in acked.items())
    assert set(ids.values()) <= scored
    assert counted == len(rows)
    assert {status for status, _ in runs} <= {"done"}
    assert sum(n for _, n in runs) == len(rows)
    return len(rows)


@pytest.mark.slow
def test_answered_items_survive_a_kill(server: Server) -> None:
    engine = open_store(server.db)
    token = member_token(engine, "acme", "feeder", "analyst")
    server.start()
    traffic = Traffic({"Authorization": f"Bearer {token}"}, server.url)
    threads = [threading.Thread(target=traffic.client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 15
    while len(traffic.acked) < 60 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # requests are in flight: six clients post back to back
    traffic.stop.set()
    for t in threads:
        t.join(15)
    assert len(traffic.acked) >= 20, server.log.read_text()[-2000:]
    assert traffic.cut_off >= 1  # the kill did land mid-request
    before = check_store(engine, traffic.acked)

    server.start()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
        again: dict[str, tuple[str, int]] = {}
        for start in range(0, len(traffic.attempted), 50):
            chunk = traffic.attempted[start : start + 50]
            answer = http.post("/api/v1/feedback/bulk", json={"items": chunk})
            assert answer.status_code == 200, answer.text
            for posted, result in zip(chunk, answer.json()["items"], strict=True):
                again[posted["id"]] = (result["status"], result["id"])
    for key, id_ in traffic.acked.items():
        assert again[key] == ("duplicate", id_)
    after = check_store(engine, {k: v for k, (_, v) in again.items()})
    assert after == len({p["id"] for p in traffic.attempted}) >= before
    engine.dispose()
