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

from console.sandbox.facts import ids, testcards
from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.fields import address, metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, public, snapshot
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

# Smallest amount Stripe charges per currency (in the currency's minor unit).
MINIMUM_AMOUNT = {
    "usd": 50, "eur": 50, "gbp": 30, "aud": 50, "cad": 50, "nzd": 50, "brl": 50, "chf": 50,
    "jpy": 50, "sgd": 50, "hkd": 400, "sek": 300, "nok": 300, "dkk": 250, "mxn": 1000,
    "pln": 200, "czk": 1500, "inr": 50,
}  # fmt: skip
MAXIMUM_AMOUNT = 99_999_999

# The currency each debit type settles in (Stripe refuses others).
DEBIT_CURRENCIES = {
    "sepa_debit": ("eur",),
    "bacs_debit": ("gbp",),
    "au_becs_debit": ("aud",),
    "acss_debit": ("cad", "usd"),
    "us_bank_account": ("usd",),
    "nz_bank_account": ("nzd",),
    "boleto": ("brl",),
}


def automatic_types(currency: str | None) -> list[str]:
    """The portal types Stripe would offer with automatic payment methods for a currency."""
    types = ["card", "link"]
    if currency in (None, "usd"):
        types += ["cashapp", "amazon_pay"]
    if currency in (None, "eur", "gbp"):
        types.append("paypal")
    for type_, currencies in DEBIT_CURRENCIES.items():
        if currency is None or currency in currencies:
            types.append(type_)
    return types


def keep_and_raise(ctx: Context, error: StripeError) -> NoReturn:
    """Answer ``error`` but keep what the handler changed (a declined attempt is recorded).

    The framework rolls a request back on any other exception; Stripe keeps the failed
    attempt. A kept error commits only the transaction of the request it ends: called from
    inside another operation, that operation's own work stays all-or-nothing.
    """
    error.keep_changes = True
    raise error


def _pm_module() -> Any:
    from console.sandbox.resources import payment_methods

    return payment_methods


# -- the object -------------------------------------------------------------------------


def new_payment_intent(ctx: Context, amount: int, currency: str) -> JSON:
    intent_id = ctx.new_id("pi")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{ids.random_chars(25)}",
        "confirmation_method": "automatic",
        "created": ctx.now(),
        "currency": currency,
        "customer": None,
        "customer_account": None,
        "description": None,
        "excluded_payment_method_types": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": {},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": {
            "id": "pmc_sandbox_default",
            "parent": None,
        },
        "payment_method_options": options_for(automatic_types(currency)),
        "payment_method_types": automatic_types(currency),
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }


def options_for(types: list[str], *, setup: bool = False) -> JSON:
    """Per-type options; a SetupIntent's card options have no ``installments``."""
    options: JSON = {}
    if "card" in types:
        options["card"] = {
            "mandate_options": None,
            "network": None,
            "request_three_d_secure": "automatic",
        }
        if not setup:
            options["card"]["installments"] = None
    if "link" in types:
        options["link"] = {"persistent_token": None}
    if "us_bank_account" in types:
        options["us_bank_account"] = {
            "verification_method": "automatic",
            "financial_connections": {"permissions": ["payment_method"], "prefetch": []},
        }
    return options


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
    minimum = MINIMUM_AMOUNT.get(currency, 50)
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


def set_types(intent: JSON, params: JSON, currency: str | None) -> None:
    """``allowed_payment_method_types`` / ``automatic_payment_methods`` / exclusions.

    This API version names the explicit list ``allowed_payment_method_types``; the
    object still reports the effective list as ``payment_method_types``.
    """
    allowed = params.get("allowed_payment_method_types")
    apm = params.get("automatic_payment_methods")
    if allowed and isinstance(apm, dict) and apm.get("enabled"):
        raise invalid(
            "You may only specify one of these parameters: automatic_payment_methods, "
            "allowed_payment_method_types.",
            param="allowed_payment_method_types",
            code="parameters_exclusive",
        )
    if allowed:
        intent["allowed_payment_method_types"] = list(allowed)
        intent["automatic_payment_methods"] = None
        intent["payment_method_configuration_details"] = None
    elif isinstance(apm, dict):
        intent["automatic_payment_methods"] = {
            "allow_redirects": apm.get("allow_redirects") or "always",
            "enabled": bool(apm.get("enabled")),
        }
    if "excluded_payment_method_types" in params:
        intent["excluded_payment_method_types"] = (
            list(params["excluded_payment_method_types"] or []) or None
        )
    excluded = set(intent.get("excluded_payment_method_types") or [])
    if intent.get("allowed_payment_method_types"):
        types = list(intent["allowed_payment_method_types"])
    elif (intent.get("automatic_payment_methods") or {}).get("enabled"):
        types = automatic_types(currency)
    else:
        types = ["card"]
    intent["payment_method_types"] = [t for t in types if t not in excluded]
    intent["payment_method_options"] = options_for(
        intent["payment_method_types"], setup=intent["object"] == "setup_intent"
    )


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


