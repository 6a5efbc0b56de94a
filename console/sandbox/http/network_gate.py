"""Where a ``/v1`` request meets the network profile: 429 over a limit, else the wait."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs

from console.sandbox.facts import ids
from console.sandbox.http.app import Reply, Router
from console.sandbox.network.conditions import DEFAULT_PAGE_LIMIT, NetworkConditions
from console.sandbox.network.rate_limit import rate_limit_error
from console.sandbox.state.context import API_VERSION

PAGE_OBJECTS = frozenset({"list", "search_result"})


async def cross_network(
    conditions: NetworkConditions,
    router: Router,
    method: str,
    path: str,
    query: bytes,
    headers: dict[str, str],
) -> Reply | None:
    """Wait as the profile's latency says; return Stripe's 429 when over a rate limit,
    None when the request is to be answered as usual."""
    profile = conditions.profile
    if profile.latency is None and profile.limits is None:
        return None
    matched = router.match(method, path)
    operation = matched[0] if matched is not None else None
    refusal = conditions.admit(
        headers.get("authorization", ""),
        operation.operation_id if operation is not None else "unrouted",
        method,
        path,
    )
    page_limit = None
    if refusal is None and operation is not None and _answers_a_page(operation.response_schema):
        page_limit = _limit_asked(query)
    delay = conditions.delay_s(page_limit=page_limit)
    if delay > 0:
        await asyncio.sleep(delay)
    if refusal is None:
        return None
    request_id = ids.new_id("req", 14)
    # No Retry-After and no Stripe-Should-Retry: Stripe documents neither for rate limiting
    # (it asks for exponential backoff with jitter), so the stripe library, which retries
    # only 409s, 5xx and answers saying Stripe-Should-Retry: true, does not retry these.
    reply_headers = {
        "Request-Id": request_id,
        "Stripe-Version": API_VERSION,
        "Stripe-Rate-Limited-Reason": refusal.reason,
    }
    error = rate_limit_error(refusal)
    body = json.dumps(error.body(request_id), separators=(",", ":")).encode()
    return Reply(error.status, body, reply_headers)


def _answers_a_page(response_schema: dict[str, object]) -> bool:
    properties = response_schema.get("properties")
    if not isinstance(properties, dict):
        return False
    kind = properties.get("object")
    return isinstance(kind, dict) and bool(PAGE_OBJECTS & set(kind.get("enum") or ()))


def _limit_asked(query: bytes) -> int:
    values = parse_qs(query.decode("latin-1")).get("limit") or []
    try:
        return max(1, min(100, int(values[0])))
    except (IndexError, ValueError):
        return DEFAULT_PAGE_LIMIT
