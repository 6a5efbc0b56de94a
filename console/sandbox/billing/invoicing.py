"""Invoices: drafts, finalization, collection, retries, and the states an invoice goes through.

States: ``draft -> open -> paid | void | uncollectible``. ``build_draft`` makes a subscription's
(or any caller's) draft with its lines and pending items; ``finalize`` numbers it and opens it;
``attempt_collection``/``pay`` charge it through ``payments``. A failed automatic attempt
schedules Stripe's retries (``RETRY_DAYS``). Outcomes go to ``listeners`` (``invoice.paid``,
``invoice.payment_failed``, ``invoice.retries_exhausted``): invoicing never imports the
subscription rules that react to them.
"""

from __future__ import annotations

from console.sandbox.billing import customer_balance, drafts, invoice_items, listeners, payments
from console.sandbox.billing.invoice_math import (
    embed_lines,
    line_from_item,
    recompute,
    subscription_line,
)
from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.fields import address
from console.sandbox.facts.spec import JSON
from console.sandbox.state import hidden_fields
from console.sandbox.state.context import Context, changed, snapshot

NO_PAYMENT_METHOD = (
    "This customer has no attached payment source or default payment method. Please consider "
    "adding a default payment method. For more information, visit "
    "https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority."
)


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
        raise wrong_state(invoice, "pay", "open or uncollectible")
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
        payment_method = payment_method_to_charge(ctx, invoice)
        if payment_method is None:
            raise invalid(NO_PAYMENT_METHOD, param=param)
    failure = charge(ctx, invoice, payment_method)
    return invoice, failure


AUTO_FINALIZE_DELAY = 3600


RETRY_DAYS = (3, 5, 7)


DAY = 86400


PAGE_LOOKUP = "invoice_page"


def _account_facts(ctx: Context) -> tuple[str | None, str | None]:
    account = ctx.store.get(ctx.account) or {}
    profile = account.get("business_profile") or {}
    dashboard = (account.get("settings") or {}).get("dashboard") or {}
    return profile.get("name") or dashboard.get("display_name"), account.get("country")


def default_currency(ctx: Context, customer: JSON) -> str:
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


def subscription_parent(subscription: JSON) -> JSON:
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


def wrong_state(invoice: JSON, action: str, allowed: str) -> StripeError:
    return invalid(
        f"You can only {action} an invoice that is {allowed}; invoice {invoice['id']} is "
        f"{invoice['status']}.",
        code="invoice_not_editable",
    )


def pull_pending_items(ctx: Context, invoice: JSON, *, subscription: str | None) -> None:

    for item in invoice_items.pending_for(ctx, invoice["customer"], subscription=subscription):
        if item["currency"] != invoice["currency"]:
            continue
        before = snapshot(item)
        item["invoice"] = invoice["id"]
        item["_line"] = drafts.new_line_id(ctx)
        ctx.save(item)
        drafts.lines_of(invoice).append(line_from_item(item["_line"], invoice["id"], item))
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
        invoice["parent"] = subscription_parent(subscription)
        invoice["auto_advance"] = True
        due = invoice["created"] + AUTO_FINALIZE_DELAY
        invoice["automatically_finalizes_at"] = due
    for entry in discounts or []:
        discount_id = entry.get("id") if isinstance(entry, dict) else entry
        if discount_id:
            invoice["discounts"].append(str(discount_id))
    ctx.insert(invoice, parent=customer["id"], due=due)
    if include_pending_items:
        pull_pending_items(ctx, invoice, subscription=subscription["id"] if subscription else None)
    drafts.save_invoice(ctx, invoice)
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
            event["data"]["object"] = hidden_fields.public(snapshot(invoice))
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
        drafts.new_line_id(ctx),
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
    drafts.lines_of(invoice).append(line)
    drafts.save_invoice(ctx, invoice)
    _refresh_created_event(ctx, invoice)
    return line


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
    drafts.require_draft(invoice)
    customer = ctx.fetch("customer", invoice["customer"], param="customer")
    before = snapshot(invoice)
    now = ctx.now()
    _customer_fields(invoice, customer)
    recompute(ctx, invoice)
    invoice["status"] = "open"
    invoice["status_transitions"]["finalized_at"] = now
    invoice["effective_at"] = invoice.get("effective_at") or now
    invoice["automatically_finalizes_at"] = None
    if not invoice.get("number"):
        sequence = int(customer.get("next_invoice_sequence") or 1)
        invoice["number"] = f"{customer['invoice_prefix']}-{sequence:04d}"
        customer["next_invoice_sequence"] = sequence + 1
    _page_urls(ctx, invoice)
    if invoice["collection_method"] == "send_invoice" and invoice.get("due_date") is None:
        invoice["due_date"] = now + int(invoice.get("_days_until_due") or 0) * DAY
    customer_balance.apply_at_finalization(ctx, invoice, customer)
    ctx.save(customer)
    # Collection is the caller's next step (attempt_collection), never implied here: a
    # subscription created with default_incomplete must not be charged behind its back.
    ctx.save(invoice, due=None)
    ctx.emit("invoice.finalized", invoice, changed(before, invoice))
    if invoice["amount_due"] <= 0:
        _mark_paid(ctx, invoice)
    return invoice


