"""SetupIntents: create, retrieve, update, list, confirm, cancel, verify_microdeposits.

Confirming saves the PaymentMethod for later: the card is validated (Stripe's
declining test cards fail here, 4000000000000341 passes), the PaymentMethod is
attached to the customer (``payment_method.attached``) and the intent succeeds. A
decline leaves ``requires_payment_method`` with ``last_setup_error`` and answers 402;
a 3D Secure test card leaves ``requires_action``. A US bank account typed in by
hand waits for microdeposits (``requires_action`` / ``verify_with_microdeposits``):
Stripe's test amounts 32 and 45 (or descriptor code SM11AA) verify it, 10/11
(SM33CC) exhaust the attempts, 40/41 (SM44DD) time out. Each confirmation leaves a
SetupAttempt (``latest_attempt``).
"""

from __future__ import annotations

import copy
from typing import Any, NoReturn

from console.sandbox.billing import payment_methods, payments, setup_attempts
from console.sandbox.facts import ids, testcards
from console.sandbox.facts.errors import StripeError, invalid, missing_param
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state import hidden_fields
from console.sandbox.state.context import Context
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
ALWAYS_UPDATABLE = frozenset({"metadata", "description", "expand"})

MICRODEPOSITS_OK = ([32, 45], "SM11AA")
MICRODEPOSITS_EXHAUSTED = ([10, 11], "SM33CC")
MICRODEPOSITS_TIMEOUT = ([40, 41], "SM44DD")


def new_setup_intent(ctx: Context) -> JSON:
    intent_id = ctx.new_id("seti")
    types = payments.automatic_types(None)
    return {
        "id": intent_id,
        "object": "setup_intent",
        "application": None,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
        "cancellation_reason": None,
        "client_secret": f"{intent_id}_secret_{ids.random_chars(32)}",
        "created": ctx.now(),
        "customer": None,
        "customer_account": None,
        "description": None,
        "excluded_payment_method_types": None,
        "flow_directions": None,
        "last_setup_error": None,
        "latest_attempt": None,
        "livemode": False,
        "mandate": None,
        "metadata": {},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": {"id": "pmc_sandbox_default", "parent": None},
        "payment_method_options": payments.options_for(types, setup=True),
        "payment_method_types": types,
        "single_use_mandate": None,
        "status": "requires_payment_method",
        "usage": "off_session",
    }


def _apply(ctx: Context, si: JSON, params: JSON) -> None:
    if "description" in params:
        si["description"] = params["description"] or None
    if "metadata" in params:
        si["metadata"] = metadata(si.get("metadata"), params["metadata"])
    if "customer" in params:
        if params["customer"]:
            ctx.fetch("customer", params["customer"], param="customer")
        si["customer"] = params["customer"] or None
    if "flow_directions" in params:
        si["flow_directions"] = list(params["flow_directions"] or []) or None
    if "attach_to_self" in params:
        si["attach_to_self"] = params["attach_to_self"]
    if params.get("on_behalf_of"):
        si["on_behalf_of"] = params["on_behalf_of"]
    payments.set_types(si, params, None)


def _attempt(ctx: Context, si: JSON, return_url: str | None) -> JSON | None:
    """Confirm ``si`` with its PaymentMethod; the failure's error fields, or None."""
    pm = payments.usable_payment_method(ctx, si, kind="SetupIntent")
    si["last_setup_error"] = None
    failure = payment_methods.validation_error(pm)
    if failure is None and payment_methods.expiry_passed(pm, ctx.now()):
        failure = dict(testcards.EXPIRED_CARD)
    if failure is not None:
        return setup_attempts.fail(ctx, si, pm, {k: v for k, v in failure.items() if k != "param"})
    if pm.get("_authentication") in ("always", "unless_setup"):
        _requires_action(ctx, si, payments.three_d_secure_action(ctx, si["id"], return_url))
        return None
    if pm["type"] == "us_bank_account" and not pm.get("_verified"):
        _requires_action(ctx, si, _microdeposit_action(ctx, si))
        return None
    setup_attempts.succeed(ctx, si, pm)
    return None


def _requires_action(ctx: Context, si: JSON, action: JSON) -> None:
    si["status"] = "requires_action"
    si["next_action"] = action
    ctx.save(si)
    ctx.emit("setup_intent.requires_action", si)


def _microdeposit_action(ctx: Context, si: JSON) -> JSON:
    return {
        "type": "verify_with_microdeposits",
        "verify_with_microdeposits": {
            "arrival_date": ctx.now() + 2 * 86400,
            "hosted_verification_url": f"{ctx.base_url}/microdeposits/{si['id']}",
            "microdeposit_type": "descriptor_code",
        },
    }


def _declined(ctx: Context, si: JSON, failure: JSON) -> NoReturn:
    extra: JSON = {"setup_intent": hidden_fields.public(copy.deepcopy(si))}
    pm = (si.get("last_setup_error") or {}).get("payment_method")
    if pm:
        extra["payment_method"] = pm

    payments.keep_and_raise(ctx, payment_methods.card_error(failure, **extra))


# -- handlers ---------------------------------------------------------------------------


@operation("PostSetupIntents")
def create(ctx: Context, params: JSON) -> JSON:
    si = new_setup_intent(ctx)
    _apply(ctx, si, params)
    if params.get("usage"):
        si["usage"] = params["usage"]
    if params.get("single_use"):
        si["usage"] = "on_session"
    payments.assign_payment_method(ctx, si, params, param="payment_method")
    if si["payment_method"]:
        si["status"] = "requires_confirmation"
    ctx.insert(si, parent=si.get("customer"))
    ctx.emit("setup_intent.created", si)
    if params.get("confirm"):
        failure = _attempt(ctx, si, params.get("return_url"))
        if failure is not None:
            _declined(ctx, si, failure)
    return si


