"""What the catalog means to billing: prices and products as objects, and what a price costs.

``create_price``/``fetch_price`` and ``create_product`` make and read them (the resource
modules and inline ``price_data`` both use them); ``amount_for`` is what one full period of a
quantity costs, per unit or tiered (graduated or volume), after ``transform_quantity``.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from console.sandbox.billing.prorations import rounded
from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.fields import assign, metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot

LOOKUP_KIND = "price.lookup_key"


MAX_DECIMAL_PLACES = 12


MAX_LOOKUP_KEY = 200


MAX_TRIAL_DAYS = 730


# Stripe bills at most every three years: 3 years, 36 months, 156 weeks or 1095 days.
MAX_INTERVAL = {"day": 1095, "week": 156, "month": 36, "year": 3}


def _param_name(prefix: str, *fields: str) -> str:
    """A parameter in bracket form under ``prefix`` (``default_price_data[unit_amount]``)."""
    head, rest = (prefix, list(fields)) if prefix else (fields[0], list(fields[1:]))
    return head + "".join(f"[{f}]" for f in rest)


def _exclusive(a: str, b: str, param: str) -> StripeError:
    return StripeError(
        f"You may only specify one of these parameters: {a}, {b}.",
        param=param,
        code="parameters_exclusive",
    )


def currency_code(value: str, param: str) -> str:
    code = value.lower()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise invalid(f"Invalid currency: {value}.", param=param)
    return code


def decimal_string(value: Any, param: str) -> str:
    """Stripe's canonical form of a decimal amount: no exponent, no trailing zeros."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise invalid(f"Invalid decimal: {value}", param=param) from None
    if not number.is_finite() or number < 0:
        raise invalid(f"Invalid decimal: {value}; must be a non-negative number.", param=param)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        raise invalid(
            f"Invalid decimal: {value}; at most {MAX_DECIMAL_PLACES} decimal places.", param=param
        )
    return format(number.normalize(), "f")


def _whole(decimal: str) -> int | None:
    number = Decimal(decimal)
    return int(number) if number == number.to_integral_value() else None


def _non_negative(value: Any, param: str) -> int:
    if value < 0:
        raise invalid(f"Invalid non-negative integer: {value}", param=param)
    return int(value)


def _amount_pair(
    source: JSON, integer: str, decimal: str, prefix: str, *path: str
) -> tuple[int | None, str | None]:
    """``unit_amount`` / ``unit_amount_decimal`` (or the flat pair): at most one, both shown."""
    if integer in source and decimal in source:
        raise _exclusive(integer, decimal, _param_name(prefix, *path, integer))
    if integer in source:
        amount = _non_negative(source[integer], _param_name(prefix, *path, integer))
        return amount, str(amount)
    if decimal in source:
        text = decimal_string(source[decimal], _param_name(prefix, *path, decimal))
        return _whole(text), text
    return None, None


def _custom_unit_amount(value: Any, prefix: str, *path: str) -> JSON | None:
    if not value or not value.get("enabled"):
        return None
    minimum, maximum, preset = value.get("minimum"), value.get("maximum"), value.get("preset")
    for key, amount in (("minimum", minimum), ("maximum", maximum), ("preset", preset)):
        if amount is not None:
            _non_negative(amount, _param_name(prefix, *path, "custom_unit_amount", key))
    if minimum is not None and maximum is not None and minimum > maximum:
        raise invalid(
            "custom_unit_amount[minimum] must not exceed custom_unit_amount[maximum].",
            param=_param_name(prefix, *path, "custom_unit_amount", "minimum"),
        )
    if preset is not None and (
        (minimum is not None and preset < minimum) or (maximum is not None and preset > maximum)
    ):
        raise invalid(
            "custom_unit_amount[preset] must be between the minimum and the maximum.",
            param=_param_name(prefix, *path, "custom_unit_amount", "preset"),
        )
    return {"maximum": maximum, "minimum": minimum, "preset": preset}


