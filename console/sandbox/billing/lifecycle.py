"""A subscription's life: creation, item changes and prorations, billing, pausing, cancellation.

A subscription is stored with ``parent=<customer id>``; its items carry the billing periods.
``create_subscription`` bills the first period, ``reprice`` applies item changes with
prorations, ``bill`` makes and collects a period's invoice, ``cancel_now`` ends it (and tells
``listeners`` when a schedule must hear of it). The clock's work on subscriptions is in ``due``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.sandbox.billing import (
    catalog,
    discounts,
    invoice_items,
    invoicing,
    listeners,
    payment_methods,
    periods,
    prorations,
    subscription_items,
)
from console.sandbox.billing.invoice_math import renewal_description
from console.sandbox.facts.errors import StripeError, card_declined, invalid, missing_param, no_such
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot

ENDED = ("canceled", "incomplete_expired")


INCOMPLETE_WINDOW = 23 * 3600


TRIAL_NOTICE = 3 * 86_400


MAX_TRIAL = 730 * 86_400


def new_subscription(sub_id: str, customer_id: str, now: int) -> JSON:
    return {
        "id": sub_id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": now,
        "billing_cycle_anchor_config": None,
        "billing_mode": {
            "flexible": {"proration_discounts": "included"},
            "type": "flexible",
            "updated_at": now,
        },
        "billing_schedules": [],
        "billing_thresholds": None,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": now,
        "currency": "usd",
        "customer": customer_id,
        "customer_account": None,
        "days_until_due": None,
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "ended_at": None,
        "invoice_settings": {
            "account_tax_ids": None,
            "custom_fields": None,
            "description": None,
            "footer": None,
            "issuer": {"type": "self"},
        },
        "items": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": {},
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": now,
        "status": "incomplete",
        "status_details": None,
        "test_clock": None,
        "transfer_data": None,
        "trial_end": None,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def embed_items(ctx: Context, sub: JSON) -> list[JSON]:
    found = subscription_items.items_of(ctx, sub["id"])
    sub["items"] = {
        "object": "list",
        "data": found,
        "has_more": False,
        "url": f"/v1/subscription_items?subscription={sub['id']}",
    }
    return found


def current_period(sub: JSON) -> tuple[int, int]:
    data = sub["items"]["data"]
    if not data:
        return sub["start_date"], sub["start_date"]
    return int(data[0]["current_period_start"]), int(data[0]["current_period_end"])


def set_periods(ctx: Context, sub: JSON, start: int, end: int) -> None:
    for item in subscription_items.items_of(ctx, sub["id"]):
        item["current_period_start"] = start
        item["current_period_end"] = end
        ctx.save(item)
    embed_items(ctx, sub)


def _product_name(ctx: Context, price: JSON) -> str:
    product = ctx.find(str(price.get("product") or ""))
    return str((product or {}).get("name") or price.get("nickname") or price["id"])


def _line_description(ctx: Context, price: JSON, quantity: int) -> str:
    return renewal_description(_product_name(ctx, price), quantity, price)


@dataclass
class Line:
    item: JSON
    amount: int
    description: str
    period_start: int
    period_end: int


def cycle_lines(
    ctx: Context, sub: JSON, start: int, end: int, *, trial: bool = False
) -> list[Line]:
    """One line per licensed item for the period ``[start, end)`` (zero in a trial)."""
    lines: list[Line] = []
    for item in subscription_items.items_of(ctx, sub["id"]):
        price = item["price"]
        if catalog.is_metered(price):
            continue  # billed in arrears from usage, which the sandbox does not meter
        quantity = subscription_items.quantity_of(item)
        if trial:
            amount, text = 0, f"Trial period for {_product_name(ctx, price)}"
        else:
            amount = catalog.amount_for(price, quantity)
            text = _line_description(ctx, price, quantity)
        lines.append(Line(item, amount, text, start, end))
    return lines


def _payment_method(ctx: Context, sub: JSON) -> str | None:
    if sub.get("default_payment_method"):
        return str(sub["default_payment_method"])
    customer = ctx.find(sub["customer"]) or {}
    pm = (customer.get("invoice_settings") or {}).get("default_payment_method")
    pm = pm or customer.get("default_source")  # a card added with ``source``
    return str(pm) if pm else None


def trial_ends_without_payment_method(ctx: Context, sub: JSON, at: int) -> bool:
    """Stripe's ``trial_settings.end_behavior.missing_payment_method`` at a trial's end.

    With no payment method to charge, ``cancel`` ends the subscription and ``pause`` pauses it
    (``customer.subscription.paused``) instead of billing; True when it did either, False when
    the trial ends as usual (``create_invoice``, or there is a way to pay).
    """
    if _payment_method(ctx, sub) is not None or sub["collection_method"] != "charge_automatically":
        return False
    missing = sub["trial_settings"]["end_behavior"]["missing_payment_method"]
    if missing == "cancel":
        cancel_now(ctx, sub, ended_at=at)
        return True
    if missing == "pause":
        mark_paused(sub, "trial_end_without_payment_method", at)
        ctx.emit("customer.subscription.paused", sub)
        return True
    return False


def mark_paused(sub: JSON, why: str, at: int) -> None:
    """Status ``paused``, with Stripe's ``status_details`` saying why and since when."""
    sub["status"] = "paused"
    sub["status_details"] = {
        "paused": {"subscription": {"type": why}, "transitioned_at": at, "type": "subscription"}
    }


