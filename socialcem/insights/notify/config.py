"""Channel settings, checked key by key before they are stored, so delivery never meets bad config.

Unknown keys are refused (a typo is not silently ignored), values are normalised, and every
mistake is a ``ValueError`` that names the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from socialcem.insights.notify.base import CHANNEL_KINDS, SEVERITIES

NAME_MAX = 100
SECRET_MIN = 16
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HOST = re.compile(r"[A-Za-z0-9._:\[\]-]+")
_KEYS = {
    "webhook": {"url", "secret", "timeout_s"},
    "email": {"to", "host", "port", "sender", "starttls", "username", "password_env", "timeout_s"},
}


def _address(field: str, value: Any) -> str:
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value.strip()):
        raise ValueError(f"{field}: {value!r} is not an e-mail address")
    return value.strip()


def _timeout(config: Mapping[str, Any], out: dict[str, Any]) -> None:
    if "timeout_s" in config:
        value = config["timeout_s"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 300:
            raise ValueError(f"timeout_s: {value!r} must be a number of seconds in (0, 300]")
        out["timeout_s"] = float(value)


def _webhook(config: Mapping[str, Any]) -> dict[str, Any]:
    url = config.get("url")
    try:
        parts = urlsplit(url if isinstance(url, str) else "")
    except ValueError:  # e.g. an unclosed [IPv6] bracket
        parts = urlsplit("")
    if not isinstance(url, str) or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"url: {url!r} must be an http:// or https:// URL with a host")
    if any(c.isspace() for c in url) or len(url) > 2000:
        raise ValueError("url: must have no spaces and at most 2000 characters")
    secret = config.get("secret")
    if not isinstance(secret, str) or len(secret) < SECRET_MIN:
        raise ValueError(f"secret: must be at least {SECRET_MIN} characters")
    out: dict[str, Any] = {"url": url, "secret": secret}
    _timeout(config, out)
    return out


def _email(config: Mapping[str, Any]) -> dict[str, Any]:
    to = config.get("to")
    if isinstance(to, str) or not isinstance(to, list | tuple) or not to:
        raise ValueError("to: give at least one e-mail address (a list)")
    host = config.get("host")
    if not isinstance(host, str) or not _HOST.fullmatch(host):
        raise ValueError(f"host: {host!r} is not an SMTP host name")
    out: dict[str, Any] = {"to": [_address("to", a) for a in to], "host": host}
    port = config.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError(f"port: {port!r} must be a TCP port (1-65535)")
    out["port"] = port
    if config.get("sender") is not None:
        out["sender"] = _address("sender", config["sender"])
    if not isinstance(config.get("starttls", False), bool):
        raise ValueError("starttls: must be true or false")
    out["starttls"] = bool(config.get("starttls", False))
    username, password_env = config.get("username"), config.get("password_env")
    if (username is None) != (password_env is None):
        raise ValueError("username, password_env: give both for SMTP login, or neither")
    if username is not None:
        if not isinstance(username, str) or not username or "\n" in username:
            raise ValueError("username: must be a non-empty single line")
        if not isinstance(password_env, str) or not _ENV_NAME.fullmatch(password_env):
            raise ValueError(f"password_env: {password_env!r} is not an environment variable name")
        out["username"], out["password_env"] = username, password_env
    _timeout(config, out)
    return out


def validate_channel(
    name: str, kind: str, config: Mapping[str, Any], min_severity: str
) -> dict[str, Any]:
    """The normalised config to store; ``ValueError`` naming the field otherwise."""
    if not name.strip() or len(name) > NAME_MAX:
        raise ValueError(f"name: must be 1 to {NAME_MAX} characters")
    if kind not in CHANNEL_KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(CHANNEL_KINDS)}")
    if min_severity not in SEVERITIES:
        raise ValueError(f"min_severity: {min_severity!r} is not one of {', '.join(SEVERITIES)}")
    if "password" in config:
        raise ValueError("password: never stored; name the variable holding it in password_env")
    unknown = sorted(set(config) - _KEYS[kind])
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a {kind} setting")
    return _webhook(config) if kind == "webhook" else _email(config)
