"""Webhook endpoints: where the sandbox POSTs events, signed with each endpoint's secret.

The delivery itself (signing, retries with backoff) is the server's
``WebhookSender``; it reads what this module stores: ``url``, ``status``,
``enabled_events``, and the hidden ``_secret`` and ``_connect``. The secret is
shown once, in the answer to the create call, as Stripe does.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from console.sandbox.facts import ids
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

OBJECT = "webhook_endpoint"


def _check_url(value: str) -> str:
    parsed = urlparse(value)
    # Test mode accepts plain http too, which is what a local receiver speaks.
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.hostname
        or any(c.isspace() for c in value)
    ):
        raise invalid(f"Invalid URL: {value}", param="url", code="url_invalid")
    return value


def _enabled_events(value: Any) -> list[str]:
    events: list[str] = []
    for event_type in value:
        if event_type not in events:
            events.append(event_type)
    if not events:
        raise invalid(
            "enabled_events must name at least one event type, or '*' for all of them.",
            param="enabled_events",
        )
    return events


def _apply(endpoint: JSON, params: JSON) -> None:
    if "url" in params:
        endpoint["url"] = _check_url(params["url"])
    if "enabled_events" in params:
        endpoint["enabled_events"] = _enabled_events(params["enabled_events"])
    if "description" in params:
        endpoint["description"] = unset(params["description"])
    if "metadata" in params:
        endpoint["metadata"] = metadata(endpoint.get("metadata"), params["metadata"])
    if "disabled" in params:
        endpoint["status"] = "disabled" if params["disabled"] else "enabled"


@operation("PostWebhookEndpoints")
def create(ctx: Context, params: JSON) -> JSON:
    secret = "whsec_" + ids.random_chars(32)
    endpoint: JSON = {
        "id": ctx.new_id("we", 24),
        "object": OBJECT,
        "api_version": params.get("api_version"),
        "application": None,
        "created": ctx.now(),
        "description": None,
        "enabled_events": [],
        "livemode": False,
        "metadata": {},
        "status": "enabled",
        "url": "",
        "_secret": secret,
        "_connect": bool(params.get("connect", False)),
    }
    _apply(endpoint, params)
    ctx.insert(endpoint)
    return {**endpoint, "secret": secret}


@operation("GetWebhookEndpointsWebhookEndpoint")
def retrieve(ctx: Context, params: JSON, webhook_endpoint: str) -> JSON:
    return _fetch(ctx, webhook_endpoint)


@operation("PostWebhookEndpointsWebhookEndpoint")
def update(ctx: Context, params: JSON, webhook_endpoint: str) -> JSON:
    endpoint = _fetch(ctx, webhook_endpoint)
    before = snapshot(endpoint)
    _apply(endpoint, params)
    if changed(before, endpoint):
        ctx.save(endpoint)
    return endpoint


@operation("DeleteWebhookEndpointsWebhookEndpoint")
def delete(ctx: Context, params: JSON, webhook_endpoint: str) -> JSON:
    _fetch(ctx, webhook_endpoint)
    stub: JSON = {"id": webhook_endpoint, "object": OBJECT, "deleted": True}
    ctx.store.replace_type(webhook_endpoint, "deleted.webhook_endpoint", stub)
    return stub


@operation("GetWebhookEndpoints")
def list_endpoints(ctx: Context, params: JSON) -> JSON:
    return list_objects(ctx, params, object_type=OBJECT, url="/v1/webhook_endpoints")


def _fetch(ctx: Context, endpoint_id: str) -> JSON:
    return ctx.fetch(OBJECT, endpoint_id, param="webhook_endpoint", kind="webhook endpoint")