def draft_for_period(
    ctx: Context,
    sub: JSON,
    customer: JSON,
    *,
    reason: str,
    lines: list[Line],
    period_start: int,
    period_end: int,
    include_pending: bool,
    discounts: list[JSON],
) -> JSON:
    """The subscription's draft invoice holding ``lines`` (and pending items): what billing a
    period creates, and what the upcoming-invoice preview shows, from the same code."""
    invoice: JSON = invoicing.build_draft(
        ctx,
        customer,
        subscription=sub,
        billing_reason=reason,
        collection_method=sub["collection_method"],
        days_until_due=sub.get("days_until_due"),
        period_start=period_start,
        period_end=period_end,
        include_pending_items=include_pending,
        currency=sub["currency"],
        discounts=discounts or None,
        description=sub.get("description"),
    )
    for line in lines:
        invoicing.add_subscription_line(
            ctx,
            invoice,
            subscription=sub,
            item=line.item,
            price=line.item["price"],
            quantity=subscription_items.quantity_of(line.item),
            period_start=line.period_start,
            period_end=line.period_end,
            amount=line.amount,
            description=line.description,
            proration=False,
        )
    return invoice


def bill(
    ctx: Context,
    sub: JSON,
    *,
    reason: str,
    lines: list[Line],
    period_start: int,
    period_end: int,
    include_pending: bool = True,
    collect: bool = True,
) -> JSON:
    """An invoice for ``lines`` (plus pending items), finalized and, if automatic, charged."""
    customer = ctx.fetch("customer", sub["customer"], param="customer")
    embed_items(ctx, sub)
    # Stored with a marker: the invoices module reads the subscription as stored, and its
    # paid/failed hooks must leave alone an invoice this flow is still settling itself.
    sub["_billing"] = True
    ctx.save(sub)
    try:
        return _bill_marked(
            ctx,
            sub,
            customer,
            reason=reason,
            lines=lines,
            period_start=period_start,
            period_end=period_end,
            include_pending=include_pending,
            collect=collect,
        )
    finally:
        sub.pop("_billing", None)
        ctx.save(sub)


def _bill_marked(
    ctx: Context,
    sub: JSON,
    customer: JSON,
    *,
    reason: str,
    lines: list[Line],
    period_start: int,
    period_end: int,
    include_pending: bool,
    collect: bool,
) -> JSON:
    discounts = live_discounts(ctx, sub, ctx.now())
    invoice = draft_for_period(
        ctx,
        sub,
        customer,
        reason=reason,
        lines=lines,
        period_start=period_start,
        period_end=period_end,
        include_pending=include_pending,
        discounts=discounts,
    )
    sub["latest_invoice"] = invoice["id"]
    _spend_once_discounts(ctx, sub, discounts)
    pause = sub.get("pause_collection")
    if pause and pause.get("behavior") == "keep_as_draft":
        return invoice
    invoice = invoicing.finalize(ctx, invoice)
    if pause and invoice.get("status") == "open":
        if pause.get("behavior") == "void":
            return dict(invoicing.void(ctx, invoice))
        return dict(invoicing.mark_uncollectible(ctx, invoice))
    if collect and invoice.get("status") == "open":
        invoice = invoicing.attempt_collection(ctx, invoice)
    if invoice.get("status") == "open" and invoice.get("due_date"):
        # An invoice sent for manual payment makes the subscription past due once overdue.
        sub["_invoice_due"] = {"invoice": invoice["id"], "at": int(invoice["due_date"])}
    return invoice


def is_paid(invoice: JSON) -> bool:
    return invoice.get("status") == "paid"


def _decline(ctx: Context, sub: JSON) -> StripeError:
    """The card error a refused ``error_if_incomplete`` request answers with."""
    pm_id = _payment_method(ctx, sub)
    if pm_id is None:
        return invalid(
            "This customer has no attached payment source or default payment method. Please "
            "consider adding a default payment method. For more information, visit "
            "https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.",
            code="resource_missing",
        )
    pm = ctx.find(pm_id)
    outcome: Any = None
    if pm is not None:
        outcome = payment_methods.charge_outcome(pm)
    if isinstance(outcome, StripeError):
        return outcome
    if isinstance(outcome, dict):
        return card_declined(
            str(outcome.get("message") or "Your card was declined."),
            code=str(outcome.get("code") or "card_declined"),
            decline_code=str(outcome.get("decline_code") or "generic_decline"),
        )
    return card_declined()


def settle(sub: JSON, invoice: JSON, failure: str) -> None:
    """The subscription's status after an invoice was (or was not) paid."""
    if is_paid(invoice) or sub["collection_method"] == "send_invoice":
        sub["status"] = "active"
    elif invoice.get("status") == "open":
        sub["status"] = failure
    elif invoice.get("status") in ("draft", "void", "uncollectible"):
        sub["status"] = "active" if sub["status"] in ("trialing", "incomplete") else sub["status"]


def parse_discounts(ctx: Context, sub: JSON, value: Any, param: str) -> list[str]:
    """Discount objects for ``discounts[]`` (coupon, promotion_code or existing discount)."""

    if value in (None, ""):
        return []
    made: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(value):
        where = f"{param}[{index}]"
        keys = [k for k in ("coupon", "promotion_code", "discount") if entry.get(k)]
        if len(keys) != 1:
            raise invalid(
                "Each discount must have exactly one of coupon, promotion_code or discount.",
                param=where,
            )
        if keys[0] == "discount":
            existing = ctx.fetch("discount", entry["discount"], param=f"{where}[discount]")
            made.append(existing["id"])
            continue
        promo_id: str | None = None
        if keys[0] == "promotion_code":
            promo = discounts.resolve(
                ctx,
                entry["promotion_code"],
                customer=sub["customer"],
                param=f"{where}[promotion_code]",
                currency=sub["currency"],
            )
            discounts.redeem_promotion_code(ctx, promo)
            coupon = discounts.fetch_coupon(
                ctx, promo["promotion"]["coupon"], param=f"{where}[promotion_code]"
            )
            promo_id = str(promo["id"])
        else:
            coupon = discounts.redeem_coupon(ctx, entry["coupon"], param=f"{where}[coupon]")
        if coupon["id"] in seen:
            raise invalid(f"The coupon {coupon['id']} is applied more than once.", param=where)
        seen.add(coupon["id"])
        discount = discounts.new_discount(
            ctx,
            coupon,
            customer=sub["customer"],
            subscription=sub["id"],
            promotion_code=promo_id,
        )
        ctx.insert(discount, parent=sub["customer"])
        made.append(discount["id"])
    return made


