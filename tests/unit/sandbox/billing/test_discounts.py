"""Coupons: what they take off (``discount_amount``) and when they can no longer be redeemed.

Stripe's coupon fields: ``percent_off`` takes a share of the amount, ``amount_off`` a sum in the
coupon's ``currency`` (or its ``currency_options``), never more than there is; ``redeem_by`` is
the "date after which the coupon can no longer be redeemed" and ``max_redemptions`` the
"maximum number of times this coupon can be redeemed, in total, across all customers, before it
is no longer valid".
"""

from __future__ import annotations

import pytest

from console.sandbox.billing import discounts
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.opening import State
from tests.unit.sandbox.billing import builders


def _percent(percent_off: float) -> JSON:
    return {"percent_off": percent_off, "amount_off": None, "currency": None}


def _amount_off(amount_off: int, currency: str = "usd", **options: int) -> JSON:
    return {
        "percent_off": None,
        "amount_off": amount_off,
        "currency": currency,
        "currency_options": {code: {"amount_off": off} for code, off in options.items()},
    }


# -- what a coupon takes off --------------------------------------------------------------------


def test_percent_off_takes_its_share_rounded_to_the_cent() -> None:
    assert discounts.discount_amount(_percent(25), 2000, "usd") == 500
    assert discounts.discount_amount(_percent(25), 1999, "usd") == 500  # 499.75
    assert discounts.discount_amount(_percent(12.5), 1001, "usd") == 125  # 125.125
    assert discounts.discount_amount(_percent(100), 1999, "usd") == 1999


def test_amount_off_takes_its_sum_in_the_same_currency() -> None:
    assert discounts.discount_amount(_amount_off(500), 2000, "usd") == 500
    assert discounts.discount_amount(_amount_off(500), 2000, "USD") == 500


def test_amount_off_never_takes_more_than_the_amount() -> None:
    """A 50 USD coupon on a 20 USD invoice makes it free, not a 30 USD credit."""
    assert discounts.discount_amount(_amount_off(5000), 2000, "usd") == 2000


def test_amount_off_in_another_currency_takes_nothing() -> None:
    assert discounts.discount_amount(_amount_off(500), 2000, "eur") == 0


def test_amount_off_uses_the_currency_option_for_other_currencies() -> None:
    coupon = _amount_off(500, eur=450)
    assert discounts.discount_amount(coupon, 2000, "eur") == 450
    assert discounts.discount_amount(coupon, 300, "eur") == 300


def test_nothing_is_taken_off_a_credit_or_nothing() -> None:
    assert discounts.discount_amount(_percent(50), 0, "usd") == 0
    assert discounts.discount_amount(_percent(50), -1000, "usd") == 0
    assert discounts.discount_amount(_amount_off(500), -1000, "usd") == 0


def test_a_coupon_for_some_products_takes_nothing_off_others() -> None:
    """``applies_to[products]``: the coupon applies to those products only."""
    coupon = {**_percent(50), "applies_to": {"products": ["prod_pro"]}}
    assert discounts.discount_amount(coupon, 2000, "usd", product="prod_pro") == 1000
    assert discounts.discount_amount(coupon, 2000, "usd", product="prod_basic") == 0


# -- when a coupon can no longer be redeemed ----------------------------------------------------


def test_a_coupon_is_redeemed_until_max_redemptions(ctx: Context) -> None:
    coupon = builders.coupon(ctx, percent_off=10, max_redemptions=2)

    discounts.redeem_coupon(ctx, coupon["id"], param="coupon")
    second = discounts.redeem_coupon(ctx, coupon["id"], param="coupon")

    assert (second["times_redeemed"], second["valid"]) == (2, False)
    with pytest.raises(StripeError) as refused:
        discounts.redeem_coupon(ctx, coupon["id"], param="discounts[0][coupon]")
    assert (refused.value.code, refused.value.param) == ("coupon_expired", "discounts[0][coupon]")
    assert builders.stored(ctx, coupon)["times_redeemed"] == 2


def test_a_subscription_cannot_use_a_coupon_at_max_redemptions(ctx: Context) -> None:
    coupon = builders.coupon(ctx, amount_off=500, currency="usd", max_redemptions=1)
    plan = builders.price(ctx, 2000)
    first = builders.customer(ctx, payment_method="pm_card_visa")
    second = builders.customer(ctx, payment_method="pm_card_visa")

    sub = builders.subscribe(ctx, first, plan, discounts=[{"coupon": coupon["id"]}])
    assert builders.invoices_of(ctx, first)[0]["total"] == 1500
    assert sub["status"] == "active"

    with pytest.raises(StripeError) as refused:
        builders.subscribe(ctx, second, plan, discounts=[{"coupon": coupon["id"]}])
    assert (refused.value.code, refused.value.param) == ("coupon_expired", "discounts[0][coupon]")


def test_a_coupon_past_redeem_by_is_refused(state: State) -> None:
    with builders.transaction(state) as ctx:
        coupon = builders.coupon(ctx, percent_off=10, redeem_by=ctx.now() + builders.DAY)
        discounts.check_usable(ctx, coupon, param="coupon")

    builders.advance(state, 2 * builders.DAY)

    with builders.transaction(state) as ctx:
        expired = builders.stored(ctx, coupon)
        # The clock's sweep marked it invalid when redeem_by passed.
        assert expired["valid"] is False
        with pytest.raises(StripeError) as refused:
            discounts.redeem_coupon(ctx, coupon["id"], param="coupon")
        assert refused.value.code == "coupon_expired"
        assert builders.stored(ctx, coupon)["times_redeemed"] == 0


def test_redeem_by_alone_refuses_before_the_sweep_marks_the_coupon(state: State) -> None:
    """``check_usable`` reads ``redeem_by`` itself: no window between the moment and the sweep."""
    with builders.transaction(state) as ctx:
        coupon = builders.coupon(ctx, percent_off=10, redeem_by=ctx.now() + builders.DAY)
    with builders.transaction(state) as ctx:
        ctx.clock.advance_to(ctx.now() + 2 * builders.DAY)

    with builders.transaction(state) as ctx:
        still_marked_valid = builders.stored(ctx, coupon)
        assert still_marked_valid["valid"] is True
        with pytest.raises(StripeError) as refused:
            discounts.check_usable(ctx, still_marked_valid, param="coupon")
        assert refused.value.code == "coupon_expired"
