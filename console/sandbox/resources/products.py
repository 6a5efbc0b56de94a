"""Products: create (with a default price), retrieve, update, delete, list; their features."""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.fields import assign, metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

MAX_IMAGES = 8
MAX_MARKETING_FEATURES = 15
MAX_STATEMENT_DESCRIPTOR = 22

PLAIN_FIELDS = ("description", "statement_descriptor", "tax_code", "unit_label", "url")


def new_product(product_id: str, name: str, created: int) -> JSON:
    return {
        "id": product_id,
        "object": "product",
        "active": True,
        "created": created,
        "default_price": None,
        "description": None,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": {},
        "name": name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "tax_details": None,
        "type": "service",
        "unit_label": None,
        "updated": created,
        "url": None,
    }


def _name(value: Any, param: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StripeError(
            f"You passed an empty string for '{param}'. We assume empty values are an attempt "
            f"to unset a parameter; however '{param}' cannot be unset. You should remove "
            f"'{param}' from your request or supply a non-empty value.",
            param=param,
            code="parameter_invalid_empty",
        )
    return value


def _tax_details(value: Any) -> JSON | None:
    if value in (None, ""):
        return None
    return {
        "performance_location": value.get("performance_location"),
        "tax_code": value.get("tax_code") or None,
    }


def _apply(product: JSON, params: JSON, prefix: str = "") -> None:
    """Fields shared by create, update and ``product_data`` (``prefix`` names nested params)."""

    def name_of(field: str) -> str:
        return f"{prefix}[{field}]" if prefix else field

    if "name" in params:
        product["name"] = _name(params["name"], name_of("name"))
    descriptor = params.get("statement_descriptor")
    if isinstance(descriptor, str) and len(descriptor) > MAX_STATEMENT_DESCRIPTOR:
        raise invalid(
            f"Statement descriptors must be at most {MAX_STATEMENT_DESCRIPTOR} characters.",
            param=name_of("statement_descriptor"),
        )
    assign(product, params, *PLAIN_FIELDS)
    if "active" in params:
        product["active"] = params["active"]
    if "metadata" in params:
        product["metadata"] = metadata(
            product.get("metadata"), params["metadata"], param=name_of("metadata")
        )
    if "tax_details" in params:
        product["tax_details"] = _tax_details(params["tax_details"])
    if "images" in params:
        images = list(params["images"] or [])
        if len(images) > MAX_IMAGES:
            raise invalid(
                f"You can have at most {MAX_IMAGES} images on a product.", param=name_of("images")
            )
        product["images"] = images
    if "marketing_features" in params:
        features = list(params["marketing_features"] or [])
        if len(features) > MAX_MARKETING_FEATURES:
            raise invalid(
                f"You can have at most {MAX_MARKETING_FEATURES} marketing features.",
                param=name_of("marketing_features"),
            )
        product["marketing_features"] = [{"name": f.get("name")} for f in features]
    if "package_dimensions" in params:
        dims = params["package_dimensions"]
        product["package_dimensions"] = (
            None if dims == "" else {k: dims[k] for k in ("height", "length", "weight", "width")}
        )
    if "shippable" in params:
        product["shippable"] = params["shippable"]


def _check_new_id(ctx: Context, product_id: str, param: str) -> None:
    # Ids are unique across the whole sandbox store, not per account.
    if ctx.store.get(product_id) is not None:
        raise StripeError(
            f"Product already exists with ID: {product_id}",
            param=param,
            code="resource_already_exists",
        )


def create_product(ctx: Context, params: JSON, *, prefix: str = "") -> JSON:
    """A new product from create's params (or a price's ``product_data``); emits product.created.

    ``default_price_data`` is handled by the caller, after the product exists.
    """
    product_id = params.get("id") or ctx.new_id("prod", 14)
    if "id" in params:
        _check_new_id(ctx, product_id, f"{prefix}[id]" if prefix else "id")
    product = new_product(product_id, "", ctx.now())
    if "type" in params:
        product["type"] = params["type"]
    _apply(product, params, prefix)
    ctx.insert(product)
    return product


def fetch_product(ctx: Context, product_id: str, *, param: str) -> JSON:
    return ctx.fetch("product", product_id, param=param)


@operation("PostProducts")
def create(ctx: Context, params: JSON) -> JSON:
    product = create_product(ctx, params)
    price_data = params.get("default_price_data")
    if price_data:
        from console.sandbox.resources import prices

        price = prices.create_price(
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
    _apply(product, params)
    if "default_price" in params:
        product["default_price"] = _default_price(ctx, product, params["default_price"])
    previous = changed(before, product)
    if previous:
        product["updated"] = ctx.now()
        ctx.save(product)
        ctx.emit("product.updated", product, previous)
    return product


def _default_price(ctx: Context, product: JSON, price_id: str) -> str:
    from console.sandbox.resources import prices

    price = prices.fetch_price(ctx, price_id, param="default_price")
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