def add_invoice_items(ctx: Context, sub: JSON, entries: Any) -> None:
    """One-time prices for the next invoice (``add_invoice_items``), as pending items."""

    now = ctx.now()
    for index, entry in enumerate(entries or []):
        where = f"add_invoice_items[{index}]"
        if entry.get("price") and entry.get("price_data"):
            raise StripeError(
                "You may only specify one of these parameters: price, price_data.",
                param=f"{where}[price]",
                code="parameters_exclusive",
            )
        if entry.get("price"):
            price = catalog.fetch_price(
                ctx, entry["price"], param=f"{where}[price]", require_active=True
            )
            if price.get("type") != "one_time":
                raise invalid(
                    "The price specified is set to `type=recurring` but this field only accepts "
                    f"prices with `type=one_time`: {price['id']}",
                    param=f"{where}[price]",
                )
        elif entry.get("price_data"):
            data = entry["price_data"]
            fields = {
                k: data[k]
                for k in (
                    "currency",
                    "product",
                    "tax_behavior",
                    "unit_amount",
                    "unit_amount_decimal",
                )
                if k in data
            }
            price = catalog.create_price(
                ctx, {**fields, "active": False}, prefix=f"{where}[price_data]"
            )
        else:
            raise missing_param(f"{where}[price]")
        if price["currency"] != sub["currency"]:
            raise invalid(
                "The currency of add_invoice_items must match the subscription's currency.",
                param=f"{where}[price]",
            )
        quantity = int(entry.get("quantity", 1))
        invoice_items.create_pending(
            ctx,
            sub["customer"],
            amount=catalog.amount_for(price, quantity),
            currency=price["currency"],
            description=f"{_product_name(ctx, price)}",
            price=price,
            quantity=quantity,
            period_start=now,
            period_end=now,
            proration=False,
            subscription=sub["id"],
            subscription_item=None,
        )


def live_discounts(ctx: Context, sub: JSON, at: int) -> list[JSON]:
    """The subscription's discounts in force at ``at``; repeating ones run out by then are
    dropped from it."""
    live: list[JSON] = []
    for discount_id in sub.get("discounts") or []:
        discount = ctx.find(discount_id)
        if discount is None:
            continue
        if discount.get("_spent") or (discount.get("end") is not None and discount["end"] <= at):
            continue
        live.append(discount)
    sub["discounts"] = [d["id"] for d in live]
    return live


def _spend_once_discounts(ctx: Context, sub: JSON, used: list[JSON]) -> None:
    """A ``duration=once`` coupon covers one invoice; it stays shown until the next one."""
    for discount in used:
        coupon = ctx.find(str((discount.get("source") or {}).get("coupon") or "")) or {}
        if coupon.get("duration") == "once" and not discount.get("_spent"):
            discount["_spent"] = True
            ctx.save(discount)


def check_payment_method(ctx: Context, customer_id: str, pm_id: str, param: str) -> None:
    pm = ctx.fetch("payment_method", pm_id, param=param, kind="PaymentMethod")
    if pm.get("customer") != customer_id:
        raise invalid(
            f"The customer does not have a payment method with the ID {pm_id}. The payment "
            "method must be attached to the customer.",
            param=param,
            code="resource_missing",
        )


def check_compatible(prices: list[JSON], currency: str | None, param: str) -> None:
    if len({p["currency"] for p in prices} | ({currency} if currency else set())) > 1:
        raise invalid(
            "Currency and interval fields must match across all plans on this subscription. "
            "Found mismatch in currency field.",
            param=param,
        )
    if len({periods.interval_of(p) for p in prices}) > 1:
        raise invalid(
            "Currency and interval fields must match across all plans on this subscription. "
            "Found mismatch in interval field.",
            param=param,
        )
    seen: set[str] = set()
    for price in prices:
        if price["id"] in seen:
            raise invalid(
                f"Cannot add multiple subscription items with the same price: {price['id']}",
                param=param,
            )
        seen.add(price["id"])


def apply_collection_params(sub: JSON, params: JSON) -> None:
    method = params.get("collection_method", sub["collection_method"])
    days = params.get(
        "days_until_due", sub.get("days_until_due") if method == sub["collection_method"] else None
    )
    if method == "send_invoice" and days is None:
        raise missing_param("days_until_due")
    if method == "charge_automatically" and "days_until_due" in params:
        raise invalid(
            "Invalid days_until_due: this parameter can only be set when collection_method is "
            "send_invoice.",
            param="days_until_due",
        )
    sub["collection_method"] = method
    sub["days_until_due"] = days if method == "send_invoice" else None


def future_moment(ctx: Context, value: int, param: str) -> int:
    if value <= ctx.now():
        raise invalid(
            "Invalid timestamp: must be an integer Unix timestamp in the future.", param=param
        )
    return value


