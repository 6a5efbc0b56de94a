"""Custom cancellation reasons (``billing.feedback_option``) that portal configurations offer.

These endpoints are outside the spec subset's paths, so they are served as
extras with hand-written parameter schemas taken from the ``stripe`` library.
An option is never deleted: it is deactivated, and configurations can no
longer offer it.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.errors import invalid, missing_param
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import extra

OBJECT = "billing.feedback_option"
MAX_DESCRIPTION = 100
PATH = "/v1/billing/feedback_options"

_DESCRIPTION: JSON = {"type": "string"}
_LIST_PARAMS: JSON = {
    "limit": {"type": "integer"},
    "starting_after": {"type": "string"},
    "ending_before": {"type": "string"},
    "status": {"type": "string", "enum": ["active", "inactive"]},
}


def _description(value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise invalid("The description of a feedback option can't be blank.", param="description")
    if len(str(value)) > MAX_DESCRIPTION:
        raise invalid(
            f"Invalid description: must be at most {MAX_DESCRIPTION} characters",
            param="description",
        )
    return str(value)


def _fetch(ctx: Context, option_id: str) -> JSON:
    return ctx.fetch(OBJECT, option_id, param="id", kind="feedback option")


@extra("GetBillingFeedbackOptions", "GET", PATH, _LIST_PARAMS)
def list_options(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if "status" in params:
        where.append(("$.status", params["status"]))
    return list_objects(ctx, params, object_type=OBJECT, url=PATH, where=where)


@extra("PostBillingFeedbackOptions", "POST", PATH, {"description": _DESCRIPTION})
def create(ctx: Context, params: JSON) -> JSON:
    if "description" not in params:
        raise missing_param("description")
    option: JSON = {
        "id": ctx.new_id("bfo", 24),
        "object": OBJECT,
        "description": _description(params["description"]),
        "livemode": False,
        "status": "active",
        "status_transitions": {"deactivated_at": None},
    }
    ctx.insert(option)
    return option


@extra("GetBillingFeedbackOptionsId", "GET", PATH + "/{id}")
def retrieve(ctx: Context, params: JSON, id: str) -> JSON:
    return _fetch(ctx, id)


@extra("PostBillingFeedbackOptionsId", "POST", PATH + "/{id}", {"description": _DESCRIPTION})
def update(ctx: Context, params: JSON, id: str) -> JSON:
    option = _fetch(ctx, id)
    if "description" in params:
        option["description"] = _description(params["description"])
        ctx.save(option)
    return option


@extra("PostBillingFeedbackOptionsIdDeactivate", "POST", PATH + "/{id}/deactivate")
def deactivate(ctx: Context, params: JSON, id: str) -> JSON:
    option = _fetch(ctx, id)
    if option["status"] != "inactive":
        option["status"] = "inactive"
        option["status_transitions"] = {"deactivated_at": ctx.now()}
        ctx.save(option)
    return option
