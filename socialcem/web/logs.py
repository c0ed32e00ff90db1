"""Structured logs: one JSON object a line (or plain text), and one line per HTTP request.

Every request gets an id, taken from the client's X-Request-ID when it is short and safe
(so a proxy's id follows the request through), else generated; it is sent back in the
response header and written on every log line made while the request runs, so the lines of
one request can be found together. We log requests ourselves: uvicorn's access log is off.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcem.web.telemetry import route_template

ACCESS = logging.getLogger("socialcem.web.access")
REQUEST_FIELDS = ("method", "route", "path", "status", "duration_ms", "actor", "client")
HEADER = "x-request-id"
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes: logged at debug level when they succeed, so they do not drown the log."""

_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
request_id_var: ContextVar[str | None] = ContextVar("socialcem_request_id", default=None)


class JsonFormatter(logging.Formatter):
    """ts, level, logger, message, then request fields when present, then any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            out["request_id"] = request_id
        for name in REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        return f"{line} [{request_id}]" if request_id else line


def configure_logging(log_format: str = "json", level: str = "info") -> None:
    """One handler on the root logger (stderr); uvicorn's loggers go through it too."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "socialcem", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.socialcem = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # start-up noise
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True


def accepted_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's request id when it is safe to echo and log, else a new one."""
    for name, value in headers:
        if name.lower() == HEADER.encode():
            text = value.decode("latin-1")
            if _SAFE_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Gives each request its id and writes one log line when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accepted_id(scope.get("headers", []))
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            principal = state.get("principal")
            client = scope.get("client")
            fields = {
                "request_id": request_id,
                "method": scope["method"],
                "route": route_template(scope),
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                "actor": getattr(principal, "actor", None),
                "client": client[0] if client else None,
            }
            level = logging.INFO
            if status >= 500:
                level = logging.ERROR
            elif scope["path"] in QUIET_PATHS and status < 400:
                level = logging.DEBUG
            ACCESS.log(level, "%s %s %s", scope["method"], scope["path"], status, extra=fields)
            request_id_var.reset(token)
