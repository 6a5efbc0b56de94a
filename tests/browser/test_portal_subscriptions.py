"""The portal's subscription pages in a real browser: each test clicks through as a customer
would, then checks through the ``stripe`` library what the API now says (the subscription,
its invoices and invoice items, the events) against what the pages showed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import stripe
from playwright.sync_api import Page, Route, expect

from tests import builders

RETURN_URL = "https://merchant.example/account"
DONE_URL = "https://merchant.example/done"
# The customer each test makes (with a card to pay with).
JENNY = {"email": "jenny@example.com", "name": "Jenny Rosen"}


@dataclass
class Shop:
    client: stripe.StripeClient
    products: dict[str, str]
    prices: dict[str, str]
    configs: dict[str, str]

    def items(self, *names: str) -> list[dict[str, Any]]:
        """Subscription items for these prices by name: one each (metered ones take no quantity)."""
        return [
            {"price": self.prices[n]}
            if n == "metered"
            else {"price": self.prices[n], "quantity": 1}
            for n in names
        ]


def _config(client: stripe.StripeClient, shop: dict[str, Any], **overrides: Any) -> str:
    products, prices = shop["products"], shop["prices"]
    update: dict[str, Any] = {
        "enabled": True,
        "default_allowed_updates": ["price", "quantity", "promotion_code"],
        "proration_behavior": "create_prorations",
        "products": [
            {
                "product": products["Basic"],
                "prices": [prices["basic_m"], prices["basic_y"]],
                "adjustable_quantity": {"enabled": True, "minimum": 1, "maximum": 10},
            },
            {"product": products["Pro"], "prices": [prices["pro_m"]]},
        ],
    }
    cancel: dict[str, Any] = {
        "enabled": True,
        "mode": "at_period_end",
        "cancellation_reason": {
            "enabled": True,
            "options": ["too_expensive", "missing_features", "other"],
        },
    }
    for key, value in overrides.items():
        target = cancel if key.startswith("cancel_") else update
        target[key.removeprefix("cancel_")] = value
    params: dict[str, Any] = {
        "default_return_url": RETURN_URL,
        "business_profile": {"headline": "Northwind Cloud billing"},
        "features": {
            "subscription_update": update,
            "subscription_cancel": cancel,
            "payment_method_update": {"enabled": True},
            "invoice_history": {"enabled": True},
        },
    }
    config = client.v1.billing_portal.configurations.create(params=params)  # type: ignore[arg-type]
    return config.id


@pytest.fixture(scope="module")
def shop(stripe_client: stripe.StripeClient) -> Shop:
    client = stripe_client
    products = {
        name: client.v1.products.create(params={"name": name}).id
        for name in ("Basic", "Pro", "Add-on", "API calls")
    }
    prices = {
        "basic_m": builders.price(
            client, 1000, product=products["Basic"], tax_behavior="exclusive"
        ).id,
        "basic_y": builders.price(
            client, 10000, product=products["Basic"], interval="year", tax_behavior="exclusive"
        ).id,
        "pro_m": builders.price(client, 3000, product=products["Pro"], tax_behavior="exclusive").id,
        "addon_m": builders.price(
            client, 500, product=products["Add-on"], tax_behavior="exclusive"
        ).id,
        "metered": builders.price(
            client,
            5,
            product=products["API calls"],
            recurring={"usage_type": "metered", "meter": "mtr_api_calls"},
            tax_behavior="exclusive",
        ).id,
    }
    raw = {"products": products, "prices": prices}
    configs = {
        "default": _config(client, raw),
        "always": _config(client, raw, proration_behavior="always_invoice"),
        "continue_trial": _config(client, raw, trial_update_behavior="continue_trial"),
        "deferred": _config(
            client,
            raw,
            schedule_at_period_end={"conditions": [{"type": "decreasing_item_amount"}]},
        ),
        "immediately": _config(
            client, raw, cancel_mode="immediately", cancel_proration_behavior="create_prorations"
        ),
    }
    coupon = client.v1.coupons.create(params={"percent_off": 25, "duration": "forever"})
    client.v1.promotion_codes.create(
        params={"promotion": {"type": "coupon", "coupon": coupon.id}, "code": "SAVE25"}
    )
    return Shop(client, products, prices, configs)


@pytest.fixture(autouse=True)
def offline(page: Page) -> None:
    """The merchant's site is not reachable here: answer its pages locally."""

    def merchant(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<h1>Merchant site</h1>")

    page.route("https://merchant.example/**", merchant)


def _open(page: Page, shop: Shop, customer: str, config: str = "default", **session: Any) -> str:
    params: dict[str, Any] = {
        "customer": customer,
        "configuration": shop.configs[config],
        **session,
    }
    created = shop.client.v1.billing_portal.sessions.create(params=params)  # type: ignore[arg-type]
    page.goto(created.url)
    return created.url


def _cents(text: str) -> int:
    """``-$10.00`` -> -1000 (USD, as the en-US page writes it)."""
    digits = int(re.sub(r"[^\d]", "", text))
    return -digits if re.search(r"[-\u2212]", text) else digits


def _previous(event: stripe.Event) -> dict[str, Any]:
    previous = event.data.previous_attributes
    return previous.to_dict() if previous is not None else {}


def _of_subscription(item: stripe.InvoiceItem, subscription: str) -> bool:
    details = item.parent.subscription_details if item.parent else None
    return details is not None and details.subscription == subscription


def _manage(page: Page, subscription: str) -> None:
    page.locator(f'li[data-subscription="{subscription}"] a').click()
    expect(page.get_by_role("heading", name="Subscription", exact=True)).to_be_visible()


def _shot(page: Page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"portal_{name}.png"), full_page=True)


