"""The portal's non-subscription pages in a real browser: what a customer sees and does,
checked afterwards through the ``stripe`` library (state and events)."""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import stripe
from playwright.sync_api import Page, Route, expect

from console.sandbox import Sandbox
from console.sandbox.seed.demo import icon_png

RETURN_URL = "https://shop.example.com/account"
ALL_UPDATES = ["address", "email", "name", "phone", "shipping", "tax_id"]


# -- set-up through the API ---------------------------------------------------------------------


def configuration(client: stripe.StripeClient, **extra: Any) -> Any:
    features: dict[str, Any] = {
        "customer_update": {"enabled": True, "allowed_updates": ALL_UPDATES},
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True},
        "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
    }
    features.update(extra.pop("features", {}))
    params: Any = {
        "features": features,
        "business_profile": {
            "headline": "Northwind partners with Stripe for simplified billing.",
            "privacy_policy_url": "https://shop.example.com/privacy",
            "terms_of_service_url": "https://shop.example.com/terms",
        },
        **extra,
    }
    return client.v1.billing_portal.configurations.create(params=params)


def customer(
    client: stripe.StripeClient, *, card: str | None = "pm_card_visa", **extra: Any
) -> Any:
    params: Any = {
        "name": "Ada Lovelace",
        "email": f"ada-{secrets.token_hex(4)}@example.com",
        **extra,
    }
    made = client.v1.customers.create(params=params)
    if card:
        pm = client.v1.payment_methods.attach(card, params={"customer": made.id})
        client.v1.customers.update(
            made.id, params={"invoice_settings": {"default_payment_method": pm.id}}
        )
    return made


def open_invoice(client: stripe.StripeClient, customer_id: str, amount: int = 2500) -> Any:
    client.v1.invoice_items.create(
        params={
            "customer": customer_id,
            "amount": amount,
            "currency": "usd",
            "description": "Consulting",
        }
    )
    invoice = client.v1.invoices.create(
        params={
            "customer": customer_id,
            "pending_invoice_items_behavior": "include",
            "auto_advance": False,
        }
    )
    return client.v1.invoices.finalize_invoice(invoice.id, params={"auto_advance": False})


def session(client: stripe.StripeClient, customer_id: str, config_id: str, **extra: Any) -> Any:
    params: Any = {
        "customer": customer_id,
        "configuration": config_id,
        "return_url": RETURN_URL,
        **extra,
    }
    return client.v1.billing_portal.sessions.create(params=params)


def events_for(client: stripe.StripeClient, object_id: str, prefix: str = "") -> list[str]:
    found = client.v1.events.list(params={"limit": 100})
    return [
        e.type
        for e in found.data
        if e.data.object.to_dict().get("id") == object_id and e.type.startswith(prefix)
    ]


def default_of(client: stripe.StripeClient, customer_id: str) -> Any:
    settings = client.v1.customers.retrieve(customer_id).invoice_settings
    assert settings is not None
    return settings.default_payment_method


def fake_site(page: Page) -> list[str]:
    """Serve the merchant's site (offline) so redirects to it land somewhere; returns visits."""
    visits: list[str] = []

    def answer(route: Route) -> None:
        visits.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>Merchant site</h1>")

    page.route("https://shop.example.com/**", answer)
    return visits


def card_form(page: Page, number: str) -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("CVC").fill("123")


@pytest.fixture(scope="module")
def branded(stripe_client: stripe.StripeClient) -> Any:
    platform = stripe_client.v1.accounts.retrieve_current()
    upload = io.BytesIO(icon_png())
    upload.name = "northwind-icon.png"
    icon = stripe_client.v1.files.create(params={"purpose": "business_icon", "file": upload})
    stripe_client.v1.accounts.update(
        platform.id,
        params={
            "business_profile": {"name": "Northwind Cloud"},
            "settings": {
                "branding": {
                    "primary_color": "#0b7a5c",
                    "secondary_color": "#eaf4f0",
                    "icon": icon.id,
                }
            },
        },
    )
    return configuration(stripe_client)


# -- tests ----------------------------------------------------------------------------------------


