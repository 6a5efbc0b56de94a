"""The hosted checkout page in a real browser: the merchant's branding under the page's CSP,
English, German and Japanese, a phone's width, the keyboard alone, a decline, a promotion code,
and the cancel link back to the shop."""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import stripe
from playwright.sync_api import Page, expect

from console.sandbox.seed.demo import icon_png
from tests import builders

CANCEL = "https://shop.example.com/cart"


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


def _session(client: stripe.StripeClient, success: str, **params: Any) -> str:
    product = builders.product(client, "Team plan")
    price = builders.price(client, 2900, product=product.id, currency="eur")
    body: Any = {
        "mode": "subscription",
        "line_items": [{"price": price.id, "quantity": 1}],
        "success_url": success,
        "cancel_url": CANCEL,
        **params,
    }
    made = client.v1.checkout.sessions.create(params=body)
    assert made.url is not None
    return made.url


def _success(page: Page, base: str) -> str:
    """A success page of the 'shop' on the sandbox's own origin (it answers 404, which is
    enough to see the redirect arrive): no traffic leaves the machine."""
    return f"{base}/shop/done?session_id={{CHECKOUT_SESSION_ID}}"


@pytest.mark.parametrize(
    ("locale", "button", "due"),
    [("en", "Subscribe", "Amount due today"), ("de", "Abonnieren", "Heute fälliger Betrag"),
     ("ja", "申し込む", None)],
)  # fmt: skip
def test_branded_page_in_three_languages_and_at_a_phone_s_width(
    page: Page,
    stripe_client: stripe.StripeClient,
    portal_sandbox: Any,
    branded: None,
    screenshots: Path,
    locale: str,
    button: str,
    due: str | None,
) -> None:
    url = _session(stripe_client, _success(page, portal_sandbox.url), locale=locale)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    expect(page.locator(".business-name")).to_have_text("Northwind Cloud")
    assert page.evaluate("document.querySelector('img.brand-icon').naturalWidth") == 64
    pay = page.get_by_role("button", name=button)
    expect(pay).to_have_css("background-color", "rgb(11, 122, 92)")
    if due:
        expect(page.get_by_text(due)).to_be_visible()
    expect(page.locator(".return-link")).to_have_attribute("href", CANCEL)
    page.screenshot(path=str(screenshots / f"checkout-{locale}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 760})
    expect(pay).to_be_visible()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 360, f"the page is {scroll}px wide at a phone's 360px"
    page.screenshot(path=str(screenshots / f"checkout-{locale}-phone.png"), full_page=True)


def test_keyboard_alone_pays_and_reaches_the_success_page(
    page: Page, stripe_client: stripe.StripeClient, portal_sandbox: Any
) -> None:
    page.goto(_session(stripe_client, _success(page, portal_sandbox.url)))
    page.locator("#email").focus()
    page.keyboard.type(builders.unique_email("keys"))
    for text in ("4242 4242 4242 4242", "12/34", "123"):
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/shop/done\?session_id=cs_test_\w+$"))


def test_a_declined_card_and_then_a_promotion_code(
    page: Page, stripe_client: stripe.StripeClient, portal_sandbox: Any, screenshots: Path
) -> None:
    coupon = stripe_client.v1.coupons.create(params={"percent_off": 50, "duration": "once"})
    code = f"HALF{secrets.token_hex(3).upper()}"
    stripe_client.v1.promotion_codes.create(
        params={"promotion": {"type": "coupon", "coupon": coupon.id}, "code": code}
    )
    url = _session(
        stripe_client, _success(page, portal_sandbox.url), allow_promotion_codes=True, locale="de"
    )
    page.goto(url)
    page.get_by_label("Aktionscode (optional)").fill(code)
    page.get_by_label("Aktionscode (optional)").press("Enter")
    expect(page.locator(".amount")).to_have_text("14,50\xa0€")
    page.get_by_label("E-Mail").fill(builders.unique_email("decline"))
    page.get_by_label("Kartennummer").fill("4000 0000 0000 0002")
    page.get_by_label("Ablaufdatum (MM/JJ)").fill("12/34")
    page.get_by_role("button", name="Abonnieren").click()
    expect(page.get_by_role("alert")).to_have_text("Ihre Karte wurde abgelehnt.")
    page.screenshot(path=str(screenshots / "checkout-de-declined.png"), full_page=True)
    # Enter in a card field pays (the code's Apply button belongs to a form of its own).
    page.get_by_label("Kartennummer").fill("4242 4242 4242 4242")
    page.get_by_label("Kartennummer").press("Enter")
    expect(page).to_have_url(re.compile(r"/shop/done\?session_id=cs_test_\w+$"))
