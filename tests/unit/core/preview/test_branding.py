"""The preview's request to the sandbox: parameters, their form encoding, where the key may go."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl, urlencode

from console.configurations.model import (
    PortalConfiguration,
    SubscriptionCancel,
    UpdatableProduct,
    edit,
)
from console.gateway.client import Gateway, key_may_go_to
from console.gateway.models import PriceId, ProductId
from console.preview.branding import (
    AccountBranding,
    BrandImage,
    CatalogPrice,
    CatalogProduct,
    PreviewSource,
    form_pairs,
    portal_locales,
    preview_params,
    stays_in_preview,
)


def test_the_forty_portal_locales_with_native_names() -> None:
    locales = portal_locales()
    assert len(locales) == 40
    assert len({entry.code for entry in locales}) == 40
    by_code = {entry.code: entry for entry in locales}
    assert by_code["de"].native == "Deutsch"
    assert by_code["ja"].native == "日本語"
    assert "pt-BR" in by_code and "zh-HK" in by_code and "en-GB" in by_code


def test_form_encoding_is_stripes_bracket_form() -> None:
    pairs = form_pairs(
        {"a": {"b": [{"c": 1}, {"c": True}], "empty": "", "gone": None}, "locale": "de"}
    )
    assert pairs == [
        ("a[b][0][c]", "1"),
        ("a[b][1][c]", "true"),
        ("a[empty]", ""),
        ("locale", "de"),
    ]
    assert dict(parse_qsl(urlencode(pairs), keep_blank_values=True))["a[empty]"] == ""


def test_params_carry_the_configuration_branding_and_catalog() -> None:
    config = edit(PortalConfiguration(), "business_profile.headline", "Manage your plan")
    config = edit(config, "features.subscription_cancel", SubscriptionCancel(enabled=True))
    config = edit(config, "features.subscription_update.enabled", True)
    config = edit(config, "features.subscription_update.default_allowed_updates", ("price",))
    config = edit(
        config,
        "features.subscription_update.products",
        (UpdatableProduct(ProductId("prod_1"), (PriceId("price_1"),)),),
    )
    icon = BrandImage("image/png", b"\x89PNG\r\n\x1a\nrest")
    source = PreviewSource(
        config,
        AccountBranding("Acme", primary_color="#112233", icon=icon),
        (
            CatalogProduct(
                "prod_1", "Pro", (CatalogPrice("price_1", "eur", 900, "month", 1, None),)
            ),
        ),
    )
    params = preview_params(source, "fr-CA")
    assert params["locale"] == "fr-CA"
    assert set(params["configuration"]) == {"business_profile", "features"}
    assert params["configuration"]["business_profile"] == {"headline": "Manage your plan"}
    assert params["configuration"]["features"]["subscription_cancel"]["enabled"] is True
    assert params["branding"] == {
        "business_name": "Acme",
        "primary_color": "#112233",
        "icon": "data:image/png;base64,iVBORw0KGgpyZXN0",
    }
    # tax_behavior None is left out: the sandbox then treats the price as Stripe would.
    assert params["products"] == [
        {
            "id": "prod_1",
            "name": "Pro",
            "prices": [
                {
                    "id": "price_1",
                    "currency": "eur",
                    "unit_amount": 900,
                    "interval": "month",
                    "interval_count": 1,
                }
            ],
        }
    ]


def test_the_key_goes_to_the_api_and_stripes_files_only() -> None:
    # Against Stripe itself (no base_url): its API and files hosts, over HTTPS, default port.
    assert key_may_go_to("https://files.stripe.com/v1/files/file_1/contents", None)
    assert key_may_go_to("https://API.stripe.com:443/v1/files/file_1", None)
    assert not key_may_go_to("http://files.stripe.com/v1/files/file_1/contents", None)
    assert not key_may_go_to("https://files.stripe.com:8443/x", None)
    assert not key_may_go_to("https://files.stripe.com.evil.example/x", None)
    assert not key_may_go_to("https://files.stripe.com@evil.example/x", None)
    assert not key_may_go_to("https://cdn.example.com/icon.png", None)
    assert not key_may_go_to("not a url", None)
    # Against a sandbox: its own origin only, not even Stripe's hosts.
    sandbox = "http://127.0.0.1:9999"
    assert key_may_go_to("http://127.0.0.1:9999/files/file_1/contents", sandbox)
    assert not key_may_go_to("http://127.0.0.1:9998/files/file_1/contents", sandbox)
    assert not key_may_go_to("https://127.0.0.1:9999/files/file_1/contents", sandbox)
    assert not key_may_go_to("https://files.stripe.com/v1/files/file_1/contents", sandbox)


def test_the_gateway_never_shows_its_key() -> None:
    key = "sk_test_" + "k" * 24
    gateway = Gateway(key, base_url="http://127.0.0.1:9999", stripe_account="acct_1")
    assert key not in repr(gateway) and key not in str(gateway)
    assert gateway.key_hint in repr(gateway)
    asyncio.run(gateway.aclose())
    icon = BrandImage("image/png", b"\x89PNG secret-looking bytes")
    assert "secret-looking" not in repr(icon)


def test_a_preview_leads_nowhere_but_its_own_pages() -> None:
    home = "http://127.0.0.1:8123/p/preview/tok_abc"
    assert stays_in_preview(home, home)
    assert stays_in_preview(home + "/subscriptions/sub_preview", home)
    assert not stays_in_preview("http://127.0.0.1:8123/p/preview/tok_abcdef", home)
    assert not stays_in_preview("http://127.0.0.1:8123/p/session/x", home)
    assert not stays_in_preview("https://acme.example/privacy", home)
    assert not stays_in_preview("http://127.0.0.1:9999/p/preview/tok_abc", home)
