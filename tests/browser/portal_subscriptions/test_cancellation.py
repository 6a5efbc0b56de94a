"""Cancelling in the portal, in a real browser: at the period end or at once, with a reason,
and renewing a scheduled cancellation; each checked afterwards through the ``stripe`` library."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests import builders
from tests.browser.portal_subscriptions.conftest import (
    JENNY,
    Shop,
    manage,
    open_portal,
    previous_of,
    shot,
)


def test_cancel_at_period_end_with_reason(page: Page, shop: Shop, screenshots: Path) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    open_portal(page, shop, customer)
    manage(page, sub.id)
    page.get_by_role("link", name="Cancel subscription").click()
    expect(page.locator(".cancel-effect")).to_contain_text("stays available until")
    page.get_by_label("It's too expensive").check()
    page.get_by_label(re.compile("Anything else")).fill("Cheaper elsewhere")
    shot(page, screenshots, "subscription_cancel")
    page.get_by_role("button", name="Cancel subscription").click()
    expect(page.get_by_role("status")).to_contain_text("canceled at the end of the billing period")

    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after.status == "active" and after.cancel_at_period_end
    details = after.cancellation_details
    assert details is not None
    assert (details.feedback, details.comment, details.reason) == (
        "too_expensive",
        "Cheaper elsewhere",
        "cancellation_requested",
    )
    event = builders.events(shop.client, "customer.subscription.updated", sub.id)[0]
    assert event.data.object["cancellation_details"]["feedback"] == "too_expensive"
    assert event.data.object["cancellation_details"]["comment"] == "Cheaper elsewhere"
    assert previous_of(event)["cancel_at_period_end"] is False


def test_cancel_immediately_with_reason(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    open_portal(page, shop, customer, "immediately")
    manage(page, sub.id)
    page.get_by_role("link", name="Cancel subscription").click()
    expect(page.locator(".cancel-effect")).to_contain_text("canceled immediately")
    page.get_by_label("Some features are missing").check()
    page.get_by_label(re.compile("Anything else")).fill("No SSO")
    page.get_by_role("button", name="Cancel subscription").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was canceled.")

    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after.status == "canceled"
    assert after.cancellation_details is not None
    assert after.cancellation_details.feedback == "missing_features"
    deleted = builders.events(shop.client, "customer.subscription.deleted", sub.id)
    assert len(deleted) == 1
    assert deleted[0].data.object["cancellation_details"]["comment"] == "No SSO"
    credit = shop.client.v1.invoice_items.list(params={"customer": customer, "pending": True}).data
    assert any(i.amount < 0 for i in credit)  # create_prorations: unused time credited


def test_renew_a_scheduled_cancellation(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(
        shop.client, customer, items=shop.items("basic_m"), cancel_at_period_end=True
    )
    open_portal(page, shop, customer)
    manage(page, sub.id)
    expect(page.locator('[data-fact="cancel_at"]')).to_be_visible()
    expect(page.get_by_role("link", name="Cancel subscription")).to_have_count(0)
    page.get_by_role("button", name="Renew subscription").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was renewed.")
    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert not after.cancel_at_period_end and after.cancel_at is None
    event = builders.events(shop.client, "customer.subscription.updated", sub.id)[0]
    assert previous_of(event)["cancel_at_period_end"] is True
