"""PaymentIntents: create, retrieve, update, list, confirm, capture, cancel.

The state machine is Stripe's: ``requires_payment_method`` -> (``requires_confirmation``)
-> confirm -> ``succeeded`` | ``requires_capture`` (manual capture) |
``requires_action`` (a 3D Secure test card on session) | back to
``requires_payment_method`` with ``last_payment_error`` (a decline). Each attempt makes
a Charge (``latest_charge``), stored so it can be expanded.

A declined confirmation keeps its new state (the intent, the failed charge, the
events) and answers 402, as Stripe does. Bank debits and wallets succeed at once
(Stripe's test mode settles them after a short ``processing`` phase, which the
sandbox skips; test accounts that fail still fail).
"""

from __future__ import annotations

import copy
from typing import Any, NoReturn

from console.sandbox.billing import payment_methods, payments
from console.sandbox.facts.charge_amounts import MAXIMUM_AMOUNT, minimum_charge
from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.fields import address, metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state import hidden_fields
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import embedded_list, list_objects
from console.sandbox.state.registry import operation

CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
UPDATABLE = CONFIRMABLE
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
ALWAYS_UPDATABLE = frozenset({"metadata", "description", "receipt_email", "shipping", "expand"})


# -- the object -------------------------------------------------------------------------


def _shipping(value: Any) -> JSON | None:
    if value in (None, ""):
        return None
    return {
        "address": address(value.get("address")),
        "carrier": value.get("carrier"),
        "name": value.get("name"),
        "phone": value.get("phone"),
        "tracking_number": value.get("tracking_number"),
    }


def _check_amount(amount: int, currency: str, param: str = "amount") -> None:
    minimum = minimum_charge(currency)
    if amount < minimum:
        raise invalid(
            f"Amount must be at least {minimum} {currency} minor units "
            f"({minimum / 100:.2f} {currency}).",
            param=param,
            code="amount_too_small",
        )
    if amount > MAXIMUM_AMOUNT:
        raise invalid(
            f"Amount must be no more than {MAXIMUM_AMOUNT:,} minor units.",
            param=param,
            code="amount_too_large",
        )


def _currency(value: str) -> str:
    currency = value.lower()
    if len(currency) != 3 or not currency.isalpha():
        raise invalid(f"Invalid currency: {value}.", param="currency")
    return currency


def _apply(ctx: Context, pi: JSON, params: JSON) -> None:
    for key in ("description", "statement_descriptor", "statement_descriptor_suffix"):
        if key in params:
            pi[key] = params[key] or None
    if "statement_descriptor" in params and len(params["statement_descriptor"] or "") > 22:
        raise invalid(
            "The statement descriptor must be at most 22 characters.",
            param="statement_descriptor",
        )
    if "receipt_email" in params:
        pi["receipt_email"] = params["receipt_email"] or None
    if "metadata" in params:
        pi["metadata"] = metadata(pi.get("metadata"), params["metadata"])
    if "shipping" in params:
        pi["shipping"] = _shipping(params["shipping"])
    if "setup_future_usage" in params:
        pi["setup_future_usage"] = params["setup_future_usage"] or None
    if "capture_method" in params:
        pi["capture_method"] = params["capture_method"]
    if "transfer_group" in params:
        pi["transfer_group"] = params["transfer_group"]
    if "customer" in params:
        customer = params["customer"]
        if customer:
            ctx.fetch("customer", customer, param="customer")
        pi["customer"] = customer or None
    if "amount" in params:
        _check_amount(params["amount"], pi["currency"])
        pi["amount"] = params["amount"]
    if "application_fee_amount" in params:
        pi["application_fee_amount"] = params["application_fee_amount"] or None
    if "on_behalf_of" in params:
        pi["on_behalf_of"] = params["on_behalf_of"]
    if "transfer_data" in params:
        data = params["transfer_data"] or None
        pi["transfer_data"] = (
            {"amount": data.get("amount"), "destination": data.get("destination")} if data else None
        )


# -- charges ----------------------------------------------------------------------------


# -- confirming -------------------------------------------------------------------------


