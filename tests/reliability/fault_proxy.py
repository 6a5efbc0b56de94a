"""A misbehaving Stripe on loopback: a proxy in front of the sandbox that injects faults.

This stands in for Stripe's live servers misbehaving (down, slow, 500, 429 with Retry-After,
connections cut before or after the request was applied), which cannot be provoked here.
Each incoming request takes the next fault from ``plan`` (``PASS`` once the plan is empty) and
is logged with its method, path and Idempotency-Key, so tests can prove what was sent twice.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

PASS = "pass"
SERVER_ERROR = "500"
RATE_LIMITED = "429"  # with Retry-After: RETRY_AFTER seconds
SLOW = "slow"  # answers after SLOW_SECONDS (a client with a shorter timeout gives up first)
CUT_BEFORE = "cut before"  # the connection closes before the request reaches the sandbox
CUT_AFTER = "cut after"  # the sandbox applies the request; its answer never arrives

RETRY_AFTER = 0.6
SLOW_SECONDS = 2.0


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    idempotency_key: str | None
    fault: str


@dataclass
class FaultProxy:
    upstream: str
    plan: list[str] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    applied: int = 0  # requests forwarded to the sandbox

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._http = httpx.Client(base_url=self.upstream, timeout=30, trust_env=False)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self)

            def do_POST(self) -> None:
                proxy._handle(self)

            def do_DELETE(self) -> None:
                proxy._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        """Down: the port stops listening."""
        self._server.shutdown()
        self._server.server_close()
        self._http.close()

    def _next_fault(self) -> str:
        with self._lock:
            return self.plan.pop(0) if self.plan else PASS

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        fault = self._next_fault()
        with self._lock:
            self.seen.append(
                Seen(request.command, request.path, request.headers.get("Idempotency-Key"), fault)
            )
        if fault == CUT_BEFORE:
            request.close_connection = True
            return
        if fault == SERVER_ERROR:
            self._reply(request, 500, {}, b'{"error":{"type":"api_error","message":"Oops"}}')
            return
        if fault == RATE_LIMITED:
            self._reply(
                request,
                429,
                {"Retry-After": str(RETRY_AFTER)},
                b'{"error":{"type":"rate_limit_error","message":"Too many requests"}}',
            )
            return
        if fault == SLOW:
            time.sleep(SLOW_SECONDS)
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() not in ("host", "content-length", "connection")
        }
        try:
            answer = self._http.request(
                request.command, request.path, content=body, headers=headers
            )
        except (httpx.HTTPError, RuntimeError):  # the proxy was closed while this one slept
            request.close_connection = True
            return
        with self._lock:
            self.applied += 1
        if fault == CUT_AFTER:
            request.close_connection = True
            return
        passed = {
            k: v
            for k, v in answer.headers.items()
            if k.lower() in ("request-id", "idempotency-key", "idempotent-replayed")
        }
        self._reply(request, answer.status_code, passed, answer.content)

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                request.send_header(key, value)
            request.end_headers()
            request.wfile.write(body)
        except OSError:
            request.close_connection = True  # the client gave up (timeout) meanwhile
