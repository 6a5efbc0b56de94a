"""A demo sandbox per module, and a scripted loopback server for what the sandbox never does."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import pytest_asyncio
import stripe

from console.gateway.client import Gateway
from console.sandbox import Sandbox
from tests.conftest import make_client


@pytest.fixture(scope="module")
def demo_sandbox() -> Iterator[Sandbox]:
    with Sandbox(":memory:", seed="demo") as running:
        yield running


@dataclass
class Scripted:
    """Answers requests from a list of (status, headers, body) in turn; "drop" closes the socket.

    Records every request's method, path and headers. The last answer repeats.
    """

    answers: list[Any] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    delay: float = 0.0


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    script = Scripted()
    lock = threading.Lock()
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            with lock:
                script.requests.append((self.command, self.path, dict(self.headers.items())))
                index = min(len(script.requests), len(script.answers)) - 1
                answer = script.answers[index]
            if script.delay:
                release.wait(script.delay)
            if answer == "drop":
                self.close_connection = True
                return
            status, headers, body = answer
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_scripted{len(script.requests)}")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield script
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


# The portal-rule tests' demo sandbox (configurations, eligibility, customers, report), and a
# gateway on it per test.
@pytest.fixture(scope="module")
def demo() -> Iterator[Sandbox]:
    with Sandbox(":memory:", seed="demo") as running:
        yield running


@pytest.fixture
def demo_client(demo: Sandbox) -> stripe.StripeClient:
    return make_client(demo)


@pytest_asyncio.fixture
async def gateway(demo: Sandbox) -> AsyncIterator[Gateway]:
    async with Gateway(demo.api_key, base_url=demo.url) as opened:
        yield opened
