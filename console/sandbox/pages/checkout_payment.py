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
- a 3-D Secure test card sends the customer to the test page (``pages.three_d_secure``) with
  the session's page as ``return_url``; back there, :func:`after_authentication` finishes;
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

# Where the 3-D Secure page returns to (``pages.checkout`` serves it).
RETURN_PATH = "/c/pay/{token}/authenticated"

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
    if session.get("_subscription"):
        # An earlier attempt failed its authentication: its subscription, still incomplete,
        # is paid with this card (and charges it from now on) rather than made twice.
        api.call("PostSubscriptionsSubscriptionExposedId", {"default_payment_method": pm},
                 scope=account, subscription_exposed_id=session["_subscription"])  # fmt: skip
        return _confirm_for_subscription(api, session, pm, account)
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
    try:
        subscription = api.call("PostSubscriptions", params, scope=account)
    except StripeError as error:
        if error.code != "authentication_required":
            raise
        # The first payment needs 3-D Secure. Stripe's Checkout asks for it on its page; the
        # sandbox makes the subscription as Stripe's default ``allow_incomplete`` does
        # (incomplete, its invoice's intent waiting for authentication) and confirms that
        # intent on session with this page as ``return_url``. Uncertain: which events Stripe's
        # Checkout emits meanwhile; these are the API's (``invoice.payment_action_required``).
        params["payment_behavior"] = "allow_incomplete"
        subscription = api.call("PostSubscriptions", params, scope=account)
        invoice = api.call("GetInvoicesInvoice", {"expand": ["payments"]}, scope=account,
                           invoice=subscription["latest_invoice"])  # fmt: skip
        intent = str(invoice["payments"]["data"][0]["payment"]["payment_intent"])
        _remember(api, session, account, _subscription=str(subscription["id"]),
                  _payment_intent=intent)  # fmt: skip
        return _confirm_for_subscription(api, session, pm, account)
    return _subscribed(api, subscription, account)


def _subscribed(api: Any, subscription: JSON, account: str) -> JSON:
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


def _confirm_for_subscription(api: Any, session: JSON, pm: str, account: str) -> JSON:
    """Confirm the first invoice's intent with ``pm`` on session (paid, it pays the invoice)."""
    confirmed = api.call("PostPaymentIntentsIntentConfirm",
                         {"payment_method": pm, "return_url": return_url_of(api, session)},
                         scope=account, intent=session["_payment_intent"])  # fmt: skip
    if confirmed.get("status") == "requires_action":
        return _outcome(confirmed, {})
    subscription = api.call("GetSubscriptionsSubscriptionExposedId", {}, scope=account,
                            subscription_exposed_id=session["_subscription"])  # fmt: skip
    return _subscribed(api, subscription, account)


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
    confirmed = api.call("PostPaymentIntentsIntentConfirm",
                         {"payment_method": pm, "return_url": return_url_of(api, session)},
                         scope=account, intent=intent_id)  # fmt: skip
    return _outcome(confirmed, {"payment_intent": intent_id, "payment_status": "paid"})


def _set_up(api: Any, session: JSON, customer: str | None, pm: str, account: str) -> JSON:
    params: JSON = {"allowed_payment_method_types": ["card"], "usage": "off_session"}
    if customer:
        params["customer"] = customer
    data = session.get("_setup_intent_data") or {}
    for key in ("description", "metadata"):
        if key in data:
            params[key] = data[key]
    intent = api.call("PostSetupIntents", params, scope=account)
    _remember(api, session, account, _setup_intent=str(intent["id"]))
    confirmed = api.call("PostSetupIntentsIntentConfirm",
                         {"payment_method": pm, "return_url": return_url_of(api, session)},
                         scope=account, intent=intent["id"])  # fmt: skip
    return _outcome(
        confirmed, {"setup_intent": intent["id"], "payment_status": "no_payment_required"}
    )


def return_url_of(api: Any, session: JSON) -> str:
    """Where the 3-D Secure page sends the customer back: this session's page."""
    return f"{api.base_url}{RETURN_PATH.format(token=session['_token'])}"


def _outcome(intent: JSON, done: JSON) -> JSON:
    """``done``, or the challenge a 3-D Secure test card asks for first."""
    if intent.get("status") == "requires_action":
        return {"challenge": intent["next_action"]["redirect_to_url"]["url"]}
    return done


def _complete(api: Any, session: JSON, customer: str | None, email: str | None,
              outcome: JSON, account: str) -> JSON:  # fmt: skip
    with api.store.transaction():
        ctx = api._context(account, None, None)
        stored = ctx.fetch(checkout.OBJECT, session["id"], param="session")
        found = ctx.find(customer) if customer else None
        completed = checkout.complete(
            ctx,
            stored,
            customer=found,
            email=email,
            payment_status=str(outcome.pop("payment_status")),
            outcome=outcome,
        )
    if ctx.events:
        api.on_events()
    return completed


def after_authentication(api: Any, session: JSON, account: str) -> JSON:
    """Back from the 3-D Secure page: the session completed as :func:`pay` would have, or
    Stripe's ``payment_intent_authentication_failure`` (the session stays open)."""
    setup = session["mode"] == "setup"
    intent_id = session.get("_setup_intent" if setup else "_payment_intent")
    if not intent_id:
        raise StripeError("This checkout has no authentication to finish.", status=400)
    operation = "GetSetupIntentsIntent" if setup else "GetPaymentIntentsIntent"
    intent = api.call(operation, {}, scope=account, intent=intent_id)
    if intent["status"] not in ("succeeded", "requires_capture"):
        error = intent.get("last_payment_error") or intent.get("last_setup_error") or {}
        raise StripeError(
            str(error.get("message") or "The authentication was not completed."),
            status=402,
            code=str(error.get("code") or "payment_intent_authentication_failure"),
        )
    done: JSON
    if setup:
        done = {"setup_intent": intent_id, "payment_status": "no_payment_required"}
    elif session["mode"] == "payment":
        done = {"payment_intent": intent_id, "payment_status": "paid"}
    else:
        subscription = api.call("GetSubscriptionsSubscriptionExposedId", {}, scope=account,
                                subscription_exposed_id=session["_subscription"])  # fmt: skip
        done = _subscribed(api, subscription, account)
    customer = session.get("customer") or session.get("_customer")
    return _complete(api, session, customer, session.get("_email"), done, account)


def pay(api: Any, session: JSON, buyer: Buyer, account: str) -> JSON:
    """Run the session's purchase; the completed session, or ``{"challenge": url}`` when the
    card asks for 3-D Secure first (:func:`after_authentication` finishes it). Raises the
    API's StripeError (a decline is a 402 with its ``decline_code``); what earlier steps made
    stays, as at Stripe."""
    customer = _customer_for(api, session, buyer, account)
    pm = _card(api, buyer, account)
    if session["mode"] == "subscription":
        assert customer is not None
        outcome = _subscribe(api, session, customer, pm, account)
    elif session["mode"] == "payment":
        outcome = _pay(api, session, customer, pm, account)
    else:
        outcome = _set_up(api, session, customer, pm, account)
    if "challenge" in outcome:
        if buyer.email:
            _remember(api, session, account, _email=buyer.email)
        return outcome
    return _complete(api, session, customer, buyer.email, outcome, account)
