"""The events API: read what happened (``GET /v1/events``, ``GET /v1/events/{id}``).

Events are written by ``console.sandbox.events.record`` in the account where the
change happened; this module only lists and retrieves them, in the scope of
the request (a connected account sees its own events).
"""

from __future__ import annotations

import re
from typing import Any

from console.sandbox.context import Context
from console.sandbox.errors import StripeError, invalid
from console.sandbox.listing import list_objects
from console.sandbox.registry import operation
from console.sandbox.spec import JSON

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
        ctx, params, object_type="event", url="/v1/events", where=where, predicate=predicate
    )


@operation("GetEventsId")
def retrieve(ctx: Context, params: JSON, id: str) -> JSON:
    return ctx.fetch("event", id, param="id")
