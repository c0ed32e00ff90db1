"""The outbox on SQLite and PostgreSQL: fan-out by severity, idempotency, retries with
backoff against a real HTTP receiver, dead letters and replay, and channel validation."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from receivers import Receiver, closed_port, no_proxy  # noqa: F401  (no_proxy: autouse)
from sqlalchemy import Engine, select, update

from socialcem.insights.notify.base import DeliveryError, Message, Notifier, notifier_for
from socialcem.insights.notify.channels import (
    Channel,
    add_channel,
    list_channels,
    remove_channel,
)
from socialcem.insights.notify.delivery import INTERRUPTED, as_utc
from socialcem.insights.notify.email import EmailNotifier
from socialcem.insights.notify.outbox import (
    DeliveryReport,
    RetryPolicy,
    dead_letters,
    deliver_due,
    enqueue,
    replay,
)
from socialcem.store.locations import brand_id
from socialcem.store.schema import channels, notifications

SECRET = "outbox-test-secret-0123456789"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MESSAGE = Message("alert", "[high] Detractors up at Store 1", "12 new detractors.", None, {"a": 1})
NOTHING = DeliveryReport(0, 0, 0, 0)


def new_brand(engine: Engine, name: str = "acme") -> int:
    with engine.begin() as conn:
        found = brand_id(conn, name)
    assert found is not None
    return found


def webhook(
    engine: Engine, brand: int, name: str, url: str, min_severity: str = "low", **extra: Any
) -> Channel:
    with engine.begin() as conn:
        config = {"url": url, "secret": SECRET, **extra}
        return add_channel(conn, brand, name, "webhook", config, min_severity)


def queue(
    engine: Engine, brand: int, key: str = "alert:1", severity: str = "high", now: datetime = T0
) -> int:
    with engine.begin() as conn:
        return enqueue(conn, brand, "alert", key, MESSAGE, severity, now=now)


def outbox(engine: Engine) -> list[dict[str, Any]]:
    """Every outbox row with its channel's name, times as aware UTC on both backends."""
    query = select(notifications, channels.c.name.label("channel")).join(channels)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query.order_by(notifications.c.id)).mappings()]
    for row in rows:
        for key in ("next_attempt_at", "created_at", "sent_at"):
            row[key] = row[key] and as_utc(row[key])
    return rows


def test_enqueue_reaches_enabled_channels_at_or_below_the_severity(store: Engine) -> None:
    brand = new_brand(store)
    for severity in ("low", "medium", "high", "critical"):
        webhook(store, brand, f"from-{severity}", "https://hooks.example.com/x", severity)
    off = webhook(store, brand, "disabled", "https://hooks.example.com/x", "low")
    with store.begin() as conn:
        conn.execute(update(channels).where(channels.c.id == off.id).values(enabled=False))
    other = new_brand(store, "other brand")
    webhook(store, other, "theirs", "https://hooks.example.com/x", "low")

    assert queue(store, brand, "alert:1", "high") == 3
    assert queue(store, brand, "alert:2", "low") == 1
    assert queue(store, brand, "alert:3", "critical") == 4
    got = {(r["dedupe_key"], r["channel"]) for r in outbox(store)}
    assert {c for k, c in got if k == "alert:1"} == {"from-low", "from-medium", "from-high"}
    assert {c for k, c in got if k == "alert:2"} == {"from-low"}
    assert len({c for k, c in got if k == "alert:3"}) == 4
    row = outbox(store)[0]
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("pending", 0, T0)
    assert row["payload"]["severity"] == "high"
    assert Message.from_payload(row["payload"]) == MESSAGE