def _trial_end_for(ctx: Context, params: JSON, prices: list[JSON], start: int) -> int | None:
    now = ctx.now()
    if "trial_end" in params and params.get("trial_from_plan"):
        raise invalid(
            "You cannot set trial_from_plan together with trial_end.", param="trial_from_plan"
        )
    if "trial_end" in params and "trial_period_days" in params:
        raise StripeError(
            "You may only specify one of these parameters: trial_end, trial_period_days.",
            param="trial_end",
            code="parameters_exclusive",
        )
    trial_end = params.get("trial_end")
    if trial_end == "now":
        return None
    if isinstance(trial_end, int):
        future_moment(ctx, trial_end, "trial_end")
        if trial_end - now > MAX_TRIAL:
            raise invalid(
                "Invalid trial_end: can be no more than 730 days in the future.",
                param="trial_end",
            )
        return trial_end
    days = params.get("trial_period_days")
    if days is None and params.get("trial_from_plan"):
        plan_days = [int((p.get("recurring") or {}).get("trial_period_days") or 0) for p in prices]
        days = max(plan_days) if plan_days else 0
    if days:
        if days > 730:
            raise invalid(
                "Invalid trial_period_days: can be no more than 730.", param="trial_period_days"
            )
        return max(start, now) + int(days) * periods.DAY
    return None


def _check_create_params(params: JSON) -> list[JSON]:
    """What a create request must carry before anything is looked up; returns its items."""
    if not params.get("customer"):
        if params.get("customer_account"):
            raise invalid(
                "The sandbox bills customers, not Accounts v2 customer accounts; pass customer.",
                param="customer_account",
            )
        raise missing_param("customer")
    entries: list[JSON] = params.get("items") or []
    if not entries:
        raise missing_param("items")
    if len(entries) > subscription_items.MAX_ITEMS:
        raise invalid(
            f"A subscription can have at most {subscription_items.MAX_ITEMS} items.", param="items"
        )
    if params.get("payment_behavior") == "pending_if_incomplete":
        raise invalid(
            "payment_behavior=pending_if_incomplete can only be used when updating a subscription.",
            param="payment_behavior",
        )
    if "billing_cycle_anchor" in params and "billing_cycle_anchor_config" in params:
        raise StripeError(
            "You may only specify one of these parameters: billing_cycle_anchor, "
            "billing_cycle_anchor_config.",
            param="billing_cycle_anchor",
            code="parameters_exclusive",
        )
    return entries


def _resolve_entries(ctx: Context, entries: list[JSON]) -> list[tuple[JSON, int | None, JSON]]:
    """Each item entry's price (looked up or made from ``price_data``) and checked quantity."""
    resolved: list[tuple[JSON, int | None, JSON]] = []
    for index, entry in enumerate(entries):
        where = f"items[{index}]"
        price = subscription_items.resolve_price(ctx, entry, where)
        assert price is not None
        resolved.append((price, subscription_items.check_quantity(price, entry, where), entry))
    return resolved


def _billing_mode(mode: JSON, now: int) -> JSON:
    flexible = mode["type"] == "flexible"
    discounts = (mode.get("flexible") or {}).get("proration_discounts", "included")
    return {
        "flexible": {"proration_discounts": discounts} if flexible else None,
        "type": mode["type"],
        "updated_at": now if flexible else None,
    }


def _apply_create_settings(ctx: Context, sub: JSON, customer: JSON, params: JSON) -> None:
    """The settings a new subscription takes as sent: collection, payment method, texts,
    billing mode, trial and invoice and payment settings."""
    apply_collection_params(sub, params)
    if params.get("default_payment_method"):
        check_payment_method(
            ctx, customer["id"], params["default_payment_method"], "default_payment_method"
        )
        sub["default_payment_method"] = params["default_payment_method"]
    if "description" in params:
        sub["description"] = unset(params["description"])
    if "metadata" in params:
        sub["metadata"] = metadata({}, params["metadata"])
    if params.get("billing_mode"):
        sub["billing_mode"] = _billing_mode(params["billing_mode"], ctx.now())
    if params.get("trial_settings"):
        end = params["trial_settings"]["end_behavior"]
        missing = end.get("missing_payment_method", "create_invoice")
        sub["trial_settings"] = {"end_behavior": {"missing_payment_method": missing}}
    for key in ("description", "footer"):
        if key in (params.get("invoice_settings") or {}):
            sub["invoice_settings"][key] = unset(params["invoice_settings"][key])
    save = (params.get("payment_settings") or {}).get("save_default_payment_method")
    if save:
        sub["payment_settings"]["save_default_payment_method"] = save


def _start_date(params: JSON, now: int) -> int:
    if "backdate_start_date" not in params:
        return now
    start = int(params["backdate_start_date"])
    if start > now:
        raise invalid("backdate_start_date must be in the past.", param="backdate_start_date")
    return start


def _anchor(
    sub: JSON,
    params: JSON,
    *,
    start: int,
    trial_end: int | None,
    now: int,
    interval: tuple[str, int],
) -> int:
    """The billing cycle anchor: as sent (within one natural period), from
    ``billing_cycle_anchor_config``, or the trial end or start."""
    base = trial_end or now
    if "billing_cycle_anchor" in params:
        anchor = int(params["billing_cycle_anchor"])
        if anchor < base:
            raise invalid(
                "billing_cycle_anchor cannot be earlier than the subscription's start (or "
                "trial end).",
                param="billing_cycle_anchor",
            )
        natural = periods.add_interval(base, *interval)
        if anchor > natural:
            raise invalid(
                f"billing_cycle_anchor cannot be later than next natural billing date ({natural}) "
                "for plan",
                param="billing_cycle_anchor",
            )
        return anchor
    config = params.get("billing_cycle_anchor_config")
    if not config:
        return trial_end or start
    sub["billing_cycle_anchor_config"] = {
        key: config.get(key) for key in ("day_of_month", "hour", "minute", "month", "second")
    }
    return periods.anchor_from_config(
        base,
        day_of_month=config["day_of_month"],
        month=config.get("month"),
        hour=config.get("hour"),
        minute=config.get("minute"),
        second=config.get("second"),
    )