# -- plan changes --------------------------------------------------------------------------------


def test_plan_switch_with_prorations(page: Page, shop: Shop, screenshots: Path) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    _open(page, shop, customer)
    _manage(page, sub.id)
    expect(page.locator(".subscription-summary")).to_contain_text("$10.00 per month")
    _shot(page, screenshots, "subscription_page")
    page.get_by_role("link", name="Update subscription").click()
    page.locator(f'input[value="{shop.prices["pro_m"]}"]').check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Confirm your changes")).to_be_visible()
    expect(page.locator('[data-fact="new"]')).to_contain_text("Pro")
    shown = [_cents(t) for t in page.locator("tr.proration td.num").all_inner_texts()]
    assert len(shown) == 2 and shown[0] < 0 < shown[1]
    _shot(page, screenshots, "subscription_preview")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was updated.")

    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert after["items"].data[0].price.id == shop.prices["pro_m"]
    pending = shop.client.v1.invoice_items.list(params={"customer": customer, "pending": True}).data
    made = sorted(i.amount for i in pending if _of_subscription(i, sub.id))
    # The preview ran the same change a moment earlier: at most a second of proration apart.
    assert all(abs(a - b) <= 1 for a, b in zip(made, sorted(shown), strict=True))
    updated = builders.events(shop.client, "customer.subscription.updated", sub.id)
    assert updated and "items" in _previous(updated[0])


def test_quantity_change_invoiced_now(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    _open(page, shop, customer, "always")
    _manage(page, sub.id)
    page.get_by_role("link", name="Update subscription").click()
    page.get_by_label("Quantity").fill("3")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Amount due today")).to_be_visible()
    expect(page.locator('[data-fact="new"]')).to_contain_text("\u00d7 3")
    due = _cents(page.locator('[data-amount="total"]').inner_text())
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
    _open(page, shop, customer)
    _manage(page, sub.id)
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
    _manage(page, sub.id)
    expect(page.locator('[data-fact="discounts"]')).to_contain_text("25% off for as long as")


def test_downgrade_deferred_to_the_period_end(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("pro_m"))
    period_end = sub["items"].data[0].current_period_end
    _open(page, shop, customer, "deferred")
    _manage(page, sub.id)
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
    _manage(page, sub.id)
    expect(page.locator('[data-fact="scheduled"]')).to_contain_text("changes to Basic")
    expect(page.get_by_role("link", name="Update subscription")).to_have_count(0)


def test_trial_ended_by_a_change(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(
        shop.client, customer, items=shop.items("basic_m"), trial_period_days=14
    )
    assert sub.status == "trialing"
    _open(page, shop, customer)
    _manage(page, sub.id)
    expect(page.locator('[data-fact="trial_end"]')).to_be_visible()
    page.get_by_role("link", name="Update subscription").click()
    expect(page.locator(".trial-note")).to_contain_text("ends your free trial now")
    page.locator(f'input[value="{shop.prices["pro_m"]}"]').check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".trial-note")).to_contain_text("ends your free trial today")
    expect(page.get_by_role("heading", name="Amount due today")).to_be_visible()
    due = _cents(page.locator('[data-amount="total"]').inner_text())
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
    _open(page, shop, customer, "continue_trial")
    _manage(page, sub.id)
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


# -- cancel-only ---------------------------------------------------------------------------------

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
    _open(page, shop, customer)
    _manage(page, sub.id)
    expect(page.locator(".limits")).to_contain_text(phrase)
    expect(page.get_by_role("link", name="Update subscription")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel subscription")).to_be_visible()
    if case == "several_products":
        _shot(page, screenshots, "subscription_cancel_only")


# -- cancel, retention, renew --------------------------------------------------------------------


def test_cancel_at_period_end_with_reason(page: Page, shop: Shop, screenshots: Path) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    _open(page, shop, customer)
    _manage(page, sub.id)
    page.get_by_role("link", name="Cancel subscription").click()
    expect(page.locator(".cancel-effect")).to_contain_text("stays available until")
    page.get_by_label("It's too expensive").check()
    page.get_by_label(re.compile("Anything else")).fill("Cheaper elsewhere")
    _shot(page, screenshots, "subscription_cancel")
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
    assert _previous(event)["cancel_at_period_end"] is False


def test_cancel_immediately_with_reason(page: Page, shop: Shop) -> None:
    customer = builders.customer(shop.client, **JENNY, payment_method="pm_card_visa").id
    sub = builders.subscribe(shop.client, customer, items=shop.items("basic_m"))
    _open(page, shop, customer, "immediately")
    _manage(page, sub.id)
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
    _open(page, shop, customer)
    _manage(page, sub.id)
    expect(page.locator('[data-fact="cancel_at"]')).to_be_visible()
    expect(page.get_by_role("link", name="Cancel subscription")).to_have_count(0)
    page.get_by_role("button", name="Renew subscription").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription was renewed.")
    after = shop.client.v1.subscriptions.retrieve(sub.id)
    assert not after.cancel_at_period_end and after.cancel_at is None
    event = builders.events(shop.client, "customer.subscription.updated", sub.id)[0]
    assert _previous(event)["cancel_at_period_end"] is True


# -- deep links ----------------------------------------------------------------------------------


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
    _open(
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
    _shot(page, screenshots, "subscription_retention")
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
    _open(
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
    url = _open(
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
    _open(
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
    _open(
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
    url = _open(page, shop, customer)
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
