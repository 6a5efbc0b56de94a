"""The events API: read what happened (``GET /v1/events``, ``GET /v1/events/{id}``).

Events are written by ``console.sandbox.state.events.record`` in the account where the
change happened; this module only lists and retrieves them, in the scope of
the request (a connected account sees its own events).

With a network profile that keeps events for a time (Stripe: "List events, going back up
to 30 days"; retrieve works "if it was created in the last 30 days",
https://docs.stripe.com/api/events), older events are gone by the sandbox clock: a
retrieve is a 404, lists leave them out, and a cursor naming one is refused as a cursor
naming an unknown event is. They stay in the database (nothing reads them there but the
webhook sender, whose retries end long before); the answers are what Stripe gives.
"""

from __future__ import annotations

import re
from typing import Any

from console.sandbox.facts.errors import StripeError, invalid, no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.listing import created_filter, list_objects
from console.sandbox.state.registry import operation

MAX_TYPES = 20


def type_matcher(pattern: str) -> re.Pattern[str]:
    """``customer.subscription.*`` matches every type below that prefix; ``*`` is any run."""
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


@operation("GetEvents")
def list_events(ctx: Context, params: JSON) -> JSON:
    if "type" in params and "types" in params:
        raise StripeError(
            "You may only specify one of these parameters: type, types.",
            param="types",
            code="parameters_exclusive",
        )
    where: list[tuple[str, Any]] = []
    checks: list[Any] = []
    if "type" in params:
        wanted = params["type"]
        if "*" in wanted:
            matcher = type_matcher(wanted)
            checks.append(lambda event: bool(matcher.match(str(event.get("type")))))
        else:
            where.append(("$.type", wanted))
    if "types" in params:
        types = list(params["types"])
        if len(types) > MAX_TYPES:
            raise invalid(f"You can pass at most {MAX_TYPES} event types in types.", param="types")
        where.append(("$.type", types))
    if "delivery_success" in params:
        if params["delivery_success"]:
            where.append(("$.pending_webhooks", 0))
        else:
            checks.append(lambda event: int(event.get("pending_webhooks") or 0) > 0)
    predicate = (lambda event: all(check(event) for check in checks)) if checks else None
    return list_objects(
        ctx,
        _within_retention(ctx, params),
        object_type="event",
        url="/v1/events",
        where=where,
        predicate=predicate,
    )


@operation("GetEventsId")
def retrieve(ctx: Context, params: JSON, id: str) -> JSON:
    event = ctx.fetch("event", id, param="id")
    if _expired(ctx, event):
        raise no_such("event", id, param="id")
    return event


def _oldest_kept(ctx: Context) -> int | None:
    """The ``created`` of the oldest event still kept, or None when all are.

    Counted on the sandbox's own clock, which stands for real time: an event of a test-clock
    customer is dated at its clock's frozen time, and how Stripe ages those is not documented.
    """
    kept_for = ctx.network.event_retention_s
    return None if kept_for is None else ctx.sandbox_now() - kept_for


def _expired(ctx: Context, event: JSON) -> bool:
    oldest = _oldest_kept(ctx)
    return oldest is not None and int(event["created"]) < oldest


def _within_retention(ctx: Context, params: JSON) -> JSON:
    """The list's parameters narrowed to kept events; a cursor naming a gone one is refused.

    Stripe's answer to such a cursor was not checked against a live account: the sandbox
    gives the answer it gives for any cursor that names no event in scope.
    """
    oldest = _oldest_kept(ctx)
    if oldest is None:
        return params
    for cursor in ("starting_after", "ending_before"):
        named = params.get(cursor)
        if named:
            event = ctx.find(str(named))
            if event is not None and event.get("object") == "event" and _expired(ctx, event):
                raise no_such("event", str(named), param=cursor)
    created = created_filter(params) or {}
    created["gte"] = max(int(created.get("gte", oldest)), oldest)
    return {**params, "created": created}
