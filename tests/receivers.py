"""A real webhook receiver on loopback for the notification tests, and what goes with it:
a port nobody listens on, and a fixture that keeps proxy settings off loopback requests."""

from __future__ import annotations

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from socialcem.insights.notify.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() then joins every handler thread

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a timeout test) closes the socket before the answer.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Receiver:
    """A webhook receiver on 127.0.0.1 that checks signatures against ``secret`` with ``verify``.

    Keeps every request in ``requests`` as ``(headers, body, valid)``. Answers 401 to a bad
    signature; redirects when ``redirect_to`` is set; answers ``fail_status`` with ``fail_body``
    to the first ``fail_first`` requests and to every request while ``failing`` is set; else
    204. Waits ``delay_s`` before answering (cut short when the receiver stops).
    """

    def __init__(
        self,
        secret: str,
        fail_first: int = 0,
        fail_status: int = 500,
        fail_body: bytes = b"receiver is down",
        delay_s: float = 0.0,
        redirect_to: str | None = None,
    ) -> None:
        self.secret, self.fail_first, self.fail_status = secret, fail_first, fail_status
        self.fail_body, self.delay_s, self.redirect_to = fail_body, delay_s, redirect_to
        self.failing = False
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
                elif receiver.failing or len(receiver.requests) <= receiver.fail_first:
                    self._answer(receiver.fail_status, receiver.fail_body)
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
    """A loopback port nobody listens on (once this returns)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proxy settings off, so requests to the loopback receiver go straight to it.

    Autouse in every test module that imports it.
    """
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