def _first_period(
    *, start: int, anchor: int, trial_end: int | None, now: int, interval: tuple[str, int]
) -> tuple[int, int]:
    """The items' first period: the trial, or up to the next boundary from the anchor."""
    if trial_end is not None:
        return start, trial_end
    period_end = periods.next_boundary(anchor, *interval, now)
    if anchor > now:
        return start, period_end
    period_start = periods.period_containing(anchor, *interval, now)[0]
    return (max(period_start, start) if anchor <= start else period_start), period_end


def _first_invoice_lines(
    ctx: Context,
    sub: JSON,
    *,
    start: int,
    period_end: int,
    anchor: int,
    trial: bool,
    interval: tuple[str, int],
    prorate: bool,
) -> list[Line]:
    """The first invoice covers from the start to the end of the first period: whole periods at
    full price, a short first period (anchor in the future, backdating) prorated."""
    lines = cycle_lines(ctx, sub, start, period_end, trial=trial)
    if trial:
        return lines
    covered = periods.span_in_periods(start, period_end, anchor, *interval)
    if not prorate:
        covered = float(int(covered + 1e-9))
    for line in lines:
        line.amount = prorations.rounded(line.amount * covered)
    return lines


def create_subscription(ctx: Context, params: JSON, *, schedule: str | None = None) -> JSON:
    """``POST /v1/subscriptions`` (also used by schedules starting a subscription)."""
    entries = _check_create_params(params)
    customer = ctx.fetch("customer", params["customer"], param="customer")
    behavior = params.get("payment_behavior", "allow_incomplete")
    now = ctx.now()
    sub = new_subscription(ctx.new_id("sub", 24), customer["id"], now)
    sub["schedule"] = schedule
    resolved = _resolve_entries(ctx, entries)
    prices = [p for p, _, _ in resolved]
    currency = str(params["currency"]).lower() if params.get("currency") else None
    check_compatible(prices, currency, "items")
    sub["currency"] = prices[0]["currency"]
    interval = periods.interval_of(prices[0])
    _apply_create_settings(ctx, sub, customer, params)

    start = _start_date(params, now)
    sub["start_date"] = start
    trial_end = _trial_end_for(ctx, params, prices, start)
    anchor = _anchor(sub, params, start=start, trial_end=trial_end, now=now, interval=interval)
    sub["billing_cycle_anchor"] = anchor
    if trial_end is not None:
        sub["trial_start"], sub["trial_end"] = start, trial_end
    period_start, period_end = _first_period(
        start=start, anchor=anchor, trial_end=trial_end, now=now, interval=interval
    )
    ctx.insert(sub, parent=customer["id"])
    for price, quantity, entry in resolved:
        item = subscription_items.new_item(
            ctx,
            sub["id"],
            price,
            quantity,
            period_start=period_start,
            period_end=period_end,
            meta=metadata({}, entry.get("metadata"), param="items[][metadata]"),
        )
        ctx.insert(item, parent=sub["id"])
    embed_items(ctx, sub)
    if "discounts" in params:
        sub["discounts"] = parse_discounts(ctx, sub, params["discounts"], "discounts")

    add_invoice_items(ctx, sub, params.get("add_invoice_items"))
    lines = _first_invoice_lines(
        ctx, sub, start=start, period_end=period_end, anchor=anchor,
        trial=trial_end is not None, interval=interval,
        prorate=params.get("proration_behavior", "create_prorations") != "none",
    )  # fmt: skip
    invoice = bill(
        ctx,
        sub,
        reason="subscription_create",
        lines=lines,
        period_start=start,
        period_end=start,
        include_pending=True,
        collect=behavior != "default_incomplete",
    )
    if trial_end is not None:
        sub["status"] = "trialing"
    else:
        settle(sub, invoice, "incomplete")
        if sub["status"] == "incomplete" and behavior == "error_if_incomplete":
            raise _decline(ctx, sub)

    apply_cancel_params(ctx, sub, params)
    ctx.save(sub, due=next_due(sub))
    ctx.emit("customer.subscription.created", sub)
    return sub


def apply_cancel_params(ctx: Context, sub: JSON, params: JSON) -> None:
    now = ctx.now()
    _, period_end = current_period(sub)
    if params.get("cancel_at_period_end") and params.get("cancel_at") not in (None, ""):
        raise StripeError(
            "You may only specify one of these parameters: cancel_at, cancel_at_period_end.",
            param="cancel_at",
            code="parameters_exclusive",
        )
    if "cancel_at_period_end" in params:
        if params["cancel_at_period_end"]:
            sub["cancel_at_period_end"] = True
            sub["cancel_at"] = period_end
            sub["canceled_at"] = now
            sub["cancellation_details"]["reason"] = "cancellation_requested"
        elif sub["cancel_at_period_end"] or sub.get("cancel_at"):
            _undo_cancel(sub)
    if "cancel_at" in params:
        value = params["cancel_at"]
        if value == "":
            _undo_cancel(sub)
        else:
            if value in ("min_period_end", "max_period_end", "max_billed_until"):
                value = period_end
            else:
                future_moment(ctx, value, "cancel_at")
            sub["cancel_at"] = value
            sub["cancel_at_period_end"] = False
            sub["canceled_at"] = now
            sub["cancellation_details"]["reason"] = "cancellation_requested"


def _undo_cancel(sub: JSON) -> None:
    sub["cancel_at_period_end"] = False
    sub["cancel_at"] = None
    sub["canceled_at"] = None
    sub["cancellation_details"] = {"comment": None, "feedback": None, "reason": None}


def set_cancellation_details(sub: JSON, details: Any) -> None:
    if not details:
        return
    current = sub["cancellation_details"]
    for key in ("comment", "feedback"):
        if key in details:
            current[key] = unset(details[key])
    if details.get("feedback_option"):
        current["feedback_option"] = details["feedback_option"]


