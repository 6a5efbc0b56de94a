"""Branding previews (``POST /v1/test_helpers/portal_previews``) through the stripe library and
HTTP: the page shows the configuration's features, the branding and the language, bad input is
refused Stripe-style, and nothing in the sandbox changes, whatever the page's forms send."""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import stripe

from console.configurations.model import PortalConfiguration, configuration_from_stripe, edit
from console.errors import StripeApiError
from console.gateway.client import Gateway
from console.preview.branding import (
    AccountBranding,
    PreviewSource,
    SandboxAddress,
    gather_preview,
    render_preview,
    render_previews,
)
from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client
from tests.e2e.test_files import png

ICON = png(16, 16, (200, 30, 60))

SWITCHABLE_PRODUCTS: list[dict[str, Any]] = [
    {
        "id": "prod_team",
        "name": "Team plan",
        "prices": [
            {
                "id": "price_team_month",
                "unit_amount": 1500,
                "currency": "eur",
                "interval": "month",
                "tax_behavior": "exclusive",
            },
            {
                "id": "price_team_year",
                "unit_amount": 15000,
                "currency": "eur",
                "interval": "year",
                "tax_behavior": "exclusive",
            },
        ],
    }
]


def features(*, cancel: bool, switch: bool) -> dict[str, Any]:
    update: dict[str, Any] = {"enabled": switch}
    if switch:
        update["default_allowed_updates"] = ["price"]
        update["products"] = [
            {"product": "prod_team", "prices": ["price_team_month", "price_team_year"]}
        ]
    return {
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True},
        "customer_update": {"enabled": True, "allowed_updates": ["email", "address"]},
        "subscription_cancel": {"enabled": cancel, "mode": "at_period_end"},
        "subscription_update": update,
    }


def create_preview(client: stripe.StripeClient, **params: Any) -> dict[str, Any]:
    response = client.raw_request("post", "/v1/test_helpers/portal_previews", **params)
    found: dict[str, Any] = client.deserialize(response, api_mode="V1").to_dict()
    return found


@pytest.fixture
def http(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=10) as client:
        yield client


def page(http: httpx.Client, url: str) -> httpx.Response:
    response = http.get(url)
    assert response.status_code == 200, response.text
    return response


def test_plan_switching_without_cancellation(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient, http: httpx.Client
) -> None:
    preview = create_preview(
        fresh_client,
        locale="en",
        configuration={"features": features(cancel=False, switch=True)},
        products=SWITCHABLE_PRODUCTS,
        branding={"business_name": "Acme Tools"},
    )
    assert preview["object"] == "sandbox.portal_preview"
    assert preview["url"].startswith(f"{fresh_sandbox.url}/p/preview/")
    assert preview["expires_at"] - preview["created"] == 30 * 60
    home = page(http, preview["url"]).text
    # The sample subscription is on the configuration's first product and price.
    assert "Team plan" in home
    assert "€15.00 per month" in home
    assert "Invoice history" in home and "Payment methods" in home
    detail_url = re.search(r'href="(/p/preview/[^"]+/subscriptions/sub_preview)"', home)
    assert detail_url is not None
    detail = page(http, detail_url.group(1)).text
    assert "Update subscription" in detail
    assert "Cancel subscription" not in detail


def test_cancellation_without_plan_switching(
    fresh_client: stripe.StripeClient, http: httpx.Client
) -> None:
    preview = create_preview(
        fresh_client,
        locale="en",
        configuration={"features": features(cancel=True, switch=False)},
    )
    detail = page(http, preview["url"] + "/subscriptions/sub_preview").text
    assert "Cancel subscription" in detail
    assert "Update subscription" not in detail


def test_features_turned_off_are_not_shown(
    fresh_client: stripe.StripeClient, http: httpx.Client
) -> None:
    off = features(cancel=False, switch=False)
    off["invoice_history"] = {"enabled": False}
    off["payment_method_update"] = {"enabled": False}
    preview = create_preview(fresh_client, locale="en", configuration={"features": off})
    home = page(http, preview["url"]).text
    assert "Invoice history" not in home
    assert "Payment methods" not in home
    assert "Billing information" in home


