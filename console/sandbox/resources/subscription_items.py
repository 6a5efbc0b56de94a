"""Subscription items: the priced lines of a subscription, each with its own billing period.

Items are stored with ``parent=<subscription id>`` and mirrored in the
subscription's embedded ``items`` list. Creating, changing or deleting one is a
change to its subscription (prorations, an invoice, ``customer.subscription.updated``),
so the handlers here hand the work to :mod:`subscriptions`.
"""

from __future__ import annotations

from console.sandbox.billing import changes, subscription_items
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

# -- prices and amounts ----------------------------------------------------------------


# -- the object -------------------------------------------------------------------------


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

    subscription = ctx.fetch("subscription", params["subscription"], param="subscription")
    entry: JSON = {
        key: params[key]
        for key in ("price", "plan", "price_data", "quantity", "metadata", "discounts")
        if key in params
    }
    before = {i["id"] for i in subscription_items.items_of(ctx, subscription["id"])}
    changes.change_items(
        ctx, subscription, [entry], _change_params(params), param_prefix="", single=True
    )
    added = [
        i for i in subscription_items.items_of(ctx, subscription["id"]) if i["id"] not in before
    ]
    return added[0]


@operation("GetSubscriptionItemsItem")
def retrieve(ctx: Context, params: JSON, item: str) -> JSON:
    return ctx.fetch("subscription_item", item, param="item")


@operation("PostSubscriptionItemsItem")
def update(ctx: Context, params: JSON, item: str) -> JSON:

    found = ctx.fetch("subscription_item", item, param="item")
    subscription = _owning_subscription(ctx, found)
    entry: JSON = {"id": found["id"]}
    for key in ("price", "plan", "price_data", "quantity", "metadata", "discounts"):
        if key in params:
            entry[key] = params[key]
    changes.change_items(
        ctx, subscription, [entry], _change_params(params), param_prefix="", single=True
    )
    return ctx.fetch("subscription_item", item, param="item")


@operation("DeleteSubscriptionItemsItem")
def delete(ctx: Context, params: JSON, item: str) -> JSON:

    found = ctx.fetch("subscription_item", item, param="item")
    subscription = _owning_subscription(ctx, found)
    changes.change_items(
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