def cancel_now(
    ctx: Context,
    subscription: JSON,
    *,
    invoice_now: bool = False,
    prorate: bool = False,
    details: JSON | None = None,
    ended_at: int | None = None,
    reason: str = "cancellation_requested",
) -> JSON:
    """End ``subscription`` now (or at ``ended_at``, a moment the clock just passed)."""
    sub = subscription
    now = ctx.now()
    embed_items(ctx, sub)
    start, end = current_period(sub)
    at = ended_at if ended_at is not None else now
    if prorate and sub["status"] != "trialing":
        changes = [
            prorations.ItemChange(
                item_id=item["id"],
                old_price=item["price"],
                old_quantity=subscription_items.quantity_of(item),
                old_amount=catalog.amount_for(item["price"], subscription_items.quantity_of(item)),
                new_price=None,
                new_quantity=0,
                new_amount=0,
            )
            for item in sub["items"]["data"]
        ]
        lines = prorations.lines_for(ctx, changes, period_start=start, period_end=end, at=at)
        invoice_items.create_pending_items(ctx, sub, lines)
    if invoice_now:
        bill(
            ctx,
            sub,
            reason="subscription_cycle",
            lines=[],
            period_start=start,
            period_end=at,
            include_pending=True,
        )
    sub["status"] = "canceled"
    sub["ended_at"] = at
    # A scheduled cancellation keeps the moment it was requested, as Stripe does.
    sub["canceled_at"] = now if ended_at is None else sub.get("canceled_at") or at
    sub["cancellation_details"]["reason"] = reason
    set_cancellation_details(sub, details)
    sub["pending_update"] = None
    if sub.get("schedule"):
        listeners.notify("subscription.ended", ctx, sub)
    ctx.save(sub, due=None)
    ctx.emit("customer.subscription.deleted", sub)
    return sub


def _param(prefix: str, key: str) -> str:
    return f"{prefix}[{key}]" if prefix else key


def restore_items(ctx: Context, sub: JSON, saved_items: list[JSON]) -> None:
    """Put the items back as they were (a pending update waits for its payment)."""
    saved_ids = {i["id"] for i in saved_items}
    for item in subscription_items.items_of(ctx, sub["id"]):
        if item["id"] not in saved_ids:
            ctx.store.remove(item["id"])
    for item in saved_items:
        if ctx.find(item["id"]) is None:
            ctx.insert(item, parent=sub["id"])
        else:
            ctx.save(item)
    embed_items(ctx, sub)


@dataclass
class ItemEdit:
    """What a list of item entries does to a subscription's items, before anything is stored."""

    touched: list[JSON]
    removed: list[JSON]
    added: list[JSON]
    final: list[JSON]


def _edit_existing(ctx: Context, item: JSON, entry: JSON, where: str) -> None:
    """An entry with an ``id``: a new price, quantity or metadata on that item (in memory)."""
    price = subscription_items.resolve_price(ctx, entry, where, required=False) or item["price"]
    if "quantity" in entry or catalog.is_metered(price) != catalog.is_metered(item["price"]):
        quantity = subscription_items.check_quantity(price, entry, where)
    else:
        quantity = None if catalog.is_metered(price) else subscription_items.quantity_of(item)
    subscription_items.set_price(item, price, quantity)
    if "metadata" in entry:
        subscription_items.apply_metadata(item, entry["metadata"], _param(where, "metadata"))


def _edit_items(
    ctx: Context, sub: JSON, current: list[JSON], entries: list[JSON], prefix: str
) -> ItemEdit:
    """Read ``items[]`` entries against the current items: which change, go or come, and the
    list that results (checked: at least one, at most ``MAX_ITEMS``, one currency and interval).
    """
    by_id = {i["id"]: i for i in current}
    start, end = current_period(sub)
    edit = ItemEdit(touched=[], removed=[], added=[], final=[])
    for index, entry in enumerate(entries):
        where = f"{prefix}[{index}]" if prefix else ""
        item_id = entry.get("id")
        if item_id:
            item = by_id.get(item_id)
            if item is None:
                raise no_such("subscription item", item_id, param=_param(where, "id"))
            if entry.get("deleted"):
                edit.removed.append(item)
                continue
            _edit_existing(ctx, item, entry, where)
            edit.touched.append(item)
            continue
        if entry.get("deleted"):
            raise missing_param(_param(where, "id"))
        price = subscription_items.resolve_price(ctx, entry, where)
        assert price is not None
        quantity = subscription_items.check_quantity(price, entry, where)
        meta = metadata({}, entry.get("metadata"), param=_param(where, "metadata"))
        edit.added.append(
            subscription_items.new_item(
                ctx, sub["id"], price, quantity, period_start=start, period_end=end, meta=meta
            )
        )
    removed_ids = {i["id"] for i in edit.removed}
    edit.final = [i for i in current if i["id"] not in removed_ids] + edit.added
    if not edit.final:
        raise invalid(
            "A subscription must have at least one item; cancel the subscription instead.",
            param=prefix or "subscription",
        )
    if len(edit.final) > subscription_items.MAX_ITEMS:
        raise invalid(
            f"A subscription can have at most {subscription_items.MAX_ITEMS} items.",
            param=prefix or None,
        )
    check_compatible([i["price"] for i in edit.final], sub["currency"], prefix or "price")
    return edit


def _store_edit(ctx: Context, sub: JSON, edit: ItemEdit) -> None:
    for item in edit.touched:
        ctx.save(item)
    for item in edit.removed:
        ctx.store.remove(item["id"])
    for item in edit.added:
        ctx.insert(item, parent=sub["id"])