def test_home_page_shows_the_branding_and_every_enabled_section(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, screenshots: Path
) -> None:
    cus = customer(stripe_client)
    open_invoice(stripe_client, cus.id)
    page.goto(session(stripe_client, cus.id, branded.id).url)
    expect(page.locator(".business-name")).to_have_text("Northwind Cloud")
    expect(page.locator(".headline")).to_contain_text("simplified billing")
    # The uploaded icon, as an image the browser actually loaded.
    icon = page.locator("img.brand-icon")
    expect(icon).to_have_attribute("alt", "Northwind Cloud")
    assert page.evaluate("document.querySelector('img.brand-icon').naturalWidth") == 64
    expect(page.get_by_role("link", name="Return to Northwind Cloud")).to_have_attribute(
        "href", RETURN_URL
    )
    expect(page.get_by_role("link", name="Terms")).to_be_visible()
    expect(page.get_by_role("link", name="Privacy")).to_be_visible()
    primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim()"
    )
    panel = page.evaluate(
        "getComputedStyle(document.querySelector('.brand-panel')).backgroundColor"
    )
    assert primary == "#0b7a5c"
    assert panel == "rgb(234, 244, 240)"
    for heading in ("Payment methods", "Billing information", "Invoice history"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator(".payment-method")).to_contain_text("Visa •••• 4242")
    expect(page.locator("tr[data-invoice]")).to_contain_text("$25.00")
    page.screenshot(path=str(screenshots / "portal-home.png"), full_page=True)


def test_pay_an_open_invoice_with_the_default_card(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, screenshots: Path
) -> None:
    cus = customer(stripe_client)
    invoice = open_invoice(stripe_client, cus.id, amount=4200)
    page.goto(session(stripe_client, cus.id, branded.id).url)
    page.locator(f"tr[data-invoice='{invoice.id}']").get_by_role("link", name="Pay").click()
    expect(page.get_by_role("heading", name=re.compile("Invoice"))).to_be_visible()
    expect(page.locator(".pay-default")).to_contain_text("Visa •••• 4242")
    page.screenshot(path=str(screenshots / "portal-invoice.png"), full_page=True)
    page.get_by_role("button", name="Pay $42.00", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Thank you! Your payment was received.")
    paid = stripe_client.v1.invoices.retrieve(invoice.id)
    assert paid.status == "paid"
    assert paid.amount_paid == 4200
    assert {"invoice.paid", "invoice.payment_succeeded"} <= set(
        events_for(stripe_client, invoice.id)
    )


def test_a_declined_new_card_shows_the_decline_and_leaves_the_invoice_open(
    page: Page, stripe_client: stripe.StripeClient, branded: Any
) -> None:
    cus = customer(stripe_client, card=None)
    invoice = open_invoice(stripe_client, cus.id)
    page.goto(session(stripe_client, cus.id, branded.id).url)
    page.locator(f"tr[data-invoice='{invoice.id}']").get_by_role("link", name="Pay").click()
    expect(page.locator(".pay-default")).to_have_count(0)
    card_form(page, "4000 0000 0000 0002")
    page.get_by_role("button", name="Pay $25.00 with this card").click()
    expect(page.get_by_role("alert")).to_have_text("Your card was declined.")
    assert stripe_client.v1.invoices.retrieve(invoice.id).status == "open"
    card_form(page, "4242 4242 4242 4242")
    page.get_by_role("button", name="Pay $25.00 with this card").click()
    expect(page.get_by_role("status")).to_contain_text("payment was received")
    assert stripe_client.v1.invoices.retrieve(invoice.id).status == "paid"


def test_download_the_invoice_pdf(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, tmp_path: Path
) -> None:
    cus = customer(stripe_client)
    invoice = open_invoice(stripe_client, cus.id)
    page.goto(session(stripe_client, cus.id, branded.id).url)
    row = page.locator(f"tr[data-invoice='{invoice.id}']")
    expect(row.get_by_role("link", name=re.compile("PDF"))).to_have_attribute(
        "href", invoice.invoice_pdf
    )
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("PDF")).click()
    saved = tmp_path / "invoice.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_add_a_card_then_a_declined_one(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, screenshots: Path
) -> None:
    cus = customer(stripe_client, card=None)
    page.goto(session(stripe_client, cus.id, branded.id).url)
    page.get_by_role("link", name="Add payment method").click()
    card_form(page, "4000 0000 0000 0002")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Your card was declined.")
    page.screenshot(path=str(screenshots / "portal-card-declined.png"), full_page=True)
    assert stripe_client.v1.payment_methods.list(params={"customer": cus.id}).data == []
    card_form(page, "4242 4242 4242 4242")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Your payment method was added.")
    methods = stripe_client.v1.payment_methods.list(params={"customer": cus.id}).data
    assert len(methods) == 1
    card = methods[0]
    assert card.card is not None and card.card.last4 == "4242"
    assert default_of(stripe_client, cus.id) == card.id
    assert "payment_method.attached" in events_for(stripe_client, card.id)
    intents = stripe_client.v1.setup_intents.list(params={"customer": cus.id}).data
    assert [i.status for i in intents] == ["succeeded", "requires_payment_method"]
    assert "setup_intent.succeeded" in events_for(stripe_client, intents[0].id)
    assert "customer.updated" in events_for(stripe_client, cus.id)


