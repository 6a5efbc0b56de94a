"""Prices the portal offers only with the subscription's tax behaviour."""

from __future__ import annotations

from console.sandbox.billing import portal_rules as rules
from tests.unit.sandbox.portal_rules.conftest import (
    PRO_INCL,
    assess,
    codes,
    configuration,
    item,
    price,
    subscription,
)


def test_unspecified_tax_behavior_blocks_every_price_change() -> None:
    current = price("price_basic_unspec", tax="unspecified")
    result = assess(subscription(item(current)))
    assert codes(result.price_limits) == [rules.TAX_BEHAVIOR_UNSPECIFIED]
    assert result.prices == ()
    # Quantity and promotion codes are still offered.
    assert result.can_update and "prod_basic" in result.quantities
    refused = rules.check_change(
        result, price="price_pro_unspec", quantity=None, promotion_code=False
    )
    assert refused == rules.Limit(rules.TAX_BEHAVIOR_UNSPECIFIED)


def test_unspecified_tax_with_nothing_else_offered_is_explained() -> None:
    current = price("price_basic_unspec", tax="unspecified")
    result = assess(
        subscription(item(current)), config=configuration(default_allowed_updates=["price"])
    )
    assert codes(result.update_limits) == [rules.NOTHING_OFFERED]
    assert codes(result.price_limits) == [rules.TAX_BEHAVIOR_UNSPECIFIED]


def test_prices_of_another_tax_behavior_are_excluded_and_refused() -> None:
    result = assess()
    excluded = dict(result.excluded_prices)
    assert excluded["price_pro_incl"] == rules.Limit(rules.TAX_BEHAVIOR_DIFFERS, "inclusive")
    assert excluded["price_pro_unspec"] == rules.Limit(rules.TAX_BEHAVIOR_DIFFERS, "unspecified")
    refused = rules.check_change(
        result, price="price_pro_incl", quantity=None, promotion_code=False
    )
    assert refused is not None and refused.code == rules.TAX_BEHAVIOR_DIFFERS
    inclusive = assess(subscription(item(PRO_INCL)))
    assert [p["id"] for p in inclusive.prices] == []
    assert codes(inclusive.update_limits) == []  # promotion codes remain