def test_enqueue_is_idempotent_per_channel_and_key(store: Engine) -> None:
    brand = new_brand(store)
    webhook(store, brand, "ops", "https://hooks.example.com/ops")
    webhook(store, brand, "cx", "https://hooks.example.com/cx")
    assert queue(store, brand, "alert:1") == 2
    assert queue(store, brand, "alert:1") == 0
    assert queue(store, brand, "alert:1", now=T0 + timedelta(days=1)) == 0
    webhook(store, brand, "late", "https://hooks.example.com/late")
    assert queue(store, brand, "alert:1") == 1  # only the channel that lacked it
    assert queue(store, brand, "alert:2") == 3
    assert len(outbox(store)) == 6


def test_enqueue_refuses_bad_input(sqlite_store: Engine) -> None:
    brand = new_brand(sqlite_store)
    with sqlite_store.begin() as conn:
        with pytest.raises(ValueError, match="kind: 'digest' differs"):
            enqueue(conn, brand, "digest", "k", MESSAGE, "high")
        with pytest.raises(ValueError, match="severity: 'urgent'"):
            enqueue(conn, brand, "alert", "k", MESSAGE, "urgent")
        for key in ("", "k" * 201):
            with pytest.raises(ValueError, match="dedupe_key"):
                enqueue(conn, brand, "alert", key, MESSAGE, "high")
    with pytest.raises(ValueError, match="data: must be JSON"):
        Message("alert", "s", "t", None, {"when": T0})
    with pytest.raises(ValueError, match="kind: 'sms'"):
        Message("sms", "s", "t")


def test_enqueue_never_contacts_a_receiver(store: Engine) -> None:
    brand = new_brand(store)
    with Receiver(SECRET, delay_s=30) as hanging:
        webhook(store, brand, "hanging", hanging.url, timeout_s=0.3)
        webhook(store, brand, "refusing", f"http://127.0.0.1:{closed_port()}/hook")
        started = time.monotonic()
        assert queue(store, brand) == 2
        assert time.monotonic() - started < 1
        assert hanging.requests == []
        # Delivery, apart, records the slow receiver's timeout as a failure to retry.
        report = deliver_due(store, now=T0)
    assert report == DeliveryReport(sent=0, retried=2, dead=0, deferred=0)
    errors = {r["channel"]: r["last_error"] for r in outbox(store)}
    assert "timed out after 0.3 s" in errors["hanging"]
    assert "ConnectError" in errors["refusing"]


def test_failures_are_retried_with_backoff_until_sent(store: Engine) -> None:
    brand = new_brand(store)
    with Receiver(SECRET, fail_first=2) as receiver:
        webhook(store, brand, "ops", receiver.url)
        queue(store, brand)
        assert deliver_due(store, now=T0) == DeliveryReport(retried=1)
        [row] = outbox(store)
        assert (row["attempts"], row["next_attempt_at"]) == (1, T0 + timedelta(seconds=60))
        assert row["last_error"] == "HTTP 500: receiver is down"
        assert deliver_due(store, now=T0 + timedelta(seconds=59)) == NOTHING
        assert deliver_due(store, now=T0 + timedelta(seconds=60)) == DeliveryReport(retried=1)
        [row] = outbox(store)
        assert row["next_attempt_at"] == T0 + timedelta(seconds=180)  # 60 + 120
        sent_at = T0 + timedelta(seconds=180)
        assert deliver_due(store, now=sent_at) == DeliveryReport(sent=1)
        assert deliver_due(store, now=T0 + timedelta(days=1)) == NOTHING
    [row] = outbox(store)
    outcome = (row["status"], row["attempts"], row["sent_at"], row["last_error"])
    assert outcome == ("sent", 3, sent_at, None)
    assert [valid for _, _, valid in receiver.requests] == [True, True, True]
    ids = {headers["X-Socialcem-Delivery"] for headers, _, _ in receiver.requests}
    assert len(ids) == 1  # the same id on every retry, so the receiver can drop repeats


