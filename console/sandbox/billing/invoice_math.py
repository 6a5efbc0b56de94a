"""Invoice arithmetic: line items, discount allocation, totals, customer balance, money display.

Everything is in the currency's minor unit. There is no tax engine, so taxes are
always empty and ``*_excluding_tax`` equal their plain counterparts: a price's
``tax_behavior`` changes nothing without tax rates, exactly as on Stripe.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from resources import load_json

# The invoice object embeds this many lines; the rest are paged through /lines.
EMBEDDED_LINES = 10

# Currencies counted in whole units (a Stripe fact the console needs too: stored once).
ZERO_DECIMAL = frozenset(
    load_json("stripe", "zero-decimal-currencies.json")["zero_decimal_currencies"]
)

SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "CA$", "aud": "A$", "chf": "CHF "}


# -- money ----------------------------------------------------------------------------------


def format_money(amount: int, currency: str) -> str:
    """``-1234, "usd"`` -> ``-$12.34``: how invoices, pages and PDFs show amounts."""
    code = currency.lower()
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    number = f"{value:,}" if code in ZERO_DECIMAL else f"{value // 100:,}.{value % 100:02d}"
    symbol = SYMBOLS.get(code)
    if symbol is None:
        return f"{sign}{number} {code.upper()}"
    return f"{sign}{symbol}{number}"


def round_amount(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def decimal_text(value: Decimal) -> str:
    """Stripe's decimal strings: no exponent, no trailing zeros after the point."""
    return format(value.normalize(), "f")


# -- time -------------------------------------------------------------------------------------


def format_date(moment: int) -> str:
    return dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%-d %b %Y")


# -- lines ----------------------------------------------------------------------------------


def product_of(price: Any) -> str | None:
    if not isinstance(price, dict):
        return None
    product = price.get("product")
    if isinstance(product, dict):
        return str(product["id"])
    return product if isinstance(product, str) else None


def pricing(price: JSON | None, unit_amount_decimal: str | None) -> JSON:
    details = None
    if price is not None:
        details = {"price": price["id"], "product": product_of(price) or ""}
    return {
        "type": "price_details",
        "price_details": details,
        "unit_amount_decimal": unit_amount_decimal,
    }


def line_from_item(line_id: str, invoice_id: str | None, item: JSON) -> JSON:
    """The invoice line an invoice item becomes (subscription prorations keep their item)."""
    details = (item.get("parent") or {}).get("subscription_details") or {}
    subscription = details.get("subscription")
    proration_details = {"credited_items": None}
    if details.get("subscription_item"):
        parent: JSON = {
            "type": "subscription_item_details",
            "subscription_item_details": {
                "invoice_item": item["id"],
                "proration": item["proration"],
                "proration_details": proration_details,
                "subscription": subscription,
                "subscription_item": details["subscription_item"],
            },
            "invoice_item_details": None,
        }
    else:
        parent = {
            "type": "invoice_item_details",
            "invoice_item_details": {
                "invoice_item": item["id"],
                "proration": item["proration"],
                "proration_details": proration_details,
                "subscription": subscription,
            },
            "subscription_item_details": None,
        }
    return {
        "id": line_id,
        "object": "line_item",
        "amount": item["amount"],
        "currency": item["currency"],
        "description": item.get("description"),
        "discount_amounts": [],
        "discountable": item["discountable"],
        "discounts": list(item.get("discounts") or []),
        "invoice": invoice_id,
        "livemode": False,
        "metadata": dict(item.get("metadata") or {}),
        "parent": parent,
        "period": dict(item["period"]),
        "pretax_credit_amounts": [],
        "pricing": item.get("pricing"),
        "quantity": item["quantity"],
        "quantity_decimal": item.get("quantity_decimal"),
        "subscription": subscription,
        "subtotal": item["amount"],
        "taxes": [],
    }


def subscription_line(
    line_id: str,
    invoice_id: str | None,
    *,
    subscription: str,
    item: str,
    price: JSON,
    quantity: int,
    period_start: int,
    period_end: int,
    amount: int,
    description: str,
    proration: bool,
    currency: str,
) -> JSON:
    return {
        "id": line_id,
        "object": "line_item",
        "amount": amount,
        "currency": currency,
        "description": description,
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": invoice_id,
        "livemode": False,
        "metadata": {},
        "parent": {
            "type": "subscription_item_details",
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": proration,
                "proration_details": {"credited_items": None},
                "subscription": subscription,
                "subscription_item": item,
            },
        },
        "period": {"end": period_end, "start": period_start},
        "pretax_credit_amounts": [],
        "pricing": pricing(price, price.get("unit_amount_decimal")),
        "quantity": quantity,
        "quantity_decimal": str(quantity),
        "subscription": subscription,
        "subtotal": amount,
        "taxes": [],
    }


def renewal_description(product_name: str, quantity: int, price: JSON) -> str:
    """Stripe's text for a subscription line: ``1 \u00d7 Pro (at $10.00 / month)``."""
    recurring = price.get("recurring") or {}
    interval = str(recurring.get("interval") or "month")
    count = int(recurring.get("interval_count") or 1)
    every = interval if count == 1 else f"{count} {interval}s"
    unit = price.get("unit_amount")
    at = f" (at {format_money(int(unit), price['currency'])} / {every})" if unit is not None else ""
    return f"{quantity} \u00d7 {product_name}{at}"


def line_product(line: JSON) -> str | None:
    details = (line.get("pricing") or {}).get("price_details") or {}
    product = details.get("product")
    return str(product) if product else None


