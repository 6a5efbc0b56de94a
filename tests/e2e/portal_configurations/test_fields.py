"""Customer portal configurations through the official stripe library, against the sandbox:
fields, defaults, updates and connected accounts."""

from __future__ import annotations

import pytest
import stripe

from console.sandbox import Sandbox
from console.sandbox.resources.portal_configurations import resolve_login_token
from tests import builders
from tests.builders import JSON


def test_every_field_round_trips(client: stripe.StripeClient) -> None:
    product, monthly, yearly = builders.product_with_prices(client)
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
    assert builders.configurations(fresh_client, is_default=True) == [first.id]
    assert builders.configurations(fresh_client, is_default=False) == [second.id]
    assert builders.configurations(fresh_client) == [second.id, first.id]

    with pytest.raises(stripe.InvalidRequestError) as raised:
        fresh_client.v1.billing_portal.configurations.update(first.id, params={"active": False})
    assert raised.value.param == "active"
    assert fresh_client.v1.billing_portal.configurations.retrieve(first.id).active is True

    retired = fresh_client.v1.billing_portal.configurations.update(
        second.id, params={"active": False}
    )
    assert retired.active is False
    assert builders.configurations(fresh_client, active=False) == [second.id]
    assert builders.configurations(fresh_client, active=True) == [first.id]


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
    product, monthly, _yearly = builders.product_with_prices(client)
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
    assert created.id not in builders.configurations(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.billing_portal.configurations.retrieve(created.id)
    assert raised.value.http_status == 404
