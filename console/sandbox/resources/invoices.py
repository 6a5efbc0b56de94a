"""Invoices: drafts, finalization, collection, the state machine, lines, and previews.

States: ``draft -> open -> paid | void | uncollectible``, and an uncollectible
invoice may still be paid or voided. Finalizing numbers the invoice from the
customer's prefix and sequence, gives it a hosted page and a PDF, and applies
the customer's balance. With ``auto_advance`` a draft finalizes an hour after
creation and collection follows; failed automatic charges are retried 3, 5
and 7 days after each failure, after which the invoice stays open (Stripe's
default setting "leave the invoice past due").
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import listeners
from console.sandbox.billing.invoice_math import (
    embed_lines,
    line_from_item,
    recompute,
    subscription_line,
)
from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError, card_declined, invalid, missing_param
from console.sandbox.facts.fields import address, metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, public, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import on_due, operation

AUTO_FINALIZE_DELAY = 3600
RETRY_DAYS = (3, 5, 7)
DAY = 86400
PAGE_LOOKUP = "invoice_page"

NO_PAYMENT_METHOD = (
    "This customer has no attached payment source or default payment method. Please consider "
    "adding a default payment method. For more information, visit "
    "https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority."
)


# -- the object -----------------------------------------------------------------------------


def _account_facts(ctx: Context) -> tuple[str | None, str | None]:
    account = ctx.store.get(ctx.account) or {}
    profile = account.get("business_profile") or {}
    dashboard = (account.get("settings") or {}).get("dashboard") or {}
    return profile.get("name") or dashboard.get("display_name"), account.get("country")


def _default_currency(ctx: Context, customer: JSON) -> str:
    if customer.get("currency"):
        return str(customer["currency"])
    account = ctx.store.get(ctx.account) or {}
    return str(account.get("default_currency") or "usd")


def _customer_fields(invoice: JSON, customer: JSON) -> None:
    """The customer's details as of now (Stripe freezes them at finalization)."""
    invoice["customer_address"] = address(customer.get("address"))
    invoice["customer_email"] = customer.get("email")
    invoice["customer_name"] = customer.get("name")
    invoice["customer_phone"] = customer.get("phone")
    invoice["customer_shipping"] = customer.get("shipping")
    invoice["customer_tax_exempt"] = customer.get("tax_exempt") or "none"


