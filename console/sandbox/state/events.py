"""Events: every state change leaves one, and matching webhook endpoints get it.

Events are stored in the account the change happened in; Connect events carry
``account`` and go to the platform's Connect endpoints.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from console.sandbox.facts.spec import JSON

if TYPE_CHECKING:
    from console.sandbox.state.context import Context


def record(ctx: Context, event_type: str, obj: JSON, previous: JSON | None) -> JSON:
    from console.sandbox.state.context import API_VERSION, public

    data: JSON = {"object": public(copy.deepcopy(obj))}
    if previous:
        data["previous_attributes"] = public(previous)
    event: JSON = {
        "id": ctx.new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "context": None,
        "created": ctx.now(),
        "data": data,
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": ctx.request_id, "idempotency_key": ctx.idempotency_key},
        "type": event_type,
    }
    if ctx.connected:
        event["account"] = ctx.account
    endpoints = matching_endpoints(ctx, event_type)
    event["pending_webhooks"] = len(endpoints)
    ctx.store.insert(event, account=ctx.account, parent=obj.get("id"))
    for endpoint in endpoints:
        ctx.store.queue_delivery(endpoint, event["id"], at=0.0)
    ctx.events.append(event)
    return event


def matching_endpoints(ctx: Context, event_type: str) -> list[str]:
    """Enabled endpoints on the platform that listen for this type (Connect ones for Connect)."""
    found: list[str] = []
    for endpoint in ctx.store.scan(account=ctx.platform, type_="webhook_endpoint"):
        if endpoint.get("status") != "enabled":
            continue
        if bool(endpoint.get("_connect")) != ctx.connected:
            continue
        enabled = endpoint.get("enabled_events") or []
        if "*" in enabled or event_type in enabled:
            found.append(str(endpoint["id"]))
    return found
