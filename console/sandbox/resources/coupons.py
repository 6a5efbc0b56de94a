"""Coupons: create, retrieve, update (name and metadata), delete, list; redeeming and discounts.

A coupon stops being ``valid`` when its ``redeem_by`` passes (the clock's sweep
flips it) or when it has been redeemed ``max_redemptions`` times. Deleting a
coupon keeps the row, hidden: discounts already made from it keep applying, as
at Stripe, but it can no longer be read, listed or redeemed.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError, invalid, no_such
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import includable, on_due, operation

MAX_NAME = 40


def new_coupon(coupon_id: str, created: int) -> JSON:
    return {
        "id": coupon_id,
        "object": "coupon",
        "amount_off": None,
        "created": created,
        "currency": None,
        "duration": "once",
        "duration_in_months": None,
        "livemode": False,
        "max_redemptions": None,
        "metadata": {},
        "name": None,
        "percent_off": None,
        "redeem_by": None,
        "times_redeemed": 0,
        "valid": True,
        "_applies_to": None,
        "_currency_options": None,
    }


def fetch_coupon(ctx: Context, coupon_id: str, *, param: str) -> JSON:
    """A coupon that exists and was not deleted, or Stripe's 404 naming ``param``."""
    coupon = ctx.find(coupon_id) if coupon_id else None
    if coupon is None or coupon.get("object") != "coupon" or coupon.get("_deleted"):
        raise no_such("coupon", coupon_id, param=param)
    return coupon


def _exclusive(a: str, b: str) -> StripeError:
    return StripeError(
        f"You may only specify one of these parameters: {a}, {b}.",
        param=a,
        code="parameters_exclusive",
    )


def _missing(param: str, message: str) -> StripeError:
    return StripeError(message, param=param, code="parameter_missing")


def _amount(ctx: Context, coupon: JSON, params: JSON) -> None:
    has_percent = "percent_off" in params
    has_amount = "amount_off" in params
    if has_percent and has_amount:
        raise _exclusive("amount_off", "percent_off")
    if not has_percent and not has_amount:
        raise _missing(
            "percent_off", "You must pass either `percent_off` or `amount_off` (with `currency`)."
        )
    if has_percent:
        percent = params["percent_off"]
        if not 0 < percent <= 100:
            raise invalid(
                "Invalid percent_off: must be greater than 0 and at most 100.",
                param="percent_off",
            )
        coupon["percent_off"] = percent
        if params.get("currency_options"):
            raise invalid(
                "currency_options can only be used with amount_off coupons.",
                param="currency_options",
            )
    else:
        if params["amount_off"] < 1:
            raise invalid("Invalid amount_off: must be a positive integer.", param="amount_off")
        if not params.get("currency"):
            raise _missing("currency", "You must pass `currency` when passing `amount_off`.")
        coupon["amount_off"] = params["amount_off"]
    if params.get("currency"):
        coupon["currency"] = _currency(params["currency"], "currency")


def _currency(value: str, param: str) -> str:
    code = value.lower()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise invalid(f"Invalid currency: {value}.", param=param)
    return code


def _currency_options(coupon: JSON, value: Any) -> JSON | None:
    if value in (None, ""):
        return coupon.get("_currency_options")
    options: JSON = dict(coupon.get("_currency_options") or {})
    for raw_code, option in value.items():
        code = _currency(raw_code, f"currency_options[{raw_code}]")
        if option["amount_off"] < 1:
            raise invalid(
                "Invalid amount_off: must be a positive integer.",
                param=f"currency_options[{raw_code}][amount_off]",
            )
        options[code] = {"amount_off": option["amount_off"]}
    return options


def _duration(coupon: JSON, params: JSON) -> None:
    duration = params.get("duration", "once")
    coupon["duration"] = duration
    months = params.get("duration_in_months")
    if duration == "repeating":
        if months is None:
            raise _missing(
                "duration_in_months",
                "Missing required param: duration_in_months (required when duration is "
                "`repeating`).",
            )
        if months < 1:
            raise invalid(
                "Invalid duration_in_months: must be a positive integer.",
                param="duration_in_months",
            )
        coupon["duration_in_months"] = months
    elif months is not None:
        raise invalid(
            "duration_in_months can only be set when duration is `repeating`.",
            param="duration_in_months",
        )