def _declined(ctx: Context, pi: JSON, failure: JSON) -> NoReturn:
    pm = (pi.get("last_payment_error") or {}).get("payment_method")
    extra: JSON = {"payment_intent": hidden_fields.public(copy.deepcopy(pi))}
    if pm:
        extra["payment_method"] = pm
    charge = pi.get("latest_charge")
    if charge:
        extra["charge"] = charge
    payments.keep_and_raise(ctx, payment_methods.card_error(failure, **extra))


def _off_session(params: JSON) -> bool:
    value = params.get("off_session")
    return value not in (None, False, "", "false")


# -- handlers ---------------------------------------------------------------------------


@operation("PostPaymentIntents")
def create(ctx: Context, params: JSON) -> JSON:
    currency = _currency(params["currency"])
    _check_amount(params["amount"], currency)
    pi = payments.new_payment_intent(ctx, params["amount"], currency)
    payments.set_types(pi, params, currency)
    if "confirmation_method" in params:
        pi["confirmation_method"] = params["confirmation_method"]
    _apply(ctx, pi, {k: v for k, v in params.items() if k not in ("amount",)})
    if _off_session(params) and not params.get("confirm"):
        raise invalid(
            "You may only specify `off_session` when `confirm` is true.", param="off_session"
        )
    payments.assign_payment_method(ctx, pi, params, param="payment_method")
    if pi["payment_method"]:
        pi["status"] = "requires_confirmation"
    ctx.insert(pi, parent=pi.get("customer"))
    ctx.emit("payment_intent.created", pi)
    if params.get("confirm"):
        failure = payments.attempt_payment(
            ctx, pi, off_session=_off_session(params), return_url=params.get("return_url")
        )
        if failure is not None:
            _declined(ctx, pi, failure)
    return pi


@operation("GetPaymentIntentsIntent")
def retrieve(ctx: Context, params: JSON, intent: str) -> JSON:
    return ctx.fetch("payment_intent", intent, param="intent", kind="payment_intent")


def _not_updatable(pi: JSON) -> StripeError:
    return invalid(
        f"You cannot update this PaymentIntent because it has a status of {pi['status']}. "
        "Only a PaymentIntent with one of the following statuses may be updated: "
        f"{', '.join(UPDATABLE)}.",
        code="payment_intent_unexpected_state",
    )


@operation("PostPaymentIntentsIntent")
def update(ctx: Context, params: JSON, intent: str) -> JSON:
    pi = ctx.fetch("payment_intent", intent, param="intent", kind="payment_intent")
    if pi["status"] not in UPDATABLE and set(params) - ALWAYS_UPDATABLE:
        raise _not_updatable(pi)
    if params.get("currency"):
        pi["currency"] = _currency(params["currency"])
    payments.set_types(pi, params, pi["currency"])
    _apply(ctx, pi, params)
    if params.get("payment_method") or params.get("payment_method_data"):
        payments.assign_payment_method(ctx, pi, params, param="payment_method")
        pi["status"] = "requires_confirmation"
    ctx.save(pi)
    return pi


@operation("PostPaymentIntentsIntentConfirm")
def confirm(ctx: Context, params: JSON, intent: str) -> JSON:
    pi = ctx.fetch("payment_intent", intent, param="intent", kind="payment_intent")
    if pi["status"] not in CONFIRMABLE:
        raise invalid(
            f"You cannot confirm this PaymentIntent because it has a status of {pi['status']}. "
            "Only a PaymentIntent with one of the following statuses may be confirmed: "
            "requires_confirmation, requires_payment_method, requires_action.",
            code="payment_intent_unexpected_state",
        )
    _apply(
        ctx,
        pi,
        {
            k: v
            for k, v in params.items()
            if k in ("setup_future_usage", "capture_method", "receipt_email", "shipping")
        },
    )
    payments.assign_payment_method(ctx, pi, params, param="payment_method")
    failure = payments.attempt_payment(
        ctx, pi, off_session=_off_session(params), return_url=params.get("return_url")
    )
    if failure is not None:
        _declined(ctx, pi, failure)
    return pi


