"""A posted change checked against what the portal offered (``check_change``)."""

from __future__ import annotations

import pytest

from console.sandbox.billing import portal_rules as rules
from tests.unit.sandbox.portal_rules.conftest import (
    BASIC_M,
    PRO_M,
    assess,
    configuration,
    item,
    payment_method,
    price,
    subscription,
)


def test_check_change_accepts_what_is_offered() -> None:
    result = assess()
    assert (
        rules.check_change(result, price="price_pro_m", quantity=None, promotion_code=False) is None
    )
    assert rules.check_change(result, price=None, quantity=3, promotion_code=False) is None
    assert rules.check_change(result, price=None, quantity=None, promotion_code=True) is None
    assert (
        rules.check_change(result, price="price_basic_y", quantity=5, promotion_code=True) is None
    )


@pytest.mark.parametrize(
    ("price_id", "quantity", "promotion", "code"),
    [
        ("price_elsewhere", None, False, rules.PRICE_NOT_OFFERED),
        ("price_pro_eur", None, False, rules.PRICE_NOT_OFFERED),
        (None, 6, False, rules.QUANTITY_OUT_OF_RANGE),
        (None, 0, False, rules.QUANTITY_OUT_OF_RANGE),
        ("price_pro_m", 2, False, rules.QUANTITY_NOT_ADJUSTABLE),
        (None, None, False, rules.NO_CHANGE),
        ("price_basic_m", 1, False, rules.NO_CHANGE),
    ],
)
def test_check_change_refuses_what_is_not(
    price_id: str | None, quantity: int | None, promotion: bool, code: str
) -> None:
    refused = rules.check_change(
        assess(), price=price_id, quantity=quantity, promotion_code=promotion
    )
    assert refused is not None and refused.code == code


def test_promotion_codes_refused_unless_allowed() -> None:
    result = assess(config=configuration(default_allowed_updates=["price", "quantity"]))
    refused = rules.check_change(result, price=None, quantity=None, promotion_code=True)
    assert refused == rules.Limit(rules.PROMOTION_CODE_NOT_ALLOWED)


def test_switching_product_keeps_a_quantity_that_must_fit() -> None:
    config = configuration()
    config["features"]["subscription_update"]["products"][1]["adjustable_quantity"] = {
        "enabled": True,
        "maximum": 2,
        "minimum": 1,
    }
    result = assess(subscription(item(BASIC_M, quantity=4)), config)
    refused = rules.check_change(result, price="price_pro_m", quantity=None, promotion_code=False)
    assert refused == rules.Limit(rules.QUANTITY_OUT_OF_RANGE, "1-2")
    assert rules.check_change(result, price="price_pro_m", quantity=2, promotion_code=False) is None


def test_every_cancel_only_case_refuses_any_change() -> None:
    metered = price("price_api", "prod_api", 5, usage="metered")
    cases = [
        subscription(item(BASIC_M), item(PRO_M, item_id="si_2")),
        subscription(item(metered, None)),
        subscription(collection_method="send_invoice"),
    ]
    for sub in cases:
        refused = rules.check_change(
            assess(sub), price="price_pro_m", quantity=None, promotion_code=False
        )
        assert refused is not None and refused.code in rules.CANCEL_ONLY
    refused = rules.check_change(
        assess(pm=payment_method("ideal")), price=None, quantity=2, promotion_code=False
    )
    assert refused == rules.Limit(rules.UNSUPPORTED_PAYMENT_METHOD, "ideal")
