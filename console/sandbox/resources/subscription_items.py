"""Subscription items: the priced lines of a subscription, each with its own billing period.

Items are stored with ``parent=<subscription id>`` and mirrored in the
subscription's embedded ``items`` list. Creating, changing or deleting one is a
change to its subscription (prorations, an invoice, ``customer.subscription.updated``),
so the handlers here hand the work to :mod:`subscriptions`.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from console.sandbox.billing.prorations import rounded
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

MAX_ITEMS = 20


# -- prices and amounts ----------------------------------------------------------------


def plan_of(price: JSON) -> JSON:
    """The legacy ``plan`` view of a recurring price, which every item still carries."""
    recurring = price.get("recurring") or {}
    plan: JSON = {
        "id": price["id"],
        "object": "plan",
        "active": price.get("active", True),
        "amount": price.get("unit_amount"),
        "amount_decimal": price.get("unit_amount_decimal"),
        "billing_scheme": price.get("billing_scheme", "per_unit"),
        "created": price.get("created", 0),
        "currency": price["currency"],
        "interval": recurring.get("interval", "month"),
        "interval_count": recurring.get("interval_count", 1),
        "livemode": False,
        "metadata": price.get("metadata") or {},
        "meter": recurring.get("meter"),
        "nickname": price.get("nickname"),
        "product": price.get("product"),
        "tiers_mode": price.get("tiers_mode"),
        "transform_usage": price.get("transform_quantity"),
        "trial_period_days": recurring.get("trial_period_days"),
        "usage_type": recurring.get("usage_type", "licensed"),
    }
    return plan


def is_metered(price: JSON) -> bool:
    return bool((price.get("recurring") or {}).get("usage_type") == "metered")


def _unit(value: Any, decimal_value: Any) -> Decimal:
    if decimal_value not in (None, ""):
        return Decimal(str(decimal_value))
    return Decimal(int(value or 0))


def amount_for(price: JSON, quantity: int) -> int:
    """What one full period of ``quantity`` units of ``price`` costs, in minor units."""
    transform = price.get("transform_quantity")
    if transform:
        divided = quantity / int(transform["divide_by"])
        quantity = math.ceil(divided) if transform.get("round") == "up" else math.floor(divided)
    if price.get("billing_scheme") != "tiered":
        return rounded(_unit(price.get("unit_amount"), price.get("unit_amount_decimal")) * quantity)
    tiers = price.get("tiers") or price.get("_tiers") or []
    if price.get("tiers_mode") == "volume":
        for tier in tiers:
            if tier.get("up_to") is None or quantity <= tier["up_to"]:
                unit = _unit(tier.get("unit_amount"), tier.get("unit_amount_decimal"))
                flat = _unit(tier.get("flat_amount"), tier.get("flat_amount_decimal"))
                return rounded(unit * quantity + (flat if quantity else 0))
        return 0
    total = Decimal(0)
    below = 0
    for tier in tiers:
        if quantity <= below:
            break
        top = tier.get("up_to")
        units = quantity - below if top is None else min(quantity, top) - below
        total += _unit(tier.get("unit_amount"), tier.get("unit_amount_decimal")) * units
        total += _unit(tier.get("flat_amount"), tier.get("flat_amount_decimal"))
        if top is None:
            break
        below = top
    return rounded(total)


def _inline_price(ctx: Context, data: JSON, param: str) -> JSON:
    """A price made from ``price_data``: a real but inactive Price object, as Stripe makes."""
    from console.sandbox.resources import prices

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
    price: JSON = prices.create_price(ctx, {**fields, "active": False}, prefix=param)
    return price


def resolve_price(ctx: Context, entry: JSON, param: str, *, required: bool = True) -> JSON | None:
    """The price an ``items[]`` entry names (``price``, legacy ``plan`` or ``price_data``)."""
    from console.sandbox.resources import prices

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
    price: JSON = prices.fetch_price(ctx, entry[key], param=f"{param}[{key}]", require_active=True)
    if price.get("type") != "recurring":
        raise invalid(
            f"The price specified is set to `type=one_time` but this field only accepts prices "
            f"with `type=recurring`. Use `add_invoice_items` for one-time prices: {price['id']}",
            param=f"{param}[{key}]",
        )
    return price


def check_quantity(price: JSON, entry: JSON, param: str) -> int | None:
    """The item's quantity: required-looking default 1 for licensed, none for metered."""
    if is_metered(price):
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


# -- the object -------------------------------------------------------------------------


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
        "plan": plan_of(price),
        "price": price,
        "subscription": subscription_id,
        "tax_rates": [],
    }
    if quantity is not None:
        item["quantity"] = quantity
    return item


def set_price(item: JSON, price: JSON, quantity: int | None) -> None:
    item["price"] = price
    item["plan"] = plan_of(price)
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


# -- handlers ---------------------------------------------------------------------------


def _owning_subscription(ctx: Context, item: JSON) -> JSON:
    return ctx.fetch("subscription", item["subscription"], param="subscription")


def _change_params(params: JSON) -> JSON:
    return {
        key: params[key]
        for key in ("proration_behavior", "proration_date", "payment_behavior")
        if key in params
    }


@operation("PostSubscriptionItems")
def create(ctx: Context, params: JSON) -> JSON:
    from console.sandbox.resources import subscriptions

    subscription = ctx.fetch("subscription", params["subscription"], param="subscription")
    entry: JSON = {
        key: params[key]
        for key in ("price", "plan", "price_data", "quantity", "metadata", "discounts")
        if key in params
    }
    before = {i["id"] for i in items_of(ctx, subscription["id"])}
    subscriptions.change_items(
        ctx, subscription, [entry], _change_params(params), param_prefix="", single=True
    )
    added = [i for i in items_of(ctx, subscription["id"]) if i["id"] not in before]
    return added[0]


@operation("GetSubscriptionItemsItem")
def retrieve(ctx: Context, params: JSON, item: str) -> JSON:
    return ctx.fetch("subscription_item", item, param="item")


@operation("PostSubscriptionItemsItem")
def update(ctx: Context, params: JSON, item: str) -> JSON:
    from console.sandbox.resources import subscriptions

    found = ctx.fetch("subscription_item", item, param="item")
    subscription = _owning_subscription(ctx, found)
    entry: JSON = {"id": found["id"]}
    for key in ("price", "plan", "price_data", "quantity", "metadata", "discounts"):
        if key in params:
            entry[key] = params[key]
    subscriptions.change_items(
        ctx, subscription, [entry], _change_params(params), param_prefix="", single=True
    )
    return ctx.fetch("subscription_item", item, param="item")


@operation("DeleteSubscriptionItemsItem")
def delete(ctx: Context, params: JSON, item: str) -> JSON:
    from console.sandbox.resources import subscriptions

    found = ctx.fetch("subscription_item", item, param="item")
    subscription = _owning_subscription(ctx, found)
    subscriptions.change_items(
        ctx,
        subscription,
        [{"id": found["id"], "deleted": True, "clear_usage": params.get("clear_usage", False)}],
        _change_params(params),
        param_prefix="",
        single=True,
    )
    return {"id": found["id"], "object": "subscription_item", "deleted": True}


@operation("GetSubscriptionItems")
def list_items(ctx: Context, params: JSON) -> JSON:
    subscription = ctx.fetch("subscription", params["subscription"], param="subscription")
    return list_objects(
        ctx,
        params,
        object_type="subscription_item",
        url="/v1/subscription_items",
        parent=subscription["id"],
        predicate=lambda i: not i.get("deleted"),
    )
