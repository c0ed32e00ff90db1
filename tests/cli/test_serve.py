"""`socialcem serve`: a real server process on a free port, its options and settings errors."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from socialcem.cli.main import app
from socialcem.web.telemetry import MULTIPROC_ENV

CLI = [
    sys.executable,
    "-c",
    "from socialcem.cli.main import run; run()",
]
START_TIMEOUT_S = 60
runner = CliRunner()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("SOCIALCEM_", MULTIPROC_ENV))}


@contextmanager
def running(tmp_path: Path, *options: str, own_db: bool = True) -> Iterator[tuple[str, Path]]:
    """A `socialcem serve` process; yields its base URL and log file, then stops it.
    Without ``own_db`` it serves the embedded default in ``tmp_path``, as a user would."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = child_env()
    store = ["--db", f"sqlite:///{tmp_path / 'serve.db'}"] if own_db else []
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*CLI, *store, "serve", "--port", str(port), *options],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert proc.poll() is None, f"serve exited early:\n{log.read_text()}"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (
                f"no answer in {START_TIMEOUT_S} s:\n{log.read_text()}"
            )
            time.sleep(0.2)
        yield base, log
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # uvicorn shuts down gracefully, then re-raises the signal: -SIGTERM is a clean stop.
    assert proc.returncode in (0, -signal.SIGTERM), log.read_text()
    assert "Finished server process" in log.read_text()


@pytest.mark.slow
def test_serves_probes_and_logs_json_lines(tmp_path: Path) -> None:
    with running(tmp_path, "--log-format", "json") as (base, log):
        assert httpx.get(f"{base}/readyz").json()["status"] == "ready"
        answer = httpx.get(f"{base}/api/v1/me", headers={"X-Request-ID": "smoke-1"})
        assert answer.status_code == 401 and answer.headers["x-request-id"] == "smoke-1"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [access] = [line for line in lines if line.get("request_id") == "smoke-1"]
    assert (access["route"], access["status"], access["client"]) == ("/api/v1/me", 401, "127.0.0.1")
    assert not any(line["logger"] == "uvicorn.access" for line in lines)  # ours replace it
    assert any("Uvicorn running" in line["message"] for line in lines)


@pytest.mark.slow
def test_two_workers_share_their_metrics(tmp_path: Path) -> None:
    """Multiprocess metrics: every scrape sums both workers, whichever one answers."""
    with running(tmp_path, "--workers", "2", "--log-format", "text") as (base, log):
        with httpx.Client(base_url=base) as client:  # new connections spread over workers
            for _ in range(20):
                httpx.get(f"{base}/api/v1/me")
            scrapes = [client.get("/metrics").text for _ in range(4)]
        totals = set()
        for text in scrapes:
            [family] = [
                f
                for f in text_string_to_metric_families(text)
                if f.name == "socialcem_http_requests"
            ]
            totals.add(
                sum(s.value for s in family.samples if s.labels.get("route") == "/api/v1/me")
            )
        assert totals == {20.0}
    assert "2 workers on SQLite" in log.read_text()


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--workers" in result.output and "--config" in result.output
    assert "Example:" in result.output


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`serve` exports its options to the environment (for its workers) and sets up logging
    for the process: undo both here."""
    for name in ("CONFIG", "DB", "HOST", "PORT", "WORKERS", "LOG_FORMAT"):
        monkeypatch.setenv(f"SOCIALCEM_{name}", "x")
        monkeypatch.delenv(f"SOCIALCEM_{name}")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    access = logging.getLogger("uvicorn.access")
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    access.disabled = False
    access.propagate = True


@pytest.mark.usefixtures("clean_env")
def test_settings_problems_are_named_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = runner.invoke(app, ["--db", db, "serve", "--config", str(tmp_path / "no.toml")])
    assert result.exit_code == 2 and "no such settings file" in result.output
    config = tmp_path / "server.toml"
    config.write_text("workers = 2\nrate_limit = 5\n")
    result = runner.invoke(app, ["--db", db, "serve", "--config", str(config)])
    assert result.exit_code == 2 and "rate_limit" in result.output
    monkeypatch.delenv("SOCIALCEM_CONFIG")
    result = runner.invoke(app, ["--db", "nosuchdb://nowhere/x", "serve"])
    assert result.exit_code == 2 and "unsupported database" in result.output
    assert not (tmp_path / "x.db").exists()


def test_serve_is_a_registered_command() -> None:
    """Needs `serve` in the command imports of socialcem/cli/main.py."""
    done = subprocess.run(
        [sys.executable, "-m", "socialcem", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_the_readme_flow_on_the_embedded_default(tmp_path: Path) -> None:
    """As the README shows: an admin, a token, `socialcem serve`, one item posted, read back."""
    env = child_env()

    def cli(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [*CLI, *args], cwd=tmp_path, env=env, input=stdin, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("users", "add", "admin", "--brand", "demo", "--role", "admin", "--password-stdin",
        stdin="a long enough password\n")  # fmt: skip
    token = json.loads(cli("tokens", "issue", "--user", "admin", "--brand", "demo",
                           "--name", "curl", "--json"))["token"]  # fmt: skip
    with running(tmp_path, own_db=False) as (base, _):
        headers = {"Authorization": f"Bearer {token}"}
        item = {"text": "Great coffee, friendly staff", "created_at": "2026-12-01T09:00:00Z",
                "source": "survey", "location": "Store 1", "rating": 9,
                "rating_scale": "nps_0_10"}  # fmt: skip
        posted = httpx.post(f"{base}/api/v1/feedback", json=item, headers=headers)
        assert posted.status_code == 201 and posted.json()["status"] == "created"
        again = httpx.post(f"{base}/api/v1/feedback", json=item, headers=headers)
        assert again.status_code == 200 and again.json()["id"] == posted.json()["id"]
        metrics = httpx.get(f"{base}/api/v1/metrics", headers=headers).json()
        assert metrics["rows"][0]["nps"]["value"] == 100.0 and metrics["rows"][0]["items"] == 1
    assert (tmp_path / "socialcem.db").exists()  # the embedded default, in the working folder
