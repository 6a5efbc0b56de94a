"""The HTTP face of the sandbox: authentication, routing, validation, idempotency, dispatch.

Every request under ``/v1`` goes through :meth:`Api.handle`:

1. the key (Bearer or Basic) must be this sandbox's test key; ``Stripe-Account``
   must name one of its connected accounts;
2. the route and method must be an operation of the spec subset (or one of the
   sandbox's extras), else Stripe's JSON 404;
3. parameters are parsed (nested form keys) and checked against the schema;
4. a POST with an ``Idempotency-Key`` seen before is replayed, or refused if
   its parameters differ;
5. the handler runs in one transaction; ``expand[]`` is applied to its result.

Errors never escape as anything but Stripe's ``{"error": {...}}`` JSON.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from console.sandbox import resources
from console.sandbox.facts import ids, spec
from console.sandbox.facts.api_versions import (
    PINNED,
    ApiVersion,
    UnknownApiVersionError,
    api_version,
)
from console.sandbox.facts.errors import StripeError, as_answered
from console.sandbox.facts.spec import JSON, Operation, spec_operations
from console.sandbox.http.expand import expand
from console.sandbox.http.hosted_urls import rebase_links
from console.sandbox.http.multipart import is_multipart, parse_multipart, upload_digest
from console.sandbox.http.validation import validate_params
from console.sandbox.http.versions import in_version
from console.sandbox.http.wire import parse_form
from console.sandbox.network.profile import NETWORK_OFF, NetworkProfile
from console.sandbox.state import hidden_fields
from console.sandbox.state.clock import Clock
from console.sandbox.state.context import Context
from console.sandbox.state.registry import (
    CLOCK_MOVERS,
    EXTRA_OPERATIONS,
    HANDLERS,
    WAKES_SWEEPER,
)
from console.sandbox.state.store import Store
from console.sandbox.state.sweep import run_due
from console.sandbox.state.test_clocks import enter_request_clock

log = logging.getLogger(__name__)

# Stripe keeps idempotency keys for at least 24 hours of real time: the sandbox clock moving on
# does not age them (a retry seconds after an advance must still replay, not duplicate).
IDEMPOTENCY_TTL = 24 * 3600
MAX_IDEMPOTENCY_KEY = 255
# Operations whose multipart body may carry file parts; elsewhere a file part is refused.
FILE_OPERATIONS = frozenset({"PostFiles"})


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    # The request moved the clock: the due work is to be done before this is sent.
    due_work: bool = False
    # The request started background work (a test clock's advance): wake the catch-up.
    wake_sweeper: bool = False


def redact_key(key: str) -> str:
    """``sk_test_abc…wxyz`` -> ``sk_test_…wxyz``: enough to recognise, never enough to use."""
    prefix, _, rest = key.rpartition("_")
    if not prefix:
        return "…" + key[-4:]
    return f"{prefix}_…{rest[-4:]}"


class Router:
    """Operations by method; literal segments win (``/customers/search`` over ``/{customer}``)."""

    def __init__(self, operations: list[Operation]) -> None:
        self._by_method: dict[str, list[Operation]] = {}
        for op in operations:
            self._by_method.setdefault(op.method, []).append(op)
        for ops in self._by_method.values():
            ops.sort(key=lambda o: (-len(o.segments), -o.literal_count))
        self._paths = {op.path for op in operations}

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        parts = path.strip("/").split("/")
        best: tuple[Operation, dict[str, str]] | None = None
        for op in self._by_method.get(method, []):
            captured = op.match(parts)
            if captured is not None and (best is None or op.literal_count > best[0].literal_count):
                best = (op, captured)
        return best


class Api:
    """Stripe's REST API over the sandbox's store."""

    def __init__(self, store: Store, clock: Clock, api_key: str, platform: str) -> None:
        resources.load_all()
        self.store = store
        self.clock = clock
        self.api_key = api_key
        self.platform = platform
        self.base_url = ""
        served = [op for op in spec_operations() if op.operation_id in HANDLERS]
        self.router = Router([*served, *EXTRA_OPERATIONS])
        self.on_events: Callable[[], None] = lambda: None
        # What handlers read of the network profile (search lag, event retention).
        self.network: NetworkProfile = NETWORK_OFF

    # -- entry point --------------------------------------------------------------

    def handle(
        self, method: str, path: str, query: bytes, body: bytes, headers: dict[str, str]
    ) -> Reply:
        request_id = ids.new_id("req", 14)
        reply_headers = {"Request-Id": request_id, "Stripe-Version": spec.API_VERSION}
        key = headers.get("idempotency-key")
        if key is not None:
            reply_headers["Idempotency-Key"] = key
        due_work = wake_sweeper = False
        version = PINNED
        try:
            account = self._authenticate(headers)
            version = self._version(headers)
            reply_headers["Stripe-Version"] = version.name
            matched = self.router.match(method, path)
            if matched is None:
                raise StripeError(
                    f"Unrecognized request URL ({method}: {path}). Please see "
                    "https://stripe.com/docs or we can help at https://support.stripe.com/.",
                    status=404,
                )
            op, path_params = matched
            if method == "POST" and is_multipart(headers.get("content-type", "")):
                raw = parse_multipart(
                    body,
                    headers["content-type"],
                    allow_files=op.operation_id in FILE_OPERATIONS,
                )
            else:
                raw = parse_form(body) if method == "POST" else parse_form(query)
            params = validate_params(raw, op.params_schema)
            if method == "POST" and key is not None:
                reply = self._idempotent(
                    op, path, path_params, params, account, key, request_id, reply_headers
                )
                reply.due_work = reply.status == 200 and op.operation_id in CLOCK_MOVERS
                if not version.is_pinned:
                    reply.body = _encode(in_version(json.loads(reply.body), version))
                reply.wake_sweeper = reply.status == 200 and op.operation_id in WAKES_SWEEPER
                return reply
            status, payload = self._run(op, path_params, params, account, request_id, None)
            payload = in_version(payload, version)
            due_work = op.operation_id in CLOCK_MOVERS
            wake_sweeper = op.operation_id in WAKES_SWEEPER
        except StripeError as error:
            status, payload = error.status, error.body(request_id)
        except Exception:
            # A bug in parsing or validation must still answer like Stripe (JSON, api_error),
            # not as the server's plain-text 500; handlers' own failures are caught in _run.
            log.exception("sandbox request %s %s failed", method, path)
            unexpected = StripeError(
                "An unexpected error occurred in the sandbox; the request changed nothing.",
                status=500,
                type="api_error",
            )
            status, payload = unexpected.status, unexpected.body(request_id)
        return Reply(status, _encode(payload), reply_headers, due_work, wake_sweeper)

    # -- steps ------------------------------------------------------------------

    def authenticate(self, headers: dict[str, str]) -> str:
        """The account a request's key (and ``Stripe-Account``) acts for, else StripeError: for
        pages outside ``/v1`` that want the key too (a file's contents)."""
        return self._authenticate(headers)

    def _authenticate(self, headers: dict[str, str]) -> str:
        header = headers.get("authorization", "")
        key = ""
        if header.startswith("Bearer "):
            key = header[7:].strip()
        elif header.startswith("Basic "):
            try:
                key = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                key = ""
        if not key:
            raise StripeError(
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details.",
                status=401,
            )
        if key.startswith(("sk_live_", "rk_live_")):
            raise StripeError(
                f"This is the Portal Console sandbox, which runs in test mode only; the live key "
                f"{redact_key(key)} is not accepted here. Use the sandbox's own test key, which "
                "`portal-console sandbox` prints when it starts.",
                status=401,
                code="livemode_mismatch",
            )
        if key != self.api_key:
            raise StripeError(f"Invalid API Key provided: {redact_key(key)}", status=401)
        connected = headers.get("stripe-account")
        if not connected:
            return self.platform
        target = self.store.get(connected, account=self.platform)
        if target is None or target.get("object") != "account" or target.get("deleted"):
            raise StripeError(
                f"The provided key '{redact_key(key)}' does not have access to account "
                f"'{connected}' (or that account does not exist). Application access may "
                "have been revoked.",
                status=403,
                code="account_invalid",
            )
        return connected

    def _version(self, headers: dict[str, str]) -> ApiVersion:
        try:
            return api_version(headers.get("stripe-version"))
        except UnknownApiVersionError as error:
            raise StripeError(str(error)) from None

    def _context(self, account: str, request_id: str | None, key: str | None) -> Context:
        return Context(
            store=self.store,
            clock=self.clock,
            account=account,
            platform=self.platform,
            request_id=request_id,
            idempotency_key=key,
            base_url=self.base_url,
            network=self.network,
        )

    def _run(
        self,
        op: Operation,
        path_params: dict[str, str],
        params: JSON,
        account: str,
        request_id: str,
        key: str | None,
        remember: Callable[[int, JSON], None] | None = None,
    ) -> tuple[int, JSON]:
        ctx = self._context(account, request_id, key)
        handler = HANDLERS[op.operation_id]
        kept: StripeError | None = None
        try:
            with self.store.transaction():
                # A request about a test-clock customer's objects works at that clock's time.
                enter_request_clock(ctx, op.path, params, path_params)
                try:
                    result = handler(ctx, params, **path_params)
                except StripeError as error:
                    as_answered(error, path_params)
                    if not error.keep_changes:
                        raise
                    kept = error
                    if remember is not None:
                        remember(error.status, error.body(request_id))
                else:
                    expand_paths = params.get("expand") or []
                    if expand_paths:
                        result = expand(ctx, result, list(expand_paths))
                    payload = rebase_links(hidden_fields.public(result), self.base_url)
                    if remember is not None:
                        remember(200, payload)
        except StripeError:
            raise
        except Exception:
            log.exception("sandbox handler %s failed", op.operation_id)
            raise StripeError(
                "An unexpected error occurred in the sandbox; the request changed nothing.",
                status=500,
                type="api_error",
            ) from None
        if ctx.events:
            self.on_events()
        if kept is not None:
            raise kept
        return 200, payload

    def _idempotent(
        self,
        op: Operation,
        path: str,
        path_params: dict[str, str],
        params: JSON,
        account: str,
        key: str,
        request_id: str,
        reply_headers: dict[str, str],
    ) -> Reply:
        if len(key) > MAX_IDEMPOTENCY_KEY:
            raise StripeError(
                f"Invalid idempotency key: must be at most {MAX_IDEMPOTENCY_KEY} characters.",
                param="Idempotency-Key",
            )
        fingerprint = hashlib.sha256(
            f"POST {path}\n{json.dumps(params, sort_keys=True, default=upload_digest)}".encode()
        ).hexdigest()
        seen = self.store.idempotent_result(account, key)
        if seen is not None:
            previous_fingerprint, status, body = seen
            if previous_fingerprint != fingerprint:
                raise StripeError(
                    "Keys for idempotent requests can only be used with the same parameters "
                    "they were first used with. Try using a key other than "
                    f"'{key}' if you meant to execute a different request.",
                    type="idempotency_error",
                )
            return Reply(status, body.encode(), {**reply_headers, "Idempotent-Replayed": "true"})

        now = int(time.time())  # real time: see IDEMPOTENCY_TTL

        def remember(status: int, payload: JSON) -> None:
            self.store.remember_result(
                account, key, fingerprint, status, _encode(payload).decode(), now
            )

        try:
            status, payload = self._run(op, path_params, params, account, request_id, key, remember)
        except StripeError as error:
            status, payload = error.status, error.body(request_id)
            if not error.keep_changes:  # a kept error was remembered with its changes
                with self.store.transaction():
                    remember(status, payload)
        return Reply(status, _encode(payload), reply_headers)

    # -- time -------------------------------------------------------------------

    def sweep(self, max_objects: int | None = None) -> int:
        """Act on objects whose ``due`` moment the clock has passed (all, or at most
        ``max_objects``, each in its own transaction); returns how many were acted on."""
        used = run_due(self.store, self.clock.now, self._owner_context, max_objects=max_objects)
        if any(ctx.events for ctx in used):
            self.on_events()
        return len(used)

    def has_due_work(self) -> bool:
        return bool(self.store.due_before(self.clock.now(), limit=1))

    def forget_old_results(self) -> None:
        """Drop stored idempotent answers older than Stripe keeps them (real time)."""
        self.store.forget_results_before(int(time.time()) - IDEMPOTENCY_TTL)

    def due_work_failed(self, reply: Reply) -> Reply:
        """The answer to a clock move whose due work then failed (logged by the caller)."""
        error = StripeError(
            "The sandbox clock moved, but acting on what then fell due failed (see the "
            "sandbox's log); what was done is kept, and the rest is retried every second.",
            status=500,
            type="api_error",
        )
        request_id = reply.headers.get("Request-Id", "")
        return Reply(error.status, _encode(error.body(request_id)), reply.headers)

    def _owner_context(self, owner: str) -> Context:
        return self._context(owner or self.platform, None, None)

    def call(
        self, operation_id: str, params: JSON, *, scope: str | None = None, **path: str
    ) -> JSON:
        """Run an operation from inside the sandbox (demo data, portal pages): same rules.

        ``scope`` is the account acted for (``Stripe-Account``), the platform by default;
        ``path`` holds the operation's path parameters by their spec names (``account`` too).
        """
        op = next(
            (o for o in [*spec_operations(), *EXTRA_OPERATIONS] if o.operation_id == operation_id),
            None,
        )
        if op is None:
            raise KeyError(operation_id)
        checked = validate_params(_as_form(params), op.params_schema)
        _status, payload = self._run(
            op, path, checked, scope or self.platform, ids.new_id("req", 14), None
        )
        if operation_id in CLOCK_MOVERS:
            self.sweep()
        return payload


def _as_form(value: Any) -> Any:
    """Python values as the form parser would have produced them (strings, indexed dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return {k: _as_form(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return {str(i): _as_form(v) for i, v in enumerate(value)}
    return value


def _encode(payload: JSON) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


async def read_body(receive: Callable[[], Awaitable[Any]], limit: int = 2_000_000) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise StripeError("Request body too large.", status=400)
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)
