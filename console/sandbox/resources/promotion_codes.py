"""Promotion codes: customer-facing codes for a coupon; create, retrieve, update, list.

A code's text is unique, ignoring case, among the account's active codes: the
store's lookup table holds the lower-cased text of every active code.
"""

from __future__ import annotations

import re
from typing import Any

from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError, invalid
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

LOOKUP_KIND = "promotion_code.code"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9-]+$")
MAX_CODE = 500
GENERATED_LENGTH = 8


def new_promotion_code(code_id: str, code: str, coupon: str, created: int) -> JSON:
    return {
        "id": code_id,
        "object": "promotion_code",
        "active": True,
        "code": code,
        "created": created,
        "customer": None,
        "customer_account": None,
        "expires_at": None,
        "livemode": False,
        "max_redemptions": None,
        "metadata": {},
        "promotion": {"coupon": coupon, "type": "coupon"},
        "restrictions": {
            "first_time_transaction": False,
            "minimum_amount": None,
            "minimum_amount_currency": None,
        },
        "times_redeemed": 0,
        "_code_lower": code.lower(),
    }


def _currency(value: str, param: str) -> str:
    code = value.lower()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise invalid(f"Invalid currency: {value}.", param=param)
    return code


def _claim_code(ctx: Context, promotion_code: JSON, param: str) -> None:
    key = promotion_code["_code_lower"]
    holder = ctx.store.lookup(ctx.account, LOOKUP_KIND, key)
    if holder is not None and holder != promotion_code["id"]:
        raise StripeError(
            f"An active promotion code with `code: {promotion_code['code']}` already exists.",
            param=param,
            code="resource_already_exists",
        )
    ctx.store.set_lookup(ctx.account, LOOKUP_KIND, key, promotion_code["id"])


def _release_code(ctx: Context, promotion_code: JSON) -> None:
    key = promotion_code["_code_lower"]
    if ctx.store.lookup(ctx.account, LOOKUP_KIND, key) == promotion_code["id"]:
        ctx.store.set_lookup(ctx.account, LOOKUP_KIND, key, None)


def _new_code(ctx: Context) -> str:
    while True:
        code = ids.random_chars(GENERATED_LENGTH).upper()
        if ctx.store.lookup(ctx.account, LOOKUP_KIND, code.lower()) is None:
            return code


def _minimums(value: Any, param: str) -> JSON:
    options: JSON = {}
    for raw_code, option in value.items():
        code = _currency(raw_code, f"{param}[{raw_code}]")
        if "minimum_amount" not in option:
            raise StripeError(
                "Missing required param: minimum_amount.",
                param=f"{param}[{raw_code}][minimum_amount]",
                code="parameter_missing",
            )
        options[code] = {"minimum_amount": option["minimum_amount"]}
    return options


def _restrictions(value: JSON) -> JSON:
    restrictions: JSON = {
        "first_time_transaction": bool(value.get("first_time_transaction", False)),
        "minimum_amount": None,
        "minimum_amount_currency": None,
    }
    has_amount = "minimum_amount" in value
    has_currency = "minimum_amount_currency" in value
    if has_amount != has_currency:
        missing = "minimum_amount_currency" if has_amount else "minimum_amount"
        raise StripeError(
            "restrictions[minimum_amount] and restrictions[minimum_amount_currency] must be "
            "passed together.",
            param=f"restrictions[{missing}]",
            code="parameter_missing",
        )
    if has_amount:
        if value["minimum_amount"] < 1:
            raise invalid(
                "Invalid restrictions[minimum_amount]: must be a positive integer.",
                param="restrictions[minimum_amount]",
            )
        restrictions["minimum_amount"] = value["minimum_amount"]
        restrictions["minimum_amount_currency"] = _currency(
            value["minimum_amount_currency"], "restrictions[minimum_amount_currency]"
        )
    if "currency_options" in value:
        restrictions["currency_options"] = _minimums(
            value["currency_options"], "restrictions[currency_options]"
        )
    return restrictions


@operation("PostPromotionCodes")
def create(ctx: Context, params: JSON) -> JSON:
    from console.sandbox.resources import coupons

    promotion = params["promotion"]
    if not promotion.get("coupon"):
        raise StripeError(
            "Missing required param: promotion[coupon].",
            param="promotion[coupon]",
            code="parameter_missing",
        )
    coupon = coupons.fetch_coupon(ctx, promotion["coupon"], param="promotion[coupon]")
    coupons.check_usable(ctx, coupon, param="promotion[coupon]")
    if "code" in params:
        code = params["code"]
        if not CODE_PATTERN.match(code) or len(code) > MAX_CODE:
            raise invalid(
                "Invalid code: use only letters, digits and dashes "
                f"(at most {MAX_CODE} characters).",
                param="code",
            )
    else:
        code = _new_code(ctx)
    found = new_promotion_code(ctx.new_id("promo", 24), code, coupon["id"], ctx.now())
    if params.get("customer"):
        found["customer"] = ctx.fetch("customer", params["customer"], param="customer")["id"]
    if params.get("customer_account"):
        found["customer_account"] = params["customer_account"]
    if "expires_at" in params:
        expires_at = params["expires_at"]
        if expires_at <= ctx.now():
            raise invalid("Invalid expires_at: must be in the future.", param="expires_at")
        redeem_by = coupon.get("redeem_by")
        if redeem_by is not None and expires_at > redeem_by:
            raise invalid(
                "The promotion code's expires_at must not be after its coupon's redeem_by "
                f"({redeem_by}).",
                param="expires_at",
            )
        found["expires_at"] = expires_at
    if "max_redemptions" in params:
        if params["max_redemptions"] < 1:
            raise invalid(
                "Invalid max_redemptions: must be a positive integer.", param="max_redemptions"
            )
        found["max_redemptions"] = params["max_redemptions"]
    if "restrictions" in params:
        found["restrictions"] = _restrictions(params["restrictions"])
    if "metadata" in params:
        found["metadata"] = metadata({}, params["metadata"])
    if "active" in params:
        found["active"] = params["active"]
    if found["active"]:
        _claim_code(ctx, found, "code")
    ctx.insert(found)
    ctx.emit("promotion_code.created", found)
    return found