def _tiers(value: Any, prefix: str, *path: str) -> list[JSON]:
    tiers: list[JSON] = []
    previous = 0
    last = len(value) - 1
    for position, tier in enumerate(value):
        where = (*path, "tiers", str(position))
        unit_amount, unit_decimal = _amount_pair(
            tier, "unit_amount", "unit_amount_decimal", prefix, *where
        )
        flat_amount, flat_decimal = _amount_pair(
            tier, "flat_amount", "flat_amount_decimal", prefix, *where
        )
        up_to = tier["up_to"]
        if up_to == "inf":
            if position != last:
                raise invalid(
                    "Only the last tier may have `up_to` set to `inf`.",
                    param=_param_name(prefix, *where, "up_to"),
                )
            up_to = None
        else:
            if position == last:
                raise invalid(
                    "The last tier must have `up_to` set to `inf`.",
                    param=_param_name(prefix, *where, "up_to"),
                )
            if up_to <= previous:
                raise invalid(
                    "Tiers must be in ascending order of `up_to`, each above the one before "
                    "and above 0.",
                    param=_param_name(prefix, *where, "up_to"),
                )
            previous = up_to
        tiers.append(
            {
                "flat_amount": flat_amount,
                "flat_amount_decimal": flat_decimal,
                "unit_amount": unit_amount,
                "unit_amount_decimal": unit_decimal,
                "up_to": up_to,
            }
        )
    return tiers


def _recurring(value: Any, prefix: str) -> JSON:
    interval = value["interval"]
    count = value.get("interval_count", 1)
    if count < 1 or count > MAX_INTERVAL[interval]:
        raise invalid(
            "Invalid recurring[interval_count]: the maximum billing interval is three years "
            "(3 years, 36 months, 156 weeks, or 1095 days), and the count must be at least 1.",
            param=_param_name(prefix, "recurring", "interval_count"),
        )
    usage_type = value.get("usage_type", "licensed")
    meter = value.get("meter")
    if usage_type == "metered" and not meter:
        raise StripeError(
            "Metered prices must be backed by a billing meter: pass recurring[meter].",
            param=_param_name(prefix, "recurring", "meter"),
            code="parameter_missing",
        )
    if meter and usage_type != "metered":
        raise invalid(
            "recurring[meter] can only be set when recurring[usage_type] is `metered`.",
            param=_param_name(prefix, "recurring", "meter"),
        )
    trial = value.get("trial_period_days")
    if trial is not None and not 0 <= trial <= MAX_TRIAL_DAYS:
        raise invalid(
            f"recurring[trial_period_days] must be between 0 and {MAX_TRIAL_DAYS}.",
            param=_param_name(prefix, "recurring", "trial_period_days"),
        )
    return {
        "interval": interval,
        "interval_count": count,
        "meter": meter,
        "trial_period_days": trial,
        "usage_type": usage_type,
    }


def new_price(price_id: str, product: str, currency: str, created: int) -> JSON:
    return {
        "id": price_id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": product,
        "recurring": None,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "one_time",
        "unit_amount": None,
        "unit_amount_decimal": None,
        "_tiers": None,
        "_currency_options": {},
    }


