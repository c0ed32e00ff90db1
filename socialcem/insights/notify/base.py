"""What every channel shares: the message, the notifier contract and severity order.

Notifiers only send; retries, backoff and dead letters belong to the outbox, so a
notifier reports any failure as one exception type and never retries by itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

MESSAGE_KINDS = ("alert", "digest", "test")
SEVERITIES = ("low", "medium", "high", "critical")
CHANNEL_KINDS = ("webhook", "email")


class DeliveryError(Exception):
    """A message did not reach its receiver (timeout, refusal, non-2xx, SMTP error)."""


def severity_rank(severity: str) -> int:
    """Position in ``SEVERITIES`` so that severities compare as numbers."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        raise ValueError(f"severity: {severity!r} is not one of {', '.join(SEVERITIES)}") from None


def at_least(severity: str, minimum: str) -> bool:
    """True when ``severity`` is ``minimum`` or more serious."""
    return severity_rank(severity) >= severity_rank(minimum)


@dataclass(frozen=True)
class Message:
    """One notification, rendered once and sent unchanged to every channel.

    ``data`` carries the machine-readable facts (alert id, metric, location...) for
    webhook receivers; ``text`` and ``html`` are for people.
    """

    kind: str
    subject: str
    text: str
    html: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in MESSAGE_KINDS:
            raise ValueError(f"kind: {self.kind!r} is not one of {', '.join(MESSAGE_KINDS)}")
        if not self.subject.strip():
            raise ValueError("subject: must not be empty")
        try:
            json.dumps(self.data, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"data: must be JSON-serialisable ({exc})") from None

    def as_payload(self) -> dict[str, Any]:
        """The JSON stored in the outbox, so a retry sends exactly what was enqueued."""
        return {
            "kind": self.kind,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "data": self.data,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Message:
        return cls(
            kind=payload["kind"],
            subject=payload["subject"],
            text=payload["text"],
            html=payload.get("html"),
            data=dict(payload.get("data") or {}),
        )


class Notifier(Protocol):
    """Sends one message; raises ``DeliveryError`` on any failure, returns on success.

    ``delivery_id`` is stable across retries of the same outbox row, so a receiver can
    drop a message it already has (delivery is at least once).
    """

    def deliver(self, message: Message, delivery_id: str) -> None: ...


def notifier_for(kind: str, config: Mapping[str, Any]) -> Notifier:
    """The notifier for a channel's kind and stored config.

    Implementations are imported here, on use: an e-mail-only deployment never loads httpx.
    """
    if kind == "webhook":
        from socialcem.insights.notify.webhook import WebhookNotifier

        return WebhookNotifier.from_config(config)
    if kind == "email":
        from socialcem.insights.notify.email import EmailNotifier

        return EmailNotifier.from_config(config)
    raise ValueError(f"kind: {kind!r} is not one of {', '.join(CHANNEL_KINDS)}")