def test_branding_name_colours_icon_and_headline(
    fresh_client: stripe.StripeClient, http: httpx.Client
) -> None:
    icon_url = "data:image/png;base64," + base64.b64encode(ICON).decode()
    preview = create_preview(
        fresh_client,
        locale="en",
        configuration={
            "business_profile": {
                "headline": "Manage your Acme plan",
                "privacy_policy_url": "https://acme.example/privacy",
            },
            "features": features(cancel=True, switch=False),
        },
        branding={
            "business_name": "Acme Tools",
            "primary_color": "#d81b60",
            "secondary_color": "#fff3e0",
            "icon": icon_url,
        },
    )
    home = page(http, preview["url"]).text
    assert '<span class="business-name">Acme Tools</span>' in home
    assert "Manage your Acme plan" in home
    assert 'href="https://acme.example/privacy"' in home
    stylesheet = re.search(r'href="(/p/brand\.css\?[^"]+)"', home)
    assert stylesheet is not None
    css = page(http, stylesheet.group(1).replace("&amp;", "&")).text
    assert "--brand-primary:#d81b60" in css and "--brand-secondary:#fff3e0" in css
    icon = re.search(r'<img class="brand-icon" src="data:image/png;base64,([^"]+)"', home)
    assert icon is not None
    assert base64.b64decode(icon.group(1)) == ICON


def test_a_logo_replaces_the_name(fresh_client: stripe.StripeClient, http: httpx.Client) -> None:
    logo = png(40, 10, (10, 10, 10))
    preview = create_preview(
        fresh_client,
        locale="en",
        branding={
            "business_name": "Acme Tools",
            "logo": "data:image/png;base64," + base64.b64encode(logo).decode(),
        },
    )
    home = page(http, preview["url"]).text
    assert '<img class="brand-logo" src="data:image/png;base64,' in home
    assert 'alt="Acme Tools"' in home