def _payment_method_from_data(ctx: Context, data: JSON, prefix: str) -> JSON:
    """``payment_method_data``: a new PaymentMethod, errors named under the prefix."""
    try:
        made: JSON = _pm_module().from_params(ctx, data)
    except StripeError as error:
        if error.param:
            head, _, rest = error.param.partition("[")
            error.param = f"{prefix}[{head}]" + (f"[{rest}" if rest else "")
        raise
    return ctx.insert(made)


def assign_payment_method(ctx: Context, intent: JSON, params: JSON, *, param: str) -> None:
    """Set ``intent.payment_method`` from ``payment_method`` or ``payment_method_data``."""
    if params.get("payment_method_data"):
        pm = _payment_method_from_data(ctx, params["payment_method_data"], "payment_method_data")
        intent["payment_method"] = pm["id"]
    elif params.get("payment_method"):
        pm = _pm_module().resolve(ctx, params["payment_method"], param=param)
        intent["payment_method"] = pm["id"]


def usable_payment_method(ctx: Context, intent: JSON, *, kind: str) -> JSON:
    """The intent's PaymentMethod, checked for this intent (owner, type, currency)."""
    pm_id = intent.get("payment_method")
    if not pm_id:
        customer = intent.get("customer")
        raise invalid(
            f"You cannot confirm this {kind} because it's missing a payment method. "
            + (
                f"To confirm the {kind} with {customer}, specify a payment method attached to "
                "this customer along with the customer ID."
                if customer
                else "You can either update the "
                f"{kind} with a payment method and then confirm it again, or confirm it "
                "again directly with a payment method."
            ),
            param="payment_method",
            code=f"{'payment_intent' if kind == 'PaymentIntent' else 'setup_intent'}"
            "_unexpected_state",
        )
    pm = ctx.fetch("payment_method", pm_id, param="payment_method", kind="PaymentMethod")
    owner = pm.get("customer")
    if owner and owner != intent.get("customer"):
        raise invalid(
            f"The provided PaymentMethod ({pm_id}) is attached to the Customer {owner}; "
            f"pass `customer={owner}` with it"
            + (" or use one of this customer's PaymentMethods." if intent.get("customer") else "."),
            param="payment_method",
        )
    if pm.get("_spent") and not owner:
        raise invalid(
            "The provided PaymentMethod was previously used with a PaymentIntent without "
            "Customer attachment, shared with a connected account without Customer "
            "attachment, or was detached from a Customer. It may not be used again. To use "
            "a PaymentMethod multiple times, you must attach it to a Customer first.",
            param="payment_method",
        )
    types = intent.get("payment_method_types") or []
    if pm["type"] not in types:
        raise invalid(
            f"The PaymentMethod provided ({pm['type']}) is not allowed for this {kind}. "
            f"Please attach a PaymentMethod of one of the following types: {', '.join(types)}. "
            f"Alternatively, update the allowed_payment_method_types of this {kind} to "
            f'include "{pm["type"]}".',
            param="payment_method",
            code="payment_intent_incompatible_payment_method"
            if kind == "PaymentIntent"
            else "setup_intent_invalid_parameter",
        )
    return pm


# -- charges ----------------------------------------------------------------------------