@operation("PostPaymentIntentsIntentCapture")
def capture(ctx: Context, params: JSON, intent: str) -> JSON:
    pi = ctx.fetch("payment_intent", intent, param="intent", kind="payment_intent")
    if pi["status"] != "requires_capture":
        raise invalid(
            "This PaymentIntent could not be captured because it has a status of "
            f"{pi['status']}. Only a PaymentIntent with one of the following statuses may be "
            "captured: requires_capture.",
            code="payment_intent_unexpected_state",
        )
    amount = params.get("amount_to_capture", pi["amount_capturable"])
    if amount > pi["amount_capturable"]:
        raise invalid(
            f"The amount to capture ({amount}) is greater than the amount capturable "
            f"({pi['amount_capturable']}).",
            param="amount_to_capture",
            code="amount_too_large",
        )
    if "metadata" in params:
        pi["metadata"] = metadata(pi.get("metadata"), params["metadata"])
    for key in ("statement_descriptor", "statement_descriptor_suffix"):
        if params.get(key):
            pi[key] = params[key]
    charge = ctx.find(pi["latest_charge"]) if pi.get("latest_charge") else None
    if charge is not None:
        before = snapshot(charge)
        charge["captured"] = True
        charge["amount_captured"] = amount
        charge["amount_refunded"] = charge["amount"] - amount
        charge["refunded"] = False
        ctx.save(charge)
        ctx.emit("charge.captured", charge, changed(before, charge))
    pi["amount_received"] = amount
    pi["amount_capturable"] = 0
    pi["status"] = "succeeded"
    ctx.save(pi)
    ctx.emit("payment_intent.succeeded", pi)
    return pi


@operation("PostPaymentIntentsIntentCancel")
def cancel(ctx: Context, params: JSON, intent: str) -> JSON:
    pi = ctx.fetch("payment_intent", intent, param="intent", kind="payment_intent")
    if pi["status"] not in CANCELABLE:
        raise invalid(
            f"You cannot cancel this PaymentIntent because it has a status of {pi['status']}. "
            "Only a PaymentIntent with one of the following statuses may be canceled: "
            f"{', '.join(CANCELABLE)}.",
            code="payment_intent_unexpected_state",
        )
    pi["status"] = "canceled"
    pi["canceled_at"] = ctx.now()
    pi["cancellation_reason"] = params.get("cancellation_reason") or "requested_by_customer"
    pi["amount_capturable"] = 0
    pi["next_action"] = None
    ctx.save(pi)
    ctx.emit("payment_intent.canceled", pi)
    return pi


@operation("GetPaymentIntents")
def list_payment_intents(ctx: Context, params: JSON) -> JSON:
    customer = params.get("customer")
    if params.get("customer_account"):
        raise invalid(
            "The sandbox keeps customers as Customer objects; filter by `customer`.",
            param="customer_account",
        )
    return list_objects(
        ctx,
        params,
        object_type="payment_intent",
        url="/v1/payment_intents",
        where=[("$.customer", customer)] if customer else [],
    )


@operation("GetPaymentIntentsIntentAmountDetailsLineItems")
def amount_details_line_items(ctx: Context, params: JSON, intent: str) -> JSON:
    ctx.fetch("payment_intent", intent, param="intent", kind="payment_intent")
    return embedded_list([], f"/v1/payment_intents/{intent}/amount_details_line_items")


@operation("PostPaymentIntentsIntentIncrementAuthorization")
def increment_authorization(ctx: Context, params: JSON, intent: str) -> JSON:
    pi = ctx.fetch("payment_intent", intent, param="intent", kind="payment_intent")
    if pi["status"] != "requires_capture":
        raise invalid(
            "Only a PaymentIntent with status requires_capture can have its authorization "
            f"incremented; this one is {pi['status']}.",
            code="payment_intent_unexpected_state",
        )
    amount = params["amount"]
    if amount < pi["amount"]:
        raise invalid(
            "The new amount must be greater than or equal to the current amount.",
            param="amount",
        )
    pi["amount"] = amount
    pi["amount_capturable"] = amount
    if "metadata" in params:
        pi["metadata"] = metadata(pi.get("metadata"), params["metadata"])
    if params.get("description"):
        pi["description"] = params["description"]
    ctx.save(pi)
    ctx.emit("payment_intent.amount_capturable_updated", pi)
    return pi


# -- for invoices -----------------------------------------------------------------------
