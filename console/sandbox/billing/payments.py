"""Charging money: PaymentIntents for invoices and their attempts, and the account's retry settings.

``create_for_invoice`` makes the intent an invoice is paid with; ``attempt_payment`` runs the
state machine (``requires_payment_method`` -> ``succeeded`` | ``requires_action`` | declined)
with the test cards' outcomes. ``settings_of`` reads what the account does after the last retry.
"""

from __future__ import annotations

import copy
from typing import NoReturn

from console.sandbox.billing import payment_methods
from console.sandbox.facts import ids, testcards
from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state import hidden_fields
from console.sandbox.state.context import Context


def payment_method_from_data(ctx: Context, data: JSON, prefix: str) -> JSON:
    """``payment_method_data``: a new PaymentMethod, errors named under the prefix."""
    try:
        made: JSON = payment_methods.from_params(ctx, data)
    except StripeError as error:
        if error.param:
            head, _, rest = error.param.partition("[")
            error.param = f"{prefix}[{head}]" + (f"[{rest}" if rest else "")
        raise
    return ctx.insert(made)


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


def assign_payment_method(ctx: Context, intent: JSON, params: JSON, *, param: str) -> None:
    """Set ``intent.payment_method`` from ``payment_method`` or ``payment_method_data``."""
    if params.get("payment_method_data"):
        pm = payment_method_from_data(ctx, params["payment_method_data"], "payment_method_data")
        intent["payment_method"] = pm["id"]
    elif params.get("payment_method"):
        pm = payment_methods.resolve(ctx, params["payment_method"], param=param)
        intent["payment_method"] = pm["id"]


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


def _charge(
    ctx: Context, pi: JSON, pm: JSON, failure: JSON | None, *, capture: bool, authenticated: bool
) -> JSON:
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
            "three_d_secure": _three_d_secure_details() if authenticated else None,
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


def _failure_for(ctx: Context, pm: JSON, *, off_session: bool) -> JSON | None:
    failure = pm.get("_attach_error") or pm.get("_charge_error")
    if failure is None and payment_methods.expiry_passed(pm, ctx.now()):
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


def _three_d_secure_details() -> JSON:
    """What a charge after a completed challenge says about it (Stripe's test page is a
    challenge flow; the version is the one Stripe's test cards report)."""
    return {
        "authentication_flow": "challenge",
        "electronic_commerce_indicator": "05",
        "exemption_indicator": None,
        "result": "authenticated",
        "result_reason": None,
        "transaction_id": None,
        "version": "2.2.0",
    }


def await_authentication(ctx: Context, pi: JSON, payment_method: str, invoice_id: str) -> None:
    """An invoice's off-session charge asked for 3-D Secure: the intent waits for the customer.

    Stripe documents that the invoice's PaymentIntent then has the status ``requires_action``
    (SCA migration guide for Billing) so that the customer can authenticate it later (the
    hosted invoice page, or the merchant's own page with Stripe.js); ``last_payment_error``
    keeps the ``authentication_required`` decline. Whether Stripe also keeps the failed charge
    as ``latest_charge`` is not documented; the sandbox keeps it.
    """
    pi["status"] = "requires_action"
    pi["next_action"] = three_d_secure_action(ctx, pi["id"], None)
    pi["payment_method"] = payment_method
    pi["_invoice"] = invoice_id
    ctx.save(pi)
    ctx.emit("payment_intent.requires_action", pi)


def last_error(failure: JSON, pm: JSON, charge: JSON | None) -> JSON:
    code = failure["code"]
    error: JSON = {
        "charge": charge["id"] if charge else None,
        "code": code,
        "decline_code": failure.get("decline_code"),
        "doc_url": f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}",
        "message": failure["message"],
        "payment_method": hidden_fields.public(copy.deepcopy(pm)),
        "type": "card_error",
    }
    return error


def attempt_payment(
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
    return settle(ctx, pi, pm, off_session=off_session)


def settle(
    ctx: Context, pi: JSON, pm: JSON, *, off_session: bool, authenticated: bool = False
) -> JSON | None:
    """Charge ``pm`` for ``pi`` (any authentication done); the failure's error fields, or None."""
    failure = _failure_for(ctx, pm, off_session=off_session)
    manual = pi["capture_method"] == "manual"
    charge = _charge(ctx, pi, pm, failure, capture=not manual, authenticated=authenticated)
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
    customer = pi.get("customer")
    if pi.get("setup_future_usage") and customer:
        pm["_set_up"] = True
        if pm.get("customer") != customer:
            payment_methods.mark_attached(ctx, pm, customer)
        else:
            ctx.save(pm)
    elif not pm.get("customer"):
        pm["_spent"] = True
        ctx.save(pm)


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
        pm = payment_methods.resolve(ctx, payment_method, param="payment_method")
        pi["payment_method"] = pm["id"]
        pi["status"] = "requires_confirmation"
        if pm["type"] not in pi["payment_method_types"]:
            pi["payment_method_types"] = [*pi["payment_method_types"], pm["type"]]
    ctx.insert(pi, parent=customer)
    ctx.emit("payment_intent.created", pi)
    if payment_method:
        attempt_payment(ctx, pi, off_session=off_session)
    return pi


OBJECT = "sandbox.billing_settings"


DEFAULTS: JSON = {
    "subscription_after_final_failure": "leave_past_due",
    "invoice_after_final_failure": "leave_past_due",
}


def settings_id(account: str) -> str:
    # One object per account; the store's ids are global, so the account is part of it.
    return f"billing_settings_{account}"


def settings_of(ctx: Context) -> JSON:
    """The account's settings (the defaults until someone sets them)."""
    stored = ctx.find(settings_id(ctx.account))
    return {
        "object": OBJECT,
        **DEFAULTS,
        **{key: stored[key] for key in DEFAULTS if stored is not None and key in stored},
        "livemode": False,
    }
