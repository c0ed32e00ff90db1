"""The insight commands on a demo store: JSON for scripts, charts, errors with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcem.cli.main import app
from socialcem.demo.load import load_demo
from socialcem.store import open_store

runner = CliRunner()
PROBLEM = "service_problem_location"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, object]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    engine = open_store(url)
    brand, _ = load_demo(engine, items=6_000, workers=0)
    engine.dispose()
    yield url, brand.planted


def invoke(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", url, *args])
    return result.exit_code, result.output


def test_drivers_json_and_chart(demo: tuple[str, dict[str, object]], tmp_path: Path) -> None:
    url, planted = demo
    chart = tmp_path / "drivers.svg"
    where = str(planted[PROBLEM])
    code, out = invoke(
        url, "drivers", "--brand", "demo", "--location", where, "--json", "--chart", str(chart)
    )
    assert code == 0, out
    result = json.loads(out)
    assert result["drivers"][0]["topic"] == "staff_service"
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    code, out = invoke(url, "drivers", "--brand", "demo", "--top", "3")
    assert code == 0 and "Key drivers" in out


def test_trends_json_table_and_png(demo: tuple[str, dict[str, object]], tmp_path: Path) -> None:
    url, _ = demo
    chart = tmp_path / "trend.png"
    code, out = invoke(
        url, "trends", "--brand", "demo", "--metric", "negative_share", "--topic", "delivery",
        "--json", "--chart", str(chart),
    )  # fmt: skip
    assert code == 0, out
    result = json.loads(out)
    assert len(result["changes"]) == len(result["points"]) - 1
    assert chart.read_bytes().startswith(b"\x89PNG")
    code, out = invoke(url, "trends", "--brand", "demo", "--metric", "social_nps")
    assert code == 0 and "significant" in out


def test_alerts_rules_risk_leads_digest_ranking(demo: tuple[str, dict[str, object]]) -> None:
    url, _ = demo
    code, out = invoke(
        url, "alerts", "rule", "add", "loud", "--kind", "reach", "--min-reach", "50000",
        "--brand", "demo", "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["params"] == {"min_reach": 50000}
    code, out = invoke(url, "alerts", "--brand", "demo", "--weeks", "12", "--json")
    assert code == 0, out
    result = json.loads(out)
    kinds = {a["kind"] for a in result["alerts"]}
    assert {"anomaly:volume", "rule:reach"} <= kinds
    code, out = invoke(url, "alerts", "--brand", "demo", "--weeks", "12")
    assert code == 0 and ", 0 new" in out
    for command in ("risk", "leads", "digest", "ranking"):
        code, out = invoke(url, command, "--brand", "demo", "--json")
        assert code == 0, (command, out)
        json.loads(out)
    code, out = invoke(url, "alerts", "rule", "list", "--brand", "demo")
    assert code == 0 and "loud" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("drivers", "--brand", "demo", "--location", "Atlantis"), "no location named"),
        (("drivers", "--brand", "nobody"), "no brand named"),
        (("trends", "--brand", "demo", "--metric", "nps", "--topic", "delivery"), "--topic"),
        (("trends", "--brand", "demo", "--since", "yesterday"), "not a date"),
        (("drivers", "--brand", "demo", "--chart", "x.gif"), ".png"),
        (("alerts", "rule", "add", "r", "--kind", "reach", "--brand", "demo"), "min_reach"),
        (("alerts", "rule", "remove", "none", "--brand", "demo"), "no rule named"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    demo: tuple[str, dict[str, object]], args: tuple[str, ...], message: str
) -> None:
    url, _ = demo
    code, out = invoke(url, *args)
    assert code == 2
    assert message in out


def test_ingest_queues_alerts_and_a_dead_receiver_does_not_hold_it_up(tmp_path: Path) -> None:
    """Ingest evaluates the rules and queues notifications; it never delivers them."""
    import socket
    import time

    from helpers import item, write_csv

    with socket.socket() as probe:  # a port nobody listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"sqlite:///{tmp_path / 'rt.db'}"
    code, out = invoke(
        url, "notify", "channel", "add", "ops", "--webhook", f"http://127.0.0.1:{port}/hook",
        "--secret", "s" * 32, "--min-severity", "low",
    )  # fmt: skip
    assert code == 0, out
    code, out = invoke(url, "alerts", "rule", "add", "safety", "--kind", "keyword",
                       "--word", "food poisoning", "--severity", "critical")  # fmt: skip
    assert code == 0, out
    rows = [item(i, text="Lovely flat white") for i in range(20)]
    rows.append(item(20, text="Food poisoning after the chicken wrap, avoid"))
    started = time.perf_counter()
    code, out = invoke(url, "ingest", str(write_csv(tmp_path / "in.csv", rows)), "--json")
    assert code == 0, out
    assert time.perf_counter() - started < 30
    assert json.loads(out)["alerts"]["new"] == 1
    code, out = invoke(url, "notify", "send", "--json")
    assert code == 0, out
    assert json.loads(out)["retried"] == 1  # the delivery failed later, apart from ingest


@pytest.mark.parametrize(
    "args",
    [
        ("alerts", "--brand", "demo", "--as-of", "2000-01-01"),
        ("risk", "--brand", "demo", "--model", "nosuch"),
        ("alerts", "--brand", "demo", "--model", "nosuch"),
        ("trends", "--brand", "demo", "--metric", "social_nps", "--constituency", "employee"),
    ],
)
def test_odd_requests_get_a_message_not_a_traceback(
    demo: tuple[str, dict[str, object]], args: tuple[str, ...]
) -> None:
    url, _ = demo
    result = runner.invoke(app, ["--db", url, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