def _charge(ctx: Context, pi: JSON, pm: JSON, failure: JSON | None, *, capture: bool) -> JSON:
    """The Charge one attempt leaves behind (succeeded, or failed with the decline)."""
    charge_id = ctx.new_id("ch")
    details: JSON = {"type": pm["type"], pm["type"]: copy.deepcopy(pm.get(pm["type"]) or {})}
    if pm["type"] == "card":
        card = pm["card"]
        details["card"] = {
            "amount_authorized": None if failure else pi["amount"],
            "authorization_code": None if failure else ids.random_chars(6).upper(),
            "brand": card["brand"],
            "checks": copy.deepcopy(card["checks"]),
            "country": card["country"],
            "exp_month": card["exp_month"],
            "exp_year": card["exp_year"],
            "fingerprint": card["fingerprint"],
            "funding": card["funding"],
            "installments": None,
            "last4": card["last4"],
            "mandate": None,
            "network": card["networks"]["available"][0],
            "network_token": {"used": False},
            "network_transaction_id": None if failure else ids.random_chars(15),
            "regulated_status": card.get("regulated_status"),
            "three_d_secure": None,
            "wallet": None,
        }
    declined = failure is not None
    charge: JSON = {
        "id": charge_id,
        "object": "charge",
        "amount": pi["amount"],
        "amount_captured": pi["amount"] if capture and not declined else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": pi.get("application_fee_amount"),
        "balance_transaction": None,
        "billing_details": copy.deepcopy(pm["billing_details"]),
        "calculated_statement_descriptor": "SANDBOX",
        "captured": capture and not declined,
        "created": ctx.now(),
        "currency": pi["currency"],
        "customer": pi.get("customer"),
        "description": pi.get("description"),
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": failure["code"] if failure else None,
        "failure_message": failure["message"] if failure else None,
        "fraud_details": {},
        "livemode": False,
        "metadata": copy.deepcopy(pi.get("metadata") or {}),
        "on_behalf_of": pi.get("on_behalf_of"),
        "outcome": {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "declined_by_network" if declined else "approved_by_network",
            "reason": failure.get("decline_code") if failure else None,
            "risk_level": "normal",
            "risk_score": 20,
            "seller_message": "The bank did not return any further details with this decline."
            if declined
            else "Payment complete.",
            "type": "issuer_declined" if declined else "authorized",
        },
        "paid": not declined,
        "payment_intent": pi["id"],
        "payment_method": pm["id"],
        "payment_method_details": details,
        "radar_options": {},
        "receipt_email": pi.get("receipt_email"),
        "receipt_number": None,
        "receipt_url": None,
        "refunded": False,
        "review": None,
        "shipping": copy.deepcopy(pi.get("shipping")),
        "source": None,
        "source_transfer": None,
        "statement_descriptor": pi.get("statement_descriptor"),
        "statement_descriptor_suffix": pi.get("statement_descriptor_suffix"),
        "status": "failed" if declined else "succeeded",
        "transfer_data": copy.deepcopy(pi.get("transfer_data")),
        "transfer_group": pi.get("transfer_group"),
    }
    ctx.insert(charge, parent=pi.get("customer"))
    ctx.emit("charge.failed" if declined else "charge.succeeded", charge)
    return charge


# -- confirming -------------------------------------------------------------------------


def _failure_for(ctx: Context, pm: JSON, *, off_session: bool) -> JSON | None:
    failure = pm.get("_attach_error") or pm.get("_charge_error")
    if failure is None and _pm_module().expiry_passed(pm, ctx.now()):
        failure = testcards.EXPIRED_CARD
    if failure is None and off_session and needs_authentication(pm, off_session=True):
        failure = testcards.AUTHENTICATION_REQUIRED
    return None if failure is None else {k: v for k, v in failure.items() if k != "param"}


def needs_authentication(pm: JSON, *, off_session: bool) -> bool:
    """Whether a 3D Secure test card asks for authentication on this payment."""
    rule = pm.get("_authentication")
    if rule == "always":
        return True
    if rule == "unless_setup":
        return not (off_session and pm.get("_set_up"))
    if rule == "on_session":
        return not off_session
    return False


def three_d_secure_action(ctx: Context, intent_id: str, return_url: str | None) -> JSON:
    if return_url:
        return {
            "redirect_to_url": {
                "return_url": return_url,
                "url": f"{ctx.base_url}/3d_secure/{intent_id}",
            },
            "type": "redirect_to_url",
        }
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {
            "source": ctx.new_id("src"),
            "stripe_js": f"{ctx.base_url}/3d_secure/{intent_id}",
            "type": "three_d_secure_redirect",
        },
    }


def last_error(failure: JSON, pm: JSON, charge: JSON | None) -> JSON:
    code = failure["code"]
    error: JSON = {
        "charge": charge["id"] if charge else None,
        "code": code,
        "decline_code": failure.get("decline_code"),
        "doc_url": f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}",
        "message": failure["message"],
        "payment_method": public(copy.deepcopy(pm)),
        "type": "card_error",
    }
    return error