def _name(value: Any) -> str | None:
    name = unset(value)
    if name is not None and len(name) > MAX_NAME:
        raise invalid(f"Invalid name: must be at most {MAX_NAME} characters.", param="name")
    return name if name is None else str(name)


def _check_new_id(ctx: Context, coupon_id: str) -> None:
    # Ids are unique across the whole sandbox store, not per account.
    if ctx.store.get(coupon_id) is not None:
        raise StripeError("Coupon already exists.", param="id", code="resource_already_exists")


@operation("PostCoupons")
def create(ctx: Context, params: JSON) -> JSON:
    coupon_id = params.get("id") or ids.random_chars(8).upper()
    if "id" in params:
        _check_new_id(ctx, coupon_id)
    coupon = new_coupon(coupon_id, ctx.now())
    _amount(ctx, coupon, params)
    _duration(coupon, params)
    if "name" in params:
        coupon["name"] = _name(params["name"])
    if "max_redemptions" in params:
        if params["max_redemptions"] < 1:
            raise invalid(
                "Invalid max_redemptions: must be a positive integer.", param="max_redemptions"
            )
        coupon["max_redemptions"] = params["max_redemptions"]
    if "redeem_by" in params:
        if params["redeem_by"] <= ctx.now():
            raise invalid("Invalid redeem_by: must be in the future.", param="redeem_by")
        coupon["redeem_by"] = params["redeem_by"]
    if params.get("applies_to"):
        products = list(params["applies_to"].get("products") or [])
        for position, product in enumerate(products):
            ctx.fetch("product", product, param=f"applies_to[products][{position}]")
        coupon["_applies_to"] = {"products": products}
    if "currency_options" in params:
        coupon["_currency_options"] = _currency_options(coupon, params["currency_options"])
    if "metadata" in params:
        coupon["metadata"] = metadata({}, params["metadata"])
    ctx.insert(coupon, due=coupon["redeem_by"])
    ctx.emit("coupon.created", coupon)
    return coupon


@operation("GetCouponsCoupon")
def retrieve(ctx: Context, params: JSON, coupon: str) -> JSON:
    return fetch_coupon(ctx, coupon, param="coupon")


@operation("PostCouponsCoupon")
def update(ctx: Context, params: JSON, coupon: str) -> JSON:
    found = fetch_coupon(ctx, coupon, param="coupon")
    before = snapshot(found)
    if "name" in params:
        found["name"] = _name(params["name"])
    if "metadata" in params:
        found["metadata"] = metadata(found.get("metadata"), params["metadata"])
    if "currency_options" in params:
        if found["amount_off"] is None:
            raise invalid(
                "currency_options can only be used with amount_off coupons.",
                param="currency_options",
            )
        found["_currency_options"] = _currency_options(found, params["currency_options"])
    if found != before:
        ctx.save(found)
        ctx.emit("coupon.updated", found, changed(before, found))
    return found


@operation("DeleteCouponsCoupon")
def delete(ctx: Context, params: JSON, coupon: str) -> JSON:
    found = fetch_coupon(ctx, coupon, param="coupon")
    ctx.emit("coupon.deleted", found)
    found["_deleted"] = True
    found["valid"] = False
    ctx.save(found, due=None)
    return {"id": coupon, "object": "coupon", "deleted": True}


@operation("GetCoupons")
def list_coupons(ctx: Context, params: JSON) -> JSON:
    return list_objects(
        ctx, params, object_type="coupon", url="/v1/coupons", where=[("$._deleted", None)]
    )


@on_due("coupon")
def redeem_by_passed(ctx: Context, coupon: JSON) -> None:
    coupon["valid"] = False
    ctx.save(coupon, due=None)


