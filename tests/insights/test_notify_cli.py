"""`socialcem notify`: channels, test messages, send, dead letters and replay, end to end
against a real webhook receiver on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from receivers import Receiver, closed_port, no_proxy  # noqa: F401  (no_proxy: autouse)
from sqlalchemy import update
from typer.testing import CliRunner

import socialcem.cli.notify  # noqa: F401  (registers `notify` on the app)
from socialcem.cli.app import app
from socialcem.insights.notify import Message, enqueue
from socialcem.store import open_store
from socialcem.store.locations import brand_id
from socialcem.store.schema import notifications

SECRET = "cli-test-secret-0123456789"
runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """Answers 500 with no reason while ``failing`` is set."""
    with Receiver(SECRET, fail_body=b"") as running:
        yield running


def invoke(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", url, "notify", *args])
    return result.exit_code, result.output


def flat(out: str) -> str:
    """Output with rich's line wrapping (80 columns under the test runner) undone."""
    return " ".join(out.split())


def test_channel_add_list_remove(url: str) -> None:
    ops = [
        "--webhook",
        "https://hooks.example.com/cx",
        "--secret",
        SECRET,
        "--min-severity",
        "high",
    ]
    code, out = invoke(url, "channel", "add", "ops", *ops)
    assert code == 0, out
    assert "ops added: webhook to https://hooks.example.com/cx, high alerts and above" in flat(out)
    mail = ["--email", "a@example.com", "--email", "b@example.com", "--smtp-host",
            "smtp.example.com", "--starttls", "--username", "mailer", "--password-env",
            "SMTP_PASSWORD"]  # fmt: skip
    code, out = invoke(url, "channel", "add", "mail", *mail, "--json")
    assert code == 0, out
    assert json.loads(out)["config"] == {
        "to": ["a@example.com", "b@example.com"],
        "host": "smtp.example.com",
        "port": 587,
        "starttls": True,
        "username": "mailer",
        "password_env": "SMTP_PASSWORD",
    }
    code, out = invoke(url, "channel", "list", "--json")
    listed = json.loads(out)
    assert [(c["name"], c["kind"], c["min_severity"]) for c in listed] == [
        ("mail", "email", "medium"),
        ("ops", "webhook", "high"),
    ]
    assert listed[1]["config"]["secret"] == "<hidden>"
    assert SECRET not in out
    code, out = invoke(url, "channel", "list")
    assert code == 0 and "webhook" in out and "a@example.com" in out and SECRET not in out

    assert invoke(url, "channel", "remove", "ops")[0] == 0
    code, out = invoke(url, "channel", "remove", "ops")
    assert code == 2 and "no channel named 'ops'" in out
    assert [c["name"] for c in json.loads(invoke(url, "channel", "list", "--json")[1])] == ["mail"]
    assert invoke(url, "channel", "list", "--brand", "nobody", "--json")[1].strip() == "[]"


def test_a_secret_is_generated_when_none_is_given(url: str) -> None:
    code, out = invoke(url, "channel", "add", "ops", "--webhook", "https://h.example.com", "--json")
    assert code == 0, out
    secret = json.loads(out)["secret"]
    assert len(secret) >= 32
    assert secret not in invoke(url, "channel", "list", "--json")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--webhook", "ftp://h.example.com", "--secret", SECRET], "url: 'ftp://h.example.com'"),
        (["--webhook", "https://h.example.com", "--secret", "short"], "secret: must be at least"),
        ([], "give one of --webhook URL or --email ADDRESS"),
        (["--webhook", "https://h.example.com", "--email", "a@example.com"], "give one of"),
        (["--email", "a@example.com"], "--smtp-host: required with --email"),
        (["--email", "a@example.com", "--smtp-host", "h", "--secret", SECRET], "--secret: only"),
        (["--webhook", "https://h.example.com", "--smtp-host", "h"], "e-mail settings, not for"),
        (["--email", "nobody", "--smtp-host", "smtp.example.com"], "to: 'nobody'"),
        (["--email", "a@example.com", "--smtp-host", "h", "--username", "u"], "password_env"),
    ],
)
def test_channel_add_refuses_bad_input_with_exit_2(url: str, args: list[str], message: str) -> None:
    code, out = invoke(url, "channel", "add", "ops", *args)
    assert code == 2
    assert message in flat(out)
    assert invoke(url, "channel", "list", "--json")[1].strip() == "[]"


