"""A subscription the portal can update: the prices, quantities and codes it offers."""

from __future__ import annotations

import pytest

from console.sandbox.billing import portal_rules as rules
from console.sandbox.facts.spec import JSON
from tests.unit.sandbox.portal_rules.conftest import (
    CATALOG,
    PRO_Y,
    PRODUCTS,
    assess,
    configuration,
    customer,
    payment_method,
    price,
    subscription,
)


def test_plain_subscription_offers_every_configured_update() -> None:
    result = assess()
    assert result.can_update and result.can_cancel
    assert [p["id"] for p in result.prices] == [
        "price_basic_y",
        "price_pro_m",
        "price_pro_y",
    ]
    assert result.quantities["prod_basic"] == rules.QuantityRange(1, 5)
    assert "prod_pro" not in result.quantities
    assert result.promotion_code
    assert result.feedback == ("too_expensive", "other")
    assert result.feedback_options == ("bfo_custom",)
    assert not result.can_renew and result.trial_behavior is None


def test_prices_of_other_currency_inactive_or_metered_are_not_offered() -> None:
    catalog = {**CATALOG, "price_pro_y": {**PRO_Y, "active": False}}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(),
        payment_method=payment_method(),
        prices=catalog,
        products=PRODUCTS,
    )
    offered = [p["id"] for p in result.prices]
    assert "price_pro_eur" not in offered and "price_pro_y" not in offered
    metered = {**CATALOG, "price_pro_m": price("price_pro_m", "prod_pro", usage="metered")}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(),
        payment_method=payment_method(),
        prices=metered,
        products=PRODUCTS,
    )
    assert "price_pro_m" not in [p["id"] for p in result.prices]


def test_an_archived_product_offers_none_of_its_prices() -> None:
    products: dict[str, JSON] = {**PRODUCTS, "prod_pro": {"id": "prod_pro", "active": False}}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(),
        payment_method=payment_method(),
        prices=CATALOG,
        products=products,
    )
    assert [p["id"] for p in result.prices] == ["price_basic_y"]


def test_only_the_first_ten_products_are_offered() -> None:
    entries = [
        {
            "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 0},
            "prices": [f"price_x{n}"],
            "product": f"prod_x{n}",
        }
        for n in range(11)
    ]
    catalog = {f"price_x{n}": price(f"price_x{n}", f"prod_x{n}") for n in range(11)}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(products=entries),
        payment_method=payment_method(),
        prices=catalog,
    )
    assert [p["id"] for p in result.prices] == [f"price_x{n}" for n in range(10)]


def test_quantity_range_defaults() -> None:
    config = configuration()
    config["features"]["subscription_update"]["products"][0]["adjustable_quantity"] = {
        "enabled": True,
        "maximum": None,
        "minimum": 0,
    }
    assert assess(config=config).quantities["prod_basic"] == rules.QuantityRange(1, 99)


@pytest.mark.parametrize(
    ("allowed", "prices", "quantity", "promotion"),
    [
        (["price"], True, False, False),
        (["quantity"], False, True, False),
        (["promotion_code"], False, False, True),
    ],
)
def test_default_allowed_updates_decide_each_kind(
    allowed: list[str], prices: bool, quantity: bool, promotion: bool
) -> None:
    result = assess(config=configuration(default_allowed_updates=allowed))
    assert result.can_update
    assert bool(result.prices) is prices
    assert ("prod_basic" in result.quantities) is quantity
    assert result.promotion_code is promotion
