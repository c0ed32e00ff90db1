"""Webhook delivery against a real HTTP server on loopback, and the signature scheme."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from receivers import Receiver, closed_port, no_proxy  # noqa: F401  (no_proxy: autouse)

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


def test_delivers_signed_json_the_receiver_verifies() -> None:
    with Receiver(SECRET) as receiver:
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
    with Receiver(SECRET) as receiver, pytest.raises(DeliveryError, match="HTTP 401"):
        WebhookNotifier(receiver.url, "another-secret-0123456789").deliver(MESSAGE, "d-1")
    assert [valid for _, _, valid in receiver.requests] == [False]


def test_a_non_2xx_answer_is_a_failure_with_the_reason() -> None:
    with Receiver(SECRET, fail_first=1, fail_status=503) as receiver:
        notifier = WebhookNotifier(receiver.url, SECRET)
        with pytest.raises(DeliveryError, match="HTTP 503: receiver is down"):
            notifier.deliver(MESSAGE, "d-1")
        notifier.deliver(MESSAGE, "d-1")  # the receiver is back
    assert len(receiver.requests) == 2


def test_a_slow_receiver_is_a_timeout_failure() -> None:
    with Receiver(SECRET, delay_s=10) as receiver:
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
        Receiver(SECRET) as target,
        Receiver(SECRET, redirect_to=target.url) as receiver,
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