def _amounts(price: JSON, params: JSON, prefix: str) -> None:
    """How much the price charges: per unit (fixed or customer-chosen) or by tiers."""
    scheme = params.get("billing_scheme", "per_unit")
    price["billing_scheme"] = scheme
    custom = _custom_unit_amount(params.get("custom_unit_amount"), prefix)
    if scheme == "tiered":
        for field in ("unit_amount", "unit_amount_decimal", "custom_unit_amount"):
            if field in params:
                raise invalid(
                    f"`{field}` cannot be used with `billing_scheme=tiered`; set the amounts "
                    "in `tiers`.",
                    param=_param_name(prefix, field),
                )
        if not params.get("tiers"):
            raise StripeError(
                "Missing required param: tiers.",
                param=_param_name(prefix, "tiers"),
                code="parameter_missing",
            )
        if "tiers_mode" not in params:
            raise StripeError(
                "Missing required param: tiers_mode.",
                param=_param_name(prefix, "tiers_mode"),
                code="parameter_missing",
            )
        if params.get("transform_quantity"):
            raise invalid(
                "`transform_quantity` cannot be combined with tiered pricing.",
                param=_param_name(prefix, "transform_quantity"),
            )
        price["tiers_mode"] = params["tiers_mode"]
        price["_tiers"] = _tiers(params["tiers"], prefix)
        return
    for field in ("tiers", "tiers_mode"):
        if field in params:
            raise invalid(
                f"`{field}` can only be used with `billing_scheme=tiered`.",
                param=_param_name(prefix, field),
            )
    unit_amount, unit_decimal = _amount_pair(params, "unit_amount", "unit_amount_decimal", prefix)
    if custom is not None:
        if unit_decimal is not None:
            raise _exclusive(
                "unit_amount", "custom_unit_amount", _param_name(prefix, "unit_amount")
            )
        if params.get("recurring"):
            raise invalid(
                "`custom_unit_amount` is only supported for one-time prices.",
                param=_param_name(prefix, "custom_unit_amount"),
            )
        price["custom_unit_amount"] = custom
        return
    if unit_decimal is None:
        raise StripeError(
            "Missing required param: unit_amount (or unit_amount_decimal, or "
            "custom_unit_amount for a one-time price).",
            param=_param_name(prefix, "unit_amount"),
            code="parameter_missing",
        )
    price["unit_amount"] = unit_amount
    price["unit_amount_decimal"] = unit_decimal


def currency_options(price: JSON, value: Any, prefix: str) -> JSON:
    options: JSON = {}
    for raw_code, option in (value or {}).items():
        where = ("currency_options", raw_code)
        code = currency_code(raw_code, _param_name(prefix, *where))
        entry: JSON = {
            "custom_unit_amount": _custom_unit_amount(
                option.get("custom_unit_amount"), prefix, *where
            ),
            "tax_behavior": option.get("tax_behavior", price["tax_behavior"]),
            "unit_amount": None,
            "unit_amount_decimal": None,
        }
        if price["billing_scheme"] == "tiered":
            if not option.get("tiers"):
                raise StripeError(
                    "Missing required param: tiers.",
                    param=_param_name(prefix, *where, "tiers"),
                    code="parameter_missing",
                )
            entry["tiers"] = _tiers(option["tiers"], prefix, *where)
        elif entry["custom_unit_amount"] is None:
            amount, text = _amount_pair(
                option, "unit_amount", "unit_amount_decimal", prefix, *where
            )
            if text is None:
                raise StripeError(
                    "Missing required param: unit_amount.",
                    param=_param_name(prefix, *where, "unit_amount"),
                    code="parameter_missing",
                )
            entry["unit_amount"], entry["unit_amount_decimal"] = amount, text
        options[code] = entry
    return options


def claim_lookup_key(ctx: Context, price: JSON, key: str, transfer: bool, prefix: str) -> None:
    """Give ``key`` to ``price``; another price holding it gives it up only when transferring."""
    if len(key) > MAX_LOOKUP_KEY:
        raise invalid(
            f"lookup_key must be at most {MAX_LOOKUP_KEY} characters.",
            param=_param_name(prefix, "lookup_key"),
        )
    holder_id = ctx.store.lookup(ctx.account, LOOKUP_KIND, key)
    if holder_id is not None and holder_id != price["id"]:
        if not transfer:
            raise StripeError(
                f"A price (`{holder_id}`) already uses that lookup key. Pass "
                "`transfer_lookup_key=true` to move the key to this price.",
                param=_param_name(prefix, "lookup_key"),
                code="resource_already_exists",
            )
        holder = ctx.find(holder_id)
        if holder is not None:
            before = snapshot(holder)
            holder["lookup_key"] = None
            ctx.save(holder)
            ctx.emit("price.updated", holder, changed(before, holder))
    if price.get("lookup_key") and price["lookup_key"] != key:
        ctx.store.set_lookup(ctx.account, LOOKUP_KIND, price["lookup_key"], None)
    ctx.store.set_lookup(ctx.account, LOOKUP_KIND, key, price["id"])
    price["lookup_key"] = key