@includable("coupon", "applies_to")
def applies_to_of(ctx: Context, coupon: JSON) -> JSON | None:
    applies: JSON | None = coupon.get("_applies_to")
    return applies


@includable("coupon", "currency_options")
def currency_options_of(ctx: Context, coupon: JSON) -> JSON | None:
    options: JSON | None = coupon.get("_currency_options")
    return options


# -- what other resources use: redeeming, discounts, amounts ---------------------------------


def check_usable(ctx: Context, coupon: JSON, *, param: str) -> None:
    """Refuse a coupon that can no longer be applied, naming ``param`` (code coupon_expired)."""
    redeem_by = coupon.get("redeem_by")
    if redeem_by is not None and redeem_by <= ctx.now():
        raise StripeError(f"Coupon expired: {coupon['id']}", param=param, code="coupon_expired")
    limit = coupon.get("max_redemptions")
    if limit is not None and coupon["times_redeemed"] >= limit:
        raise StripeError(
            f"Coupon {coupon['id']} has been redeemed the maximum number of times "
            f"({limit}) and can no longer be applied.",
            param=param,
            code="coupon_expired",
        )
    if not coupon.get("valid", True):
        raise StripeError(
            f"Coupon is no longer valid: {coupon['id']}", param=param, code="coupon_expired"
        )


def redeem(ctx: Context, coupon_id: str, *, param: str) -> JSON:
    """Apply a coupon once: checks it is usable, then counts the redemption (no event)."""
    coupon = fetch_coupon(ctx, coupon_id, param=param)
    check_usable(ctx, coupon, param=param)
    coupon["times_redeemed"] += 1
    limit = coupon.get("max_redemptions")
    if limit is not None and coupon["times_redeemed"] >= limit:
        coupon["valid"] = False
    ctx.save(coupon)
    return coupon


def add_months(moment: int, months: int) -> int:
    """The same day and time ``months`` calendar months later (clamped to the month's end)."""
    start = datetime.fromtimestamp(moment, tz=UTC)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return int(start.replace(year=year, month=month, day=day).timestamp())


def new_discount(
    ctx: Context,
    coupon: JSON,
    *,
    customer: str | None,
    subscription: str | None = None,
    invoice: str | None = None,
    promotion_code: str | None = None,
    subscription_item: str | None = None,
) -> JSON:
    """A ``discount`` made from ``coupon`` now; repeating coupons end after their months."""
    start = ctx.now()
    end = None
    if coupon["duration"] == "repeating" and coupon.get("duration_in_months"):
        end = add_months(start, int(coupon["duration_in_months"]))
    return {
        "id": ctx.new_id("di", 24),
        "object": "discount",
        "checkout_session": None,
        "customer": customer,
        "customer_account": None,
        "end": end,
        "invoice": invoice,
        "invoice_item": None,
        "promotion_code": promotion_code,
        "source": {"coupon": coupon["id"], "type": "coupon"},
        "start": start,
        "subscription": subscription,
        "subscription_item": subscription_item,
    }


def discount_amount(coupon: JSON, amount: int, currency: str, product: str | None = None) -> int:
    """What ``coupon`` takes off ``amount`` (in ``currency``'s minor unit), never more."""
    if amount <= 0:
        return 0
    # Stored coupons keep these hidden; an expanded one shows them.
    applies = coupon.get("_applies_to") or coupon.get("applies_to")
    if applies and product not in applies.get("products", []):
        return 0
    if coupon.get("percent_off") is not None:
        off = Decimal(amount) * Decimal(str(coupon["percent_off"])) / 100
        return min(amount, int(off.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    currency = currency.lower()
    if coupon.get("currency") == currency and coupon.get("amount_off") is not None:
        return min(amount, int(coupon["amount_off"]))
    options = coupon.get("_currency_options") or coupon.get("currency_options") or {}
    option = options.get(currency)
    if option:
        return min(amount, int(option["amount_off"]))
    return 0
