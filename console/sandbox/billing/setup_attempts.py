"""How a SetupIntent's confirmation ends: a SetupAttempt, and the intent succeeded (the
PaymentMethod attached to its customer) or back to ``requires_payment_method``.

Shared by confirming (``resources.setup_intents``), verifying microdeposits and completing
3-D Secure (``billing.authentication``).
"""

from __future__ import annotations

from console.sandbox.billing import payment_methods, payments
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


def record_attempt(ctx: Context, si: JSON, pm: JSON, status: str, error: JSON | None) -> JSON:
    attempt = {
        "id": ctx.new_id("setatt"),
        "object": "setup_attempt",
        "application": None,
        "attach_to_self": si.get("attach_to_self"),
        "created": ctx.now(),
        "customer": si.get("customer"),
        "customer_account": None,
        "flow_directions": si.get("flow_directions"),
        "livemode": False,
        "on_behalf_of": si.get("on_behalf_of"),
        "payment_method": pm["id"],
        "payment_method_details": {"type": pm["type"], pm["type"]: {}},
        "setup_error": error,
        "setup_intent": si["id"],
        "status": status,
        "usage": si["usage"],
    }
    ctx.insert(attempt, parent=si["id"])
    si["latest_attempt"] = attempt["id"]
    return attempt


def succeed(ctx: Context, si: JSON, pm: JSON) -> None:
    customer = si.get("customer")
    if customer:
        payment_methods.ensure_attachable(pm, customer, param="payment_method")
    pm["_set_up"] = True
    pm["_verified"] = True
    if customer and pm.get("customer") != customer:
        payment_methods.mark_attached(ctx, pm, customer)
    else:
        ctx.save(pm)
    record_attempt(ctx, si, pm, "succeeded", None)
    si["status"] = "succeeded"
    si["next_action"] = None
    si["last_setup_error"] = None
    ctx.save(si)
    ctx.emit("setup_intent.succeeded", si)


def fail_with(ctx: Context, si: JSON, pm: JSON, error: JSON) -> None:
    """The attempt failed with ``error`` (a ``last_setup_error``): the intent wants a new method."""
    record_attempt(ctx, si, pm, "failed", error)
    si["status"] = "requires_payment_method"
    si["last_setup_error"] = error
    si["payment_method"] = None
    si["next_action"] = None
    ctx.save(si)
    ctx.emit("setup_intent.setup_failed", si)


def fail(ctx: Context, si: JSON, pm: JSON, failure: JSON) -> JSON:
    """A decline (``failure``: code, decline_code, message); returns ``failure``."""
    error = payments.last_error(failure, pm, None)
    error.pop("charge", None)
    fail_with(ctx, si, pm, error)
    return failure
