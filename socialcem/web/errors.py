"""Errors as answers: 4xx naming the field, 503 for a database away, 500 only for our bugs.

Nothing a caller sends may produce a 5xx: a 500 means a bug. Its answer carries the request
id (to find the traceback in the log) and never the traceback itself. A body over the size
limit is refused while it streams in, so a huge upload is never read whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcem.store import StoreError

log = logging.getLogger("socialcem.web.errors")
RETRY_AFTER_S = 5
SUMMARY_PROBLEMS = 10


def field_name(loc: Sequence[Any]) -> str:
    """``("body", "items", 3, "text")`` -> ``body.items.3.text``."""
    return ".".join(str(part) for part in loc) or "body"


def validation_problems(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Each problem names its field in plain text; loc, msg and type stay for OpenAPI clients."""
    problems = []
    for error in errors:
        loc = list(error.get("loc", ()))
        kind = str(error.get("type", "value_error"))
        message = str(error.get("msg", "invalid value"))
        if kind == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "")
            at = f" at character {loc[1]}" if len(loc) > 1 else ""
            message = f"the request body is not valid JSON{at}" + (f": {reason}" if reason else "")
            loc = ["body"]
        field = field_name(loc)
        problems.append(
            {"field": field, "message": message, "loc": loc, "msg": message, "type": kind}
        )
    return problems


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = validation_problems(exc.errors())
    shown = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:SUMMARY_PROBLEMS])
    more = len(problems) - SUMMARY_PROBLEMS
    summary = f"invalid request: {shown}" + (f" (and {more} more)" if more > 0 else "")
    return JSONResponse({"detail": problems, "message": summary}, status_code=422)


_FIELD = re.compile(r"[A-Za-z_][\w.\[\]-]{0,80}")


async def http_error(request: Request, exc: Exception) -> Response:
    """A route's own 422 ("field: message") gets the shape the OpenAPI schema promises.

    FastAPI documents every 422 as a list of problems; a route refusing a value after parsing
    raises ``HTTPException(422, "field: why")``, and clients then get that same list.
    """
    assert isinstance(exc, HTTPException)
    if exc.status_code != 422 or not isinstance(exc.detail, str):
        return await http_exception_handler(request, exc)
    head, sep, rest = exc.detail.partition(":")
    field = head.strip() if sep and _FIELD.fullmatch(head.strip()) else "body"
    problem = {
        "field": field,
        "message": rest.strip() if field != "body" else exc.detail,
        "loc": field.split("."),
        "msg": exc.detail,
        "type": "value_error",
    }
    return JSONResponse(
        {"detail": [problem], "message": exc.detail}, status_code=422, headers=exc.headers
    )


async def database_unavailable(request: Request, exc: Exception) -> Response:
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    log.warning("database unavailable: %s: %s", type(exc).__name__, reason)
    return JSONResponse(
        {"detail": "the database is unavailable or busy; retry shortly"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def internal_error(request_id: str | None) -> Response:
    detail = "internal error: a bug on our side"
    if request_id:
        detail += f"; quote request id {request_id} when reporting it"
    headers = {"X-Request-ID": request_id} if request_id else None
    return JSONResponse(
        {"detail": detail, "request_id": request_id}, status_code=500, headers=headers
    )


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """Last resort (an error in a middleware itself): Starlette's outermost handler."""
    request_id = getattr(request.state, "request_id", None)
    log.error("unhandled %s", type(exc).__name__, exc_info=exc, extra={"request_id": request_id})
    return internal_error(request_id)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    for kind in (OperationalError, PoolTimeoutError, StoreError):
        app.add_exception_handler(kind, database_unavailable)
    app.add_exception_handler(Exception, unexpected_error)


class UnexpectedErrorMiddleware:
    """Turns an exception no handler took into a JSON 500, logged once with its traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            request_id = scope.get("state", {}).get("request_id")
            log.error(
                "unhandled %s on %s %s",
                type(exc).__name__,
                scope["method"],
                scope["path"],
                exc_info=exc,
                extra={"request_id": request_id},
            )
            if started:  # too late for another answer: the server drops the connection
                raise
            await internal_error(request_id)(scope, receive, send)


class BodyLimitMiddleware:
    """413 for a body over ``max_bytes``: at once from Content-Length, else as it streams."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def detail(self) -> str:
        return f"body: the request body is larger than the limit of {self.max_bytes:,} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length" and value.isdigit():
                if int(value) > self.max_bytes:
                    response = JSONResponse({"detail": self.detail()}, status_code=413)
                    await response(scope, receive, send)
                    return
                break
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self.detail())
            return message

        await self.app(scope, limited_receive, send)
