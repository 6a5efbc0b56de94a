"""The API parameters the portal sends for an offered update, preview and schedule."""

from __future__ import annotations

import copy

from console.sandbox.billing import portal_rules as rules
from tests.unit.sandbox.portal_rules.conftest import (
    BASIC_M,
    BASIC_Y,
    CATALOG,
    PRO_M,
    assess,
    configuration,
    item,
    subscription,
)


def test_update_params_carry_the_configuration() -> None:
    config = configuration(billing_cycle_anchor="now", proration_behavior="always_invoice")
    result = assess(config=config)
    params = rules.update_params(
        result, config, price="price_pro_m", quantity=2, promotion_code="promo_1"
    )
    assert params == {
        "items": [{"id": "si_1", "price": "price_pro_m", "quantity": 2}],
        "proration_behavior": "always_invoice",
        "billing_cycle_anchor": {"type": "now"},
        "discounts": [{"promotion_code": "promo_1"}],
    }
    preview = rules.preview_params(result, config, params)
    assert preview["subscription"] == "sub_1" and preview["customer"] == "cus_1"
    assert preview["discounts"] == [{"promotion_code": "promo_1"}]
    assert "discounts" not in preview["subscription_details"]
    assert preview["subscription_details"]["items"] == params["items"]


def test_schedule_at_period_end_conditions() -> None:
    none = configuration()
    assert not rules.deferred_to_period_end(none, PRO_M, 1, BASIC_M, 1)
    decreasing = configuration(
        schedule_at_period_end={"conditions": [{"type": "decreasing_item_amount"}]}
    )
    assert rules.deferred_to_period_end(decreasing, PRO_M, 1, BASIC_M, 1)
    assert rules.deferred_to_period_end(decreasing, BASIC_M, 3, BASIC_M, 2)
    assert not rules.deferred_to_period_end(decreasing, BASIC_M, 1, PRO_M, 1)
    shortening = configuration(
        schedule_at_period_end={"conditions": [{"type": "shortening_interval"}]}
    )
    assert rules.deferred_to_period_end(shortening, BASIC_Y, 1, BASIC_M, 1)
    assert not rules.deferred_to_period_end(shortening, BASIC_M, 1, BASIC_Y, 1)


def test_rules_never_change_their_inputs() -> None:
    sub, config = subscription(), configuration()
    before = copy.deepcopy((sub, config, CATALOG))
    result = assess(sub, config)
    rules.update_params(result, config, price="price_pro_m", quantity=2, promotion_code="p")
    rules.cancel_request(result, config, feedback="other", feedback_option=None, comment="x")
    assert (sub, config, CATALOG) == before


def test_a_deep_links_discount_is_a_change_of_its_own() -> None:
    result = assess(config=configuration(default_allowed_updates=["price"]))
    assert rules.check_change(result, price=None, quantity=None, promotion_code=False) == (
        rules.Limit(rules.NO_CHANGE)
    )
    assert (
        rules.check_change(
            result, price=None, quantity=None, promotion_code=False, merchant_discount=True
        )
        is None
    )
    params = rules.update_params(
        result,
        configuration(),
        price=None,
        quantity=None,
        discounts=[{"coupon": "co_1", "promotion_code": None}],
    )
    assert params["discounts"] == [{"coupon": "co_1"}]
    assert params["items"] == [{"id": "si_1"}]


def test_a_deferred_change_keeps_the_plan_until_the_period_ends() -> None:
    result = assess(subscription(item(PRO_M, quantity=2)))
    params = rules.schedule_params(result, price="price_basic_m", quantity=None)
    first, second = params["phases"]
    assert first == {
        "items": [{"price": "price_pro_m", "quantity": 2}],
        "end_date": 1_800_000_000 + 30 * 86400,
    }
    assert second["items"] == [{"price": "price_basic_m", "quantity": 2}]
    assert params["end_behavior"] == "release"