def test_a_duplicate_name_and_a_bad_severity_are_refused(url: str) -> None:
    args = ["channel", "add", "ops", "--webhook", "https://h.example.com", "--secret", SECRET]
    assert invoke(url, *args)[0] == 0
    code, out = invoke(url, *args)
    assert code == 2 and "a channel named 'ops' already exists" in out
    code, out = invoke(url, *args, "--min-severity", "urgent")
    assert code == 2 and "urgent" in out


def test_test_says_whether_the_message_arrived(url: str, receiver: Receiver) -> None:
    invoke(url, "channel", "add", "ops", "--webhook", receiver.url, "--secret", SECRET)
    code, out = invoke(url, "test", "ops")
    assert code == 0 and f"delivered to {receiver.url}" in flat(out)
    [(_, raw, valid)] = receiver.requests
    body = json.loads(raw)
    assert (
        valid and body["kind"] == "test" and body["data"] == {"brand": "default", "channel": "ops"}
    )

    dead_url = f"http://127.0.0.1:{closed_port()}/hook"
    invoke(url, "channel", "add", "gone", "--webhook", dead_url, "--secret", SECRET)
    code, out = invoke(url, "test", "gone", "--json")
    assert code == 1
    result = json.loads(out)
    assert result["delivered"] is False and "ConnectError" in result["error"]
    code, out = invoke(url, "test", "missing")
    assert code == 2 and "no channel named 'missing'" in out


def test_send_dead_and_replay(url: str, receiver: Receiver) -> None:
    invoke(url, "channel", "add", "ops", "--webhook", receiver.url, "--secret", SECRET)
    engine = open_store(url)
    with engine.begin() as conn:
        brand = brand_id(conn, "default")
        assert brand is not None
        message = Message("alert", "[high] NPS fell", "NPS fell 12 points.", None, {"alert": 1})
        assert enqueue(conn, brand, "alert", "alert:1", message, "high") == 1
        # Five attempts already failed: the next failure is the last.
        conn.execute(update(notifications).values(attempts=5))
    engine.dispose()

    receiver.failing = True
    code, out = invoke(url, "send", "--json")
    assert code == 0, out
    assert json.loads(out) == {"sent": 0, "retried": 0, "dead": 1, "deferred": 0}
    code, out = invoke(url, "dead", "--json")
    [letter] = json.loads(out)
    assert (letter["channel"], letter["subject"], letter["attempts"]) == (
        "ops",
        "[high] NPS fell",
        6,
    )
    assert letter["last_error"] == "HTTP 500"
    assert "HTTP 500" in invoke(url, "dead")[1]

    assert invoke(url, "replay")[0] == 2
    assert invoke(url, "replay", "1", "--all")[0] == 2
    code, out = invoke(url, "replay", str(letter["id"] + 1))
    assert code == 2 and f"not dead letters of this brand: [{letter['id'] + 1}]" in out
    code, out = invoke(url, "replay", "--all", "--json")
    assert code == 0 and json.loads(out) == {"replayed": [letter["id"]]}

    receiver.failing = False
    code, out = invoke(url, "send")
    assert code == 0 and "1 sent, 0 to retry, 0 dead letters" in flat(out)
    assert invoke(url, "dead", "--json")[1].strip() == "[]"
    assert [valid for _, _, valid in receiver.requests] == [True, True]


@pytest.mark.parametrize(
    "command",
    [
        ["channel", "add"],
        ["channel", "list"],
        ["channel", "remove"],
        ["send"],
        ["dead"],
        ["replay"],
        ["test"],
    ],
)
def test_every_command_has_help_with_an_example(url: str, command: list[str]) -> None:
    code, out = invoke(url, *command, "--help")
    assert code == 0
    assert "Example:" in out
