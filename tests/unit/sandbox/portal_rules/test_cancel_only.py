"""Subscriptions the portal can only cancel, and the reasons it gives."""

from __future__ import annotations

import pytest

from console.sandbox.billing import portal_rules as rules
from tests.unit.sandbox.portal_rules.conftest import (
    BASIC_M,
    CATALOG,
    PRO_M,
    PRODUCTS,
    assess,
    codes,
    configuration,
    customer,
    item,
    payment_method,
    price,
    subscription,
)


def test_several_products_is_cancel_only() -> None:
    sub = subscription(item(BASIC_M), item(PRO_M, item_id="si_2"))
    result = assess(sub)
    assert codes(result.cancel_only) == [rules.SEVERAL_PRODUCTS]
    assert rules.SEVERAL_PRODUCTS in codes(result.update_limits)
    assert not result.can_update and result.can_cancel


def test_two_items_of_one_product_is_cancel_only() -> None:
    other = price("price_basic_addon", amount=500, interval="month")
    result = assess(subscription(item(BASIC_M), item(other, item_id="si_2")))
    assert codes(result.cancel_only) == [rules.SEVERAL_ITEMS]
    assert result.item is None and not result.can_update


def test_metered_price_is_cancel_only() -> None:
    metered = price("price_api", "prod_api", 5, usage="metered")
    result = assess(subscription(item(metered, quantity=None)))
    assert codes(result.cancel_only) == [rules.METERED]
    assert not result.can_update and result.can_cancel


def test_send_invoice_is_cancel_only() -> None:
    result = assess(subscription(collection_method="send_invoice"))
    assert codes(result.cancel_only) == [rules.SEND_INVOICE]
    assert not result.can_update and result.can_cancel


@pytest.mark.parametrize("kind", ["ideal", "klarna", "us_bank_account_legacy"])
def test_unsupported_payment_method_is_cancel_only(kind: str) -> None:
    result = assess(pm=payment_method(kind))
    assert result.cancel_only == (rules.Limit(rules.UNSUPPORTED_PAYMENT_METHOD, kind),)
    assert not result.can_update and result.can_cancel


def test_every_portal_payment_method_type_is_supported() -> None:
    types = rules.portal_payment_method_types()
    assert len(types) == 12
    for kind in types:
        assert assess(pm=payment_method(kind)).can_update, kind


def test_cancel_only_reasons_combine() -> None:
    metered = price("price_api", "prod_api", 5, usage="metered")
    sub = subscription(item(BASIC_M), item(metered, None, "si_2"), collection_method="send_invoice")
    result = assess(sub, pm=payment_method("ideal"))
    assert codes(result.cancel_only) == [
        rules.SEVERAL_PRODUCTS,
        rules.METERED,
        rules.SEND_INVOICE,
        rules.UNSUPPORTED_PAYMENT_METHOD,
    ]
    assert result.can_cancel


def test_default_payment_method_prefers_the_subscriptions_own() -> None:
    sub = subscription(default_payment_method={"id": "pm_sub", "object": "payment_method"})
    assert rules.default_payment_method_id(sub, customer("pm_cus")) == "pm_sub"
    assert rules.default_payment_method_id(subscription(), customer("pm_cus")) == "pm_cus"
    assert rules.default_payment_method_id(subscription(), customer(None)) is None
    assert assess(cust=customer(None), pm={}).can_update is False  # empty type: unsupported
    no_pm = rules.assess(
        subscription(),
        customer(None),
        configuration(),
        payment_method=None,
        prices=CATALOG,
        products=PRODUCTS,
    )
    assert no_pm.can_update