def test_dead_after_max_attempts_then_replayed(store: Engine) -> None:
    brand = new_brand(store)
    with Receiver(SECRET, fail_first=10**9) as receiver:
        webhook(store, brand, "ops", receiver.url)
        queue(store, brand)
        now, waits = T0, []
        for _ in range(5):
            assert deliver_due(store, now=now) == DeliveryReport(retried=1)
            [row] = outbox(store)
            waits.append((row["next_attempt_at"] - now).total_seconds())
            now = row["next_attempt_at"]
        assert waits == [60, 120, 240, 480, 960]
        assert deliver_due(store, now=now) == DeliveryReport(dead=1)
        assert deliver_due(store, now=now + timedelta(days=30)) == NOTHING
        assert len(receiver.requests) == 6

        with store.connect() as conn:
            [letter] = dead_letters(conn, brand)
        assert (letter.channel, letter.kind, letter.subject) == ("ops", "alert", MESSAGE.subject)
        assert (letter.attempts, letter.last_error) == (6, "HTTP 500: receiver is down")

        receiver.fail_first = 0  # the receiver is fixed
        later = now + timedelta(days=2)
        with store.begin() as conn:
            assert replay(conn, brand, now=later) == [letter.id]
        [row] = outbox(store)
        assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("pending", 0, later)
        assert deliver_due(store, now=later) == DeliveryReport(sent=1)
    with store.connect() as conn:
        assert dead_letters(conn, brand) == []


