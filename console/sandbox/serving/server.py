"""Serving the sandbox: an ASGI app on uvicorn, in a thread of its own, as a context manager.

The app (and the tests) start it in-process with ``with Sandbox() as sandbox:``;
the command line runs the same class in the foreground. Its loop also runs the
clock's sweep (renewals, trial ends) and webhook deliveries in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from console.sandbox import pages, portal  # noqa: F401
from console.sandbox import seed as seeding
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.http.app import Api, read_body
from console.sandbox.http.network_gate import cross_network
from console.sandbox.network import NETWORK_OFF, NetworkConditions, NetworkProfile
from console.sandbox.serving.body_limits import api_body_limit
from console.sandbox.serving.hosts import HostCheck, url_host
from console.sandbox.state import hidden_fields
from console.sandbox.state.opening import State, default_db_path, open_state
from console.sandbox.state.registry import PAGE_ROUTES
from console.sandbox.state.sweep import MAX_ROUNDS, ROUND_SIZE

# The hosted pages register their routes (and the portal its preview operation) on import.

log = logging.getLogger(__name__)

# Due objects acted on between two looks at the network: a renewal takes a few milliseconds,
# so a request that arrives while the clock catches up waits for a batch, not for the whole.
CATCH_UP_BATCH = 10
# Batches at most per catch-up: a handler that stays due forever must not hold it for ever
# (as many object runs as one unbatched sweep may make).
MAX_CATCH_UP_BATCHES = MAX_ROUNDS * ROUND_SIZE // CATCH_UP_BATCH


def sign_payload(secret: str, payload: str, timestamp: int) -> str:
    """Stripe's ``Stripe-Signature`` header: ``t=...,v1=HMAC-SHA256(secret, "t.payload")``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class WebhookSender:
    """Delivers queued events to endpoints, retrying failures with exponential backoff."""

    MAX_ATTEMPTS = 8

    def __init__(self, api: Api, retry_base: float) -> None:
        self.api = api
        self.retry_base = retry_base
        self.wake = asyncio.Event()

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
            while True:
                await self._deliver_due(client)
                next_at = self.api.store.next_delivery_at()
                timeout = 5.0 if next_at is None else max(0.0, min(5.0, next_at - time.time()))
                self.wake.clear()
                # asyncio.timeout, not wait_for: under Python 3.11 wait_for loses a cancellation
                # that comes in the loop step in which the event is set, and the server's
                # shutdown would wait for this loop until Sandbox.stop gave up on it.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await self.wake.wait()

    async def _deliver_due(self, client: httpx.AsyncClient) -> None:
        store = self.api.store
        for delivery, endpoint_id, event_id, tried in store.due_deliveries(time.time()):
            endpoint = store.get(endpoint_id)
            event = store.get(event_id)
            if endpoint is None or event is None or endpoint.get("status") != "enabled":
                store.finish_delivery(
                    delivery, status="dropped", attempts=tried, next_attempt=0, error=None
                )
                continue
            payload = json.dumps(_public(event), indent=2)
            signature = sign_payload(str(endpoint["_secret"]), payload, int(time.time()))
            error: str | None = None
            try:
                response = await client.post(
                    str(endpoint["url"]),
                    content=payload.encode(),
                    headers={
                        "Content-Type": "application/json; charset=utf-8",
                        "Stripe-Signature": signature,
                        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                    },
                )
                if not 200 <= response.status_code < 300:
                    error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            attempts = tried + 1
            if error is None:
                store.finish_delivery(
                    delivery, status="delivered", attempts=attempts, next_attempt=0, error=None
                )
                with store.transaction():
                    current = store.get(event_id)
                    if current is not None:
                        current["pending_webhooks"] = max(0, current["pending_webhooks"] - 1)
                        store.save(current)
            elif attempts >= self.MAX_ATTEMPTS:
                store.finish_delivery(
                    delivery, status="failed", attempts=attempts, next_attempt=0, error=error
                )
            else:
                delay = self.retry_base * (2 ** (attempts - 1))
                store.finish_delivery(
                    delivery,
                    status="pending",
                    attempts=attempts,
                    next_attempt=time.time() + delay,
                    error=error,
                )


def _public(event: JSON) -> JSON:

    result: JSON = hidden_fields.public(event)
    return result


