"""Links the sandbox stores and shows on hosted pages must be http(s) URLs, as at Stripe."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

BAD_URLS = [
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "https://shop.example.com/\x00admin",
    "https://shop.example.com/a\rb",
    "ftp://shop.example.com/",
    "https://",
]


@pytest.mark.parametrize("bad", BAD_URLS)
@pytest.mark.parametrize("key", ["url", "support_url"])
def test_a_connected_account_s_business_urls_must_be_http(
    client: stripe.StripeClient, key: str, bad: str
) -> None:
    account = client.v1.accounts.create(
        params={"type": "standard", "business_profile": {"name": "Shop"}}
    )
    params: Any = {"business_profile": {key: bad, "name": "Changed"}}
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.accounts.update(account.id, params=params)
    assert refused.value.code == "url_invalid"
    assert refused.value.param == f"business_profile[{key}]"
    after = client.v1.accounts.retrieve(account.id)
    assert after.business_profile is not None
    assert (after.business_profile.name, after.business_profile[key]) == ("Shop", None)
    create: Any = {"type": "standard", "business_profile": {key: bad}}
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.accounts.create(params=create)


def test_a_connected_account_takes_an_https_business_url(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.create(
        params={"type": "standard", "business_profile": {"url": "https://shop.example.com"}}
    )
    assert account.business_profile is not None
    assert account.business_profile.url == "https://shop.example.com"


@pytest.mark.parametrize("bad", BAD_URLS)
@pytest.mark.parametrize(
    "field",
    ["default_return_url", "business_profile[privacy_policy_url]",
     "business_profile[terms_of_service_url]"],
)  # fmt: skip
def test_portal_configuration_urls_refuse_control_characters_and_other_schemes(
    client: stripe.StripeClient, field: str, bad: str
) -> None:
    params: Any = {"features": {"invoice_history": {"enabled": True}}}
    if field.startswith("business_profile"):
        params["business_profile"] = {field.split("[")[1].rstrip("]"): bad}
    else:
        params[field] = bad
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.billing_portal.configurations.create(params=params)
    assert refused.value.code == "url_invalid"
    assert refused.value.param == field
