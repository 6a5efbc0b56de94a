"""Billing a subscription: the lines for a period, its invoice, its discounts and one-off items.

``cycle_lines`` prices each licensed item for a period; ``draft_for_period`` makes the draft
that both billing and the upcoming-invoice preview use; ``bill`` finalizes and collects it.
``decline_error`` is Stripe's answer when a charge the caller waits for is declined.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from console.sandbox.billing import (
    catalog,
    discounts,
    invoice_items,
    invoicing,
    payment_methods,
    subscription_items,
    subscription_state,
)
from console.sandbox.billing.invoice_math import renewal_description
from console.sandbox.facts.errors import StripeError, card_declined, invalid, missing_param
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


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


def payment_method_of(ctx: Context, sub: JSON) -> str | None:
    if sub.get("default_payment_method"):
        return str(sub["default_payment_method"])
    customer = ctx.find(sub["customer"]) or {}
    pm = (customer.get("invoice_settings") or {}).get("default_payment_method")
    pm = pm or customer.get("default_source")  # a card added with ``source``
    return str(pm) if pm else None


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


@contextmanager
def _billing_in_progress(ctx: Context, sub: JSON) -> Iterator[None]:
    """Stored with a marker while it lasts: the invoice outcome listeners read the subscription
    as stored, and must leave alone an invoice this flow is still settling itself."""
    sub["_billing"] = True
    ctx.save(sub)
    try:
        yield
    finally:
        sub.pop("_billing", None)
        ctx.save(sub)


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
    subscription_state.embed_items(ctx, sub)
    with _billing_in_progress(ctx, sub):
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
        return _finish_invoice(ctx, sub, invoice, collect=collect)


def _finish_invoice(ctx: Context, sub: JSON, invoice: JSON, *, collect: bool) -> JSON:
    """Finalize and collect the subscription's draft, as its pause_collection lets it."""
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


def decline_error(ctx: Context, sub: JSON) -> StripeError:
    """The card error a refused ``error_if_incomplete`` request answers with."""
    pm_id = payment_method_of(ctx, sub)
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
