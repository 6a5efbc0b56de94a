"""The hosted invoice page in a real browser: its stylesheet and icon load under its CSP, it
speaks the customer's language, and a card pays it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import stripe
from playwright.sync_api import Page, expect

from console.sandbox.seed.demo import icon_png
from tests import builders


@pytest.fixture(scope="module")
def branded(stripe_client: stripe.StripeClient) -> None:
    platform = stripe_client.v1.accounts.retrieve_current()
    upload = io.BytesIO(icon_png())
    upload.name = "icon.png"
    icon = stripe_client.v1.files.create(params={"purpose": "business_icon", "file": upload})
    stripe_client.v1.accounts.update(
        platform.id,
        params={
            "business_profile": {"name": "Northwind Cloud"},
            "settings": {"branding": {"primary_color": "#0b7a5c", "icon": icon.id}},
        },
    )


def _invoice_url(client: stripe.StripeClient, locales: list[str]) -> str:
    invoice = builders.open_invoice(client, 123456, "eur", preferred_locales=locales)
    assert invoice.hosted_invoice_url is not None
    return invoice.hosted_invoice_url


def test_branded_page_in_german_pays_with_a_card(
    page: Page, stripe_client: stripe.StripeClient, branded: None, screenshots: Path
) -> None:
    page.goto(_invoice_url(stripe_client, ["de"]))
    expect(page.locator("html")).to_have_attribute("lang", "de-DE")
    expect(page.locator(".business-name")).to_have_text("Northwind Cloud")
    # The CSP lets the portal's stylesheet, the brand colours and the uploaded icon load.
    assert page.evaluate("document.querySelector('img.brand-icon').naturalWidth") == 64
    button = page.get_by_role("button", name="1.234,56\xa0€ bezahlen")
    expect(button).to_have_css("background-color", "rgb(11, 122, 92)")
    page.screenshot(path=str(screenshots / "hosted-invoice-de.png"), full_page=True)
    page.get_by_label("Kartennummer").fill("4242 4242 4242 4242")
    page.locator("#expiry").fill("12/40")
    page.locator("#cvc").fill("123")
    button.click()
    expect(page.get_by_role("status")).to_have_text("Zahlung eingegangen. Vielen Dank!")
    expect(page.locator(".badge.paid")).to_have_text("Bezahlt")