def _product_for(ctx: Context, params: JSON, prefix: str) -> str:
    has_product = "product" in params
    if has_product and "product_data" in params:
        raise _exclusive("product", "product_data", _param_name(prefix, "product"))
    if not has_product and "product_data" not in params:
        raise StripeError(
            "You must specify either `product` or `product_data` when creating a price.",
            param=_param_name(prefix, "product"),
            code="parameter_missing",
        )
    if not has_product:
        product = create_product(
            ctx, params["product_data"], prefix=_param_name(prefix, "product_data")
        )
        ctx.emit("product.created", product)
        return str(product["id"])
    product = ctx.fetch("product", params["product"], param=_param_name(prefix, "product"))
    # Inline ``price_data`` prices are made archived, and may belong to an archived product.
    if not product["active"] and params.get("active", True):
        raise StripeError(
            f"The product `{product['id']}` is archived (active=false); prices can only be "
            "created for active products.",
            param=_param_name(prefix, "product"),
            code="product_inactive",
        )
    return str(product["id"])


def create_price(ctx: Context, params: JSON, *, prefix: str = "") -> JSON:
    """A new price, stored under its product; the caller emits price.created."""
    currency = currency_code(params["currency"], _param_name(prefix, "currency"))
    product_id = _product_for(ctx, params, prefix)
    price = new_price(ctx.new_id("price", 24), product_id, currency, ctx.now())
    if params.get("recurring"):
        price["type"] = "recurring"
        price["recurring"] = _recurring(params["recurring"], prefix)
    if "tax_behavior" in params:
        price["tax_behavior"] = params["tax_behavior"]
    _amounts(price, params, prefix)
    if params.get("transform_quantity"):
        transform = params["transform_quantity"]
        if transform["divide_by"] < 1:
            raise invalid(
                "transform_quantity[divide_by] must be at least 1.",
                param=_param_name(prefix, "transform_quantity", "divide_by"),
            )
        price["transform_quantity"] = {
            "divide_by": transform["divide_by"],
            "round": transform["round"],
        }
    if "currency_options" in params:
        price["_currency_options"] = currency_options(price, params["currency_options"], prefix)
        if currency in price["_currency_options"]:
            raise invalid(
                "currency_options must not repeat the price's own currency.",
                param=_param_name(prefix, "currency_options", currency),
            )
    for field in ("active", "nickname"):
        if field in params:
            price[field] = unset(params[field])
    if "metadata" in params:
        price["metadata"] = metadata({}, params["metadata"], param=_param_name(prefix, "metadata"))
    ctx.insert(price, parent=product_id)
    if params.get("lookup_key"):
        claim_lookup_key(
            ctx, price, params["lookup_key"], bool(params.get("transfer_lookup_key")), prefix
        )
        ctx.save(price)
    return price


def fetch_price(ctx: Context, price_id: str, *, param: str, require_active: bool = False) -> JSON:
    """The price named by ``param``; archived prices are refused for new purchases."""
    price = ctx.fetch("price", price_id, param=param)
    if require_active and not price["active"]:
        raise invalid(
            f"The price specified ({price_id}) is inactive. This field only accepts active prices.",
            param=param,
        )
    return price


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


def apply_product_params(product: JSON, params: JSON, prefix: str = "") -> None:
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
    apply_product_params(product, params, prefix)
    ctx.insert(product)
    return product


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