def embed_lines(invoice: JSON) -> None:
    """Refresh the embedded ``lines`` list from the full line set."""
    lines = invoice["_lines"]
    invoice["lines"] = {
        "object": "list",
        "data": lines[:EMBEDDED_LINES],
        "has_more": len(lines) > EMBEDDED_LINES,
        "url": f"/v1/invoices/{invoice['id']}/lines",
    }


# -- discounts and totals --------------------------------------------------------------------


def _coupon_of(ctx: Context, discount_id: str, transient: dict[str, JSON]) -> JSON | None:
    discount = transient.get(discount_id) or ctx.find(discount_id)
    if discount is None or discount.get("object") != "discount":
        return None
    source = discount.get("source") or {}
    coupon = source.get("coupon") if isinstance(source, dict) else None
    if coupon is None:
        coupon = discount.get("coupon")
    if isinstance(coupon, dict):
        return ctx.find(str(coupon["id"])) or coupon
    return ctx.find(coupon) if isinstance(coupon, str) else None


def _discount_amount(coupon: JSON, amount: int, currency: str, product: str | None) -> int:
    from console.sandbox.resources import coupons

    value = int(coupons.discount_amount(coupon, amount, currency, product))
    return max(0, min(value, amount))


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights``; the remainder lands on the largest ones."""
    whole = sum(weights)
    if whole <= 0 or total <= 0:
        return [0 for _ in weights]
    shares = [total * w // whole for w in weights]
    leftover = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: -weights[i])
    for i in order[:leftover]:
        shares[i] += 1
    return shares


def apply_discounts(
    ctx: Context, invoice: JSON, lines: list[JSON], transient: dict[str, JSON]
) -> list[JSON]:
    """Line discounts first, then the invoice's, each on what is left; returns the totals."""
    currency = invoice["currency"]
    left = {line["id"]: max(line["amount"], 0) for line in lines}
    per_discount: dict[str, int] = {}
    for line in lines:
        line["discount_amounts"] = []
        for discount_id in line.get("discounts") or []:
            coupon = _coupon_of(ctx, discount_id, transient)
            amount = 0
            if coupon is not None and left[line["id"]] > 0:
                amount = _discount_amount(coupon, left[line["id"]], currency, line_product(line))
            left[line["id"]] -= amount
            line["discount_amounts"].append({"amount": amount, "discount": discount_id})
            per_discount[discount_id] = per_discount.get(discount_id, 0) + amount
    for discount_id in invoice.get("discounts") or []:
        coupon = _coupon_of(ctx, discount_id, transient)
        if coupon is None:
            continue
        eligible = [
            line
            for line in lines
            if line["discountable"]
            and left[line["id"]] > 0
            # the coupon's own rule (applies_to products) decides which lines it may touch
            and _discount_amount(coupon, left[line["id"]], currency, line_product(line)) > 0
        ]
        if coupon.get("percent_off") is not None:
            shares = [
                _discount_amount(coupon, left[line["id"]], currency, line_product(line))
                for line in eligible
            ]
        else:
            pool = sum(left[line["id"]] for line in eligible)
            whole = _discount_amount(coupon, pool, currency, None) if pool else 0
            shares = _allocate(whole, [left[line["id"]] for line in eligible])
        for line, share in zip(eligible, shares, strict=True):
            left[line["id"]] -= share
            line["discount_amounts"].append({"amount": share, "discount": discount_id})
        per_discount[discount_id] = per_discount.get(discount_id, 0) + sum(shares)
    for line in lines:
        line["pretax_credit_amounts"] = [
            {
                "amount": entry["amount"],
                "credit_balance_transaction": None,
                "discount": entry["discount"],
                "type": "discount",
            }
            for entry in line["discount_amounts"]
        ]
    return [{"amount": amount, "discount": did} for did, amount in per_discount.items()]


def recompute(
    ctx: Context,
    invoice: JSON,
    *,
    balance: int | None = None,
    transient: dict[str, JSON] | None = None,
) -> None:
    """Totals from the lines; ``balance`` (the customer's) is applied as finalization would.

    ``transient`` holds discounts that exist only for a preview.
    """
    lines: list[JSON] = invoice["_lines"]
    subtotal = sum(line["amount"] for line in lines)
    discounts = apply_discounts(ctx, invoice, lines, transient or {})
    total = subtotal - sum(d["amount"] for d in discounts)
    invoice["subtotal"] = subtotal
    invoice["subtotal_excluding_tax"] = subtotal
    invoice["total"] = total
    invoice["total_excluding_tax"] = total
    invoice["total_discount_amounts"] = discounts
    invoice["total_pretax_credit_amounts"] = [
        {
            "amount": d["amount"],
            "credit_balance_transaction": None,
            "discount": d["discount"],
            "type": "discount",
        }
        for d in discounts
    ]
    invoice["total_taxes"] = []
    if balance is not None:
        apply_balance(invoice, balance)
    elif invoice["status"] == "draft":
        invoice["amount_due"] = max(total, 0)
        invoice["amount_remaining"] = max(total, 0)
    embed_lines(invoice)


def apply_balance(invoice: JSON, balance: int) -> int:
    """Stripe's customer-balance rule; returns the customer's balance afterwards.

    A credit (negative balance) reduces what is due, a debit (positive) adds to
    it, and a negative total becomes credit.
    """
    net = balance + invoice["total"]
    invoice["starting_balance"] = balance
    invoice["ending_balance"] = min(net, 0)
    invoice["amount_due"] = max(net, 0)
    invoice["amount_remaining"] = max(net, 0) - invoice["amount_paid"]
    return int(invoice["ending_balance"])
