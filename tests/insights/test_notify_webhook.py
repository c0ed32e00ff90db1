"""Webhook delivery against a real HTTP server on loopback, and the signature scheme."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcem.insights.notify.base import DeliveryError, Message, notifier_for
from socialcem.insights.notify.webhook import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookNotifier,
    sign,
    verify,
)

SECRET = "s3cret-for-tests-only-0123456789"
MESSAGE = Message(
    "alert", "[high] NPS fell at Store 1", "NPS fell 12 points.", "<p>NPS fell</p>", {"id": 7}
)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() then joins every handler thread

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (the timeout test) closes the socket before the answer.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Receiver:
    """A webhook receiver on 127.0.0.1 that checks signatures with ``verify``.

    Answers 401 to a bad signature, ``fail_status`` to the first ``fail_first`` requests,
    waits ``delay_s`` before answering, or redirects when ``redirect_to`` is set.
    """

    def __init__(
        self,
        secret: str = SECRET,
        fail_first: int = 0,
        fail_status: int = 500,
        delay_s: float = 0.0,
        redirect_to: str | None = None,
    ) -> None:
        self.secret, self.fail_first, self.fail_status = secret, fail_first, fail_status
        self.delay_s, self.redirect_to = delay_s, redirect_to
        self.requests: list[tuple[dict[str, str], bytes, bool]] = []
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ts, sig = self.headers[TIMESTAMP_HEADER] or "", self.headers[SIGNATURE_HEADER]
                valid = verify(receiver.secret, ts, body, sig or "")
                receiver.requests.append((dict(self.headers), body, valid))
                receiver.release.wait(receiver.delay_s)
                if not valid:
                    self._answer(401, b"bad signature")
                elif receiver.redirect_to:
                    self._answer(302, b"", {"Location": receiver.redirect_to})
                elif len(receiver.requests) <= receiver.fail_first:
                    self._answer(receiver.fail_status, b"receiver is down")
                else:
                    self._answer(204, b"")

            def _answer(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                for key, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,))

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_delivers_signed_json_the_receiver_verifies() -> None:
    with Receiver() as receiver:
        WebhookNotifier(receiver.url, SECRET).deliver(MESSAGE, "d-1")
    [(headers, body, valid)] = receiver.requests
    assert valid
    assert json.loads(body) == {
        "id": "d-1",
        "kind": "alert",
        "subject": MESSAGE.subject,
        "text": MESSAGE.text,
        "data": {"id": 7},
    }
    assert headers[DELIVERY_HEADER] == "d-1"
    assert headers["Content-Type"] == "application/json"
    ts = int(headers[TIMESTAMP_HEADER])
    assert abs(time.time() - ts) < 5
    assert headers[SIGNATURE_HEADER] == sign(SECRET, ts, body)


def test_a_wrong_secret_is_refused_by_the_receiver() -> None:
    with Receiver() as receiver, pytest.raises(DeliveryError, match="HTTP 401"):
        WebhookNotifier(receiver.url, "another-secret-0123456789").deliver(MESSAGE, "d-1")
    assert [valid for _, _, valid in receiver.requests] == [False]


def test_a_non_2xx_answer_is_a_failure_with_the_reason() -> None:
    with Receiver(fail_first=1, fail_status=503) as receiver:
        notifier = WebhookNotifier(receiver.url, SECRET)
        with pytest.raises(DeliveryError, match="HTTP 503: receiver is down"):
            notifier.deliver(MESSAGE, "d-1")
        notifier.deliver(MESSAGE, "d-1")  # the receiver is back
    assert len(receiver.requests) == 2


def test_a_slow_receiver_is_a_timeout_failure() -> None:
    with Receiver(delay_s=10) as receiver:
        started = time.monotonic()
        with pytest.raises(DeliveryError, match=r"timed out after 0\.3 s"):
            WebhookNotifier(receiver.url, SECRET, timeout_s=0.3).deliver(MESSAGE, "d-1")
        assert time.monotonic() - started < 3
    assert len(receiver.requests) == 1


def test_a_refused_connection_is_a_failure() -> None:
    url = f"http://127.0.0.1:{closed_port()}/hook"
    with pytest.raises(DeliveryError, match="ConnectError"):
        WebhookNotifier(url, SECRET, timeout_s=2).deliver(MESSAGE, "d-1")


def test_redirects_are_not_followed() -> None:
    redirected = r"HTTP 302 redirect to \S+/hook \(not followed\)"
    with (
        Receiver() as target,
        Receiver(redirect_to=target.url) as receiver,
        pytest.raises(DeliveryError, match=redirected),
    ):
        WebhookNotifier(receiver.url, SECRET).deliver(MESSAGE, "d-1")
    assert len(receiver.requests) == 1
    assert target.requests == []


def test_notifier_for_builds_a_webhook_from_channel_config() -> None:
    notifier = notifier_for("webhook", {"url": "https://h.example.com/x", "secret": SECRET})
    assert notifier == WebhookNotifier("https://h.example.com/x", SECRET, 10.0)
    custom = notifier_for(
        "webhook", {"url": "https://h.example.com", "secret": SECRET, "timeout_s": 3}
    )
    assert isinstance(custom, WebhookNotifier) and custom.timeout_s == 3.0
    with pytest.raises(ValueError, match="kind: 'sms'"):
        notifier_for("sms", {})


def test_verify_rejects_stale_future_and_malformed_requests() -> None:
    body, ts = b'{"id":"x"}', 1_700_000_000
    signature = sign(SECRET, ts, body)
    assert verify(SECRET, ts, body, signature, now=ts + 300)
    assert verify(SECRET, str(ts), body, signature, now=ts - 300)  # headers arrive as text
    assert not verify(SECRET, ts, body, signature, now=ts + 301)  # a replayed capture
    assert not verify(SECRET, ts, body, signature, now=ts - 301)
    assert verify(SECRET, ts, body, signature, now=ts + 1000, tolerance_s=1000)
    assert not verify("the-wrong-secret", ts, body, signature, now=ts)
    assert not verify(SECRET, "soon", body, signature, now=ts)
    assert not verify(SECRET, ts, body, signature.removeprefix("sha256="), now=ts)
    assert not verify(SECRET, ts, body, signature.replace("sha256=", "sha1="), now=ts)
    assert not verify(SECRET, ts, body, "", now=ts)
    assert not verify(SECRET, ts, body, "sha256=é", now=ts)


@given(secret=st.text(max_size=80), body=st.binary(max_size=600), ts=st.integers(0, 2**40))
def test_any_signed_body_verifies(secret: str, body: bytes, ts: int) -> None:
    assert verify(secret, ts, body, sign(secret, ts, body), now=ts)


@given(
    secret=st.text(max_size=80),
    body=st.binary(min_size=1, max_size=600),
    ts=st.integers(0, 2**40),
    data=st.data(),
)
def test_any_flipped_byte_fails(secret: str, body: bytes, ts: int, data: st.DataObject) -> None:
    signature = sign(secret, ts, body)
    where = data.draw(st.integers(0, len(body) - 1), label="body byte")
    mask = data.draw(st.integers(1, 255), label="mask")
    tampered = body[:where] + bytes([body[where] ^ mask]) + body[where + 1 :]
    assert not verify(secret, ts, tampered, signature, now=ts)

    at = data.draw(st.integers(len("sha256="), len(signature) - 1), label="signature char")
    other = data.draw(st.sampled_from("0123456789abcdef").filter(lambda c: c != signature[at]))
    assert not verify(secret, ts, body, signature[:at] + other + signature[at + 1 :], now=ts)
    assert not verify(secret, ts + 1, body, signature, now=ts)
