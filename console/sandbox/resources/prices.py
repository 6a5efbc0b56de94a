"""Prices: one-time and recurring, per-unit and tiered; create, retrieve, update, list.

Prices are never deleted (Stripe archives them with ``active=false``), and once
created only their labels, lookup key, activity and (once) tax behaviour change.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import catalog
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import includable, operation

SETTLED_TAX_BEHAVIORS = ("exclusive", "inclusive")


@operation("PostPrices")
def create(ctx: Context, params: JSON) -> JSON:
    price = catalog.create_price(ctx, params)
    ctx.emit("price.created", price)
    return price


@operation("GetPricesPrice")
def retrieve(ctx: Context, params: JSON, price: str) -> JSON:
    return catalog.fetch_price(ctx, price, param="price")


@operation("PostPricesPrice")
def update(ctx: Context, params: JSON, price: str) -> JSON:
    found = catalog.fetch_price(ctx, price, param="price")
    before = snapshot(found)
    if params.get("active") is False and found["active"]:
        product = ctx.find(found["product"])
        if product is not None and product.get("default_price") == found["id"]:
            raise invalid(
                "This price cannot be archived because it is the default price of its "
                f"product (`{found['product']}`). Set another default price first.",
                param="active",
            )
    if "active" in params:
        found["active"] = params["active"]
    if "nickname" in params:
        found["nickname"] = unset(params["nickname"])
    if "metadata" in params:
        found["metadata"] = metadata(found.get("metadata"), params["metadata"])
    if "tax_behavior" in params:
        wanted = params["tax_behavior"]
        if found["tax_behavior"] in SETTLED_TAX_BEHAVIORS and wanted != found["tax_behavior"]:
            raise invalid(
                f"The price's tax_behavior is `{found['tax_behavior']}`; once set to "
                "`inclusive` or `exclusive` it cannot be changed.",
                param="tax_behavior",
            )
        found["tax_behavior"] = wanted
    if "currency_options" in params:
        if params["currency_options"] == "":
            found["_currency_options"] = {}
        else:
            added = catalog.currency_options(found, params["currency_options"], "")
            found["_currency_options"] = {**found.get("_currency_options", {}), **added}
    if params.get("lookup_key"):
        transfer = bool(params.get("transfer_lookup_key"))
        catalog.claim_lookup_key(ctx, found, params["lookup_key"], transfer, "")
    previous = changed(before, found)
    ctx.save(found)
    if previous:
        ctx.emit("price.updated", found, previous)
    return found


@operation("GetPrices")
def list_prices(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if "active" in params:
        where.append(("$.active", params["active"]))
    if params.get("currency"):
        where.append(("$.currency", params["currency"].lower()))
    if params.get("type"):
        where.append(("$.type", params["type"]))
    if params.get("lookup_keys"):
        where.append(("$.lookup_key", list(params["lookup_keys"])))
    for field in ("interval", "usage_type", "meter"):
        value = (params.get("recurring") or {}).get(field)
        if value:
            where.append((f"$.recurring.{field}", value))
    return list_objects(
        ctx,
        params,
        object_type="price",
        url="/v1/prices",
        parent=params.get("product") or None,
        where=where,
    )


@includable("price", "tiers")
def tiers_of(ctx: Context, price: JSON) -> list[JSON] | None:
    tiers: list[JSON] | None = price.get("_tiers")
    return tiers


@includable("price", "currency_options")
def currency_options_of(ctx: Context, price: JSON) -> JSON:
    own: JSON = {
        "custom_unit_amount": price["custom_unit_amount"],
        "tax_behavior": price["tax_behavior"],
        "unit_amount": price["unit_amount"],
        "unit_amount_decimal": price["unit_amount_decimal"],
    }
    if price["billing_scheme"] == "tiered":
        own["tiers"] = price.get("_tiers")
    return {price["currency"]: own, **price.get("_currency_options", {})}
