"""What paying on the hosted checkout page does: the objects Stripe's Checkout creates.

Each step goes through the API (``Api.call``: the same checks, objects and events as a
merchant's own requests), in the order Checkout takes them:

- the customer: the session's, else one made with the email entered (always in
  ``subscription`` mode; in ``payment`` and ``setup`` mode only with
  ``customer_creation=always``, else the buyer stays a guest, as at Stripe);
- the card as a PaymentMethod, attached to the customer (a card declined at attachment,
  ``4000000000000002``, fails here with Stripe's decline);
- ``subscription``: the subscription with the session's recurring prices (one-time prices as
  invoice items on its first invoice), the card as its ``default_payment_method``,
  ``subscription_data`` and the session's discount, ``payment_behavior=error_if_incomplete``
  so that a declined first payment leaves no subscription behind;
  ``payment``: one PaymentIntent per session (kept across attempts), confirmed with the card;
  ``setup``: a SetupIntent confirmed with the card;
- then :func:`console.sandbox.billing.checkout.complete` records the outcome on the session and
  emits ``checkout.session.completed``.

Stripe documents no order for these events; the sandbox emits ``checkout.session.completed``
last, once the subscription and its paid invoice exist, so a webhook handler that retrieves
them finds them. A customer made for a failed attempt is kept on the session and reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.sandbox.billing import checkout
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON

# What of ``subscription_data`` a subscription takes as it is (the rest is the session's own).
SUBSCRIPTION_FIELDS = (
    "billing_cycle_anchor",
    "billing_mode",
    "default_tax_rates",
    "description",
    "metadata",
    "on_behalf_of",
    "proration_behavior",
    "trial_end",
    "trial_period_days",
    "trial_settings",
)


@dataclass(frozen=True, slots=True)
class Buyer:
    """What the page's form says: who pays, with which card."""

    email: str | None
    card: JSON
    name: str | None = None
    postal_code: str | None = None


def _customer_for(api: Any, session: JSON, buyer: Buyer, account: str) -> str | None:
    if session.get("customer"):
        return str(session["customer"])
    if session.get("_customer"):
        return str(session["_customer"])
    wanted = session["mode"] == "subscription" or session.get("customer_creation") == "always"
    if not wanted:
        return None
    params: JSON = {"email": buyer.email}
    if buyer.name:
        params["name"] = buyer.name
    customer = api.call("PostCustomers", params, scope=account)
    _remember(api, session, account, _customer=customer["id"])
    return str(customer["id"])


def _remember(api: Any, session: JSON, account: str, **hidden: str) -> None:
    """Keep an attempt's customer or intent on the session, for the next attempt."""
    with api.store.transaction():
        stored = api.store.get(session["id"], account=account)
        if stored is not None:
            stored.update(hidden)
            api.store.save(stored)
    session.update(hidden)


def _card(api: Any, buyer: Buyer, account: str) -> str:
    details: JSON = {"email": buyer.email} if buyer.email else {}
    if buyer.name:
        details["name"] = buyer.name
    if buyer.postal_code:
        details["address"] = {"postal_code": buyer.postal_code}
    params: JSON = {"type": "card", "card": buyer.card}
    if details:
        params["billing_details"] = details
    made = api.call("PostPaymentMethods", params, scope=account)
    return str(made["id"])


def _subscribe(api: Any, session: JSON, customer: str, pm: str, account: str) -> JSON:
    api.call("PostPaymentMethodsPaymentMethodAttach", {"customer": customer}, scope=account,
             payment_method=pm)  # fmt: skip
    items = session["_line_items"]
    recurring = checkout.recurring(items)
    data = session.get("_subscription_data") or {}
    params: JSON = {k: data[k] for k in SUBSCRIPTION_FIELDS if k in data}
    params.update(
        {
            "customer": customer,
            "items": [_entry(item) for item in recurring],
            "default_payment_method": pm,
            "payment_behavior": "error_if_incomplete",
        }
    )
    one_time = [_entry(item) for item in items if item not in recurring]
    if one_time:
        params["add_invoice_items"] = one_time
    if session.get("discounts"):
        params["discounts"] = [_discount(d) for d in session["discounts"]]
    subscription = api.call("PostSubscriptions", params, scope=account)
    invoice = api.call("GetInvoicesInvoice", {}, scope=account,
                       invoice=subscription["latest_invoice"])  # fmt: skip
    paid = invoice["amount_paid"] > 0
    # Uncertain: Stripe documents ``invoice`` as "the invoice created by the Checkout Session,
    # if it exists"; the sandbox names the subscription's first invoice there. A trial's
    # (nothing to pay) is ``no_payment_required``, Stripe's word for a payment "delayed to a
    # future date".
    return {
        "subscription": subscription["id"],
        "invoice": invoice["id"],
        "payment_status": "paid" if paid else "no_payment_required",
    }


