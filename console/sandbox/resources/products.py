"""Products: create (with a default price), retrieve, update, delete, list; their features."""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import catalog
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation


def fetch_product(ctx: Context, product_id: str, *, param: str) -> JSON:
    return ctx.fetch("product", product_id, param=param)


@operation("PostProducts")
def create(ctx: Context, params: JSON) -> JSON:
    product = catalog.create_product(ctx, params)
    price_data = params.get("default_price_data")
    if price_data:
        price = catalog.create_price(
            ctx, {**price_data, "product": product["id"]}, prefix="default_price_data"
        )
        product["default_price"] = price["id"]
        ctx.save(product)
        ctx.emit("product.created", product)
        ctx.emit("price.created", price)
        return product
    ctx.emit("product.created", product)
    return product


@operation("GetProductsId")
def retrieve(ctx: Context, params: JSON, id: str) -> JSON:
    return fetch_product(ctx, id, param="id")


@operation("PostProductsId")
def update(ctx: Context, params: JSON, id: str) -> JSON:
    product = fetch_product(ctx, id, param="id")
    before = snapshot(product)
    catalog.apply_product_params(product, params)
    if "default_price" in params:
        product["default_price"] = _default_price(ctx, product, params["default_price"])
    previous = changed(before, product)
    if previous:
        product["updated"] = ctx.now()
        ctx.save(product)
        ctx.emit("product.updated", product, previous)
    return product


def _default_price(ctx: Context, product: JSON, price_id: str) -> str:

    price = catalog.fetch_price(ctx, price_id, param="default_price")
    if price["product"] != product["id"]:
        raise invalid(
            f"The price `{price_id}` does not belong to this product (`{product['id']}`); "
            "a product's default price must be one of its own prices.",
            param="default_price",
        )
    if not price["active"]:
        raise invalid(
            f"The price `{price_id}` is archived; a product's default price must be active.",
            param="default_price",
        )
    return price_id


@operation("DeleteProductsId")
def delete(ctx: Context, params: JSON, id: str) -> JSON:
    product = fetch_product(ctx, id, param="id")
    if ctx.store.count(account=ctx.account, type_="price", parent=id):
        raise invalid(
            "This product cannot be deleted because it has one or more user-created prices."
        )
    stub = {"id": id, "object": "product", "deleted": True}
    ctx.store.replace_type(id, "deleted.product", stub)
    ctx.emit("product.deleted", product)
    return stub


@operation("GetProducts")
def list_products(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    for name in ("active", "shippable", "type", "url"):
        if name in params and params[name] != "":
            where.append((f"$.{name}", params[name]))
    if params.get("ids"):
        where.append(("$.id", list(params["ids"])))
    return list_objects(ctx, params, object_type="product", url="/v1/products", where=where)


# -- product features ------------------------------------------------------------------------
# Only the list is served: attaching a feature needs an ``entitlements.feature``, and the
# entitlements API is outside the spec subset, so no product can have one yet.


@operation("GetProductsProductFeatures")
def list_features(ctx: Context, params: JSON, product: str) -> JSON:
    fetch_product(ctx, product, param="product")
    return list_objects(
        ctx,
        params,
        object_type="product_feature",
        url=f"/v1/products/{product}/features",
        parent=product,
    )