def _item_changes(edit: ItemEdit, old: dict[str, tuple[JSON, int]]) -> list[prorations.ItemChange]:
    """Each item's price, quantity and period amount before and after, for the prorations."""
    changes: list[prorations.ItemChange] = []
    for item in edit.final:
        before = old.get(item["id"])
        new_qty = subscription_items.quantity_of(item)
        changes.append(
            prorations.ItemChange(
                item_id=item["id"],
                old_price=before[0] if before else None,
                old_quantity=before[1] if before else 0,
                old_amount=catalog.amount_for(before[0], before[1]) if before else 0,
                new_price=item["price"],
                new_quantity=new_qty,
                new_amount=catalog.amount_for(item["price"], new_qty),
            )
        )
    for item in edit.removed:
        price, qty = old[item["id"]]
        changes.append(
            prorations.ItemChange(
                item["id"], price, qty, catalog.amount_for(price, qty), None, 0, 0
            )
        )
    return changes


def _plan_trial_end(final: list[JSON], now: int) -> int | None:
    """``trial_from_plan``: the longest ``trial_period_days`` of the new prices, from now."""
    days = max(
        int((i["price"].get("recurring") or {}).get("trial_period_days") or 0) for i in final
    )
    return now + days * periods.DAY if days else None


def _start_trial(
    ctx: Context, sub: JSON, trial_end: int, *, start: int, now: int, was_trialing: bool
) -> None:
    future_moment(ctx, trial_end, "trial_end")
    sub["status"] = "trialing"
    if sub.get("trial_start") is None or not was_trialing:
        sub["trial_start"] = now
    sub["trial_end"] = trial_end
    sub["billing_cycle_anchor"] = trial_end
    set_periods(ctx, sub, start if was_trialing else now, trial_end)


def _restart_cycle(
    ctx: Context,
    sub: JSON,
    changes: list[prorations.ItemChange],
    interval: tuple[str, int],
    *,
    period: tuple[int, int],
    now: int,
    at: int,
    credit: bool,
    ending_trial: bool,
    collect: bool,
) -> JSON:
    """A new billing cycle from now (new interval, anchor reset, trial ended): the unused time
    of the old items is credited (unless told not to prorate) and the new period billed."""
    start, end = period
    if credit:
        credits = [
            prorations.ItemChange(c.item_id, c.old_price, c.old_quantity, c.old_amount, None, 0, 0)
            for c in changes
            if c.old_price is not None
        ]
        invoice_items.create_pending_items(
            ctx, sub, prorations.lines_for(ctx, credits, period_start=start, period_end=end, at=at)
        )
    new_end = periods.add_interval(now, *interval)
    sub["billing_cycle_anchor"] = now
    if ending_trial:
        sub["trial_end"] = now
    set_periods(ctx, sub, now, new_end)
    return bill(
        ctx,
        sub,
        reason="subscription_update",
        lines=cycle_lines(ctx, sub, now, new_end),
        period_start=now,
        period_end=now,
        collect=collect,
    )


def _prorate_in_cycle(
    ctx: Context,
    sub: JSON,
    changes: list[prorations.ItemChange],
    *,
    period: tuple[int, int],
    now: int,
    at: int,
    invoice_now: bool,
    collect: bool,
) -> JSON | None:
    """Within the cycle: prorations become pending items, invoiced at once when asked to."""
    start, end = period
    lines = prorations.lines_for(ctx, changes, period_start=start, period_end=end, at=at)
    invoice_items.create_pending_items(ctx, sub, lines)
    if not (invoice_now and lines):
        return None
    return bill(
        ctx,
        sub,
        reason="subscription_update",
        lines=[],
        period_start=now,
        period_end=now,
        collect=collect,
    )


PENDING_FIELDS = ("billing_cycle_anchor", "trial_end", "trial_start", "status")


def _hold_as_pending_update(
    ctx: Context,
    sub: JSON,
    invoice: JSON,
    *,
    saved_items: list[JSON],
    saved_sub: JSON,
    now: int,
) -> None:
    """``pending_if_incomplete`` with an unpaid invoice: the change waits for the payment, and
    the subscription stays as it was until then (or until the update expires)."""
    proposed = [snapshot(i) for i in subscription_items.items_of(ctx, sub["id"])]
    target = {key: sub[key] for key in PENDING_FIELDS}
    restore_items(ctx, sub, saved_items)
    for key in PENDING_FIELDS:
        sub[key] = saved_sub[key]

    def changed_or_none(key: str) -> Any:
        return target[key] if target[key] != saved_sub[key] else None

    sub["pending_update"] = {
        "billing_cycle_anchor": changed_or_none("billing_cycle_anchor"),
        "expires_at": now + INCOMPLETE_WINDOW,
        "subscription_items": proposed,
        "trial_end": changed_or_none("trial_end"),
        "trial_from_plan": None,
    }
    sub["_pending"] = {"invoice": invoice["id"], "items": proposed, "fields": target}