def fetch_promotion_code(ctx: Context, code_id: str, *, param: str) -> JSON:
    return ctx.fetch("promotion_code", code_id, param=param, kind="promotion code")


@operation("GetPromotionCodesPromotionCode")
def retrieve(ctx: Context, params: JSON, promotion_code: str) -> JSON:
    return fetch_promotion_code(ctx, promotion_code, param="promotion_code")


@operation("PostPromotionCodesPromotionCode")
def update(ctx: Context, params: JSON, promotion_code: str) -> JSON:
    from console.sandbox.resources import coupons

    found = fetch_promotion_code(ctx, promotion_code, param="promotion_code")
    before = snapshot(found)
    if "active" in params and params["active"] != found["active"]:
        if params["active"]:
            coupon = coupons.fetch_coupon(ctx, found["promotion"]["coupon"], param="active")
            coupons.check_usable(ctx, coupon, param="active")
            _claim_code(ctx, found, "active")
        else:
            _release_code(ctx, found)
        found["active"] = params["active"]
    if "metadata" in params:
        found["metadata"] = metadata(found.get("metadata"), params["metadata"])
    options = (params.get("restrictions") or {}).get("currency_options")
    if options:
        merged = {
            **(found["restrictions"].get("currency_options") or {}),
            **_minimums(options, "restrictions[currency_options]"),
        }
        found["restrictions"]["currency_options"] = merged
    previous = changed(before, found)
    if previous:
        ctx.save(found)
        ctx.emit("promotion_code.updated", found, previous)
    return found


@operation("GetPromotionCodes")
def list_promotion_codes(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if "active" in params:
        where.append(("$.active", params["active"]))
    if params.get("code"):
        where.append(("$._code_lower", params["code"].lower()))
    if params.get("coupon"):
        where.append(("$.promotion.coupon", params["coupon"]))
    if params.get("customer"):
        where.append(("$.customer", params["customer"]))
    if params.get("customer_account"):
        where.append(("$.customer_account", params["customer_account"]))
    return list_objects(
        ctx, params, object_type="promotion_code", url="/v1/promotion_codes", where=where
    )


# -- what other resources use ---------------------------------------------------------------


def _refuse(message: str, param: str) -> StripeError:
    return invalid(message, param=param)


def _has_paid_invoice(ctx: Context, customer: str) -> bool:
    return any(
        invoice.get("status") == "paid"
        for invoice in ctx.store.scan(account=ctx.account, type_="invoice", parent=customer)
    )


def _minimum_for(restrictions: JSON, currency: str) -> int | None:
    if restrictions.get("minimum_amount_currency") == currency:
        minimum: int | None = restrictions.get("minimum_amount")
        return minimum
    option = (restrictions.get("currency_options") or {}).get(currency)
    return None if option is None else int(option["minimum_amount"])


def resolve(
    ctx: Context,
    code_id: str,
    *,
    customer: str | None,
    param: str,
    amount: int | None = None,
    currency: str | None = None,
) -> JSON:
    """The promotion code ``code_id`` if ``customer`` may use it now (not redeemed here)."""
    from console.sandbox.resources import coupons

    found = fetch_promotion_code(ctx, code_id, param=param)
    if not found["active"]:
        raise _refuse(f"The promotion code `{found['code']}` is inactive.", param)
    expires_at = found.get("expires_at")
    if expires_at is not None and expires_at <= ctx.now():
        raise _refuse(f"The promotion code `{found['code']}` has expired.", param)
    limit = found.get("max_redemptions")
    if limit is not None and found["times_redeemed"] >= limit:
        raise _refuse(
            f"The promotion code `{found['code']}` has been redeemed the maximum number of times.",
            param,
        )
    coupon = coupons.fetch_coupon(ctx, found["promotion"]["coupon"], param=param)
    coupons.check_usable(ctx, coupon, param=param)
    if found.get("customer") and found["customer"] != customer:
        raise _refuse(
            f"The promotion code `{found['code']}` cannot be redeemed by this customer.", param
        )
    restrictions = found["restrictions"]
    if restrictions.get("first_time_transaction") and customer and _has_paid_invoice(ctx, customer):
        raise _refuse(
            f"The promotion code `{found['code']}` is only for customers without a prior "
            "transaction.",
            param,
        )
    has_minimum = restrictions.get("minimum_amount") is not None or restrictions.get(
        "currency_options"
    )
    if amount is not None and currency and has_minimum:
        minimum = _minimum_for(restrictions, currency.lower())
        if minimum is None:
            raise _refuse(
                f"The promotion code `{found['code']}` cannot be used with currency "
                f"{currency.lower()}.",
                param,
            )
        if amount < minimum:
            raise _refuse(
                f"The promotion code `{found['code']}` requires a minimum amount of {minimum} "
                f"{currency.lower()}.",
                param,
            )
    return found


def redeem(ctx: Context, promotion_code: JSON) -> None:
    """Count one use of the code and of its coupon (no event, as Stripe)."""
    from console.sandbox.resources import coupons

    coupons.redeem(ctx, promotion_code["promotion"]["coupon"], param="promotion_code")
    promotion_code["times_redeemed"] += 1
    ctx.save(promotion_code)
