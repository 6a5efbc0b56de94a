"""Subscriptions the portal can only cancel, in a real browser: each case says why and
offers no update."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import builders
from tests.browser.portal_subscriptions.conftest import (
    JENNY,
    Shop,
    manage,
    open_portal,
    shot,
)

CANCEL_ONLY = {
    "several_products": (("basic_m", "addon_m"), {}, "pm_card_visa", "several products"),
    "metered": (("metered",), {}, "pm_card_visa", "billed by usage"),
    "send_invoice": (
        ("basic_m",),
        {"collection_method": "send_invoice", "days_until_due": 30},
        "pm_card_visa",
        "paid by invoice",
    ),
    "unsupported_payment_method": (("basic_m",), {}, "ideal", "can't manage"),
}


@pytest.mark.parametrize("case", sorted(CANCEL_ONLY))
def test_cancel_only_cases_explain_and_offer_no_update(
    page: Page, shop: Shop, screenshots: Path, case: str
) -> None:
    prices, extra, pm, phrase = CANCEL_ONLY[case]
    if pm == "ideal":
        customer = shop.client.v1.customers.create(params={"email": "ida@example.com"}).id
        ideal = shop.client.v1.payment_methods.create(
            params={"type": "ideal", "ideal": {"bank": "abn_amro"}}
        )
        shop.client.v1.payment_methods.attach(ideal.id, params={"customer": customer})
        extra = {"default_payment_method": ideal.id}
    else:
        customer = builders.customer(shop.client, **JENNY, payment_method=pm).id
    sub = builders.subscribe(shop.client, customer, items=shop.items(*prices), **extra)
    open_portal(page, shop, customer)
    manage(page, sub.id)
    expect(page.locator(".limits")).to_contain_text(phrase)
    expect(page.get_by_role("link", name="Update subscription")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel subscription")).to_be_visible()
    if case == "several_products":
        shot(page, screenshots, "subscription_cancel_only")