def reprice(
    ctx: Context,
    sub: JSON,
    entries: list[JSON],
    *,
    prefix: str,
    behavior: str,
    proration_date: int | None,
    payment_behavior: str,
    reset_anchor: bool = False,
    trial_end: Any = None,
    trial_from_plan: bool = False,
    moment: int | None = None,
) -> None:
    """Apply item changes (and trial or anchor changes), prorating and invoicing as asked.

    ``moment`` replaces the clock's time when the change belongs to an earlier instant the
    clock just passed (a schedule's phase boundary).
    """
    now = ctx.now() if moment is None else moment
    at = proration_date if proration_date is not None else now
    if proration_date is not None:
        start, end = current_period(sub)
        if not start <= proration_date <= end:
            raise invalid(
                "Cannot specify proration date outside of current subscription period.",
                param="proration_date",
            )
    current = subscription_items.items_of(ctx, sub["id"])
    saved_items = [snapshot(i) for i in current]
    saved_sub = snapshot(sub)
    old = {i["id"]: (snapshot(i["price"]), subscription_items.quantity_of(i)) for i in current}
    period = current_period(sub)
    edit = _edit_items(ctx, sub, current, entries, prefix)
    new_interval = periods.interval_of(edit.final[0]["price"])
    old_interval = periods.interval_of(old[current[0]["id"]][0]) if current else new_interval
    _store_edit(ctx, sub, edit)

    was_trialing = sub["status"] == "trialing"
    ending_trial = was_trialing and trial_end == "now"
    if trial_from_plan and trial_end is None and not was_trialing:
        trial_end = _plan_trial_end(edit.final, now)
    changes = _item_changes(edit, old)
    prorate = not was_trialing and behavior != "none"
    collect = payment_behavior != "default_incomplete"
    invoice: JSON | None = None
    if isinstance(trial_end, int):
        _start_trial(ctx, sub, trial_end, start=period[0], now=now, was_trialing=was_trialing)
    elif reset_anchor or ending_trial or new_interval != old_interval:
        invoice = _restart_cycle(
            ctx, sub, changes, new_interval, period=period, now=now, at=at, credit=prorate,
            ending_trial=ending_trial, collect=collect,
        )  # fmt: skip
    elif prorate:
        invoice = _prorate_in_cycle(
            ctx, sub, changes, period=period, now=now, at=at,
            invoice_now=behavior == "always_invoice", collect=collect,
        )  # fmt: skip
    embed_items(ctx, sub)
    if invoice is None:
        return
    if is_paid(invoice) or sub["collection_method"] == "send_invoice":
        if sub["status"] in ("trialing", "incomplete", "past_due", "unpaid"):
            sub["status"] = "active"
        return
    if payment_behavior == "error_if_incomplete":
        raise _decline(ctx, sub)
    if payment_behavior == "pending_if_incomplete":
        _hold_as_pending_update(
            ctx, sub, invoice, saved_items=saved_items, saved_sub=saved_sub, now=now
        )
        return
    sub["status"] = "past_due"


def apply_phase_items(
    ctx: Context, sub: JSON, phase_items: list[JSON], *, behavior: str, moment: int
) -> None:
    """Make the subscription's items those of a schedule phase starting at ``moment``."""
    current = subscription_items.items_of(ctx, sub["id"])
    by_price = {i["price"]["id"]: i for i in current}
    wanted = {str(e["price"]) for e in phase_items}
    entries: list[JSON] = []
    for entry in phase_items:
        kept = by_price.get(str(entry["price"]))
        change: JSON = {"price": entry["price"]}
        if "quantity" in entry:
            change["quantity"] = entry["quantity"]
        if entry.get("metadata"):
            change["metadata"] = entry["metadata"]
        if kept is not None:
            change["id"] = kept["id"]
        entries.append(change)
    entries.extend(
        {"id": i["id"], "deleted": True} for i in current if i["price"]["id"] not in wanted
    )
    embed_items(ctx, sub)
    reprice(
        ctx,
        sub,
        entries,
        prefix="phases[0][items]",
        behavior=behavior,
        proration_date=moment,
        payment_behavior="allow_incomplete",
        moment=moment,
    )
    embed_items(ctx, sub)


def change_items(
    ctx: Context,
    subscription: JSON,
    entries: list[JSON],
    options: JSON,
    *,
    param_prefix: str = "items",
    single: bool = False,
) -> JSON:
    """Items added, changed or deleted through ``/v1/subscription_items``: a subscription update."""
    sub = subscription
    refuse_if_ended(sub)
    before = snapshot(sub)
    embed_items(ctx, sub)
    reprice(
        ctx,
        sub,
        entries,
        prefix="" if single else param_prefix,
        behavior=options.get("proration_behavior", "create_prorations"),
        proration_date=options.get("proration_date"),
        payment_behavior=options.get("payment_behavior", "allow_incomplete"),
    )
    finish_change(ctx, sub, before)
    return sub


def refuse_if_ended(sub: JSON) -> None:
    if sub["status"] in ENDED:
        raise invalid(
            "A canceled subscription can only update its cancellation_details and metadata.",
        )


def finish_change(ctx: Context, sub: JSON, before: JSON) -> None:
    embed_items(ctx, sub)
    ctx.save(sub, due=next_due(sub))
    previous = changed(before, sub)
    if previous:
        ctx.emit("customer.subscription.updated", sub, previous)


def due_steps(sub: JSON) -> list[tuple[int, int, str]]:
    """(moment, priority, kind) of everything the clock will have to do for ``sub``."""
    status = sub["status"]
    if status in ENDED:
        return []
    found: list[tuple[int, int, str]] = []
    if status == "trialing" and sub.get("trial_end") is not None:
        notice = max(sub["trial_end"] - TRIAL_NOTICE, sub["created"])
        if sub.get("_trial_notice") != sub["trial_end"]:
            found.append((notice, 0, "trial_will_end"))
        found.append((sub["trial_end"], 5, "trial_end"))
    if sub.get("pending_update"):
        found.append((sub["pending_update"]["expires_at"], 1, "pending_update_expired"))
    pause = sub.get("pause_collection")
    if pause and pause.get("resumes_at"):
        found.append((pause["resumes_at"], 2, "resume_collection"))
    if status == "incomplete":
        found.append((sub["created"] + INCOMPLETE_WINDOW, 3, "incomplete_expired"))
    if sub.get("_schedule_next") is not None:
        found.append((sub["_schedule_next"], -1, "phase"))
    if sub.get("cancel_at") is not None and status != "incomplete":
        found.append((sub["cancel_at"], 4, "cancel_at"))
    overdue = sub.get("_invoice_due")
    if overdue and status == "active":
        found.append((overdue["at"], 2, "invoice_overdue"))
    data = sub["items"]["data"]
    if status in ("active", "past_due", "unpaid") and data:
        found.append((int(data[0]["current_period_end"]), 6, "period_end"))
    return sorted(found)


def next_due(sub: JSON) -> int | None:
    steps = due_steps(sub)
    return steps[0][0] if steps else None