def test_backoff_doubles_up_to_the_cap() -> None:
    waits = [RetryPolicy().delay(n).total_seconds() for n in range(1, 9)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    custom = RetryPolicy(base_s=1, cap_s=5)
    assert [custom.delay(n).total_seconds() for n in (1, 2, 3, 4, 100)] == [1, 2, 4, 5, 5]


def failing(message: str) -> Any:
    class Failing:
        def deliver(self, message_: Message, delivery_id: str) -> None:
            raise DeliveryError(message)

    return lambda kind, config: Failing()


def test_replay_takes_only_the_brands_own_dead_letters(store: Engine) -> None:
    acme, other = new_brand(store), new_brand(store, "other")
    for brand in (acme, other):
        webhook(store, brand, "ops", "https://hooks.example.com/x")
        queue(store, brand)
    once = RetryPolicy(max_attempts=1)
    assert deliver_due(store, now=T0, notifier=failing("down"), policy=once).dead == 2
    with store.connect() as conn:
        [mine], [theirs] = dead_letters(conn, acme), dead_letters(conn, other)
    with store.begin() as conn, pytest.raises(ValueError, match=rf"\[{theirs.id}\]"):
        replay(conn, acme, [mine.id, theirs.id])
    with store.connect() as conn:
        assert len(dead_letters(conn, acme)) == 1  # nothing changed
    with store.begin() as conn:
        assert replay(conn, acme, [mine.id]) == [mine.id]
        assert replay(conn, acme) == []
    with store.connect() as conn:
        assert dead_letters(conn, other) == [theirs]


def test_a_failing_channel_defers_its_other_messages(store: Engine) -> None:
    brand = new_brand(store)
    with Receiver(SECRET) as receiver:
        webhook(store, brand, "healthy", receiver.url)
        webhook(store, brand, "broken", f"http://127.0.0.1:{closed_port()}/hook", timeout_s=2)
        for n in range(3):
            queue(store, brand, f"alert:{n}")
        report = deliver_due(store, now=T0)
    assert report == DeliveryReport(sent=3, retried=1, dead=0, deferred=2)
    assert len(receiver.requests) == 3
    broken = [r for r in outbox(store) if r["channel"] == "broken"]
    assert sorted(r["attempts"] for r in broken) == [0, 0, 1]


def test_no_notifier_failure_escapes(store: Engine) -> None:
    brand = new_brand(store)
    webhook(store, brand, "ops", "https://hooks.example.com/x")
    queue(store, brand)

    def broken_factory(kind: str, config: Mapping[str, Any]) -> Notifier:
        raise RuntimeError("x" * 2000)

    assert deliver_due(store, now=T0, notifier=broken_factory) == DeliveryReport(retried=1)
    [row] = outbox(store)
    assert row["last_error"] == "x" * 500


def test_a_row_claimed_by_another_run_is_not_sent_again(store: Engine) -> None:
    brand = new_brand(store)
    webhook(store, brand, "ops", "https://hooks.example.com/x")
    queue(store, brand, "alert:1")
    queue(store, brand, "alert:2")
    sent: list[str] = []

    class Stalled:  # another run, stopped mid-send: it has claimed its row, not finished
        def deliver(self, message: Message, delivery_id: str) -> None:
            raise KeyboardInterrupt

    class Overlapped:
        def deliver(self, message: Message, delivery_id: str) -> None:
            sent.append(delivery_id)
            if len(sent) == 1:  # after this run read both rows, the other run takes alert:2
                with pytest.raises(KeyboardInterrupt):
                    deliver_due(store, now=T0, notifier=lambda k, c: Stalled())

    assert deliver_due(store, now=T0, notifier=lambda k, c: Overlapped()) == DeliveryReport(sent=1)
    assert len(sent) == 1
    first, second = outbox(store)
    assert (first["status"], second["status"], second["attempts"]) == ("sent", "pending", 1)


def test_an_interrupted_run_counts_the_attempt(store: Engine) -> None:
    brand = new_brand(store)
    webhook(store, brand, "ops", "https://hooks.example.com/x")
    queue(store, brand)

    class Killed:
        def deliver(self, message: Message, delivery_id: str) -> None:
            raise KeyboardInterrupt  # the process dies mid-send

    policy = RetryPolicy(max_attempts=2, lease_s=600)
    now = T0
    for attempt in (1, 2):
        with pytest.raises(KeyboardInterrupt):
            deliver_due(store, now=now, notifier=lambda k, c: Killed(), policy=policy)
        [row] = outbox(store)
        assert (row["attempts"], row["last_error"]) == (attempt, INTERRUPTED)
        assert row["next_attempt_at"] == now + timedelta(seconds=600)  # the lease
        assert deliver_due(store, now=now, notifier=failing("x"), policy=policy) == NOTHING
        now = row["next_attempt_at"]
    # Out of attempts: dead without calling a notifier again.
    assert deliver_due(store, now=now, notifier=failing("x"), policy=policy).dead == 1
    assert outbox(store)[0]["last_error"] == INTERRUPTED


def test_channels_add_list_remove(store: Engine) -> None:
    brand, other = new_brand(store), new_brand(store, "other")
    with store.begin() as conn:
        add_channel(
            conn, brand, "ops", "webhook", {"url": "https://h.example.com", "secret": SECRET}
        )
        mail = add_channel(
            conn, brand, " mail ", "email", {"to": ["a@example.com"], "host": "smtp.example.com"}
        )
        add_channel(
            conn, other, "ops", "email", {"to": ["b@example.com"], "host": "mx.example.com"}
        )
        with pytest.raises(ValueError, match="name: a channel named 'ops' already exists"):
            add_channel(
                conn, brand, "ops", "webhook", {"url": "https://h.example.com", "secret": SECRET}
            )
    assert mail.name == "mail"
    assert mail.config == {
        "to": ["a@example.com"],
        "host": "smtp.example.com",
        "port": 25,
        "starttls": False,
    }
    with store.connect() as conn:
        listed = list_channels(conn, brand)
    assert [(c.name, c.kind, c.min_severity, c.enabled) for c in listed] == [
        ("mail", "email", "medium", True),
        ("ops", "webhook", "medium", True),
    ]
    assert listed[1].public_config() == {"url": "https://h.example.com", "secret": "<hidden>"}
    assert listed[1].config["secret"] == SECRET
    assert listed[1].created_at.tzinfo is not None

    queue(store, brand, severity="critical")
    with store.begin() as conn:
        assert remove_channel(conn, brand, "ops")
        assert not remove_channel(conn, brand, "ops")
    assert [r["channel"] for r in outbox(store)] == ["mail"]  # its queue went with it
    with store.connect() as conn:
        assert [c.name for c in list_channels(conn, other)] == ["ops"]


WEBHOOK = {"url": "https://hooks.example.com/cx", "secret": SECRET}
EMAIL = {"to": ["ops@example.com"], "host": "smtp.example.com"}


@pytest.mark.parametrize(
    ("name", "kind", "config", "severity", "field"),
    [
        ("", "webhook", WEBHOOK, "low", "name"),
        ("x" * 101, "webhook", WEBHOOK, "low", "name"),
        ("ops", "sms", WEBHOOK, "low", "kind"),
        ("ops", "webhook", WEBHOOK, "urgent", "min_severity"),
        ("ops", "webhook", {**WEBHOOK, "url": "ftp://hooks.example.com"}, "low", "url"),
        ("ops", "webhook", {**WEBHOOK, "url": "https:///no-host"}, "low", "url"),
        ("ops", "webhook", {**WEBHOOK, "url": "https://a.com/x y"}, "low", "url"),
        ("ops", "webhook", {**WEBHOOK, "url": "http://[::1/x"}, "low", "url"),
        ("ops", "webhook", {**WEBHOOK, "url": 42}, "low", "url"),
        ("ops", "webhook", {"url": "https://hooks.example.com"}, "low", "secret"),
        ("ops", "webhook", {**WEBHOOK, "secret": "x" * 15}, "low", "secret"),
        ("ops", "webhook", {**WEBHOOK, "timeout_s": 0}, "low", "timeout_s"),
        ("ops", "webhook", {**WEBHOOK, "urll": "typo"}, "low", "urll"),
        ("ops", "email", {**EMAIL, "to": []}, "low", "to"),
        ("ops", "email", {**EMAIL, "to": "ops@example.com"}, "low", "to"),
        ("ops", "email", {**EMAIL, "to": ["not-an-address"]}, "low", "to"),
        ("ops", "email", {**EMAIL, "to": ["a@b.com\r\nBcc: x@y.com"]}, "low", "to"),
        ("ops", "email", {**EMAIL, "sender": "ops@localhost"}, "low", "sender"),
        ("ops", "email", {**EMAIL, "host": "smtp example.com"}, "low", "host"),
        ("ops", "email", {**EMAIL, "port": 0}, "low", "port"),
        ("ops", "email", {**EMAIL, "starttls": "yes"}, "low", "starttls"),
        ("ops", "email", {**EMAIL, "password": "hunter2"}, "low", "password"),
        ("ops", "email", {**EMAIL, "username": "u"}, "low", "username, password_env"),
        ("ops", "email", {**EMAIL, "username": "u", "password_env": "1X"}, "low", "password_env"),
    ],
)
def test_channel_validation_names_the_field(
    sqlite_store: Engine, name: str, kind: str, config: dict[str, Any], severity: str, field: str
) -> None:
    brand = new_brand(sqlite_store)
    with sqlite_store.begin() as conn, pytest.raises(ValueError, match=rf"^{field}: "):
        add_channel(conn, brand, name, kind, config, severity)
    with sqlite_store.connect() as conn:
        assert list_channels(conn, brand) == []


def test_a_stored_channel_builds_its_notifier(sqlite_store: Engine) -> None:
    brand = new_brand(sqlite_store)
    config = {**EMAIL, "username": "mailer", "password_env": "SMTP_PASSWORD", "timeout_s": 5}
    with sqlite_store.begin() as conn:
        channel = add_channel(conn, brand, "mail", "email", config, "high")
    assert notifier_for(channel.kind, channel.config) == EmailNotifier(
        "smtp.example.com",
        ("ops@example.com",),
        port=25,
        username="mailer",
        password_env="SMTP_PASSWORD",
        timeout_s=5.0,
    )
