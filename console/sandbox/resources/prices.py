"""Prices: one-time and recurring, per-unit and tiered; create, retrieve, update, list.

Prices are never deleted (Stripe archives them with ``active=false``), and once
created only their labels, lookup key, activity and (once) tax behaviour change.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import includable, operation

LOOKUP_KIND = "price.lookup_key"
MAX_DECIMAL_PLACES = 12
MAX_LOOKUP_KEY = 200
MAX_TRIAL_DAYS = 730
# Stripe bills at most every three years: 3 years, 36 months, 156 weeks or 1095 days.
MAX_INTERVAL = {"day": 1095, "week": 156, "month": 36, "year": 3}
SETTLED_TAX_BEHAVIORS = ("exclusive", "inclusive")


def _name(prefix: str, *fields: str) -> str:
    """A parameter in bracket form under ``prefix`` (``default_price_data[unit_amount]``)."""
    head, rest = (prefix, list(fields)) if prefix else (fields[0], list(fields[1:]))
    return head + "".join(f"[{f}]" for f in rest)


def _exclusive(a: str, b: str, param: str) -> StripeError:
    return StripeError(
        f"You may only specify one of these parameters: {a}, {b}.",
        param=param,
        code="parameters_exclusive",
    )


def _currency(value: str, param: str) -> str:
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
        raise _exclusive(integer, decimal, _name(prefix, *path, integer))
    if integer in source:
        amount = _non_negative(source[integer], _name(prefix, *path, integer))
        return amount, str(amount)
    if decimal in source:
        text = decimal_string(source[decimal], _name(prefix, *path, decimal))
        return _whole(text), text
    return None, None


def _custom_unit_amount(value: Any, prefix: str, *path: str) -> JSON | None:
    if not value or not value.get("enabled"):
        return None
    minimum, maximum, preset = value.get("minimum"), value.get("maximum"), value.get("preset")
    for key, amount in (("minimum", minimum), ("maximum", maximum), ("preset", preset)):
        if amount is not None:
            _non_negative(amount, _name(prefix, *path, "custom_unit_amount", key))
    if minimum is not None and maximum is not None and minimum > maximum:
        raise invalid(
            "custom_unit_amount[minimum] must not exceed custom_unit_amount[maximum].",
            param=_name(prefix, *path, "custom_unit_amount", "minimum"),
        )
    if preset is not None and (
        (minimum is not None and preset < minimum) or (maximum is not None and preset > maximum)
    ):
        raise invalid(
            "custom_unit_amount[preset] must be between the minimum and the maximum.",
            param=_name(prefix, *path, "custom_unit_amount", "preset"),
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
                    param=_name(prefix, *where, "up_to"),
                )
            up_to = None
        else:
            if position == last:
                raise invalid(
                    "The last tier must have `up_to` set to `inf`.",
                    param=_name(prefix, *where, "up_to"),
                )
            if up_to <= previous:
                raise invalid(
                    "Tiers must be in ascending order of `up_to`, each above the one before "
                    "and above 0.",
                    param=_name(prefix, *where, "up_to"),
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
            param=_name(prefix, "recurring", "interval_count"),
        )
    usage_type = value.get("usage_type", "licensed")
    meter = value.get("meter")
    if usage_type == "metered" and not meter:
        raise StripeError(
            "Metered prices must be backed by a billing meter: pass recurring[meter].",
            param=_name(prefix, "recurring", "meter"),
            code="parameter_missing",
        )
    if meter and usage_type != "metered":
        raise invalid(
            "recurring[meter] can only be set when recurring[usage_type] is `metered`.",
            param=_name(prefix, "recurring", "meter"),
        )
    trial = value.get("trial_period_days")
    if trial is not None and not 0 <= trial <= MAX_TRIAL_DAYS:
        raise invalid(
            f"recurring[trial_period_days] must be between 0 and {MAX_TRIAL_DAYS}.",
            param=_name(prefix, "recurring", "trial_period_days"),
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
                    param=_name(prefix, field),
                )
        if not params.get("tiers"):
            raise StripeError(
                "Missing required param: tiers.",
                param=_name(prefix, "tiers"),
                code="parameter_missing",
            )
        if "tiers_mode" not in params:
            raise StripeError(
                "Missing required param: tiers_mode.",
                param=_name(prefix, "tiers_mode"),
                code="parameter_missing",
            )
        if params.get("transform_quantity"):
            raise invalid(
                "`transform_quantity` cannot be combined with tiered pricing.",
                param=_name(prefix, "transform_quantity"),
            )
        price["tiers_mode"] = params["tiers_mode"]
        price["_tiers"] = _tiers(params["tiers"], prefix)
        return
    for field in ("tiers", "tiers_mode"):
        if field in params:
            raise invalid(
                f"`{field}` can only be used with `billing_scheme=tiered`.",
                param=_name(prefix, field),
            )
    unit_amount, unit_decimal = _amount_pair(params, "unit_amount", "unit_amount_decimal", prefix)
    if custom is not None:
        if unit_decimal is not None:
            raise _exclusive("unit_amount", "custom_unit_amount", _name(prefix, "unit_amount"))
        if params.get("recurring"):
            raise invalid(
                "`custom_unit_amount` is only supported for one-time prices.",
                param=_name(prefix, "custom_unit_amount"),
            )
        price["custom_unit_amount"] = custom
        return
    if unit_decimal is None:
        raise StripeError(
            "Missing required param: unit_amount (or unit_amount_decimal, or "
            "custom_unit_amount for a one-time price).",
            param=_name(prefix, "unit_amount"),
            code="parameter_missing",
        )
    price["unit_amount"] = unit_amount
    price["unit_amount_decimal"] = unit_decimal


def _currency_options(price: JSON, value: Any, prefix: str) -> JSON:
    options: JSON = {}
    for raw_code, option in (value or {}).items():
        where = ("currency_options", raw_code)
        code = _currency(raw_code, _name(prefix, *where))
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
                    param=_name(prefix, *where, "tiers"),
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
                    param=_name(prefix, *where, "unit_amount"),
                    code="parameter_missing",
                )
            entry["unit_amount"], entry["unit_amount_decimal"] = amount, text
        options[code] = entry
    return options


def _claim_lookup_key(ctx: Context, price: JSON, key: str, transfer: bool, prefix: str) -> None:
    """Give ``key`` to ``price``; another price holding it gives it up only when transferring."""
    if len(key) > MAX_LOOKUP_KEY:
        raise invalid(
            f"lookup_key must be at most {MAX_LOOKUP_KEY} characters.",
            param=_name(prefix, "lookup_key"),
        )
    holder_id = ctx.store.lookup(ctx.account, LOOKUP_KIND, key)
    if holder_id is not None and holder_id != price["id"]:
        if not transfer:
            raise StripeError(
                f"A price (`{holder_id}`) already uses that lookup key. Pass "
                "`transfer_lookup_key=true` to move the key to this price.",
                param=_name(prefix, "lookup_key"),
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
        raise _exclusive("product", "product_data", _name(prefix, "product"))
    if not has_product and "product_data" not in params:
        raise StripeError(
            "You must specify either `product` or `product_data` when creating a price.",
            param=_name(prefix, "product"),
            code="parameter_missing",
        )
    if not has_product:
        from console.sandbox.resources import products

        product = products.create_product(
            ctx, params["product_data"], prefix=_name(prefix, "product_data")
        )
        ctx.emit("product.created", product)
        return str(product["id"])
    product = ctx.fetch("product", params["product"], param=_name(prefix, "product"))
    # Inline ``price_data`` prices are made archived, and may belong to an archived product.
    if not product["active"] and params.get("active", True):
        raise StripeError(
            f"The product `{product['id']}` is archived (active=false); prices can only be "
            "created for active products.",
            param=_name(prefix, "product"),
            code="product_inactive",
        )
    return str(product["id"])


def create_price(ctx: Context, params: JSON, *, prefix: str = "") -> JSON:
    """A new price, stored under its product; the caller emits price.created."""
    currency = _currency(params["currency"], _name(prefix, "currency"))
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
                param=_name(prefix, "transform_quantity", "divide_by"),
            )
        price["transform_quantity"] = {
            "divide_by": transform["divide_by"],
            "round": transform["round"],
        }
    if "currency_options" in params:
        price["_currency_options"] = _currency_options(price, params["currency_options"], prefix)
        if currency in price["_currency_options"]:
            raise invalid(
                "currency_options must not repeat the price's own currency.",
                param=_name(prefix, "currency_options", currency),
            )
    for field in ("active", "nickname"):
        if field in params:
            price[field] = unset(params[field])
    if "metadata" in params:
        price["metadata"] = metadata({}, params["metadata"], param=_name(prefix, "metadata"))
    ctx.insert(price, parent=product_id)
    if params.get("lookup_key"):
        _claim_lookup_key(
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


@operation("PostPrices")
def create(ctx: Context, params: JSON) -> JSON:
    price = create_price(ctx, params)
    ctx.emit("price.created", price)
    return price


@operation("GetPricesPrice")
def retrieve(ctx: Context, params: JSON, price: str) -> JSON:
    return fetch_price(ctx, price, param="price")


@operation("PostPricesPrice")
def update(ctx: Context, params: JSON, price: str) -> JSON:
    found = fetch_price(ctx, price, param="price")
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
            added = _currency_options(found, params["currency_options"], "")
            found["_currency_options"] = {**found.get("_currency_options", {}), **added}
    if params.get("lookup_key"):
        transfer = bool(params.get("transfer_lookup_key"))
        _claim_lookup_key(ctx, found, params["lookup_key"], transfer, "")
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