def invoice_payments(ctx: Context, invoice: JSON) -> list[JSON]:
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


def payment_method_to_charge(ctx: Context, invoice: JSON) -> str | None:
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


def _record_failure(ctx: Context, invoice: JSON, before: JSON, *, retry_later: bool = True) -> None:
    """A failed attempt: counted, announced, and retried on Stripe's schedule. With nothing to
    charge, Stripe does not retry ("Stripe doesn't retry payments if no payment methods are
    available"): the invoice stays open until someone pays it."""
    now = ctx.now()
    invoice["attempt_count"] += 1
    invoice["attempted"] = True
    retry = _schedule_retry(invoice, now) if retry_later else None
    invoice["next_payment_attempt"] = retry
    ctx.save(invoice, due=retry)
    ctx.emit("invoice.payment_failed", invoice, changed(before, invoice))
    listeners.notify("invoice.payment_failed", ctx, invoice)
    retries_used_up = (
        retry is None
        and retry_later
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

    before = snapshot(invoice)
    intent = payments.create_for_invoice(
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
        return mark_sent(ctx, invoice)
    if invoice["amount_remaining"] <= 0:
        return _mark_paid(ctx, invoice)
    payment_method = payment_method_to_charge(ctx, invoice)
    if payment_method is None:
        _record_failure(ctx, invoice, snapshot(invoice), retry_later=False)
        return invoice
    charge(ctx, invoice, payment_method)
    return invoice


def mark_sent(ctx: Context, invoice: JSON) -> JSON:
    ctx.emit("invoice.sent", invoice)
    return invoice


def void(ctx: Context, invoice: JSON) -> JSON:
    if invoice["status"] not in ("open", "uncollectible"):
        raise wrong_state(invoice, "void", "open or uncollectible")
    before = snapshot(invoice)
    invoice["status"] = "void"
    invoice["status_transitions"]["voided_at"] = ctx.now()
    invoice["next_payment_attempt"] = None
    invoice["auto_advance"] = False
    customer_balance.give_back(ctx, invoice)
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
        raise wrong_state(invoice, "mark uncollectible", "open")
    before = snapshot(invoice)
    invoice["status"] = "uncollectible"
    invoice["status_transitions"]["marked_uncollectible_at"] = ctx.now()
    invoice["next_payment_attempt"] = None
    invoice["status_details"] = {"uncollectible": {"reason": "user_forgiven"}}
    ctx.save(invoice, due=None)
    ctx.emit("invoice.marked_uncollectible", invoice, changed(before, invoice))
    return invoice


def kept_as_draft(ctx: Context, invoice: JSON) -> bool:
    """A paused subscription (``keep_as_draft``) leaves its invoices as drafts."""
    subscription = ctx.find(subscription_of(invoice) or "")
    pause = (subscription or {}).get("pause_collection") or {}
    return pause.get("behavior") == "keep_as_draft"


def fetch_invoice(ctx: Context, invoice_id: str) -> JSON:
    return ctx.fetch("invoice", invoice_id, param="invoice")


def item_id_of(line: JSON) -> str | None:
    parent = line.get("parent") or {}
    details = parent.get(str(parent.get("type"))) or {}
    item_id = details.get("invoice_item")
    return str(item_id) if item_id else None


def prefixed_error(error: StripeError, prefix: str) -> StripeError:
    """A subscription error's param as the preview's (``items[0]`` -> ``prefix[items][0]``)."""
    if error.param and not error.param.startswith(prefix):
        head, bracket, rest = error.param.partition("[")
        error.param = f"{prefix}[{head}]" + (bracket + rest if bracket else "")
    return error
