"""Every rule of a portal configuration, one refused request each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import stripe

from tests import builders
from tests.builders import JSON

# -- every rule, one refused request each --------------------------------------------------

Fixture = tuple[str, str, str]  # product, monthly price, yearly price
Build = Callable[[stripe.StripeClient, Fixture], JSON]


def _update_feature(**feature: Any) -> JSON:
    return {"features": {"subscription_update": {"enabled": True, **feature}}}


def _with_products(products: list[JSON]) -> JSON:
    return _update_feature(default_allowed_updates=["price"], products=products)


def _eleven_products(client: stripe.StripeClient, made: Fixture) -> JSON:
    products = [{"product": made[0], "prices": [made[1]]}]
    for n in range(10):
        product, monthly, _yearly = builders.product_with_prices(client, f"Extra {n}")
        products.append({"product": product, "prices": [monthly]})
    return _with_products(products)


def _foreign_price(client: stripe.StripeClient, made: Fixture) -> JSON:
    _other, other_monthly, _ = builders.product_with_prices(client, "Other")
    return _with_products([{"product": made[0], "prices": [made[1], other_monthly]}])


def _one_time_price(client: stripe.StripeClient, made: Fixture) -> JSON:
    once = builders.price(client, 500, product=made[0], interval=None)
    return _with_products([{"product": made[0], "prices": [once.id]}])


def _inactive_price(client: stripe.StripeClient, made: Fixture) -> JSON:
    client.v1.prices.update(made[2], params={"active": False})
    return _with_products([{"product": made[0], "prices": [made[1], made[2]]}])


def _same_interval(client: stripe.StripeClient, made: Fixture) -> JSON:
    twin = builders.price(client, 1200, product=made[0], interval="month")
    return _with_products([{"product": made[0], "prices": [made[1], twin.id]}])


def _inactive_feedback_option(client: stripe.StripeClient, made: Fixture) -> JSON:
    option = client.v1.billing.feedback_options.create(params={"description": "Old reason"})
    client.v1.billing.feedback_options.deactivate(option.id)
    return {
        "features": {
            "subscription_cancel": {
                "enabled": True,
                "cancellation_reason": {
                    "enabled": True,
                    "options": ["other"],
                    "feedback_options": [option.id],
                },
            }
        }
    }


def _static(params: JSON) -> Build:
    return lambda _client, _made: params


def _cancel(**feature: Any) -> Build:
    return _static({"features": {"subscription_cancel": {"enabled": True, **feature}}})


def _products(build: Callable[[Fixture], list[JSON]]) -> Build:
    return lambda _client, made: _with_products(build(made))


def _quantity(**limits: Any) -> Build:
    return _products(
        lambda made: [
            {
                "product": made[0],
                "prices": [made[1]],
                "adjustable_quantity": {"enabled": True, **limits},
            }
        ]
    )


def _pause(interval: str, count: int) -> Build:
    return _static(
        {
            "features": {
                "subscription_pause": {
                    "enabled": True,
                    "duration": {
                        "type": "interval_options",
                        "interval_options": [{"interval": interval, "interval_count": count}],
                    },
                }
            }
        }
    )


SUB_UPDATE = "features[subscription_update]"
BASIC: JSON = {"invoice_history": {"enabled": True}}
PRODUCTS = f"{SUB_UPDATE}[products]"

INVALID: list[tuple[str, Build, int, str | None, str]] = [
    ("eleven products", _eleven_products, 400, None, PRODUCTS),
    (
        "unknown product",
        _products(lambda made: [{"product": "prod_missing", "prices": [made[1]]}]),
        400,  # a missing object named in a parameter: 400 (404 is for the URL's own)
        "resource_missing",
        f"{PRODUCTS}[0][product]",
    ),
    (
        "unknown price",
        _products(lambda made: [{"product": made[0], "prices": ["price_missing"]}]),
        400,
        "resource_missing",
        f"{PRODUCTS}[0][prices][0]",
    ),
    ("price of another product", _foreign_price, 400, None, f"{PRODUCTS}[0][prices][1]"),
    ("one-time price", _one_time_price, 400, None, f"{PRODUCTS}[0][prices][0]"),
    ("inactive price", _inactive_price, 400, None, f"{PRODUCTS}[0][prices][1]"),
    ("two prices, one interval", _same_interval, 400, None, f"{PRODUCTS}[0][prices]"),
    (
        "enabled without allowed updates",
        _products(lambda made: []),
        400,
        "parameter_missing",
        f"{SUB_UPDATE}[products]",
    ),
    (
        "enabled without default_allowed_updates",
        lambda _c, made: _update_feature(products=[{"product": made[0], "prices": [made[1]]}]),
        400,
        "parameter_missing",
        f"{SUB_UPDATE}[default_allowed_updates]",
    ),
    (
        "quantity minimum below zero",
        _quantity(minimum=-1),
        400,
        None,
        f"{PRODUCTS}[0][adjustable_quantity][minimum]",
    ),
    (
        "quantity maximum below minimum",
        _quantity(minimum=5, maximum=2),
        400,
        None,
        f"{PRODUCTS}[0][adjustable_quantity][maximum]",
    ),
    (
        "quantity maximum above 99",
        _quantity(maximum=100),
        400,
        None,
        f"{PRODUCTS}[0][adjustable_quantity][maximum]",
    ),
    (
        "cancellation reasons without options",
        _cancel(cancellation_reason={"enabled": True, "options": ""}),
        400,
        None,
        "features[subscription_cancel][cancellation_reason][options]",
    ),
    (
        "prorations when canceling at period end",
        _cancel(mode="at_period_end", proration_behavior="create_prorations"),
        400,
        None,
        "features[subscription_cancel][proration_behavior]",
    ),
    (
        "always_invoice on cancel",
        _cancel(mode="immediately", proration_behavior="always_invoice"),
        400,
        None,
        "features[subscription_cancel][proration_behavior]",
    ),
    (
        "unknown feedback option",
        _cancel(
            cancellation_reason={
                "enabled": True,
                "options": ["other"],
                "feedback_options": ["bfo_nope"],
            }
        ),
        400,
        "resource_missing",
        "features[subscription_cancel][cancellation_reason][feedback_options][0]",
    ),
    (
        "inactive feedback option",
        _inactive_feedback_option,
        400,
        None,
        "features[subscription_cancel][cancellation_reason][feedback_options][0]",
    ),
    (
        "pause longer than three years",
        _pause("month", 37),
        400,
        None,
        "features[subscription_pause][duration][interval_options][0][interval_count]",
    ),
    (
        "pause of zero intervals",
        _pause("week", 0),
        400,
        None,
        "features[subscription_pause][duration][interval_options][0][interval_count]",
    ),
    (
        "pause options missing",
        _static(
            {
                "features": {
                    "subscription_pause": {
                        "enabled": True,
                        "duration": {"type": "interval_options"},
                    }
                }
            }
        ),
        400,
        "parameter_missing",
        "features[subscription_pause][duration][interval_options]",
    ),
    (
        "privacy policy not a URL",
        _static({"features": BASIC, "business_profile": {"privacy_policy_url": "acme privacy"}}),
        400,
        "url_invalid",
        "business_profile[privacy_policy_url]",
    ),
    (
        "terms not an http URL",
        _static(
            {
                "features": BASIC,
                "business_profile": {"terms_of_service_url": "ftp://acme.example/t"},
            }
        ),
        400,
        "url_invalid",
        "business_profile[terms_of_service_url]",
    ),
    (
        "default return URL without host",
        _static({"features": BASIC, "default_return_url": "https://"}),
        400,
        "url_invalid",
        "default_return_url",
    ),
    (
        "headline over 60 characters",
        _static({"features": BASIC, "business_profile": {"headline": "h" * 61}}),
        400,
        None,
        "business_profile[headline]",
    ),
    (
        "name over 256 characters",
        _static({"features": BASIC, "name": "n" * 257}),
        400,
        None,
        "name",
    ),
    (
        "missing features",
        _static({"name": "No features"}),
        400,
        "parameter_missing",
        "features",
    ),
    (
        "feature without enabled",
        _static({"features": {"customer_update": {"allowed_updates": ["email"]}}}),
        400,
        "parameter_missing",
        "features[customer_update][enabled]",
    ),
]


@pytest.mark.parametrize(
    ("build", "status", "code", "param"),
    [pytest.param(b, s, c, p, id=name) for name, b, s, c, p in INVALID],
)
def test_invalid_configuration_is_refused_and_creates_nothing(
    fresh_client: stripe.StripeClient, build: Build, status: int, code: str | None, param: str
) -> None:
    made = builders.product_with_prices(fresh_client)
    params = build(fresh_client, made)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        fresh_client.v1.billing_portal.configurations.create(params=params)  # type: ignore[arg-type]
    assert raised.value.http_status == status
    if code is not None:
        assert raised.value.code == code
    assert raised.value.param is not None and raised.value.param.startswith(param)
    assert builders.configurations(fresh_client) == []
    assert fresh_client.v1.events.list(params={"type": "billing_portal.*"}).data == []


def test_invalid_update_changes_nothing(client: stripe.StripeClient) -> None:
    created = client.v1.billing_portal.configurations.create(
        params={"features": {"subscription_cancel": {"enabled": True}}, "name": "Kept"}
    )
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.billing_portal.configurations.update(
            created.id,
            params={
                "name": "Changed",
                "features": {"subscription_cancel": {"proration_behavior": "create_prorations"}},
            },
        )
    assert raised.value.param == "features[subscription_cancel][proration_behavior]"
    after = client.v1.billing_portal.configurations.retrieve(created.id)
    assert after.to_dict() == created.to_dict()

    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.billing_portal.configurations.update("bpc_missing", params={"name": "x"})
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"
    assert missing.value.param == "configuration"
