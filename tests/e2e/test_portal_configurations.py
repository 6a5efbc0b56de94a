"""Customer portal configurations through the official stripe library, against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import stripe

from console.sandbox import Sandbox
from console.sandbox.resources.portal_configurations import resolve_login_token

JSON = dict[str, Any]


def _product_with_prices(client: stripe.StripeClient, name: str = "Pro") -> tuple[str, str, str]:
    product = client.v1.products.create(params={"name": name})
    monthly = client.v1.prices.create(
        params={
            "product": product.id,
            "currency": "usd",
            "unit_amount": 1000,
            "recurring": {"interval": "month"},
        }
    )
    yearly = client.v1.prices.create(
        params={
            "product": product.id,
            "currency": "usd",
            "unit_amount": 10000,
            "recurring": {"interval": "year"},
        }
    )
    return product.id, monthly.id, yearly.id


def _configurations(client: stripe.StripeClient, **filters: Any) -> list[str]:
    params: Any = {"limit": 100, **filters}
    listed = client.v1.billing_portal.configurations.list(params=params)
    return [c.id for c in listed.data]


def test_every_field_round_trips(client: stripe.StripeClient) -> None:
    product, monthly, yearly = _product_with_prices(client)
    option = client.v1.billing.feedback_options.create(params={"description": "Moving abroad"})
    sent: JSON = {
        "business_profile": {
            "headline": "Manage your Acme plan",
            "privacy_policy_url": "https://acme.example/privacy",
            "terms_of_service_url": "https://acme.example/terms",
        },
        "default_return_url": "https://acme.example/account",
        "name": "Main portal",
        "metadata": {"team": "billing"},
        "login_page": {"enabled": True},
        "features": {
            "customer_update": {"enabled": True, "allowed_updates": ["email", "address", "tax_id"]},
            "invoice_history": {"enabled": True},
            "payment_method_update": {"enabled": True},
            "subscription_cancel": {
                "enabled": True,
                "mode": "immediately",
                "proration_behavior": "create_prorations",
                "cancellation_reason": {
                    "enabled": True,
                    "options": ["too_expensive", "unused"],
                    "feedback_options": [option.id],
                },
            },
            "subscription_pause": {
                "enabled": True,
                "duration": {
                    "type": "interval_options",
                    "interval_options": [
                        {"interval": "week", "interval_count": 2},
                        {"interval": "month"},
                    ],
                },
            },
            "subscription_update": {
                "enabled": True,
                "default_allowed_updates": ["price", "quantity", "promotion_code"],
                "products": [
                    {
                        "product": product,
                        "prices": [monthly, yearly],
                        "adjustable_quantity": {"enabled": True, "minimum": 1, "maximum": 20},
                    }
                ],
                "proration_behavior": "always_invoice",
                "billing_cycle_anchor": "now",
                "schedule_at_period_end": {"conditions": [{"type": "decreasing_item_amount"}]},
                "trial_update_behavior": "continue_trial",
            },
        },
    }
    created = client.v1.billing_portal.configurations.create(params=sent)  # type: ignore[arg-type]
    assert created.id.startswith("bpc_")
    assert created.object == "billing_portal.configuration"
    assert created.active is True and created.livemode is False and created.application is None
    assert created.updated == created.created
    fetched = client.v1.billing_portal.configurations.retrieve(created.id)
    assert fetched.to_dict() == created.to_dict()

    data = fetched.to_dict()
    assert data["business_profile"] == sent["business_profile"]
    assert data["default_return_url"] == "https://acme.example/account"
    assert data["name"] == "Main portal"
    assert data["metadata"] == {"team": "billing"}
    features = data["features"]
    assert features["customer_update"] == {
        "enabled": True,
        "allowed_updates": ["email", "address", "tax_id"],
    }
    assert features["invoice_history"] == {"enabled": True}
    assert features["payment_method_update"] == {
        "enabled": True,
        "payment_method_configuration": None,
    }
    assert features["subscription_cancel"] == {
        "enabled": True,
        "mode": "immediately",
        "proration_behavior": "create_prorations",
        "cancellation_reason": {
            "enabled": True,
            "options": ["too_expensive", "unused"],
            "feedback_options": [option.id],
        },
    }
    assert features["subscription_pause"] == {
        "enabled": True,
        "duration": {
            "type": "interval_options",
            "interval_options": [
                {"interval": "week", "interval_count": 2},
                {"interval": "month", "interval_count": 1},
            ],
        },
    }
    assert features["subscription_update"] == {
        "enabled": True,
        "default_allowed_updates": ["price", "quantity", "promotion_code"],
        "products": [
            {
                "product": product,
                "prices": [monthly, yearly],
                "adjustable_quantity": {"enabled": True, "minimum": 1, "maximum": 20},
            }
        ],
        "proration_behavior": "always_invoice",
        "billing_cycle_anchor": "now",
        "schedule_at_period_end": {"conditions": [{"type": "decreasing_item_amount"}]},
        "trial_update_behavior": "continue_trial",
    }


def test_omitted_features_take_stripes_defaults(client: stripe.StripeClient) -> None:
    created = client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}
    )
    data = created.to_dict()
    assert data["business_profile"] == {
        "headline": None,
        "privacy_policy_url": None,
        "terms_of_service_url": None,
    }
    assert data["default_return_url"] is None and data["name"] is None
    assert data["login_page"] == {"enabled": False, "url": None}
    assert data["metadata"] == {}
    features = data["features"]
    assert features["customer_update"] == {"enabled": False, "allowed_updates": []}
    assert features["payment_method_update"]["enabled"] is False
    cancel = features["subscription_cancel"]
    assert (cancel["enabled"], cancel["mode"], cancel["proration_behavior"]) == (
        False,
        "at_period_end",
        "none",
    )
    assert cancel["cancellation_reason"]["enabled"] is False
    assert cancel["cancellation_reason"]["options"] == []
    assert features["subscription_pause"] == {
        "enabled": False,
        "duration": {
            "type": "interval_options",
            "interval_options": [{"interval": "month", "interval_count": 1}],
        },
    }
    update = features["subscription_update"]
    assert update["enabled"] is False
    assert update["default_allowed_updates"] == [] and update["products"] == []
    assert update["proration_behavior"] == "none"
    assert update["trial_update_behavior"] == "end_trial"
    assert update["billing_cycle_anchor"] in (None, "unchanged")
    assert update["schedule_at_period_end"] == {"conditions": []}


def test_first_configuration_is_the_only_default(fresh_client: stripe.StripeClient) -> None:
    first = fresh_client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}
    )
    second = fresh_client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": False}}}
    )
    assert first.is_default is True
    assert second.is_default is False
    assert _configurations(fresh_client, is_default=True) == [first.id]
    assert _configurations(fresh_client, is_default=False) == [second.id]
    assert _configurations(fresh_client) == [second.id, first.id]

    with pytest.raises(stripe.InvalidRequestError) as raised:
        fresh_client.v1.billing_portal.configurations.update(first.id, params={"active": False})
    assert raised.value.param == "active"
    assert fresh_client.v1.billing_portal.configurations.retrieve(first.id).active is True

    retired = fresh_client.v1.billing_portal.configurations.update(
        second.id, params={"active": False}
    )
    assert retired.active is False
    assert _configurations(fresh_client, active=False) == [second.id]
    assert _configurations(fresh_client, active=True) == [first.id]


def test_update_changes_only_what_was_sent_and_reports_previous_values(
    fresh_client: stripe.StripeClient, fresh_sandbox: Sandbox
) -> None:
    created = fresh_client.v1.billing_portal.configurations.create(
        params={
            "features": {
                "invoice_history": {"enabled": True},
                "customer_update": {"enabled": True, "allowed_updates": ["email"]},
            },
            "metadata": {"a": "1", "b": "2"},
            "name": "Before",
        }
    )
    fresh_sandbox.api.call("PostSandboxClockAdvance", {"seconds": 60})
    updated = fresh_client.v1.billing_portal.configurations.update(
        created.id,
        params={
            "name": "After",
            "features": {"customer_update": {"allowed_updates": ["email", "phone"]}},
            "metadata": {"a": "", "c": "3"},
        },
    )
    assert updated.name == "After"
    assert updated.metadata is not None and updated.metadata.to_dict() == {"b": "2", "c": "3"}
    assert updated.features.customer_update.allowed_updates == ["email", "phone"]
    assert updated.features.customer_update.enabled is True
    assert updated.features.invoice_history.enabled is True
    assert updated.updated == created.created + 60
    assert updated.created == created.created

    events = fresh_client.v1.events.list(params={"type": "billing_portal.configuration.updated"})
    assert len(events.data) == 1
    event = events.data[0].to_dict()
    assert event["data"]["object"]["id"] == created.id
    assert event["data"]["previous_attributes"] == {
        "name": "Before",
        "metadata": {"a": "1", "c": None},
        "features": {"customer_update": {"allowed_updates": ["email"]}},
    }
    created_events = fresh_client.v1.events.list(
        params={"type": "billing_portal.configuration.created"}
    )
    assert [e.data.object["id"] for e in created_events.data] == [created.id]

    cleared = fresh_client.v1.billing_portal.configurations.update(
        created.id, params={"metadata": "", "name": ""}
    )
    assert cleared.metadata is not None and cleared.metadata.to_dict() == {}
    assert cleared.name is None

    unchanged = fresh_client.v1.billing_portal.configurations.update(created.id, params={})
    assert unchanged.updated == cleared.updated
    events_after = fresh_client.v1.events.list(
        params={"type": "billing_portal.configuration.updated"}
    )
    assert len(events_after.data) == 2


def test_login_page_link_appears_disappears_and_stays_the_same(
    client: stripe.StripeClient, sandbox: Sandbox
) -> None:
    created = client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}, "login_page": {"enabled": True}}
    )
    url = created.login_page.url
    assert created.login_page.enabled is True
    assert url is not None and url.startswith(f"{sandbox.url}/p/login/")
    token = url.rsplit("/", 1)[1]
    assert len(token) >= 22
    found = resolve_login_token(sandbox.state.store, token)
    assert found is not None and found["id"] == created.id

    off = client.v1.billing_portal.configurations.update(
        created.id, params={"login_page": {"enabled": False}}
    )
    assert off.login_page.to_dict() == {"enabled": False, "url": None}
    assert resolve_login_token(sandbox.state.store, token) is None

    on = client.v1.billing_portal.configurations.update(
        created.id, params={"login_page": {"enabled": True}}
    )
    assert on.login_page.url == url

    other = client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}, "login_page": {"enabled": True}}
    )
    assert other.login_page.url not in (None, url)


def test_update_can_enable_subscription_updates_once_products_are_given(
    client: stripe.StripeClient,
) -> None:
    product, monthly, _yearly = _product_with_prices(client)
    created = client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}
    )
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.billing_portal.configurations.update(
            created.id, params={"features": {"subscription_update": {"enabled": True}}}
        )
    assert raised.value.code == "parameter_missing"
    assert raised.value.param == "features[subscription_update][default_allowed_updates]"
    assert (
        client.v1.billing_portal.configurations.retrieve(
            created.id
        ).features.subscription_update.enabled
        is False
    )
    updated = client.v1.billing_portal.configurations.update(
        created.id,
        params={
            "features": {
                "subscription_update": {
                    "enabled": True,
                    "default_allowed_updates": ["price"],
                    "products": [{"product": product, "prices": [monthly]}],
                }
            }
        },
    )
    assert updated.features.subscription_update.enabled is True
    again = client.v1.billing_portal.configurations.update(
        created.id, params={"features": {"subscription_update": {"proration_behavior": "none"}}}
    )
    products = again.features.subscription_update.products
    assert products is not None and [p.product for p in products] == [product]
    assert products[0].adjustable_quantity.to_dict() == {
        "enabled": False,
        "minimum": 0,
        "maximum": None,
    }


def test_connected_account_has_its_own_configurations(client: stripe.StripeClient) -> None:
    client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}
    )
    account = client.v1.accounts.create(params={"type": "express", "country": "US"})
    scoped: stripe.RequestOptions = {"stripe_account": account.id}
    created = client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}, options=scoped
    )
    assert created.is_default is True
    listed = client.v1.billing_portal.configurations.list(options=scoped)
    assert [c.id for c in listed.data] == [created.id]
    assert created.id not in _configurations(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.billing_portal.configurations.retrieve(created.id)
    assert raised.value.http_status == 404


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
        product, monthly, _yearly = _product_with_prices(client, f"Extra {n}")
        products.append({"product": product, "prices": [monthly]})
    return _with_products(products)


def _foreign_price(client: stripe.StripeClient, made: Fixture) -> JSON:
    _other, other_monthly, _ = _product_with_prices(client, "Other")
    return _with_products([{"product": made[0], "prices": [made[1], other_monthly]}])


def _one_time_price(client: stripe.StripeClient, made: Fixture) -> JSON:
    once = client.v1.prices.create(
        params={"product": made[0], "currency": "usd", "unit_amount": 500}
    )
    return _with_products([{"product": made[0], "prices": [once.id]}])


def _inactive_price(client: stripe.StripeClient, made: Fixture) -> JSON:
    client.v1.prices.update(made[2], params={"active": False})
    return _with_products([{"product": made[0], "prices": [made[1], made[2]]}])


def _same_interval(client: stripe.StripeClient, made: Fixture) -> JSON:
    twin = client.v1.prices.create(
        params={
            "product": made[0],
            "currency": "usd",
            "unit_amount": 1200,
            "recurring": {"interval": "month"},
        }
    )
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
    made = _product_with_prices(fresh_client)
    params = build(fresh_client, made)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        fresh_client.v1.billing_portal.configurations.create(params=params)  # type: ignore[arg-type]
    assert raised.value.http_status == status
    if code is not None:
        assert raised.value.code == code
    assert raised.value.param is not None and raised.value.param.startswith(param)
    assert _configurations(fresh_client) == []
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


def test_feedback_options_lifecycle(fresh_client: stripe.StripeClient) -> None:
    options = fresh_client.v1.billing.feedback_options
    first = options.create(params={"description": "Switching to a competitor"})
    second = options.create(params={"description": "Only needed it once"})
    assert first.status == "active"
    assert first.status_transitions.deactivated_at is None
    assert options.retrieve(first.id).description == "Switching to a competitor"
    renamed = options.update(first.id, params={"description": "Found a cheaper tool"})
    assert renamed.description == "Found a cheaper tool"
    gone = options.deactivate(second.id)
    assert gone.status == "inactive"
    assert isinstance(gone.status_transitions.deactivated_at, int)
    assert [o.id for o in options.list().data] == [second.id, first.id]
    assert [o.id for o in options.list(params={"status": "active"}).data] == [first.id]
    assert [o.id for o in options.list(params={"status": "inactive"}).data] == [second.id]

    with pytest.raises(stripe.InvalidRequestError) as too_long:
        options.create(params={"description": "x" * 101})
    assert too_long.value.param == "description"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        options.create(params={})  # type: ignore[typeddict-item]
    assert missing.value.code == "parameter_missing"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        options.retrieve("bfo_missing")
    assert unknown.value.http_status == 404
    assert len(options.list().data) == 2
