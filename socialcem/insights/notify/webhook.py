"""Signed webhook delivery: one JSON POST per message, HMAC-SHA256 over timestamp and body.

The timestamp is inside the signed bytes so a captured request cannot be replayed later
than ``tolerance_s``; ``verify`` is what receivers (and socialcem's own HTTP endpoints)
check incoming requests with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from socialcem import __version__
from socialcem.insights.notify.base import DeliveryError, Message

DEFAULT_TIMEOUT_S = 10.0
DELIVERY_HEADER = "X-Socialcem-Delivery"
TIMESTAMP_HEADER = "X-Socialcem-Timestamp"
SIGNATURE_HEADER = "X-Socialcem-Signature"
_PREFIX = "sha256="
# Enough of an error response to say why; the rest is never read.
_ERROR_BODY_BYTES = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Socialcem-Signature`` value: ``sha256=`` and the hex HMAC of ``"{ts}." + body``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return _PREFIX + mac.hexdigest()


def verify(
    secret: str,
    timestamp: int | str,
    body: bytes,
    signature_header: str,
    now: float | None = None,
    tolerance_s: float = 300,
) -> bool:
    """True when the signature matches and the timestamp is within ``tolerance_s`` of now.

    Takes the headers as received (strings); anything malformed is simply not valid.
    """
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance_s:
        return False
    expected = sign(secret, ts, body).encode()
    return hmac.compare_digest(expected, signature_header.encode("utf-8", "replace"))


def _error_text(response: httpx.Response) -> str:
    head = b""
    for chunk in response.iter_bytes():
        head += chunk
        if len(head) >= _ERROR_BODY_BYTES:
            break
    return head[:_ERROR_BODY_BYTES].decode("utf-8", "replace").strip()


@dataclass(frozen=True)
class WebhookNotifier:
    """POSTs to ``url``; any answer but 2xx, redirects included, is a failure.

    ``timeout_s`` bounds each network step (connect, send, each read), as httpx does.
    """

    url: str
    secret: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookNotifier:
        return cls(
            url=str(config["url"]),
            secret=str(config["secret"]),
            timeout_s=float(config.get("timeout_s", DEFAULT_TIMEOUT_S)),
        )

    def body(self, message: Message, delivery_id: str) -> bytes:
        document = {
            "id": delivery_id,
            "kind": message.kind,
            "subject": message.subject,
            "text": message.text,
            "data": message.data,
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    def deliver(self, message: Message, delivery_id: str) -> None:
        body = self.body(message, delivery_id)
        timestamp = int(self.clock())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"socialcem/{__version__}",
            DELIVERY_HEADER: delivery_id,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }
        try:
            with (
                httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client,
                client.stream("POST", self.url, content=body, headers=headers) as response,
            ):
                if response.is_success:
                    return
                reason = _error_text(response)
        except httpx.TimeoutException as exc:
            raise DeliveryError(
                f"timed out after {self.timeout_s:g} s ({type(exc).__name__})"
            ) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        status = f"HTTP {response.status_code}"
        if response.is_redirect:
            status += f" redirect to {response.headers.get('location', '?')} (not followed)"
        raise DeliveryError(f"{status}: {reason}" if reason else status)