def test_german_preview(fresh_client: stripe.StripeClient, http: httpx.Client) -> None:
    preview = create_preview(
        fresh_client,
        locale="de",
        configuration={"features": features(cancel=True, switch=True)},
        products=SWITCHABLE_PRODUCTS,
    )
    assert preview["locale"] == "de"
    home = page(http, preview["url"]).text
    assert '<html lang="de-DE">' in home
    assert "Zahlungsmethoden" in home and "Rechnungsverlauf" in home and "Testmodus" in home
    assert "15,00\u00a0€" in home  # CLDR's German currency format (no-break space)
    detail = page(http, preview["url"] + "/subscriptions/sub_preview").text
    assert "Abonnement kündigen" in detail and "Abonnement ändern" in detail


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"locale": "xx"}, "locale"),
        ({"locale": "auto"}, "locale"),
        ({}, "locale"),
        ({"locale": "en", "branding": {"primary_color": "red"}}, "branding[primary_color]"),
        ({"locale": "en", "branding": {"icon": "https://acme.example/i.png"}}, "branding[icon]"),
        (
            {"locale": "en", "branding": {"icon": "data:image/png;base64,bm90IGEgcG5n"}},
            "branding[icon]",
        ),
        (
            {
                "locale": "en",
                "configuration": {"features": {"subscription_cancel": {"mode": "sometimes"}}},
            },
            "configuration[features][subscription_cancel][mode]",
        ),
        ({"locale": "en", "configuration": {"colour": "red"}}, "configuration[colour]"),
        ({"locale": "en", "products": [{"name": "No id"}]}, "products[0][id]"),
    ],
)
def test_bad_input_is_refused_stripe_style(
    fresh_client: stripe.StripeClient, params: dict[str, Any], param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        create_preview(fresh_client, **params)
    error = raised.value.error
    assert error is not None
    assert (raised.value.http_status, error.type, error.param) == (
        400,
        "invalid_request_error",
        param,
    )
    assert error.message


def test_a_preview_needs_the_sandbox_key(fresh_sandbox: Sandbox, http: httpx.Client) -> None:
    response = http.post("/v1/test_helpers/portal_previews", data={"locale": "en"})
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"


def _state(client: stripe.StripeClient) -> dict[str, list[str]]:
    lists: dict[str, stripe.ListObject[Any]] = {
        "customers": client.v1.customers.list(params={"limit": 100}),
        "subscriptions": client.v1.subscriptions.list(params={"limit": 100, "status": "all"}),
        "invoices": client.v1.invoices.list(params={"limit": 100}),
        "events": client.v1.events.list(params={"limit": 100}),
        "payment_methods": client.v1.payment_methods.list(params={"limit": 100}),
        "configurations": client.v1.billing_portal.configurations.list(params={"limit": 100}),
    }
    return {name: [o.id for o in found.data] for name, found in lists.items()}


def test_previews_and_their_forms_change_nothing(
    fresh_client: stripe.StripeClient, http: httpx.Client
) -> None:
    fresh_client.v1.customers.create(params={"email": "real@example.com"})
    before = _state(fresh_client)
    preview = create_preview(
        fresh_client,
        locale="en",
        configuration={"features": features(cancel=True, switch=True)},
        products=SWITCHABLE_PRODUCTS,
    )
    base = preview["url"]
    page(http, base)
    page(http, base + "/subscriptions/sub_preview")
    # What the real portal's forms post to, with and without the fields they carry.
    for action, form in [
        ("/subscriptions/sub_preview/cancel", {"csrf_token": "", "reason": "too_expensive"}),
        ("/subscriptions/sub_preview/update", {"price": "price_team_year"}),
        ("/payment-methods/new", {"number": "4242424242424242", "expiry": "12/30"}),
        ("/payment-methods/pm_preview/remove", {}),
        ("/customer", {"email": "changed@example.com"}),
        ("", {}),
    ]:
        response = http.post(base + action, data=form)
        assert response.status_code == 403, action
        assert "This action isn't available" in response.text
    assert not http.cookies, "a preview sets no cookie"
    assert _state(fresh_client) == before


def test_a_preview_lapses(fresh_client: stripe.StripeClient, http: httpx.Client) -> None:
    preview = create_preview(fresh_client, locale="en")
    page(http, preview["url"])
    builders.advance(fresh_client, 31 * 60)
    assert http.get(preview["url"]).status_code == 410
    assert http.get(preview["url"][:-3] + "abc").status_code == 410


def test_preview_pages_carry_the_portal_security_headers(
    fresh_client: stripe.StripeClient, http: httpx.Client
) -> None:
    preview = create_preview(fresh_client, locale="en")
    headers = page(http, preview["url"]).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"


# -- the console's side: gather from one account, render on the built-in sandbox ----------------
# A "real account" can only be another sandbox here: the demo sandbox plays it, with its own
# branding, configurations and products, and a fresh sandbox plays the built-in one.


@pytest.fixture(scope="module")
def real_account() -> Iterator[Sandbox]:
    with Sandbox(":memory:", seed="demo") as running:
        yield running


@pytest_asyncio.fixture
async def real_gateway(real_account: Sandbox) -> AsyncIterator[Gateway]:
    async with Gateway(real_account.api_key, base_url=real_account.url) as opened:
        yield opened


async def _default_configuration(gateway: Gateway) -> PortalConfiguration:
    page = await gateway.list_portal_configurations()
    return configuration_from_stripe(next(r for r in page.data if r.is_default).raw)


async def _page(url: str) -> str:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    return response.text


@pytest.mark.asyncio
async def test_the_real_accounts_branding_and_products_render_on_the_builtin_sandbox(
    real_account: Sandbox, real_gateway: Gateway, fresh_sandbox: Sandbox
) -> None:
    real = make_client(real_account)
    account = real.v1.accounts.retrieve_current()
    assert account.settings is not None and account.business_profile is not None  # the demo's
    branding = account.settings.branding
    assert isinstance(branding.icon, str)  # a file id (not expanded)
    icon_file = real.v1.files.retrieve(branding.icon)
    assert icon_file.url is not None
    icon_bytes = httpx.get(icon_file.url).content
    configuration = await _default_configuration(real_gateway)
    offered = configuration.features.subscription_update.products or ()
    assert offered, "the demo's default configuration offers products"
    first_product = real.v1.products.retrieve(offered[0].product)

    source = await gather_preview(real_gateway, configuration)
    assert source.branding.business_name == account.business_profile.name
    assert source.branding.primary_color == branding.primary_color
    assert source.branding.icon is not None and source.branding.icon.data == icon_bytes
    assert source.products[0].name == first_product.name

    builtin = SandboxAddress(fresh_sandbox.url, fresh_sandbox.api_key)
    rendered = await render_preview(builtin, source, "ja")
    assert rendered.url.startswith(fresh_sandbox.url + "/p/preview/")
    home = await _page(rendered.url)
    assert f'<span class="business-name">{account.business_profile.name}</span>' in home
    assert "支払い方法" in home  # "Payment methods" in Japanese
    assert first_product.name in home
    icon = re.search(r'<img class="brand-icon" src="data:image/png;base64,([^"]+)"', home)
    assert icon is not None and base64.b64decode(icon.group(1)) == icon_bytes


@pytest.mark.asyncio
async def test_unsaved_edits_render_without_touching_either_account(
    real_account: Sandbox, real_gateway: Gateway, fresh_sandbox: Sandbox
) -> None:
    real, builtin_client = make_client(real_account), make_client(fresh_sandbox)
    before = (_state(real), _state(builtin_client))
    configuration = await _default_configuration(real_gateway)
    builtin = SandboxAddress(fresh_sandbox.url, fresh_sandbox.api_key)
    source = await gather_preview(real_gateway, configuration)
    with_cancel = edit(configuration, "features.subscription_cancel.enabled", True)
    without_cancel = edit(configuration, "features.subscription_cancel.enabled", False)
    pages = await render_previews(
        builtin, dataclasses.replace(source, configuration=with_cancel), ["en"]
    )
    shown = await _page(pages[0].url + "/subscriptions/sub_preview")
    assert "Cancel subscription" in shown
    edited = dataclasses.replace(source, configuration=without_cancel)
    several = await render_previews(builtin, edited, ["en", "el", "ru"])
    assert [p.locale for p in several] == ["en", "el", "ru"]
    assert "Cancel subscription" not in await _page(several[0].url + "/subscriptions/sub_preview")
    assert "Μέθοδοι πληρωμής" in await _page(several[1].url)
    assert "Способы оплаты" in await _page(several[2].url)
    assert (_state(real), _state(builtin_client)) == before


@pytest.mark.asyncio
async def test_a_refused_preview_is_a_stripe_shaped_console_error(fresh_sandbox: Sandbox) -> None:
    builtin = SandboxAddress(fresh_sandbox.url, fresh_sandbox.api_key)
    source = PreviewSource(PortalConfiguration(), AccountBranding("Acme", primary_color="blue"))
    with pytest.raises(StripeApiError) as raised:
        await render_preview(builtin, source, "en")
    assert (raised.value.type, raised.value.param) == (
        "invalid_request_error",
        "branding[primary_color]",
    )
    with pytest.raises(StripeApiError) as bad_locale:
        await render_preview(
            builtin, dataclasses.replace(source, branding=AccountBranding("A")), "xx"
        )
    assert bad_locale.value.param == "locale"
    assert fresh_sandbox.api_key not in str(bad_locale.value)


def test_pages_a_preview_does_not_show_lead_back_to_it(
    fresh_client: stripe.StripeClient, http: httpx.Client
) -> None:
    preview = create_preview(
        fresh_client, locale="en", configuration={"features": features(cancel=True, switch=False)}
    )
    response = http.get(preview["url"] + "/subscriptions/sub_preview/cancel")
    assert response.status_code == 404
    assert "Page not found" in response.text
    home_path = httpx.URL(preview["url"]).path
    assert f'href="{home_path}">Back to the portal</a>' in response.text