@operation("GetSetupIntentsIntent")
def retrieve(ctx: Context, params: JSON, intent: str) -> JSON:
    return ctx.fetch("setup_intent", intent, param="intent", kind="setup_intent")


@operation("PostSetupIntentsIntent")
def update(ctx: Context, params: JSON, intent: str) -> JSON:
    si = ctx.fetch("setup_intent", intent, param="intent", kind="setup_intent")
    if si["status"] not in CONFIRMABLE and set(params) - ALWAYS_UPDATABLE:
        raise invalid(
            f"You cannot update this SetupIntent because it has a status of {si['status']}. "
            "Only a SetupIntent with one of the following statuses may be updated: "
            f"{', '.join(CONFIRMABLE)}.",
            code="setup_intent_unexpected_state",
        )
    _apply(ctx, si, params)
    if params.get("payment_method") or params.get("payment_method_data"):
        payments.assign_payment_method(ctx, si, params, param="payment_method")
        si["status"] = "requires_confirmation"
    ctx.save(si)
    return si


@operation("PostSetupIntentsIntentConfirm")
def confirm(ctx: Context, params: JSON, intent: str) -> JSON:
    si = ctx.fetch("setup_intent", intent, param="intent", kind="setup_intent")
    if si["status"] not in CONFIRMABLE:
        state = (
            "already succeeded" if si["status"] == "succeeded" else f"a status of {si['status']}"
        )
        raise invalid(
            f"You cannot confirm this SetupIntent because it has {state}.",
            code="setup_intent_unexpected_state",
        )
    payments.assign_payment_method(ctx, si, params, param="payment_method")
    failure = _attempt(ctx, si, params.get("return_url"))
    if failure is not None:
        _declined(ctx, si, failure)
    return si


@operation("PostSetupIntentsIntentCancel")
def cancel(ctx: Context, params: JSON, intent: str) -> JSON:
    si = ctx.fetch("setup_intent", intent, param="intent", kind="setup_intent")
    if si["status"] not in CONFIRMABLE:
        raise invalid(
            f"You cannot cancel this SetupIntent because it has a status of {si['status']}. "
            "Only a SetupIntent with one of the following statuses may be canceled: "
            f"{', '.join(CONFIRMABLE)}.",
            code="setup_intent_unexpected_state",
        )
    si["status"] = "canceled"
    si["cancellation_reason"] = params.get("cancellation_reason")
    si["next_action"] = None
    ctx.save(si)
    ctx.emit("setup_intent.canceled", si)
    return si


@operation("GetSetupIntents")
def list_setup_intents(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if params.get("customer"):
        where.append(("$.customer", params["customer"]))
    if params.get("payment_method"):
        where.append(("$.payment_method", params["payment_method"]))
    if params.get("customer_account"):
        raise invalid(
            "The sandbox keeps customers as Customer objects; filter by `customer`.",
            param="customer_account",
        )
    attach_to_self = params.get("attach_to_self")
    return list_objects(
        ctx,
        params,
        object_type="setup_intent",
        url="/v1/setup_intents",
        where=where,
        predicate=(lambda si: bool(si.get("attach_to_self")) == attach_to_self)
        if attach_to_self is not None
        else None,
    )


@operation("PostSetupIntentsIntentVerifyMicrodeposits")
def verify_microdeposits(ctx: Context, params: JSON, intent: str) -> JSON:
    si = ctx.fetch("setup_intent", intent, param="intent", kind="setup_intent")
    action = si.get("next_action") or {}
    if si["status"] != "requires_action" or action.get("type") != "verify_with_microdeposits":
        raise invalid(
            f"This SetupIntent has a status of {si['status']}; only a SetupIntent waiting for "
            "microdeposits (requires_action, verify_with_microdeposits) can verify them.",
            code="setup_intent_unexpected_state",
        )
    amounts = params.get("amounts")
    code = params.get("descriptor_code")
    if amounts and code:
        raise invalid(
            "You may only specify one of these parameters: amounts, descriptor_code.",
            param="amounts",
            code="parameters_exclusive",
        )
    if not amounts and not code:
        raise missing_param("descriptor_code")
    pm = ctx.fetch("payment_method", si["payment_method"], param="payment_method")
    given = list(amounts) if amounts else code

    def matches(expected: tuple[list[int], str]) -> bool:
        return given == (expected[0] if amounts else expected[1])

    if matches(MICRODEPOSITS_OK):
        setup_attempts.succeed(ctx, si, pm)
        return si
    if matches(MICRODEPOSITS_EXHAUSTED) or matches(MICRODEPOSITS_TIMEOUT):
        code_name = (
            "payment_method_microdeposit_verification_attempts_exceeded"
            if matches(MICRODEPOSITS_EXHAUSTED)
            else "payment_method_microdeposit_verification_timeout"
        )
        message = (
            "The bank account could not be verified with microdeposits."
            if code_name.endswith("exceeded")
            else "Microdeposit verification timed out; collect the bank account again."
        )
        setup_attempts.fail(
            ctx, si, pm, {"code": code_name, "decline_code": None, "message": message}
        )
        error = StripeError(
            message,
            code=code_name,
            setup_intent=hidden_fields.public(copy.deepcopy(si)),
        )
        payments.keep_and_raise(ctx, error)
    if amounts:
        raise invalid(
            "The amounts provided do not match the amounts that were sent to the bank account.",
            param="amounts",
            code="payment_method_microdeposit_verification_amounts_mismatch",
        )
    raise invalid(
        "The descriptor code provided does not match the one sent to the bank account.",
        param="descriptor_code",
        code="payment_method_microdeposit_verification_descriptor_code_mismatch",
    )
