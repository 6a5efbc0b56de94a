"""Plan changes in the portal, in a real browser: switching price or quantity, a promotion
code, a downgrade deferred to the period end, a trial ended or kept; each checked afterwards
through the ``stripe`` library (the subscription, its invoices and items, the events)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests import builders
from tests.browser.portal_subscriptions.conftest import (
    JENNY,
    Shop,
    cents,
    manage,
    of_subscription,
    open_portal,
    previous_of,
    shot,
)


def test_plan_switch_with_prorations(page: Page, shop: Shop, screenshots: Path) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    open_portal(page, shop, customer)
    manage(page, sub.id)
    expect(page.locator(".subscription-summary")).to_contain_text("$10.00 per month")
    shot(page, screenshots, "subscription_page")
    page.get_by_role("link", name="Update subscription").click()
    page.locator(f'input[value="{shop.prices["pro_m"]}"]').check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Confirm your changes")).to_be_visible()
    expect(page.locator('[data-fact="new"]')).to_contain_text("Pro")
    shown = [cents(t) for t in page.locator("tr.proration td.num").all_inner_texts()]
    assert len(shown) == 2 and shown[0] < 0 < shown[1]
    shot(page, screenshots, "subscription_preview")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was updated.")

    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after["items"].data[0].price.id == shop.prices["pro_m"]
    pending = shop.client.v1.invoice_items.list(params={"customer": customer, "pending": True}).data
    made = sorted(i.amount for i in pending if of_subscription(i, sub.id))
    # The preview ran the same change a moment earlier: at most a second of proration apart.
    assert all(abs(a - b) <= 1 for a, b in zip(made, sorted(shown), strict=True))
    updated = builders.events(shop.client, "customer.subscription.updated", sub.id)
    assert updated and "items" in previous_of(updated[0])


def test_quantity_change_invoiced_now(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    open_portal(page, shop, customer, "always")
    manage(page, sub.id)
    page.get_by_role("link", name="Update subscription").click()
    page.get_by_label("Quantity").fill("3")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Amount due today")).to_be_visible()
    expect(page.locator('[data-fact="new"]')).to_contain_text("\u00d7 3")
    due = cents(page.locator('[data-amount="total"]').inner_text())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was updated.")

    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after["items"].data[0].quantity == 3
    invoice = shop.client.v1.invoices.retrieve(str(after.latest_invoice))
    assert invoice.billing_reason == "subscription_update" and invoice.status == "paid"
    assert abs(invoice.total - due) <= 1 and 1900 <= invoice.total <= 2000


def test_promotion_code(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    open_portal(page, shop, customer)
    manage(page, sub.id)
    page.get_by_role("link", name="Update subscription").click()
    page.get_by_label("Promotion code (optional)").fill("NOPE")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("promotion code is invalid")
    page.get_by_label("Promotion code (optional)").fill("save25")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator('[data-fact="promotion_code"]')).to_have_text("save25")
    expect(page.locator('[data-amount="discount"]')).to_contain_text("$2.50")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was updated.")

    after = shop.client.v1.subscriptions.retrieve(sub.id, params={"expand": ["discounts"]})
    assert len(after.discounts) == 1
    discount: Any = after.discounts[0]
    assert discount.source.coupon and discount.promotion_code
    code = shop.client.v1.promotion_codes.retrieve(str(discount.promotion_code))
    assert code.code == "SAVE25" and code.times_redeemed >= 1
    manage(page, sub.id)
    expect(page.locator('[data-fact="discounts"]')).to_contain_text("25% off for as long as")


def test_downgrade_deferred_to_the_period_end(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("pro_m"))
    period_end = sub["items"].data[0].current_period_end
    open_portal(page, shop, customer, "deferred")
    manage(page, sub.id)
    page.get_by_role("link", name="Update subscription").click()
    page.locator(f'input[value="{shop.prices["basic_m"]}"]').check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".deferred-note")).to_contain_text("at the end of your current billing")
    expect(page.locator("tr.proration")).to_have_count(0)
    expect(page.locator('[data-amount="total"]')).to_have_text("$10.00")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was updated.")

    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after["items"].data[0].price.id == shop.prices["pro_m"]
    assert after.latest_invoice == sub.latest_invoice and after.schedule
    schedule = shop.client.v1.subscription_schedules.retrieve(str(after.schedule))
    assert schedule.phases[0].end_date == period_end
    assert schedule.phases[1].items[0].price == shop.prices["basic_m"]
    assert schedule.end_behavior == "release"
    manage(page, sub.id)
    expect(page.locator('[data-fact="scheduled"]')).to_contain_text("changes to Basic")
    expect(page.get_by_role("link", name="Update subscription")).to_have_count(0)


def test_trial_ended_by_a_change(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(
        shop.client, customer, items=shop.items("basic_m"), trial_period_days=14
    )
    assert sub.status == "trialing"
    open_portal(page, shop, customer)
    manage(page, sub.id)
    expect(page.locator('[data-fact="trial_end"]')).to_be_visible()
    page.get_by_role("link", name="Update subscription").click()
    expect(page.locator(".trial-note")).to_contain_text("ends your free trial now")
    page.locator(f'input[value="{shop.prices["pro_m"]}"]').check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".trial-note")).to_contain_text("ends your free trial today")
    expect(page.get_by_role("heading", name="Amount due today")).to_be_visible()
    due = cents(page.locator('[data-amount="total"]').inner_text())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was updated.")

    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after.status == "active" and after.trial_end is not None
    assert after.trial_end < sub.trial_end  # type: ignore[operator]
    invoice = shop.client.v1.invoices.retrieve(str(after.latest_invoice))
    assert invoice.status == "paid" and invoice.total == due == 3000


def test_trial_continues_when_configured(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(
        shop.client, customer, items=shop.items("basic_m"), trial_period_days=14
    )
    open_portal(page, shop, customer, "continue_trial")
    manage(page, sub.id)
    page.get_by_role("link", name="Update subscription").click()
    page.locator(f'input[value="{shop.prices["pro_m"]}"]').check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".trial-note")).to_contain_text("trial continues")
    expect(page.get_by_role("heading", name=re.compile("Next invoice on"))).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was updated.")
    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after.status == "trialing" and after.trial_end == sub.trial_end
    assert after["items"].data[0].price.id == shop.prices["pro_m"]
    assert after.latest_invoice == sub.latest_invoice