def _attempt(
    ctx: Context, pi: JSON, *, off_session: bool, return_url: str | None = None
) -> JSON | None:
    """Confirm ``pi`` with its PaymentMethod; the failure's error fields, or None."""
    pm = usable_payment_method(ctx, pi, kind="PaymentIntent")
    allowed = DEBIT_CURRENCIES.get(pm["type"])
    if allowed and pi["currency"] not in allowed:
        raise invalid(
            f"The currency provided ({pi['currency']}) is invalid for {pm['type']} "
            f"PaymentMethods; use {' or '.join(allowed)}.",
            param="currency",
            code="payment_method_currency_mismatch",
        )
    pi["last_payment_error"] = None
    pi["next_action"] = None
    if not off_session and needs_authentication(pm, off_session=False):
        pi["status"] = "requires_action"
        pi["next_action"] = three_d_secure_action(ctx, pi["id"], return_url)
        ctx.save(pi)
        ctx.emit("payment_intent.requires_action", pi)
        return None
    failure = _failure_for(ctx, pm, off_session=off_session)
    manual = pi["capture_method"] == "manual"
    charge = _charge(ctx, pi, pm, failure, capture=not manual)
    pi["latest_charge"] = charge["id"]
    if failure is not None:
        pi["status"] = "requires_payment_method"
        pi["last_payment_error"] = last_error(failure, pm, charge)
        pi["payment_method"] = None
        ctx.save(pi)
        ctx.emit("payment_intent.payment_failed", pi)
        return failure
    _after_success(ctx, pi, pm)
    if manual:
        pi["status"] = "requires_capture"
        pi["amount_capturable"] = pi["amount"]
        ctx.save(pi)
        ctx.emit("payment_intent.amount_capturable_updated", pi)
    else:
        pi["status"] = "succeeded"
        pi["amount_received"] = pi["amount"]
        ctx.save(pi)
        ctx.emit("payment_intent.succeeded", pi)
    return None


def _after_success(ctx: Context, pi: JSON, pm: JSON) -> None:
    """Save the PaymentMethod for later when asked to; else a one-off PM is spent."""
    module = _pm_module()
    customer = pi.get("customer")
    if pi.get("setup_future_usage") and customer:
        pm["_set_up"] = True
        if pm.get("customer") != customer:
            module.mark_attached(ctx, pm, customer)
        else:
            ctx.save(pm)
    elif not pm.get("customer"):
        pm["_spent"] = True
        ctx.save(pm)


def _declined(ctx: Context, pi: JSON, failure: JSON) -> NoReturn:
    pm = (pi.get("last_payment_error") or {}).get("payment_method")
    extra: JSON = {"payment_intent": public(copy.deepcopy(pi))}
    if pm:
        extra["payment_method"] = pm
    charge = pi.get("latest_charge")
    if charge:
        extra["charge"] = charge
    keep_and_raise(ctx, _pm_module().card_error(failure, **extra))


def _off_session(params: JSON) -> bool:
    value = params.get("off_session")
    return value not in (None, False, "", "false")


# -- handlers ---------------------------------------------------------------------------


@operation("PostPaymentIntents")
def create(ctx: Context, params: JSON) -> JSON:
    currency = _currency(params["currency"])
    _check_amount(params["amount"], currency)
    pi = new_payment_intent(ctx, params["amount"], currency)
    set_types(pi, params, currency)
    if "confirmation_method" in params:
        pi["confirmation_method"] = params["confirmation_method"]
    _apply(ctx, pi, {k: v for k, v in params.items() if k not in ("amount",)})
    if _off_session(params) and not params.get("confirm"):
        raise invalid(
            "You may only specify `off_session` when `confirm` is true.", param="off_session"
        )
    assign_payment_method(ctx, pi, params, param="payment_method")
    if pi["payment_method"]:
        pi["status"] = "requires_confirmation"
    ctx.insert(pi, parent=pi.get("customer"))
    ctx.emit("payment_intent.created", pi)
    if params.get("confirm"):
        failure = _attempt(
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
    set_types(pi, params, pi["currency"])
    _apply(ctx, pi, params)
    if params.get("payment_method") or params.get("payment_method_data"):
        assign_payment_method(ctx, pi, params, param="payment_method")
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
    assign_payment_method(ctx, pi, params, param="payment_method")
    failure = _attempt(
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


def create_for_invoice(
    ctx: Context,
    *,
    customer: str,
    amount: int,
    currency: str,
    payment_method: str | None,
    description: str,
    metadata: JSON | None = None,
    off_session: bool = True,
) -> JSON:
    """A PaymentIntent for an invoice, confirmed when a PaymentMethod is given.

    Never raises for a decline: the intent comes back ``requires_payment_method`` with
    ``last_payment_error`` (the invoice decides what to answer). Raises for bad ids.
    """
    ctx.fetch("customer", customer, param="customer")
    pi = new_payment_intent(ctx, amount, currency.lower())
    pi["customer"] = customer
    pi["description"] = description
    pi["metadata"] = dict(metadata or {})
    pi["capture_method"] = "automatic"
    if payment_method:
        pm = _pm_module().resolve(ctx, payment_method, param="payment_method")
        pi["payment_method"] = pm["id"]
        pi["status"] = "requires_confirmation"
        if pm["type"] not in pi["payment_method_types"]:
            pi["payment_method_types"] = [*pi["payment_method_types"], pm["type"]]
    ctx.insert(pi, parent=customer)
    ctx.emit("payment_intent.created", pi)
    if payment_method:
        _attempt(ctx, pi, off_session=off_session)
    return pi
