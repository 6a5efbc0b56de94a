"""Webhooks to a receiver that is down: delivered later by the retries, even across a sandbox
restart, none lost, each verifying with ``stripe.Webhook.construct_event``.

(Signatures, tampered payloads, wrong secrets and old timestamps are proven in
tests/e2e/test_events_webhooks.py::test_deliveries_are_signed_and_only_for_enabled_types.)
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import stripe

from console.sandbox import Sandbox
from tests.conftest import make_client

EVENTS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def receiver_on(port: int) -> Iterator[list[tuple[str, str]]]:
    """A receiver that comes up on ``port``; yields the (signature, payload) pairs it got."""
    got: list[tuple[str, str]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                got.append((self.headers["Stripe-Signature"], body.decode()))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def wait_for(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def refused_deliveries(sandbox: Sandbox) -> int:
    """Deliveries tried at least once, refused, and queued again (the sandbox's own queue: a
    receiver that is down sees nothing, so this is where "it was tried" shows)."""
    rows = sandbox.state.store.query(
        "SELECT COUNT(*) FROM deliveries"
        " WHERE status = 'pending' AND attempts >= 1 AND last_error IS NOT NULL"
    )
    return int(rows[0][0])


def delivered_ids(got: list[tuple[str, str]], secret: str) -> set[str]:
    ids = set()
    for signature, payload in list(got):
        event = stripe.Webhook.construct_event(payload, signature, secret)
        ids.add(event.id)
        assert json.loads(payload)["type"] == "customer.created"
    return ids


def test_a_receiver_that_was_down_gets_every_event_later(fresh_sandbox: Sandbox) -> None:
    client = make_client(fresh_sandbox)
    port = free_port()
    endpoint = client.v1.webhook_endpoints.create(
        params={"url": f"http://127.0.0.1:{port}/hooks", "enabled_events": ["customer.created"]}
    )
    made = [client.v1.customers.create(params={"name": f"Down {n}"}).id for n in range(EVENTS)]
    wait_for(lambda: refused_deliveries(fresh_sandbox) == EVENTS)  # nothing listens
    pending = client.v1.events.list(params={"delivery_success": False, "limit": 100}).data
    assert len(pending) == EVENTS
    with receiver_on(port) as got:
        wait_for(lambda: len(delivered_ids(got, str(endpoint.secret))) == EVENTS)
        ids = delivered_ids(got, str(endpoint.secret))
    events = client.v1.events.list(params={"type": "customer.created", "limit": 100}).data
    assert ids == {e.id for e in events}
    assert {e.data.object["id"] for e in events} == set(made)
    wait_for(lambda: client.v1.events.list(params={"delivery_success": False}).data == [])


def test_undelivered_events_survive_a_sandbox_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite3")
    port = free_port()
    with Sandbox(db, webhook_retry_base=0.2, sweep_interval=0.2) as first:
        client = make_client(first)
        endpoint = client.v1.webhook_endpoints.create(
            params={
                "url": f"http://127.0.0.1:{port}/hooks",
                "enabled_events": ["customer.created"],
            }
        )
        for n in range(EVENTS):
            client.v1.customers.create(params={"name": f"Restart {n}"})
        wait_for(lambda: refused_deliveries(first) == EVENTS)
        unsent = client.v1.events.list(params={"delivery_success": False, "limit": 100}).data
        assert len(unsent) == EVENTS  # refused so far: the receiver is still down
    with receiver_on(port) as got, Sandbox(db, webhook_retry_base=0.2) as second:
        client = make_client(second)
        wait_for(lambda: len(delivered_ids(got, str(endpoint.secret))) == EVENTS)
        events = client.v1.events.list(params={"type": "customer.created", "limit": 100}).data
        assert delivered_ids(got, str(endpoint.secret)) == {e.id for e in events}
