"""A 3-D Secure card on the hosted checkout page in a real browser: the page sends the customer
to the test page (in the checkout's language, under its CSP) and back; "Complete" ends on the
shop's success page, "Fail" back on the checkout page with Stripe's reason."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import stripe
from playwright.sync_api import Page, expect

from tests import builders

CARD_3DS = "4000 0027 6000 3184"


@pytest.fixture(scope="module")
def named(stripe_client: stripe.StripeClient) -> None:
    platform = stripe_client.v1.accounts.retrieve_current()
    stripe_client.v1.accounts.update(
        platform.id, params={"business_profile": {"name": "Northwind Cloud"}}
    )


def _session(client: stripe.StripeClient, base: str, locale: str) -> str:
    product = builders.product(client, "Onboarding workshop")
    price = builders.price(client, 4900, product=product.id, currency="eur", interval=None)
    made = client.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "line_items": [{"price": price.id, "quantity": 1}],
            # The "shop" is the sandbox under another origin (localhost for 127.0.0.1: whatever
            # it answers, the redirect arriving is what counts), so the test page's CSP must
            # name it for the chain of redirects after its form; no traffic leaves the machine.
            "success_url": f"{_shop(base)}/shop/done?session_id={{CHECKOUT_SESSION_ID}}",
            "cancel_url": f"{_shop(base)}/shop/cart",
            "locale": locale,
        }
    )
    assert made.url is not None
    return made.url


def _shop(base: str) -> str:
    return base.replace("127.0.0.1", "localhost")


def _pay_with_3d_secure(page: Page, url: str, *, email: str, card: str, expiry: str,
                        pay: str) -> None:  # fmt: skip
    page.goto(url)
    page.get_by_label(email).fill(builders.unique_email("strong"))
    page.get_by_label(card).fill(CARD_3DS)
    page.get_by_label(expiry).fill("12/34")
    page.get_by_role("button", name=pay).click()
    expect(page).to_have_url(re.compile(r"/3d_secure/pi_\w+"))


@pytest.mark.parametrize(
    ("locale", "labels", "complete", "amount"),
    [
        ("en", ("Email", "Card number", "Expiry (MM/YY)", "Pay €49.00"),
         "Complete authentication", "€49.00"),
        ("de", ("E-Mail", "Kartennummer", "Ablaufdatum (MM/JJ)", "49,00\xa0€ bezahlen"),
         "Authentifizierung abschließen", "49,00\xa0€"),
    ],
)  # fmt: skip
def test_completing_authentication_reaches_the_success_page(
    page: Page,
    stripe_client: stripe.StripeClient,
    portal_sandbox: Any,
    named: None,
    screenshots: Path,
    locale: str,
    labels: tuple[str, str, str, str],
    complete: str,
    amount: str,
) -> None:
    url = _session(stripe_client, portal_sandbox.url, locale)
    page.set_viewport_size({"width": 1280, "height": 900})
    email, card, expiry, pay = labels
    _pay_with_3d_secure(page, url, email=email, card=card, expiry=expiry, pay=pay)

    expect(page.locator(".amount")).to_have_text(amount)
    expect(page.locator(".business-name")).to_have_text("Northwind Cloud")
    expect(page.get_by_text("3184")).to_be_visible()
    page.screenshot(path=str(screenshots / f"three-d-secure-{locale}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 760})
    button = page.get_by_role("button", name=complete)
    expect(button).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshots / f"three-d-secure-{locale}-phone.png"), full_page=True)

    button.click()

    expect(page).to_have_url(
        re.compile(r"^http://localhost:\d+/shop/done\?session_id=cs_test_\w+$")
    )
    session_id = page.url.rsplit("=", 1)[1]
    done = stripe_client.v1.checkout.sessions.retrieve(session_id)
    assert (done.status, done.payment_status) == ("complete", "paid")


def test_failing_authentication_returns_to_checkout_with_the_reason(
    page: Page, stripe_client: stripe.StripeClient, portal_sandbox: Any, screenshots: Path
) -> None:
    url = _session(stripe_client, portal_sandbox.url, "de")
    _pay_with_3d_secure(
        page, url, email="E-Mail", card="Kartennummer", expiry="Ablaufdatum (MM/JJ)",
        pay="49,00\xa0€ bezahlen",
    )  # fmt: skip

    page.get_by_role("button", name="Authentifizierung fehlschlagen lassen").click()

    expect(page).to_have_url(re.compile(r"/c/pay/[\w-]+/authenticated\?.*redirect_status=failed"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Wir können Ihre Zahlungsmethode nicht authentifizieren."
    )
    page.screenshot(path=str(screenshots / "three-d-secure-de-failed.png"), full_page=True)
    # The session is still open: another card on the same page pays.
    page.get_by_label("Kartennummer").fill("4242 4242 4242 4242")
    page.get_by_label("Ablaufdatum (MM/JJ)").fill("12/34")
    page.get_by_role("button", name="49,00\xa0€ bezahlen").click()
    expect(page).to_have_url(
        re.compile(r"^http://localhost:\d+/shop/done\?session_id=cs_test_\w+$")
    )
