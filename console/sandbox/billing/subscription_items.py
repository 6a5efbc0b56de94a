"""Subscription items: the priced lines of a subscription, each with its quantity and price.

Items are stored with ``parent=<subscription id>`` and mirrored in the subscription's embedded
``items`` list; ``resolve_price`` reads an item entry's ``price`` or ``price_data``.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import catalog
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context

MAX_ITEMS = 20


def _inline_price(ctx: Context, data: JSON, param: str) -> JSON:
    """A price made from ``price_data``: a real but inactive Price object, as Stripe makes."""

    fields: JSON = {
        key: data[key]
        for key in (
            "currency",
            "product",
            "recurring",
            "tax_behavior",
            "unit_amount",
            "unit_amount_decimal",
        )
        if key in data
    }
    if "unit_amount" not in fields and "unit_amount_decimal" not in fields:
        raise invalid(
            "Missing required param: unit_amount.",
            param=f"{param}[unit_amount]",
            code="parameter_missing",
        )
    price: JSON = catalog.create_price(ctx, {**fields, "active": False}, prefix=param)
    return price


def resolve_price(ctx: Context, entry: JSON, param: str, *, required: bool = True) -> JSON | None:
    """The price an ``items[]`` entry names (``price``, legacy ``plan`` or ``price_data``)."""

    given = [key for key in ("price", "plan", "price_data") if entry.get(key) not in (None, "")]
    if len(given) > 1:
        raise invalid(
            f"You may only specify one of these parameters: {', '.join(given)}.",
            param=f"{param}[{given[1]}]",
        )
    if not given:
        if required:
            raise invalid(
                "You must specify either price or price_data for each item.",
                param=f"{param}[price]",
                code="parameter_missing",
            )
        return None
    key = given[0]
    if key == "price_data":
        return _inline_price(ctx, entry["price_data"], f"{param}[price_data]")
    price: JSON = catalog.fetch_price(ctx, entry[key], param=f"{param}[{key}]", require_active=True)
    if price.get("type") != "recurring":
        raise invalid(
            f"The price specified is set to `type=one_time` but this field only accepts prices "
            f"with `type=recurring`. Use `add_invoice_items` for one-time prices: {price['id']}",
            param=f"{param}[{key}]",
        )
    return price


def check_quantity(price: JSON, entry: JSON, param: str) -> int | None:
    """The item's quantity: required-looking default 1 for licensed, none for metered."""
    if catalog.is_metered(price):
        if entry.get("quantity") not in (None, ""):
            raise invalid(
                "Quantity should not be specified where usage_type is `metered`. Remove quantity "
                f"from `{param}`.",
                param=f"{param}[quantity]",
            )
        return None
    quantity = entry.get("quantity", 1)
    if not isinstance(quantity, int) or quantity < 0:
        raise invalid(
            "Invalid integer: quantity must be a non-negative integer.",
            param=f"{param}[quantity]",
        )
    return quantity


def new_item(
    ctx: Context,
    subscription_id: str,
    price: JSON,
    quantity: int | None,
    *,
    period_start: int,
    period_end: int,
    meta: JSON | None = None,
    discounts: list[str] | None = None,
) -> JSON:
    item: JSON = {
        "id": ctx.new_id("si", 14),
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": ctx.now(),
        "current_period_end": period_end,
        "current_period_start": period_start,
        "discounts": list(discounts or []),
        "metadata": dict(meta or {}),
        "plan": catalog.plan_of(price),
        "price": price,
        "subscription": subscription_id,
        "tax_rates": [],
    }
    if quantity is not None:
        item["quantity"] = quantity
    return item


def set_price(item: JSON, price: JSON, quantity: int | None) -> None:
    item["price"] = price
    item["plan"] = catalog.plan_of(price)
    if quantity is None:
        item.pop("quantity", None)
    else:
        item["quantity"] = quantity


def quantity_of(item: JSON) -> int:
    return int(item.get("quantity") or 0)


def items_of(ctx: Context, subscription_id: str) -> list[JSON]:
    """The subscription's live items, oldest first (the order Stripe shows them in)."""
    found = [
        i
        for i in ctx.store.scan(
            account=ctx.account, type_="subscription_item", parent=subscription_id
        )
        if not i.get("deleted")
    ]
    return list(reversed(found))


def apply_metadata(item: JSON, value: Any, param: str) -> None:
    item["metadata"] = metadata(item.get("metadata"), value, param=param)
