"""E-mail delivery against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from socialcem.insights.notify.base import DeliveryError, Message, notifier_for
from socialcem.insights.notify.email import DELIVERY_HEADER, EmailNotifier

TO = ("ops@example.com", "cx-lead@example.com")
MESSAGE = Message(
    "alert",
    "[high] NPS fell at Store 1",
    "NPS fell 12 points this week.",
    "<p>NPS fell <b>12 points</b> this week.</p>",
    {"alert_id": 7},
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message; refuses recipients on request."""

    def __init__(self, refuse: set[str] | None = None) -> None:
        self.refuse = refuse or set()
        self.envelopes: list[Any] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append((auth_data.login, auth_data.password))
        # handled=False: the server itself answers 535 to a refused login.
        return AuthResult(success=auth_data.password == b"right-password", handled=False)

    def received(self) -> EmailMessage:
        [envelope] = self.envelopes
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@contextmanager
def smtp_server(inbox: Inbox, **options: Any) -> Iterator[tuple[Inbox, int]]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server(Inbox()) as server:
        yield server


def test_sends_text_and_html_alternatives(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    notifier = EmailNotifier("127.0.0.1", TO, port=port, sender="socialcem@example.com")
    notifier.deliver(MESSAGE, "d-42")
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "socialcem@example.com"
    assert envelope.rcpt_tos == list(TO)
    mail = inbox.received()
    assert mail["Subject"] == MESSAGE.subject
    assert mail["From"] == "socialcem@example.com"
    assert mail["To"] == ", ".join(TO)
    assert mail[DELIVERY_HEADER] == "d-42"
    assert mail["Message-ID"].endswith("@example.com>")
    assert mail.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in mail.iter_parts()}
    assert parts["text/plain"].strip() == MESSAGE.text
    assert parts["text/html"].strip() == MESSAGE.html


def test_a_text_only_message_is_one_part(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    message = Message("digest", "Weekly digest", "Ünïcode text survives: NPS +12", None, {})
    EmailNotifier("127.0.0.1", TO[:1], port=port).deliver(message, "d-1")
    mail = inbox.received()
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content().strip() == message.text
    assert inbox.envelopes[0].rcpt_tos == [TO[0]]


def test_line_breaks_in_the_subject_cannot_add_headers(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    message = Message("alert", "Refund now\r\nBcc: attacker@example.net", "x", None, {})
    EmailNotifier("127.0.0.1", TO[:1], port=port).deliver(message, "d-1")
    mail = inbox.received()
    assert mail["Bcc"] is None
    assert mail["Subject"] == "Refund now Bcc: attacker@example.net"
    assert inbox.envelopes[0].rcpt_tos == [TO[0]]


def test_login_takes_the_password_from_the_named_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = Inbox()
    # Login over plain SMTP is allowed here only because the server is on loopback.
    login = {"authenticator": inbox.authenticate, "auth_require_tls": False}
    with smtp_server(inbox, **login) as (_, port):
        notifier = EmailNotifier(
            "127.0.0.1", TO, port=port, username="mailer", password_env="SOCIALCEM_TEST_SMTP"
        )
        monkeypatch.delenv("SOCIALCEM_TEST_SMTP", raising=False)
        with pytest.raises(DeliveryError, match="SOCIALCEM_TEST_SMTP is not set"):
            notifier.deliver(MESSAGE, "d-1")
        assert inbox.logins == []

        monkeypatch.setenv("SOCIALCEM_TEST_SMTP", "wrong-password")
        with pytest.raises(DeliveryError, match="535"):
            notifier.deliver(MESSAGE, "d-1")

        monkeypatch.setenv("SOCIALCEM_TEST_SMTP", "right-password")
        notifier.deliver(MESSAGE, "d-1")
        assert inbox.logins[-1] == (b"mailer", b"right-password")
        assert len(inbox.envelopes) == 1


def test_starttls_is_required_when_asked_never_skipped(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp  # this server offers no STARTTLS
    with pytest.raises(DeliveryError, match="STARTTLS"):
        EmailNotifier("127.0.0.1", TO, port=port, starttls=True).deliver(MESSAGE, "d-1")
    assert inbox.envelopes == []


def test_every_recipient_refused_is_a_failure() -> None:
    with smtp_server(Inbox(refuse=set(TO))) as (inbox, port):
        with pytest.raises(DeliveryError, match="no such user"):
            EmailNotifier("127.0.0.1", TO, port=port).deliver(MESSAGE, "d-1")
        assert inbox.envelopes == []


def test_a_refused_connection_is_a_failure() -> None:
    with pytest.raises(DeliveryError, match="refused"):
        EmailNotifier("127.0.0.1", TO, port=free_port(), timeout_s=2).deliver(MESSAGE, "d-1")


def test_a_silent_server_times_out() -> None:
    with socket.socket() as listener:  # accepts the connection, never greets
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(DeliveryError, match="timed out"):
            EmailNotifier("127.0.0.1", TO, port=port, timeout_s=0.3).deliver(MESSAGE, "d-1")
        assert time.monotonic() - started < 3


def test_notifier_for_builds_email_from_channel_config() -> None:
    config = {"to": list(TO), "host": "smtp.example.com", "port": 587, "starttls": True}
    notifier = notifier_for("email", config)
    assert notifier == EmailNotifier("smtp.example.com", TO, port=587, starttls=True)