def test_make_another_card_the_default_and_remove_the_old_one(
    page: Page, stripe_client: stripe.StripeClient, branded: Any
) -> None:
    cus = customer(stripe_client)
    old = default_of(stripe_client, cus.id)
    second = stripe_client.v1.payment_methods.attach(
        "pm_card_mastercard", params={"customer": cus.id}
    )
    page.goto(session(stripe_client, cus.id, branded.id).url)
    row = page.locator(f"[data-payment-method='{second.id}']")
    row.get_by_role("button", name="Make Mastercard •••• 4444 the default").click()
    expect(page.get_by_role("status")).to_have_text("Your default payment method was updated.")
    expect(page.locator(f"[data-payment-method='{second.id}'] .badge.default")).to_be_visible()
    assert default_of(stripe_client, cus.id) == second.id
    page.get_by_role("button", name="Delete Visa •••• 4242").click()
    expect(page.get_by_role("status")).to_have_text("The payment method was removed.")
    expect(page.locator(f"[data-payment-method='{old}']")).to_have_count(0)
    remaining = stripe_client.v1.payment_methods.list(params={"customer": cus.id}).data
    assert [pm.id for pm in remaining] == [second.id]
    assert "payment_method.detached" in events_for(stripe_client, str(old))


def test_update_customer_information_and_tax_ids(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, screenshots: Path
) -> None:
    cus = customer(stripe_client)
    page.goto(session(stripe_client, cus.id, branded.id).url)
    page.get_by_role("link", name="Update information").click()
    page.get_by_label("Name", exact=True).first.fill("Ada King")
    page.get_by_label("Phone number").first.fill("+14155550123")
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Address line 1").fill("12 St James's Square")
    billing.get_by_label("City").fill("London")
    billing.get_by_label("Postal code").fill("SW1Y 4JH")
    billing.get_by_label("Country").select_option("GB")
    page.screenshot(path=str(screenshots / "portal-customer-info.png"), full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Your information was updated.")
    after = stripe_client.v1.customers.retrieve(cus.id)
    assert after.name == "Ada King"
    assert after.phone == "+14155550123"
    assert after.address is not None
    assert (after.address.city, after.address.country) == ("London", "GB")
    assert "customer.updated" in events_for(stripe_client, cus.id)

    page.get_by_role("link", name="Update information").click()
    page.get_by_label("Tax ID type").select_option("eu_vat")
    page.get_by_label("Tax ID", exact=True).fill("DE12")
    page.get_by_role("button", name="Add tax ID").click()
    error = page.locator("#tax_value-error")
    expect(error).to_be_visible()
    expect(page.get_by_label("Tax ID", exact=True)).to_have_attribute("aria-invalid", "true")
    # The rest of the page still shows the saved values (an unset line is empty, not "None").
    billing = page.get_by_role("group", name="Billing address")
    expect(billing.get_by_label("City")).to_have_value("London")
    expect(billing.get_by_label("Address line 2")).to_have_value("")
    page.screenshot(path=str(screenshots / "portal-tax-id-error.png"), full_page=True)
    page.get_by_label("Tax ID", exact=True).fill("DE123456789")
    page.get_by_role("button", name="Add tax ID").click()
    expect(page.get_by_role("status")).to_have_text("The tax ID was added.")
    tax_ids = stripe_client.v1.customers.tax_ids.list(cus.id).data
    assert [(t.type, t.value) for t in tax_ids] == [("eu_vat", "DE123456789")]
    assert "customer.tax_id.created" in events_for(stripe_client, tax_ids[0].id)
    page.locator(f"[data-tax-id='{tax_ids[0].id}']").get_by_role(
        "button", name=re.compile("Remove")
    ).click()
    expect(page.get_by_role("status")).to_have_text("The tax ID was removed.")
    assert stripe_client.v1.customers.tax_ids.list(cus.id).data == []


def test_invoice_only_customer_gets_a_useful_portal(
    page: Page, stripe_client: stripe.StripeClient, branded: Any
) -> None:
    cus = customer(stripe_client, card=None)
    first = open_invoice(stripe_client, cus.id, amount=1000)
    stripe_client.v1.invoices.pay(first.id, params={"paid_out_of_band": True})
    second = open_invoice(stripe_client, cus.id, amount=3000)
    page.goto(session(stripe_client, cus.id, branded.id).url)
    expect(page.get_by_role("heading", name=re.compile("subscription"))).to_have_count(0)
    expect(page.locator("tr[data-invoice]")).to_have_count(2)
    expect(page.locator(f"tr[data-invoice='{first.id}']")).to_contain_text("Paid")
    expect(
        page.locator(f"tr[data-invoice='{second.id}']").get_by_role("link", name="Pay")
    ).to_be_visible()


def test_payment_method_update_deep_link_then_redirect(
    page: Page, stripe_client: stripe.StripeClient, branded: Any
) -> None:
    visits = fake_site(page)
    cus = customer(stripe_client, card=None)
    link = session(
        stripe_client,
        cus.id,
        branded.id,
        flow_data={
            "type": "payment_method_update",
            "after_completion": {
                "type": "redirect",
                "redirect": {"return_url": "https://shop.example.com/thanks"},
            },
        },
    )
    page.goto(link.url)
    expect(page).to_have_url(re.compile(r"/payment-methods/new$"))
    card_form(page, "4242424242424242")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", name="Merchant site")).to_be_visible()
    assert visits == ["https://shop.example.com/thanks"]
    assert len(stripe_client.v1.payment_methods.list(params={"customer": cus.id}).data) == 1
    # The flow is done: the link now opens the home page.
    page.goto(link.url)
    expect(page.get_by_role("heading", name="Payment methods")).to_be_visible()


def test_hosted_confirmation_after_a_deep_link(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, screenshots: Path
) -> None:
    cus = customer(stripe_client, card=None)
    link = session(
        stripe_client,
        cus.id,
        branded.id,
        flow_data={
            "type": "payment_method_update",
            "after_completion": {
                "type": "hosted_confirmation",
                "hosted_confirmation": {"custom_message": "Thanks! <b>See you</b> soon."},
            },
        },
    )
    page.goto(link.url)
    card_form(page, "4242424242424242")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".custom-message")).to_have_text("Thanks! <b>See you</b> soon.")
    expect(page.get_by_role("link", name="Return to Northwind Cloud")).to_have_count(2)
    page.screenshot(path=str(screenshots / "portal-flow-done.png"), full_page=True)


