"""The portal's deep links in a real browser (retention offers, cancel, update, confirm) and
its subscription pages used from the keyboard alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests import builders
from tests.browser.portal_subscriptions.conftest import (
    DONE_URL,
    JENNY,
    Shop,
    open_portal,
    shot,
)


def _retention_coupon(shop: Shop) -> str:
    coupon = shop.client.v1.coupons.create(
        params={"percent_off": 50, "duration": "repeating", "duration_in_months": 3,
                "name": "Stay with us"}
    )  # fmt: skip
    return coupon.id


def test_retention_offer_accepted(page: Page, shop: Shop, screenshots: Path) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    coupon = _retention_coupon(shop)
    open_portal(
        page,
        shop,
        customer,
        flow_data={
            "type": "subscription_cancel",
            "subscription_cancel": {
                "subscription": sub.id,
                "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": coupon}},
            },
            "after_completion": {
                "type": "hosted_confirmation",
                "hosted_confirmation": {"custom_message": "Glad you're staying!"},
            },
        },
    )
    expect(page.get_by_role("heading", name="Before you go")).to_be_visible()
    expect(page.locator(".retention-offer")).to_contain_text("50% off")
    expect(page.locator(".retention-offer")).to_contain_text("for 3 months")
    shot(page, screenshots, "subscription_retention")
    page.get_by_role("button", name="Accept offer").click()
    expect(page.get_by_text("Glad you're staying!")).to_be_visible()

    after = shop.client.v1.subscriptions.retrieve(sub.id, params={"expand": ["discounts"]})
    assert after.status == "active" and not after.cancel_at_period_end
    discount: Any = after.discounts[0]
    assert discount.source.coupon == coupon
    assert builders.events(shop.client, "customer.subscription.updated", sub.id)
    assert not builders.events(shop.client, "customer.subscription.deleted", sub.id)


def test_retention_offer_declined_then_canceled(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    open_portal(
        page,
        shop,
        customer,
        flow_data={
            "type": "subscription_cancel",
            "subscription_cancel": {
                "subscription": sub.id,
                "retention": {
                    "type": "coupon_offer",
                    "coupon_offer": {"coupon": _retention_coupon(shop)},
                },
            },
            "after_completion": {"type": "redirect", "redirect": {"return_url": DONE_URL}},
        },
    )
    page.get_by_role("link", name="No thanks, continue canceling").click()
    page.get_by_label("Other reason").check()
    page.get_by_role("button", name="Cancel subscription").click()
    page.wait_for_url(DONE_URL)
    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after.cancel_at_period_end and after.discounts == []
    assert after.cancellation_details is not None
    assert after.cancellation_details.feedback == "other"


def test_cancel_deep_link_returns_to_the_portal_home(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    url = open_portal(
        page,
        shop,
        customer,
        flow_data={"type": "subscription_cancel", "subscription_cancel": {"subscription": sub.id}},
    )
    expect(page.get_by_role("heading", name="Cancel your subscription")).to_be_visible()
    page.get_by_role("button", name="Cancel subscription").click()
    page.wait_for_url(re.compile(re.escape(url) + r"(\?.*)?$"))
    expect(page.locator(f'li[data-subscription="{sub.id}"]')).to_contain_text("Cancels")
    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after.cancel_at_period_end
    page.goto(url)  # the flow is done: the home page, not the cancel page again
    expect(page.get_by_role("heading", name="Cancel your subscription")).to_have_count(0)


def test_update_deep_link_with_redirect(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    open_portal(
        page,
        shop,
        customer,
        flow_data={
            "type": "subscription_update",
            "subscription_update": {"subscription": sub.id},
            "after_completion": {"type": "redirect", "redirect": {"return_url": DONE_URL}},
        },
    )
    expect(page.get_by_role("heading", name="Update subscription")).to_be_visible()
    page.locator(f'input[value="{shop.prices["basic_y"]}"]').check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".hint").filter(has_text="billing period starts again")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(DONE_URL)
    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after["items"].data[0].price.id == shop.prices["basic_y"]
    invoice = shop.client.v1.invoices.retrieve(str(after.latest_invoice))
    assert invoice.billing_reason == "subscription_update"


def test_update_confirm_deep_link(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    item = sub["items"].data[0].id
    coupon = shop.client.v1.coupons.create(params={"amount_off": 500, "currency": "usd",
                                                   "duration": "once"})  # fmt: skip
    open_portal(
        page,
        shop,
        customer,
        flow_data={
            "type": "subscription_update_confirm",
            "subscription_update_confirm": {
                "subscription": sub.id,
                "items": [{"id": item, "price": shop.prices["basic_m"], "quantity": 4}],
                "discounts": [{"coupon": coupon.id}],
            },
            "after_completion": {
                "type": "hosted_confirmation",
                "hosted_confirmation": {"custom_message": "Four seats it is."},
            },
        },
    )
    expect(page.get_by_role("heading", name="Confirm your changes")).to_be_visible()
    expect(page.locator('[data-fact="new"]')).to_contain_text("\u00d7 4")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Four seats it is.")).to_be_visible()
    after = shop.client.v1.subscriptions.retrieve(sub.id, params={"expand": ["discounts"]})
    assert after["items"].data[0].quantity == 4
    discount: Any = after.discounts[0]
    assert discount.source.coupon == coupon.id


def test_pages_are_keyboard_operable(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    url = open_portal(page, shop, customer)
    page.goto(f"{url}/subscriptions/{sub.id}/cancel")
    page.get_by_label("It's too expensive").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("It's too expensive")).to_be_checked()
    page.get_by_role("button", name="Cancel subscription").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("canceled at the end")
    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after.cancellation_details is not None
    assert after.cancellation_details.feedback == "too_expensive"