def new_invoice(
    ctx: Context,
    customer: JSON,
    *,
    currency: str,
    collection_method: str = "charge_automatically",
    invoice_id: str | None = None,
) -> JSON:
    now = ctx.now()
    account_name, account_country = _account_facts(ctx)
    invoice_id = invoice_id or ctx.new_id("in", 24)
    invoice: JSON = {
        "id": invoice_id,
        "object": "invoice",
        "account_country": account_country,
        "account_name": account_name,
        "account_tax_ids": None,
        "amount_due": 0,
        "amount_overpaid": 0,
        "amount_paid": 0,
        "amount_paid_off_stripe": None,
        "amount_remaining": 0,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": False,
        "automatic_tax": {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        },
        "automatically_finalizes_at": None,
        "billing_reason": "manual",
        "collection_method": collection_method,
        "confirmation_secret": None,
        "created": now,
        "currency": currency,
        "custom_fields": None,
        "customer": customer["id"],
        "customer_account": None,
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "due_date": None,
        "effective_at": None,
        "ending_balance": None,
        "footer": (customer.get("invoice_settings") or {}).get("footer"),
        "from_invoice": None,
        "hosted_invoice_url": None,
        "invoice_pdf": None,
        "issuer": {"account": None, "type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": None,
        "on_behalf_of": None,
        "parent": None,
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": now,
        "period_start": now,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": "draft",
        "status_details": None,
        "status_transitions": {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subtotal": 0,
        "subtotal_excluding_tax": 0,
        "test_clock": None,
        "total": 0,
        "total_discount_amounts": [],
        "total_excluding_tax": 0,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": now,
        "_lines": [],
    }
    _customer_fields(invoice, customer)
    embed_lines(invoice)
    return invoice


def _subscription_parent(subscription: JSON) -> JSON:
    return {
        "type": "subscription_details",
        "quote_details": None,
        "subscription_details": {
            "metadata": dict(subscription.get("metadata") or {}),
            "subscription": subscription["id"],
            "subscription_proration_date": None,
        },
    }


def subscription_of(invoice: JSON) -> str | None:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    found = details.get("subscription")
    return str(found) if found else None


def _lines(invoice: JSON) -> list[JSON]:
    lines: list[JSON] = invoice["_lines"]
    return lines


def _save(ctx: Context, invoice: JSON, *, due: int | bool | None = False) -> None:
    recompute(ctx, invoice)
    ctx.save(invoice, due=due)


def require_draft(invoice: JSON, *, param: str | None = None) -> None:
    if invoice["status"] != "draft":
        raise invalid(
            f"This invoice is {invoice['status']}, not a draft; it can no longer be edited.",
            param=param,
            code="invoice_not_editable",
        )


def _wrong_state(invoice: JSON, action: str, allowed: str) -> StripeError:
    return invalid(
        f"You can only {action} an invoice that is {allowed}; invoice {invoice['id']} is "
        f"{invoice['status']}.",
        code="invoice_not_editable",
    )


# -- discounts ----------------------------------------------------------------------------


def resolve_discounts(
    ctx: Context,
    entries: list[JSON],
    *,
    customer: str,
    param: str,
    invoice: str | None = None,
    invoice_item: str | None = None,
    transient: dict[str, JSON] | None = None,
) -> list[str]:
    """Discount ids for ``discounts[]`` entries (coupon, promotion code, or existing discount).

    With ``transient`` (a preview) nothing is redeemed or stored: the discounts go there.
    """
    store = transient is None
    from console.sandbox.resources import coupons, promotion_codes

    made: list[str] = []
    for position, entry in enumerate(entries):
        where = f"{param}[{position}]"
        given = [k for k in ("coupon", "discount", "promotion_code") if entry.get(k)]
        if len(given) != 1:
            raise invalid(
                "Each discount must name exactly one of coupon, discount or promotion_code.",
                param=f"{where}[{given[1] if given else 'coupon'}]",
            )
        kind = given[0]
        if kind == "discount":
            found = ctx.fetch("discount", entry["discount"], param=f"{where}[discount]")
            made.append(str(found["id"]))
            continue
        promotion: JSON | None = None
        if kind == "promotion_code":
            promotion = promotion_codes.resolve(
                ctx, entry["promotion_code"], customer=customer, param=f"{where}[promotion_code]"
            )
            coupon = coupons.fetch_coupon(
                ctx, promotion["promotion"]["coupon"], param=f"{where}[promotion_code]"
            )
            if store:
                promotion_codes.redeem(ctx, promotion)
        elif store:
            coupon = coupons.redeem(ctx, entry["coupon"], param=f"{where}[coupon]")
        else:
            coupon = coupons.fetch_coupon(ctx, entry["coupon"], param=f"{where}[coupon]")
            coupons.check_usable(ctx, coupon, param=f"{where}[coupon]")
        discount = coupons.new_discount(
            ctx,
            coupon,
            customer=customer,
            invoice=invoice,
            promotion_code=promotion["id"] if promotion else None,
        )
        discount["invoice_item"] = invoice_item
        if transient is None:
            ctx.insert(discount, parent=customer)
        else:
            transient[discount["id"]] = discount
        made.append(discount["id"])
    if len(set(made)) != len(made):
        raise invalid("The same discount cannot be applied twice.", param=param)
    return made


def _customer_discounts(ctx: Context, customer: JSON) -> list[str]:
    discount = customer.get("discount")
    if isinstance(discount, dict) and discount.get("id"):
        return [str(discount["id"])]
    if isinstance(discount, str):
        return [discount]
    return []


# -- lines from items and subscriptions ----------------------------------------------------


def _line_id(ctx: Context, *, temporary: bool = False) -> str:
    return ctx.new_id("il_tmp" if temporary else "il", 24)


def attach_item(ctx: Context, invoice: JSON, item: JSON) -> JSON:
    """Put a pending invoice item on a draft invoice as a line."""
    item["invoice"] = invoice["id"]
    item["_line"] = _line_id(ctx)
    ctx.save(item)
    _lines(invoice).append(line_from_item(item["_line"], invoice["id"], item))
    _save(ctx, invoice)
    return invoice


def sync_item(ctx: Context, invoice: JSON, item: JSON) -> None:
    """Rewrite the line of an invoice item that changed."""
    lines = _lines(invoice)
    for position, line in enumerate(lines):
        if line["id"] == item.get("_line"):
            fresh = line_from_item(line["id"], invoice["id"], item)
            lines[position] = fresh
    _save(ctx, invoice)


def detach_item(ctx: Context, invoice: JSON, item: JSON) -> None:
    invoice["_lines"] = [line for line in _lines(invoice) if line["id"] != item.get("_line")]
    item["invoice"] = None
    item.pop("_line", None)
    _save(ctx, invoice)


def _pull_pending(ctx: Context, invoice: JSON, *, subscription: str | None) -> None:
    from console.sandbox.resources import invoiceitems

    for item in invoiceitems.pending_for(ctx, invoice["customer"], subscription=subscription):
        if item["currency"] != invoice["currency"]:
            continue
        before = snapshot(item)
        item["invoice"] = invoice["id"]
        item["_line"] = _line_id(ctx)
        ctx.save(item)
        _lines(invoice).append(line_from_item(item["_line"], invoice["id"], item))
        ctx.emit("invoiceitem.updated", item, changed(before, item))


def build_draft(
    ctx: Context,
    customer: JSON,
    *,
    subscription: JSON | None,
    billing_reason: str,
    collection_method: str,
    days_until_due: int | None,
    period_start: int,
    period_end: int,
    include_pending_items: bool,
    currency: str,
    default_payment_method: str | None = None,
    discounts: list[JSON] | None = None,
    description: str | None = None,
) -> JSON:
    """A draft invoice for a subscription (or any caller), inserted, with invoice.created."""
    invoice = new_invoice(ctx, customer, currency=currency, collection_method=collection_method)
    invoice["billing_reason"] = billing_reason
    invoice["period_start"] = period_start
    invoice["period_end"] = period_end
    invoice["default_payment_method"] = default_payment_method
    invoice["description"] = description
    invoice["_days_until_due"] = days_until_due
    if collection_method == "send_invoice" and days_until_due is not None:
        invoice["due_date"] = invoice["created"] + days_until_due * DAY
    due: int | None = None
    if subscription is not None:
        invoice["parent"] = _subscription_parent(subscription)
        invoice["auto_advance"] = True
        due = invoice["created"] + AUTO_FINALIZE_DELAY
        invoice["automatically_finalizes_at"] = due
    for entry in discounts or []:
        discount_id = entry.get("id") if isinstance(entry, dict) else entry
        if discount_id:
            invoice["discounts"].append(str(discount_id))
    ctx.insert(invoice, parent=customer["id"], due=due)
    if include_pending_items:
        _pull_pending(ctx, invoice, subscription=subscription["id"] if subscription else None)
    _save(ctx, invoice)
    event = ctx.emit("invoice.created", invoice)
    invoice["_created_event"] = event["id"]
    ctx.save(invoice)
    return invoice


def _refresh_created_event(ctx: Context, invoice: JSON) -> None:
    """Lines added in the same request belong in invoice.created, as on Stripe."""
    event_id = invoice.get("_created_event")
    if not event_id:
        return
    for event in ctx.events:
        if event["id"] == event_id:
            event["data"]["object"] = public(snapshot(invoice))
            ctx.store.save(event)
            return


def add_subscription_line(
    ctx: Context,
    invoice: JSON,
    *,
    subscription: JSON,
    item: JSON,
    price: JSON,
    quantity: int,
    period_start: int,
    period_end: int,
    amount: int,
    description: str,
    proration: bool = False,
) -> JSON:
    """A subscription item's charge for a period, as a line of a draft invoice."""
    line = subscription_line(
        _line_id(ctx),
        invoice["id"],
        subscription=subscription["id"],
        item=item["id"],
        price=price,
        quantity=quantity,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        description=description,
        proration=proration,
        currency=invoice["currency"],
    )
    _lines(invoice).append(line)
    _save(ctx, invoice)
    _refresh_created_event(ctx, invoice)
    return line


# -- state changes -------------------------------------------------------------------------


def _page_urls(ctx: Context, invoice: JSON) -> None:
    token = invoice.get("_token")
    if not token:
        token = ids.new_token()
        invoice["_token"] = token
        ctx.store.set_lookup(ctx.platform, PAGE_LOOKUP, token, invoice["id"])
    invoice["hosted_invoice_url"] = f"{ctx.base_url}/i/{token}"
    invoice["invoice_pdf"] = f"{ctx.base_url}/i/{token}/pdf"


def finalize(ctx: Context, invoice: JSON) -> JSON:
    """Draft -> open: numbered, with page URLs and the balance applied; nothing due -> paid."""
    require_draft(invoice)
    customer = ctx.fetch("customer", invoice["customer"], param="customer")
    before = snapshot(invoice)
    now = ctx.now()
    _customer_fields(invoice, customer)
    recompute(ctx, invoice)
    invoice["status"] = "open"
    invoice["status_transitions"]["finalized_at"] = now
    invoice["effective_at"] = invoice.get("effective_at") or now
    invoice["automatically_finalizes_at"] = None
    customer_before = snapshot(customer)
    if not invoice.get("number"):
        sequence = int(customer.get("next_invoice_sequence") or 1)
        invoice["number"] = f"{customer['invoice_prefix']}-{sequence:04d}"
        customer["next_invoice_sequence"] = sequence + 1
    _page_urls(ctx, invoice)
    if invoice["collection_method"] == "send_invoice" and invoice.get("due_date") is None:
        invoice["due_date"] = now + int(invoice.get("_days_until_due") or 0) * DAY
    balance = int(customer.get("balance") or 0)
    # apply_balance (via recompute) returns the balance the customer is left with
    recompute(ctx, invoice, balance=balance)
    left = int(invoice["ending_balance"])
    invoice["_balance_applied"] = left - balance
    customer["balance"] = left
    ctx.save(customer)
    if customer["balance"] != customer_before.get("balance"):
        ctx.emit("customer.updated", customer, {"balance": customer_before.get("balance")})
    # Collection is the caller's next step (attempt_collection), never implied here: a
    # subscription created with default_incomplete must not be charged behind its back.
    ctx.save(invoice, due=None)
    ctx.emit("invoice.finalized", invoice, changed(before, invoice))
    if invoice["amount_due"] <= 0:
        _mark_paid(ctx, invoice)
    return invoice


def _payments(ctx: Context, invoice: JSON) -> list[JSON]:
    return list(ctx.store.scan(account=ctx.account, type_="invoice_payment", parent=invoice["id"]))


def _new_payment(ctx: Context, invoice: JSON, payment_intent: JSON, amount: int) -> JSON:
    existing = list(
        ctx.store.scan(account=ctx.account, type_="invoice_payment", parent=invoice["id"])
    )
    payment: JSON = {
        "id": ctx.new_id("inpay", 24),
        "object": "invoice_payment",
        "amount_paid": None,
        "amount_requested": amount,
        "created": ctx.now(),
        "currency": invoice["currency"],
        "invoice": invoice["id"],
        "is_default": not existing,
        "livemode": False,
        "payment": {"payment_intent": payment_intent["id"], "type": "payment_intent"},
        "status": "open",
        "status_transitions": {"canceled_at": None, "paid_at": None},
    }
    for older in existing:
        if older["status"] == "open":
            older["status"] = "canceled"
            older["status_transitions"]["canceled_at"] = ctx.now()
            ctx.save(older)
    ctx.insert(payment, parent=invoice["id"])
    return payment


def _mark_paid(
    ctx: Context, invoice: JSON, *, out_of_band: bool = False, payment: JSON | None = None
) -> JSON:
    before = snapshot(invoice)
    now = ctx.now()
    paid = invoice["amount_remaining"]
    invoice["status"] = "paid"
    invoice["amount_paid"] += paid
    invoice["amount_remaining"] = 0
    if out_of_band:
        invoice["amount_paid_off_stripe"] = (invoice.get("amount_paid_off_stripe") or 0) + paid
    else:
        invoice["attempted"] = True
    invoice["next_payment_attempt"] = None
    invoice["status_transitions"]["paid_at"] = now
    invoice["auto_advance"] = False
    ctx.save(invoice, due=None)
    if payment is not None:
        payment["status"] = "paid"
        payment["amount_paid"] = payment["amount_requested"]
        payment["status_transitions"]["paid_at"] = now
        ctx.save(payment)
        ctx.emit("invoice_payment.paid", payment)
    previous = changed(before, invoice)
    ctx.emit("invoice.paid", invoice, previous)
    if not out_of_band:
        ctx.emit("invoice.payment_succeeded", invoice, previous)
    listeners.notify("invoice.paid", ctx, invoice)
    return invoice


def default_payment_method(ctx: Context, invoice: JSON) -> str | None:
    """Stripe's order: the invoice's, the subscription's, the customer's invoice default, then
    the customer's default source (a card added with ``source``)."""
    if invoice.get("default_payment_method"):
        return str(invoice["default_payment_method"])
    subscription_id = subscription_of(invoice)
    if subscription_id:
        subscription = ctx.find(subscription_id) or {}
        if subscription.get("default_payment_method"):
            return str(subscription["default_payment_method"])
    customer = ctx.find(invoice["customer"]) or {}
    found = (customer.get("invoice_settings") or {}).get("default_payment_method")
    found = found or customer.get("default_source")
    return str(found) if found else None


def _schedule_retry(invoice: JSON, now: int) -> int | None:
    attempts = int(invoice["attempt_count"])
    if not invoice.get("auto_advance") or invoice["collection_method"] != "charge_automatically":
        return None
    if attempts > len(RETRY_DAYS):
        return None
    return now + RETRY_DAYS[attempts - 1] * DAY


def _record_failure(ctx: Context, invoice: JSON, before: JSON) -> None:
    now = ctx.now()
    invoice["attempt_count"] += 1
    invoice["attempted"] = True
    retry = _schedule_retry(invoice, now)
    invoice["next_payment_attempt"] = retry
    ctx.save(invoice, due=retry)
    ctx.emit("invoice.payment_failed", invoice, changed(before, invoice))
    listeners.notify("invoice.payment_failed", ctx, invoice)
    retries_used_up = (
        retry is None
        and invoice.get("auto_advance")
        and invoice["collection_method"] == "charge_automatically"
        and invoice["attempt_count"] > len(RETRY_DAYS)
    )
    if retries_used_up:
        listeners.notify("invoice.retries_exhausted", ctx, invoice)


def _description(invoice: JSON) -> str:
    reason = invoice.get("billing_reason")
    if reason == "subscription_create":
        return "Subscription creation"
    if reason == "subscription_update":
        return "Subscription update"
    if reason == "subscription_cycle":
        return "Subscription cycle"
    return f"Invoice {invoice.get('number') or invoice['id']}"


def charge(ctx: Context, invoice: JSON, payment_method: str) -> JSON | None:
    """One payment attempt with ``payment_method``; the failure (code, decline_code, message)."""
    from console.sandbox.resources import payment_intents

    before = snapshot(invoice)
    intent = payment_intents.create_for_invoice(
        ctx,
        customer=invoice["customer"],
        amount=invoice["amount_remaining"],
        currency=invoice["currency"],
        payment_method=payment_method,
        description=_description(invoice),
        metadata=None,
        off_session=True,
    )
    payment = _new_payment(ctx, invoice, intent, invoice["amount_remaining"])
    if intent.get("status") == "succeeded":
        invoice["attempt_count"] += 1
        _mark_paid(ctx, invoice, payment=payment)
        return None
    error = intent.get("last_payment_error") or {}
    if error.get("code") == "authentication_required":
        # The card needs 3-D Secure, which an off-session charge cannot do: Stripe tells the
        # merchant to bring the customer back (invoice.payment_action_required) as well as
        # reporting the failed attempt (invoice.payment_failed, below).
        ctx.emit("invoice.payment_action_required", invoice)
    _record_failure(ctx, invoice, before)
    return {
        "code": error.get("code") or "card_declined",
        "decline_code": error.get("decline_code"),
        "message": error.get("message") or "Your card was declined.",
        "payment_intent": intent["id"],
    }


def attempt_collection(ctx: Context, invoice: JSON) -> JSON:
    """Collect an open invoice as its collection method says; a decline is recorded, not raised."""
    if invoice["status"] != "open":
        return invoice
    if invoice["collection_method"] == "send_invoice":
        return _send(ctx, invoice)
    if invoice["amount_remaining"] <= 0:
        return _mark_paid(ctx, invoice)
    payment_method = default_payment_method(ctx, invoice)
    if payment_method is None:
        _record_failure(ctx, invoice, snapshot(invoice))
        return invoice
    charge(ctx, invoice, payment_method)
    return invoice


def _send(ctx: Context, invoice: JSON) -> JSON:
    ctx.emit("invoice.sent", invoice)
    return invoice


def void(ctx: Context, invoice: JSON) -> JSON:
    if invoice["status"] not in ("open", "uncollectible"):
        raise _wrong_state(invoice, "void", "open or uncollectible")
    before = snapshot(invoice)
    invoice["status"] = "void"
    invoice["status_transitions"]["voided_at"] = ctx.now()
    invoice["next_payment_attempt"] = None
    invoice["auto_advance"] = False
    applied = int(invoice.pop("_balance_applied", 0) or 0)
    if applied:
        # Voiding gives back the customer balance the invoice had used (or credited).
        customer = ctx.fetch("customer", invoice["customer"], param="customer")
        old = customer["balance"]
        customer["balance"] = old - applied
        ctx.save(customer)
        ctx.emit("customer.updated", customer, {"balance": old})
    for payment in ctx.store.scan(
        account=ctx.account, type_="invoice_payment", parent=invoice["id"]
    ):
        if payment["status"] == "open":
            payment["status"] = "canceled"
            payment["status_transitions"]["canceled_at"] = ctx.now()
            ctx.save(payment)
    ctx.save(invoice, due=None)
    ctx.emit("invoice.voided", invoice, changed(before, invoice))
    return invoice


def mark_uncollectible(ctx: Context, invoice: JSON) -> JSON:
    if invoice["status"] != "open":
        raise _wrong_state(invoice, "mark uncollectible", "open")
    before = snapshot(invoice)
    invoice["status"] = "uncollectible"
    invoice["status_transitions"]["marked_uncollectible_at"] = ctx.now()
    invoice["next_payment_attempt"] = None
    invoice["status_details"] = {"uncollectible": {"reason": "user_forgiven"}}
    ctx.save(invoice, due=None)
    ctx.emit("invoice.marked_uncollectible", invoice, changed(before, invoice))
    return invoice


def pay(
    ctx: Context,
    invoice: JSON,
    *,
    payment_method: str | None = None,
    paid_out_of_band: bool = False,
    param: str = "payment_method",
) -> tuple[JSON, JSON | None]:
    """Pay an open (or uncollectible) invoice; returns it and the decline, if any."""
    if invoice["status"] == "draft":
        finalize(ctx, invoice)
    if invoice["status"] == "paid":
        raise invalid("Invoice is already paid", code="invoice_not_editable")
    if invoice["status"] not in ("open", "uncollectible"):
        raise _wrong_state(invoice, "pay", "open or uncollectible")
    if paid_out_of_band or invoice["amount_remaining"] <= 0:
        _mark_paid(ctx, invoice, out_of_band=paid_out_of_band)
        return invoice, None
    if payment_method:
        pm = ctx.fetch("payment_method", payment_method, param=param, kind="PaymentMethod")
        owner = pm.get("customer")
        if owner is not None and owner != invoice["customer"]:
            raise invalid(
                f"The payment method {payment_method} belongs to another customer.", param=param
            )
    else:
        payment_method = default_payment_method(ctx, invoice)
        if payment_method is None:
            raise invalid(NO_PAYMENT_METHOD, param=param)
    failure = charge(ctx, invoice, payment_method)
    return invoice, failure


# -- clock ------------------------------------------------------------------------------------


def _kept_as_draft(ctx: Context, invoice: JSON) -> bool:
    """A paused subscription (``keep_as_draft``) leaves its invoices as drafts."""
    subscription = ctx.find(subscription_of(invoice) or "")
    pause = (subscription or {}).get("pause_collection") or {}
    return pause.get("behavior") == "keep_as_draft"


@on_due("invoice")
def advance(ctx: Context, invoice: JSON) -> None:
    """Auto-advance: finalize a draft, then collect; retry failed charges on schedule."""
    # Work on a copy: the sweep compares what is stored afterwards with the object it passed
    # in to notice a handler that did nothing, and in-place changes would look like nothing.
    invoice = snapshot(invoice)
    if not invoice.get("auto_advance"):
        ctx.save(invoice, due=None)
        return
    if invoice["status"] == "draft":
        if _kept_as_draft(ctx, invoice):
            ctx.save(invoice, due=None)
            return
        finalize(ctx, invoice)
        attempt_collection(ctx, invoice)
        return
    if invoice["status"] == "open" and invoice["collection_method"] == "charge_automatically":
        attempt = invoice.get("next_payment_attempt")
        if attempt is not None and attempt <= ctx.now():
            attempt_collection(ctx, invoice)
            return
    ctx.save(invoice, due=None)


# -- handlers ---------------------------------------------------------------------------------


def _fetch(ctx: Context, invoice_id: str) -> JSON:
    return ctx.fetch("invoice", invoice_id, param="invoice")


def _check_collection(invoice: JSON, params: JSON) -> None:
    method = invoice["collection_method"]
    if method == "send_invoice":
        if invoice.get("due_date") is None and invoice.get("_days_until_due") is None:
            raise invalid(
                "Invoices with collection_method=send_invoice must have a due_date or "
                "days_until_due.",
                param="days_until_due",
            )
    else:
        for name in ("days_until_due", "due_date"):
            if params.get(name) not in (None, ""):
                raise invalid(
                    f"{name} can only be set when collection_method is send_invoice.",
                    param=name,
                )
        invoice["_days_until_due"] = None
        invoice["due_date"] = None


def _apply(ctx: Context, invoice: JSON, params: JSON) -> None:
    for name in ("description", "footer", "statement_descriptor"):
        if name in params:
            invoice[name] = unset(params[name]) or None
    if "metadata" in params:
        invoice["metadata"] = metadata(invoice.get("metadata"), params["metadata"])
    if "auto_advance" in params:
        invoice["auto_advance"] = bool(params["auto_advance"])
    if "custom_fields" in params:
        invoice["custom_fields"] = unset(params["custom_fields"]) or None
    if "collection_method" in params:
        invoice["collection_method"] = params["collection_method"]
    if "days_until_due" in params:
        days = params["days_until_due"]
        if days < 0 or days > 365 * 5:
            raise invalid("days_until_due must be between 0 and 1825.", param="days_until_due")
        invoice["_days_until_due"] = days
        invoice["due_date"] = None
    if "due_date" in params:
        if params["due_date"] < ctx.now():
            raise invalid("The due_date must be in the future.", param="due_date")
        invoice["due_date"] = params["due_date"]
    if "default_payment_method" in params:
        pm_id = unset(params["default_payment_method"])
        if pm_id:
            ctx.fetch("payment_method", pm_id, param="default_payment_method", kind="PaymentMethod")
        invoice["default_payment_method"] = pm_id
    if "automatically_finalizes_at" in params:
        invoice["automatically_finalizes_at"] = params["automatically_finalizes_at"]
    if "effective_at" in params:
        invoice["effective_at"] = unset(params["effective_at"])
    if "number" in params:
        invoice["number"] = unset(params["number"]) or None
    if params.get("rendering"):
        value = params["rendering"]
        invoice["rendering"] = {
            "amount_tax_display": unset(value.get("amount_tax_display")),
            "pdf": {"page_size": (value.get("pdf") or {}).get("page_size")},
            "template": value.get("template"),
            "template_version": unset(value.get("template_version")),
        }
    if "shipping_details" in params:
        value = unset(params["shipping_details"])
        invoice["shipping_details"] = (
            None
            if value is None
            else {
                "address": address(value.get("address")),
                "carrier": None,
                "name": value.get("name"),
                "phone": unset(value.get("phone")),
                "tracking_number": None,
            }
        )
    if "discounts" in params:
        value = params["discounts"]
        invoice["discounts"] = (
            []
            if value == ""
            else resolve_discounts(
                ctx, value, customer=invoice["customer"], param="discounts", invoice=invoice["id"]
            )
        )
    if params.get("default_tax_rates"):
        raise invalid(
            "The sandbox has no tax engine; default_tax_rates is not supported.",
            param="default_tax_rates",
        )
    if (params.get("automatic_tax") or {}).get("enabled"):
        raise invalid(
            "The sandbox has no tax engine; automatic_tax cannot be enabled.",
            param="automatic_tax[enabled]",
        )


def _due_for(invoice: JSON) -> int | None:
    if invoice["status"] == "draft" and invoice.get("auto_advance"):
        moment = invoice.get("automatically_finalizes_at")
        if moment is None:
            moment = invoice["created"] + AUTO_FINALIZE_DELAY
            invoice["automatically_finalizes_at"] = moment
        return int(moment)
    if invoice["status"] == "draft":
        invoice["automatically_finalizes_at"] = None
    return None


def billed_customer(ctx: Context, params: JSON) -> JSON:
    """The ``customer`` an invoice or invoice item is for (Accounts v2 customers aside)."""
    if not params.get("customer"):
        if params.get("customer_account"):
            raise invalid(
                "The sandbox bills customers; pass customer instead of customer_account.",
                param="customer_account",
            )
        raise missing_param("customer")
    customer = ctx.fetch("customer", params["customer"], param="customer")
    return customer


@operation("PostInvoices")
def create(ctx: Context, params: JSON) -> JSON:
    customer = billed_customer(ctx, params)
    subscription: JSON | None = None
    if params.get("subscription"):
        subscription = ctx.fetch("subscription", params["subscription"], param="subscription")
        if subscription.get("customer") != customer["id"]:
            raise invalid(
                f"The subscription {subscription['id']} belongs to another customer.",
                param="subscription",
            )
    currency = str(params.get("currency") or _default_currency(ctx, customer)).lower()
    invoice = new_invoice(ctx, customer, currency=currency)
    if subscription is not None:
        invoice["parent"] = _subscription_parent(subscription)
        invoice["billing_reason"] = "manual"
    if "discounts" not in params:
        invoice["discounts"] = _customer_discounts(ctx, customer)
    ctx.insert(invoice, parent=customer["id"])
    _apply(ctx, invoice, params)
    _check_collection(invoice, params)
    if invoice["collection_method"] == "send_invoice" and invoice.get("due_date") is None:
        days = invoice.get("_days_until_due")
        if days is not None:
            invoice["due_date"] = invoice["created"] + int(days) * DAY
    if params.get("pending_invoice_items_behavior") == "include":
        _pull_pending(ctx, invoice, subscription=subscription["id"] if subscription else None)
    _save(ctx, invoice, due=_due_for(invoice))
    ctx.emit("invoice.created", invoice)
    return invoice


@operation("GetInvoicesInvoice")
def retrieve(ctx: Context, params: JSON, invoice: str) -> JSON:
    return _fetch(ctx, invoice)


# What may still change once an invoice is final (Stripe freezes amounts and collection).
FINAL_EDITABLE = {
    "open": {"metadata", "auto_advance", "description", "footer", "custom_fields",
             "default_payment_method", "statement_descriptor", "rendering", "expand"},
    "uncollectible": {"metadata", "description", "footer", "custom_fields", "rendering", "expand"},
    "paid": {"metadata", "expand"},
    "void": {"metadata", "expand"},
}  # fmt: skip


@operation("PostInvoicesInvoice")
def update(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = _fetch(ctx, invoice)
    status = found["status"]
    if status != "draft":
        allowed = FINAL_EDITABLE.get(status, {"expand"})
        refused = next((k for k in params if k not in allowed), None)
        if refused is not None:
            raise invalid(
                f"You can't update {refused} on an invoice that is {status}; only drafts can "
                "change that.",
                param=refused,
                code="invoice_not_editable",
            )
    before = snapshot(found)
    _apply(ctx, found, params)
    if status == "draft":
        _check_collection(found, params)
        if found["collection_method"] == "send_invoice" and found.get("due_date") is None:
            found["due_date"] = found["created"] + int(found.get("_days_until_due") or 0) * DAY
        _save(ctx, found, due=_due_for(found))
    else:
        ctx.save(found)
    previous = changed(before, found)
    if previous:
        ctx.emit("invoice.updated", found, previous)
    return found


@operation("DeleteInvoicesInvoice")
def delete(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = _fetch(ctx, invoice)
    if found["status"] != "draft":
        raise invalid(
            "You can only delete draft invoices. Void an invoice that has been finalized.",
            code="invoice_not_editable",
        )
    if subscription_of(found) and found["billing_reason"] != "manual":
        raise invalid(
            "A subscription's draft invoice cannot be deleted; void it after finalizing.",
            code="invoice_not_editable",
        )
    for item in list(
        ctx.store.scan(account=ctx.account, type_="invoiceitem", parent=found["customer"])
    ):
        if item.get("invoice") == found["id"]:
            item["invoice"] = None
            ctx.store.remove(item["id"])
            ctx.emit("invoiceitem.deleted", item)
    ctx.store.remove(found["id"])
    ctx.emit("invoice.deleted", found)
    return {"id": found["id"], "object": "invoice", "deleted": True}


@operation("GetInvoices")
def list_invoices(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if params.get("status"):
        where.append(("$.status", params["status"]))
    if params.get("collection_method"):
        where.append(("$.collection_method", params["collection_method"]))
    if params.get("subscription"):
        where.append(("$.parent.subscription_details.subscription", params["subscription"]))
    predicate = None
    due = params.get("due_date")
    if due not in (None, ""):
        bounds = {"eq": due} if isinstance(due, int) else dict(due)

        def predicate(invoice: JSON) -> bool:
            value = invoice.get("due_date")
            if value is None:
                return False
            checks = {
                "eq": value == bounds.get("eq"),
                "gt": value > bounds.get("gt", 0),
                "gte": value >= bounds.get("gte", 0),
                "lt": value < bounds.get("lt", 0),
                "lte": value <= bounds.get("lte", 0),
            }
            return all(checks[k] for k in bounds)

    return list_objects(
        ctx,
        params,
        object_type="invoice",
        url="/v1/invoices",
        parent=params.get("customer") or None,
        where=where,
        predicate=predicate,
    )


@operation("PostInvoicesInvoiceFinalize")
def finalize_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = _fetch(ctx, invoice)
    if found["status"] != "draft":
        raise _wrong_state(found, "finalize", "a draft")
    if "auto_advance" in params:
        found["auto_advance"] = bool(params["auto_advance"])
    finalize(ctx, found)
    automatic = found["collection_method"] == "charge_automatically"
    if found["status"] == "open" and automatic and found.get("auto_advance"):
        # Stripe attempts payment about an hour after an auto-advancing invoice is finalized.
        found["next_payment_attempt"] = ctx.now() + AUTO_FINALIZE_DELAY
        ctx.save(found, due=found["next_payment_attempt"])
    elif found["status"] == "open" and found.get("auto_advance"):
        _send(ctx, found)
    return found


@operation("PostInvoicesInvoicePay")
def pay_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = _fetch(ctx, invoice)
    if params.get("source"):
        raise invalid(
            "The sandbox supports PaymentMethods, not legacy sources; pass payment_method.",
            param="source",
        )
    _, failure = pay(
        ctx,
        found,
        payment_method=params.get("payment_method"),
        paid_out_of_band=bool(params.get("paid_out_of_band")),
    )
    if failure is not None:
        # Stripe keeps the declined attempt (attempt_count, the PaymentIntent, the events)
        # and still answers 402.
        raise card_declined(
            failure["message"],
            code=failure["code"],
            decline_code=failure["decline_code"] or failure["code"],
            payment_intent={"id": failure["payment_intent"], "object": "payment_intent"},
            keep_changes=True,
        )
    return found


@operation("PostInvoicesInvoiceVoid")
def void_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    return void(ctx, _fetch(ctx, invoice))


@operation("PostInvoicesInvoiceMarkUncollectible")
def mark_uncollectible_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    return mark_uncollectible(ctx, _fetch(ctx, invoice))


@operation("PostInvoicesInvoiceSend")
def send_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = _fetch(ctx, invoice)
    if found["collection_method"] != "send_invoice":
        raise invalid(
            "You can only manually send an invoice if its collection method is 'send_invoice'.",
            code="invoice_not_editable",
        )
    if found["status"] == "draft":
        finalize(ctx, found)
    if found["status"] == "void":
        raise _wrong_state(found, "send", "open, paid or uncollectible")
    return _send(ctx, found)


# -- shared by lines and previews --------------------------------------------------------


def _item_id_of(line: JSON) -> str | None:
    parent = line.get("parent") or {}
    details = parent.get(str(parent.get("type"))) or {}
    item_id = details.get("invoice_item")
    return str(item_id) if item_id else None


def _prefixed(error: StripeError, prefix: str) -> StripeError:
    """A subscription error's param as the preview's (``items[0]`` -> ``prefix[items][0]``)."""
    if error.param and not error.param.startswith(prefix):
        head, bracket, rest = error.param.partition("[")
        error.param = f"{prefix}[{head}]" + (bracket + rest if bracket else "")
    return error