class SandboxApp:
    """ASGI: ``/v1`` to the API, everything else to the page routes, JSON 404 otherwise."""

    def __init__(self, api: Api, *, webhook_retry_base: float, sweep_interval: float) -> None:
        self.api = api
        self.sender = WebhookSender(api, webhook_retry_base)
        self.sweep_interval = sweep_interval
        self.network = NetworkConditions()
        self._tasks: list[asyncio.Task[None]] = []
        self._catching_up = asyncio.Lock()
        # Set by a request that started background work (a test clock's advance).
        self._sweep_now = asyncio.Event()
        self.pages = Starlette(routes=list(PAGE_ROUTES))
        self.pages.state.api = api
        self.pages.add_exception_handler(404, _not_found)
        api.on_events = self.sender.wake.set

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path == "/v1" or path.startswith("/v1/"):
            await self._api(scope, receive, send)
        else:
            await self.pages(scope, receive, send)

    async def _api(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            limit = api_body_limit(scope["method"], scope["path"], headers, self.api)
            body = await read_body(receive, limit)
        except StripeError as error:
            reply_status, reply_body = error.status, json.dumps(error.body("req_unread")).encode()
            reply_headers: dict[str, str] = {}
        else:
            method, path, query = scope["method"], scope["path"], scope.get("query_string", b"")
            router, network = self.api.router, self.network
            refused = await cross_network(network, router, method, path, query, headers)
            reply = refused or self.api.handle(method, path, query, body, headers)
            if reply.due_work:
                try:
                    await self.catch_up()
                except Exception:
                    log.exception("the sandbox clock's due work failed")
                    reply = self.api.due_work_failed(reply)
            if reply.wake_sweeper:
                self._sweep_now.set()
            reply_status, reply_body, reply_headers = reply.status, reply.body, reply.headers
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(reply_body)).encode()),
            *((k.encode(), v.encode("latin-1", "replace")) for k, v in reply_headers.items()),
        ]
        await send({"type": "http.response.start", "status": reply_status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": reply_body})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._tasks = [
                    asyncio.create_task(self.sender.run()),
                    asyncio.create_task(self._sweeper()),
                ]
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for task in self._tasks:
                    task.cancel()
                for task in self._tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _sweeper(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.sweep_interval):
                    await self._sweep_now.wait()
            self._sweep_now.clear()
            try:
                await self.catch_up()
                self.api.forget_old_results()
            except Exception:
                log.exception("sandbox clock sweep failed")

    async def catch_up(self) -> None:
        """Do the work the clock has made due, a batch at a time, serving requests in between.

        A long advance (two years of renewals for many subscriptions) is thus many short
        transactions rather than one long one: other requests are answered between batches
        and see the clock already moved, with some due objects not acted on yet, as they do
        every second when wall time passes a due moment. One catch-up at a time.
        """
        async with self._catching_up:
            for _ in range(MAX_CATCH_UP_BATCHES):
                if not self.api.has_due_work():
                    return
                self.api.sweep(CATCH_UP_BATCH)
                await asyncio.sleep(0)
            log.warning(
                "the sandbox clock's catch-up stopped after %d batches", MAX_CATCH_UP_BATCHES
            )


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "type": "invalid_request_error",
                "message": f"Unrecognized request URL ({request.method}: {request.url.path}).",
            }
        },
        status_code=404,
    )


class Sandbox:
    """A running sandbox: ``url``, ``api_key``; stop it by leaving the ``with`` block."""

    def __init__(
        self,
        db: str | None = ":memory:",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: str = "none",
        api_key: str | None = None,
        webhook_retry_base: float = 30.0,
        sweep_interval: float = 1.0,
        progress: Callable[[str], None] | None = None,
        network: NetworkProfile = NETWORK_OFF,
    ) -> None:
        self.host = host
        self.port = port
        self.state: State = open_state(db or default_db_path(), api_key)
        self.api = Api(self.state.store, self.state.clock, self.state.api_key, self.state.platform)
        self._seed = seed
        self._progress = progress
        self._app = SandboxApp(
            self.api, webhook_retry_base=webhook_retry_base, sweep_interval=sweep_interval
        )
        # Latency and rate limits at the door (the app), search lag and retention in handlers.
        self._app.network = NetworkConditions(network)
        self.api.network = network
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._failure: BaseException | None = None

    @property
    def api_key(self) -> str:
        return self.state.api_key

    @property
    def url(self) -> str:
        return f"http://{url_host(self.host)}:{self.port}"

    def start(self) -> Sandbox:
        try:
            return self._start()
        except BaseException:
            # Not started: let the database go (its lock too) for whoever tries next.
            self.stop()
            raise

    def _start(self) -> Sandbox:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only for sockets that say
        # they are TCP, and with Nagle on every response waits ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(512)
        sock.setblocking(False)
        self._socket = sock
        self.port = sock.getsockname()[1]
        self.api.base_url = self.url
        self._app.pages.state.base_url = self.url
        seeding.bootstrap(self.api)
        seeding.apply(self.api, self._seed, progress=self._progress)
        config = uvicorn.Config(
            HostCheck(self._app, self.host, self.port),
            log_level="warning",
            access_log=False,
            lifespan="on",
            loop="asyncio",
            http="httptools",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name="sandbox-server", daemon=True
        )
        self._thread.start()
        ready.wait(30)
        if self._failure is not None:
            raise RuntimeError("the sandbox did not start") from self._failure
        return self

    def _serve(self, ready: threading.Event) -> None:
        assert self._server is not None and self._socket is not None
        server, sock = self._server, self._socket

        async def serve() -> None:
            task = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.005)
            ready.set()
            await task

        try:
            asyncio.run(serve())
        except BaseException as exc:  # reported to the thread that waits in start()
            self._failure = exc
            log.exception("the sandbox server stopped with an error")
        finally:
            ready.set()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        if self._socket is not None:
            self._socket.close()
        self.state.store.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
