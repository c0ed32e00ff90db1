"""E-mail delivery over SMTP with the standard library: no extra dependency to send mail.

The SMTP password is read from the environment variable the channel names, at send time,
so it never sits in the database, in backups of it, or in ``notify channel list``.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from socialcem.insights.notify.base import DeliveryError, Message

DEFAULT_PORT = 25
DEFAULT_SENDER = "socialcem@localhost"
DEFAULT_TIMEOUT_S = 10.0
DELIVERY_HEADER = "X-Socialcem-Delivery"


def _one_line(value: str) -> str:
    # Header values cannot hold line breaks (and must not: that is header injection).
    return " ".join(value.split())


@dataclass(frozen=True)
class EmailNotifier:
    """Sends a text/plain message, or multipart/alternative when the message has HTML.

    Success means the server accepted the message for at least one recipient; a server
    that refuses every recipient is a failure.
    """

    host: str
    to: tuple[str, ...]
    port: int = DEFAULT_PORT
    sender: str = DEFAULT_SENDER
    starttls: bool = False
    username: str | None = None
    password_env: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EmailNotifier:
        return cls(
            host=str(config["host"]),
            to=tuple(config["to"]),
            port=int(config.get("port", DEFAULT_PORT)),
            sender=str(config.get("sender") or DEFAULT_SENDER),
            starttls=bool(config.get("starttls", False)),
            username=config.get("username"),
            password_env=config.get("password_env"),
            timeout_s=float(config.get("timeout_s", DEFAULT_TIMEOUT_S)),
        )

    def build(self, message: Message, delivery_id: str) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = _one_line(message.subject)
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.to)
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        mail[DELIVERY_HEADER] = _one_line(delivery_id)
        mail.set_content(message.text)
        if message.html is not None:
            mail.add_alternative(message.html, subtype="html")
        return mail

    def _password(self) -> str | None:
        if self.username is None:
            return None
        if not self.password_env:
            raise DeliveryError("SMTP username is set but password_env is not")
        password = os.environ.get(self.password_env)
        if password is None:
            raise DeliveryError(f"environment variable {self.password_env} is not set")
        return password

    def deliver(self, message: Message, delivery_id: str) -> None:
        mail = self.build(message, delivery_id)
        password = self._password()
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    # Never falls back to plain text: no STARTTLS offered is an error.
                    smtp.starttls(context=ssl.create_default_context())
                if self.username is not None and password is not None:
                    smtp.login(self.username, password)
                smtp.send_message(mail, from_addr=self.sender, to_addrs=list(self.to))
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {exc}") from exc
        except OSError as exc:  # refused, unreachable, timed out, TLS handshake
            reason = str(exc) or type(exc).__name__
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {reason}") from exc