def _entry(item: JSON) -> JSON:
    entry: JSON = {"price": item["price"]["id"]}
    if item.get("quantity") is not None:
        entry["quantity"] = item["quantity"]
    return entry


def _discount(discount: JSON) -> JSON:
    if discount.get("promotion_code"):
        return {"promotion_code": discount["promotion_code"]}
    return {"coupon": discount["coupon"]}


def _pay(api: Any, session: JSON, customer: str | None, pm: str, account: str) -> JSON:
    intent_id = session.get("_payment_intent")
    if not intent_id:
        data = session.get("_payment_intent_data") or {}
        params: JSON = {
            "amount": session["amount_total"],
            "currency": session["currency"],
            "allowed_payment_method_types": ["card"],
        }
        for key in ("description", "metadata", "setup_future_usage", "receipt_email"):
            if key in data:
                params[key] = data[key]
        if customer:
            params["customer"] = customer
        intent = api.call("PostPaymentIntents", params, scope=account)
        intent_id = str(intent["id"])
        _remember(api, session, account, _payment_intent=intent_id)
    confirmed = api.call("PostPaymentIntentsIntentConfirm", {"payment_method": pm},
                         scope=account, intent=intent_id)  # fmt: skip
    _require_no_action(confirmed)
    return {"payment_intent": intent_id, "payment_status": "paid"}


def _set_up(api: Any, session: JSON, customer: str | None, pm: str, account: str) -> JSON:
    params: JSON = {"allowed_payment_method_types": ["card"], "usage": "off_session"}
    if customer:
        params["customer"] = customer
    data = session.get("_setup_intent_data") or {}
    for key in ("description", "metadata"):
        if key in data:
            params[key] = data[key]
    intent = api.call("PostSetupIntents", params, scope=account)
    confirmed = api.call("PostSetupIntentsIntentConfirm", {"payment_method": pm},
                         scope=account, intent=intent["id"])  # fmt: skip
    _require_no_action(confirmed)
    return {"setup_intent": intent["id"], "payment_status": "no_payment_required"}


def _require_no_action(intent: JSON) -> None:
    """A 3-D Secure test card leaves the intent ``requires_action``: the sandbox has no
    authentication step to complete it (README, "Simplified"), so the page says so."""
    if intent.get("status") == "requires_action":
        raise StripeError(
            "This card needs 3-D Secure authentication, which the sandbox cannot complete.",
            status=402,
            code="authentication_required",
        )


def pay(api: Any, session: JSON, buyer: Buyer, account: str) -> JSON:
    """Run the session's purchase; the completed session. Raises the API's StripeError (a
    decline is a 402 with its ``decline_code``); what earlier steps made stays, as at Stripe."""
    customer = _customer_for(api, session, buyer, account)
    pm = _card(api, buyer, account)
    if session["mode"] == "subscription":
        assert customer is not None
        outcome = _subscribe(api, session, customer, pm, account)
    elif session["mode"] == "payment":
        outcome = _pay(api, session, customer, pm, account)
    else:
        outcome = _set_up(api, session, customer, pm, account)
    with api.store.transaction():
        ctx = api._context(account, None, None)
        stored = ctx.fetch(checkout.OBJECT, session["id"], param="session")
        found = ctx.find(customer) if customer else None
        completed = checkout.complete(
            ctx,
            stored,
            customer=found,
            email=buyer.email,
            payment_status=str(outcome.pop("payment_status")),
            outcome=outcome,
        )
    if ctx.events:
        api.on_events()
    return completed
