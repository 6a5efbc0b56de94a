"""Coupons and promotion codes as billing sees them: usable or not, redeemed, what they take off.

A coupon stops being usable when ``redeem_by`` passes or ``max_redemptions`` is reached; a
promotion code adds its own limits (active, expiry, first-time customers, minimum amount).
``discount_amount`` is what one coupon takes off an amount, in the amount's currency.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from console.sandbox.facts.errors import StripeError, invalid, no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


def fetch_coupon(ctx: Context, coupon_id: str, *, param: str) -> JSON:
    """A coupon that exists and was not deleted, or Stripe's 404 naming ``param``."""
    coupon = ctx.find(coupon_id) if coupon_id else None
    if coupon is None or coupon.get("object") != "coupon" or coupon.get("_deleted"):
        raise no_such("coupon", coupon_id, param=param)
    return coupon


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


def redeem_coupon(ctx: Context, coupon_id: str, *, param: str) -> JSON:
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


def fetch_promotion_code(ctx: Context, code_id: str, *, param: str) -> JSON:
    return ctx.fetch("promotion_code", code_id, param=param, kind="promotion code")


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
    coupon = fetch_coupon(ctx, found["promotion"]["coupon"], param=param)
    check_usable(ctx, coupon, param=param)
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


def redeem_promotion_code(ctx: Context, promotion_code: JSON) -> None:
    """Count one use of the code and of its coupon (no event, as Stripe)."""

    redeem_coupon(ctx, promotion_code["promotion"]["coupon"], param="promotion_code")
    promotion_code["times_redeemed"] += 1
    ctx.save(promotion_code)
