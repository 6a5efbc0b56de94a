"""The portal's subscription pages in a real browser: the shop every test here uses (products,
prices, portal configurations, a promotion code), the merchant's site answered locally, and the
steps the tests share (open the portal as a customer, manage a subscription, read amounts)."""

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
# How a usage-billed price recurs (billed by the API-calls meter).
METERED = {"usage_type": "metered", "meter": "mtr_api_calls"}
# The shop's prices: name -> (product, amount in cents, what else the price is made with).
PRICES: dict[str, tuple[str, int, dict[str, Any]]] = {
    "basic_m": ("Basic", 1000, {"tax_behavior": "exclusive"}),
    "basic_y": ("Basic", 10000, {"interval": "year", "tax_behavior": "exclusive"}),
    "pro_m": ("Pro", 3000, {"tax_behavior": "exclusive"}),
    "addon_m": ("Add-on", 500, {"tax_behavior": "exclusive"}),
    "metered": ("API calls", 5, {"recurring": METERED, "tax_behavior": "exclusive"}),
}


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
        name: builders.price(client, amount, product=products[product], **options).id
        for name, (product, amount, options) in PRICES.items()
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


def open_portal(
    page: Page, shop: Shop, customer: str, config: str = "default", **session: Any
) -> str:
    params: dict[str, Any] = {
        "customer": customer,
        "configuration": shop.configs[config],
        **session,
    }
    created = shop.client.v1.billing_portal.sessions.create(params=params)  # type: ignore[arg-type]
    page.goto(created.url)
    return created.url


def cents(text: str) -> int:
    """``-$10.00`` -> -1000 (USD, as the en-US page writes it)."""
    digits = int(re.sub(r"[^\d]", "", text))
    return -digits if re.search(r"[-\u2212]", text) else digits


def previous_of(event: stripe.Event) -> dict[str, Any]:
    previous = event.data.previous_attributes
    return previous.to_dict() if previous is not None else {}


def of_subscription(item: stripe.InvoiceItem, subscription: str) -> bool:
    details = item.parent.subscription_details if item.parent else None
    return details is not None and details.subscription == subscription


def manage(page: Page, subscription: str) -> None:
    page.locator(f'li[data-subscription="{subscription}"] a').click()
    expect(page.get_by_role("heading", name="Subscription", exact=True)).to_be_visible()


def shot(page: Page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"portal_{name}.png"), full_page=True)