def emailed_code(page: Page) -> str:
    """The code the test-mode panel shows in place of the email."""
    found = re.search(r"\b\d{6}\b", page.locator(".test-link").inner_text())
    assert found, "no code in the test-mode panel"
    return found.group(0)


def test_login_page_signs_in_with_the_code_it_would_have_emailed(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, screenshots: Path
) -> None:
    config = configuration(stripe_client, login_page={"enabled": True})
    cus = customer(stripe_client)
    page.goto(config.login_page.url)
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("status")).to_contain_text("If nobody@example.com belongs to a")
    page.get_by_label("Sign-in code").fill(emailed_code(page))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("That code is not right. Please try again.")
    page.goto(config.login_page.url)
    page.get_by_label("Email").fill(cus.email)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".test-link")).to_contain_text("The code we would have emailed is")
    page.screenshot(path=str(screenshots / "portal-login.png"), full_page=True)
    page.get_by_label("Sign-in code").fill(emailed_code(page))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/p/session/"))
    expect(page.locator(".details")).to_contain_text(cus.name or "")


def test_the_portal_refuses_to_render_in_an_iframe(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, portal_sandbox: Sandbox
) -> None:
    cus = customer(stripe_client)
    url = session(stripe_client, cus.id, branded.id).url

    def framing_page(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html",
            body=f'<h1>Evil site</h1><iframe id="f" src="{url}" width="600" height="400"></iframe>',
        )

    page.route("http://framing.example/**", framing_page)
    page.goto("http://framing.example/")
    expect(page.get_by_role("heading", name="Evil site")).to_be_visible()
    page.wait_for_timeout(500)
    child = page.frame_locator("#f")
    expect(child.locator(".business-name")).to_have_count(0)
    frames = [f for f in page.frames if f != page.main_frame]
    assert all(f.url != url or not f.content().count("Northwind") for f in frames)


def test_phone_width_layout_has_no_horizontal_scroll(
    page: Page, stripe_client: stripe.StripeClient, branded: Any, screenshots: Path
) -> None:
    cus = customer(stripe_client, address={"line1": "1 Long Street Name", "country": "US"})
    open_invoice(stripe_client, cus.id)
    base = session(stripe_client, cus.id, branded.id).url
    page.set_viewport_size({"width": 360, "height": 760})
    for name, path in (("home", ""), ("customer", "/customer"), ("card", "/payment-methods/new")):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} page is {width}px wide"
        page.screenshot(path=str(screenshots / f"portal-phone-{name}.png"), full_page=True)
    # Keyboard: the first Tab reaches the skip link, and Enter on a focused link follows it.
    page.goto(base)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.get_by_role("link", name="Add payment method").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/payment-methods/new$"))
