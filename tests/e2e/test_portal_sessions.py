"""Customer portal sessions through the official stripe library, against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from console.sandbox import Sandbox
from console.sandbox.resources.portal_sessions import resolve_token
from tests import builders

JSON = dict[str, Any]

NO_SETTINGS = "until you save your customer portal settings in test mode"


def _config(client: stripe.StripeClient, **extra: Any) -> str:
    params: Any = {
        "features": {
            "invoice_history": {"enabled": True},
            "payment_method_update": {"enabled": True},
            "customer_update": {"enabled": True, "allowed_updates": ["email"]},
        },
        "default_return_url": "https://shop.example/account",
        **extra,
    }
    return client.v1.billing_portal.configurations.create(params=params).id


def _session(client: stripe.StripeClient, **params: Any) -> stripe.billing_portal.Session:
    sent: Any = params
    return client.v1.billing_portal.sessions.create(params=sent)


def _refused(client: stripe.StripeClient, **params: Any) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _session(client, **params)
    return raised.value


def _session_events(client: stripe.StripeClient) -> list[str]:
    listed = client.v1.events.list(params={"type": "billing_portal.session.created", "limit": 100})
    return [e.data.object["id"] for e in listed.data]


@pytest.fixture
def customer(client: stripe.StripeClient) -> str:
    return builders.customer(client, email="portal@example.com").id


def test_a_sandbox_without_saved_portal_settings_refuses_sessions(
    fresh_client: stripe.StripeClient,
) -> None:
    customer = fresh_client.v1.customers.create(params={"name": "Early"}).id
    error = _refused(fresh_client, customer=customer, return_url="https://shop.example")
    assert error.http_status == 400
    assert NO_SETTINGS in str(error.user_message)
    assert "https://dashboard.stripe.com/test/settings/billing/portal" in str(error.user_message)
    assert _session_events(fresh_client) == []


def test_session_uses_the_default_configuration_and_its_return_url(
    fresh_client: stripe.StripeClient, fresh_sandbox: Sandbox
) -> None:
    default = _config(fresh_client)
    _config(fresh_client, default_return_url="https://other.example")
    customer = fresh_client.v1.customers.create(params={"name": "Ada"}).id
    session = _session(fresh_client, customer=customer)
    assert session.id.startswith("bps_")
    assert session.object == "billing_portal.session"
    assert session.configuration == default
    assert session.customer == customer
    assert session.return_url == "https://shop.example/account"
    assert session.flow is None and session.locale is None and session.on_behalf_of is None
    assert session.customer_account is None and session.livemode is False
    assert session.url.startswith(f"{fresh_sandbox.url}/p/session/")
    token = session.url.rsplit("/", 1)[1]
    assert len(token) >= 22  # base64url: at least 128 bits
    shown = session.to_dict()
    assert not any(key.startswith("_") for key in shown)
    assert "expires_at" not in shown

    store = fresh_sandbox.state.store
    for account in (None, fresh_sandbox.state.platform):
        stored = resolve_token(store, account, token)
        assert stored is not None and stored["id"] == session.id
        assert stored["_expires_unused_at"] == session.created + 300
        assert stored["_used_at"] is None and stored["_idle_timeout"] == 3600
    assert resolve_token(store, None, token + "x") is None
    assert _session_events(fresh_client) == [session.id]

    other = _session(fresh_client, customer=customer)
    assert other.url != session.url


def test_explicit_configuration_and_return_url_win(
    client: stripe.StripeClient, customer: str
) -> None:
    _config(client)
    chosen = _config(client, default_return_url="https://chosen.example/home")
    session = _session(
        client, customer=customer, configuration=chosen, return_url="https://mine.example/back"
    )
    assert session.configuration == chosen
    assert session.return_url == "https://mine.example/back"
    fallback = _session(client, customer=customer, configuration=chosen)
    assert fallback.return_url == "https://chosen.example/home"
    expanded = client.v1.billing_portal.sessions.create(
        params={"customer": customer, "configuration": chosen, "expand": ["configuration"]}
    )
    assert getattr(expanded.configuration, "id", None) == chosen


def test_without_any_return_url_the_session_is_refused(
    client: stripe.StripeClient, customer: str
) -> None:
    bare = client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}
    )
    before = _session_events(client)
    error = _refused(client, customer=customer, configuration=bare.id)
    assert error.param == "return_url"
    assert error.code == "parameter_missing"
    bad = _refused(client, customer=customer, configuration=bare.id, return_url="not a url")
    assert bad.param == "return_url" and bad.code == "url_invalid"
    assert _session_events(client) == before


def test_configuration_must_exist_and_be_active(client: stripe.StripeClient, customer: str) -> None:
    _config(client)
    retired = _config(client)
    client.v1.billing_portal.configurations.update(retired, params={"active": False})
    inactive = _refused(client, customer=customer, configuration=retired)
    assert inactive.param == "configuration"
    missing = _refused(client, customer=customer, configuration="bpc_missing")
    # Named in a parameter, a missing object is Stripe's 400 (a 404 is for the URL's own).
    assert missing.http_status == 400
    assert (missing.code, missing.param) == ("resource_missing", "configuration")


def test_customer_rules(client: stripe.StripeClient, customer: str) -> None:
    _config(client)
    absent = _refused(client)
    assert (absent.code, absent.param) == ("parameter_missing", "customer")
    unknown = _refused(client, customer="cus_missing")
    assert unknown.http_status == 400
    assert (unknown.code, unknown.param) == ("resource_missing", "customer")
    accounts_v2 = _refused(client, customer_account="acct_v2customer")
    assert accounts_v2.param == "customer_account"
    both = _refused(client, customer=customer, customer_account="acct_v2customer")
    assert both.code == "parameters_exclusive"
    gone = client.v1.customers.create(params={"name": "Gone"}).id
    client.v1.customers.delete(gone)
    deleted = _refused(client, customer=gone)
    assert (deleted.http_status, deleted.param) == (400, "customer")


def test_locale_and_after_expiration(
    client: stripe.StripeClient, sandbox: Sandbox, customer: str
) -> None:
    # Named explicitly: on the shared sandbox another test's configuration may be the default.
    config = _config(client)
    french = _session(client, configuration=config, customer=customer, locale="fr-CA")
    assert french.locale == "fr-CA"
    bad = _refused(client, configuration=config, customer=customer, locale="xx")
    assert bad.param == "locale"

    later = builders.now(client) + 86400
    recovering = _session(
        client,
        configuration=config,
        customer=customer,
        after_expiration={"type": "customer_login", "customer_login": {"expires_at": later}},
    )
    assert recovering.after_expiration is not None
    assert recovering.after_expiration.to_dict() == {
        "type": "customer_login",
        "customer_login": {"expires_at": later},
    }
    open_ended = _session(
        client, configuration=config, customer=customer, after_expiration={"type": "customer_login"}
    )
    assert open_ended.after_expiration is not None
    assert open_ended.after_expiration.to_dict() == {
        "type": "customer_login",
        "customer_login": {"expires_at": None},
    }
    past = _refused(
        client,
        configuration=config,
        customer=customer,
        after_expiration={"type": "customer_login", "customer_login": {"expires_at": 1000}},
    )
    assert past.param == "after_expiration[customer_login][expires_at]"


def test_on_behalf_of_must_be_a_connected_account(
    client: stripe.StripeClient, sandbox: Sandbox, customer: str
) -> None:
    # Named explicitly: on the shared sandbox another test's configuration may be the default.
    config = _config(client)
    account = client.v1.accounts.create(params={"type": "express", "country": "US"})
    session = _session(client, configuration=config, customer=customer, on_behalf_of=account.id)
    assert session.on_behalf_of == account.id
    unknown = _refused(client, configuration=config, customer=customer, on_behalf_of="acct_missing")
    assert unknown.param == "on_behalf_of"
    itself = _refused(
        client, configuration=config, customer=customer, on_behalf_of=sandbox.state.platform
    )
    assert itself.param == "on_behalf_of"


def test_connected_account_sessions_live_in_its_scope(
    client: stripe.StripeClient, sandbox: Sandbox
) -> None:
    account = client.v1.accounts.create(params={"type": "standard", "country": "US"})
    scoped: stripe.RequestOptions = {"stripe_account": account.id}
    buyer = client.v1.customers.create(params={"name": "Connected buyer"}, options=scoped)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.billing_portal.sessions.create(params={"customer": buyer.id}, options=scoped)
    assert NO_SETTINGS in str(raised.value.user_message)
    config = client.v1.billing_portal.configurations.create(
        params={
            "features": {"invoice_history": {"enabled": True}},
            "default_return_url": "https://connected.example",
        },
        options=scoped,
    )
    session = client.v1.billing_portal.sessions.create(
        params={"customer": buyer.id}, options=scoped
    )
    assert session.configuration == config.id
    token = session.url.rsplit("/", 1)[1]
    found = resolve_token(sandbox.state.store, None, token)
    assert found is not None and found["id"] == session.id
    mine = resolve_token(sandbox.state.store, account.id, token)
    assert mine is not None and mine["id"] == session.id
    assert resolve_token(sandbox.state.store, sandbox.state.platform, token) is None
    with pytest.raises(stripe.InvalidRequestError) as platform_view:
        client.v1.billing_portal.sessions.create(params={"customer": buyer.id})
    assert platform_view.value.param == "customer"


# -- flows that need no subscription ---------------------------------------------------------


def test_flows_without_a_subscription(client: stripe.StripeClient, customer: str) -> None:
    config = _config(client)
    payment = _session(
        client, customer=customer, configuration=config, flow_data={"type": "payment_method_update"}
    )
    assert payment.flow is not None
    assert payment.flow.to_dict() == {
        "type": "payment_method_update",
        "after_completion": {
            "type": "portal_homepage",
            "hosted_confirmation": None,
            "redirect": None,
        },
        "customer_update": None,
        "subscription_cancel": None,
        "subscription_pause": None,
        "subscription_update": None,
        "subscription_update_confirm": None,
    }
    details = _session(
        client,
        customer=customer,
        configuration=config,
        flow_data={
            "type": "customer_update",
            "after_completion": {
                "type": "redirect",
                "redirect": {"return_url": "https://shop.example/thanks"},
            },
        },
    )
    assert details.flow is not None
    assert details.flow.type == "customer_update"
    assert details.flow.after_completion.to_dict() == {
        "type": "redirect",
        "redirect": {"return_url": "https://shop.example/thanks"},
        "hosted_confirmation": None,
    }
    confirmed = _session(
        client,
        customer=customer,
        configuration=config,
        flow_data={
            "type": "payment_method_update",
            "after_completion": {
                "type": "hosted_confirmation",
                "hosted_confirmation": {"custom_message": "Card saved."},
            },
        },
    )
    assert confirmed.flow is not None
    assert confirmed.flow.after_completion.to_dict() == {
        "type": "hosted_confirmation",
        "hosted_confirmation": {"custom_message": "Card saved."},
        "redirect": None,
    }


FLOW_ERRORS: list[tuple[str, JSON, int, str | None, str]] = [
    (
        "feature disabled",
        {"type": "subscription_update", "subscription_update": {"subscription": "sub_x"}},
        400,
        None,
        "flow_data[type]",
    ),
    (
        "redirect without its object",
        {"type": "payment_method_update", "after_completion": {"type": "redirect"}},
        400,
        "parameter_missing",
        "flow_data[after_completion][redirect]",
    ),
    (
        "redirect to a non-URL",
        {
            "type": "payment_method_update",
            "after_completion": {"type": "redirect", "redirect": {"return_url": "nowhere"}},
        },
        400,
        "url_invalid",
        "flow_data[after_completion][redirect][return_url]",
    ),
    (
        "confirmation object with another type",
        {
            "type": "payment_method_update",
            "after_completion": {
                "type": "portal_homepage",
                "hosted_confirmation": {"custom_message": "hi"},
            },
        },
        400,
        None,
        "flow_data[after_completion][hosted_confirmation]",
    ),
    (
        "companion of another type",
        {"type": "payment_method_update", "subscription_cancel": {"subscription": "sub_x"}},
        400,
        None,
        "flow_data[subscription_cancel]",
    ),
    (
        "cancel flow without its object",
        {"type": "subscription_cancel"},
        400,
        "parameter_missing",
        "flow_data[subscription_cancel]",
    ),
    (
        "unknown subscription",
        {"type": "subscription_cancel", "subscription_cancel": {"subscription": "sub_missing"}},
        400,
        "resource_missing",
        "flow_data[subscription_cancel][subscription]",
    ),
    (
        "unknown flow type",
        {"type": "subscription_resume"},
        400,
        None,
        "flow_data[type]",
    ),
]


@pytest.mark.parametrize(
    ("flow", "status", "code", "param"),
    [pytest.param(f, s, c, p, id=name) for name, f, s, c, p in FLOW_ERRORS],
)
def test_invalid_flow_is_refused_and_creates_nothing(
    fresh_client: stripe.StripeClient, flow: JSON, status: int, code: str | None, param: str
) -> None:
    config = fresh_client.v1.billing_portal.configurations.create(
        params={
            "features": {
                "payment_method_update": {"enabled": True},
                "subscription_cancel": {"enabled": True},
            },
            "default_return_url": "https://shop.example",
        }
    )
    customer = fresh_client.v1.customers.create(params={"name": "Flow"}).id
    error = _refused(fresh_client, customer=customer, configuration=config.id, flow_data=flow)
    assert error.http_status == status
    if code is not None:
        assert error.code == code
    assert error.param == param
    assert _session_events(fresh_client) == []


# -- flows about a subscription --------------------------------------------------------------


class Shop:
    """A product with two prices, a configuration that allows switching, and subscriptions."""

    def __init__(self, client: stripe.StripeClient) -> None:
        self.client = client
        self.product, self.monthly, self.yearly = builders.product_with_prices(client, "Flow plan")
        config = client.v1.billing_portal.configurations.create(
            params={
                "features": {
                    "subscription_cancel": {"enabled": True},
                    "subscription_pause": {"enabled": True},
                    "subscription_update": {
                        "enabled": True,
                        "default_allowed_updates": ["price", "quantity"],
                        "products": [
                            {
                                "product": self.product,
                                "prices": [self.monthly, self.yearly],
                                "adjustable_quantity": {
                                    "enabled": True,
                                    "minimum": 1,
                                    "maximum": 5,
                                },
                            }
                        ],
                    },
                },
                "default_return_url": "https://shop.example",
            }
        )
        self.config = config.id
        self.customer = client.v1.customers.create(params={"name": "Subscriber"}).id

    def subscribe(
        self, customer: str | None = None, price: str | None = None
    ) -> stripe.Subscription:
        return builders.subscribe(
            self.client, customer or self.customer, price or self.monthly, trial_period_days=14
        )

    def session(self, flow: JSON) -> stripe.billing_portal.Session:
        return _session(
            self.client, customer=self.customer, configuration=self.config, flow_data=flow
        )

    def refused(self, flow: JSON) -> stripe.InvalidRequestError:
        return _refused(
            self.client, customer=self.customer, configuration=self.config, flow_data=flow
        )


@pytest.fixture
def shop(client: stripe.StripeClient) -> Shop:
    return Shop(client)


def test_cancel_flow_with_a_retention_coupon(shop: Shop) -> None:
    subscription = shop.subscribe()
    coupon = shop.client.v1.coupons.create(params={"percent_off": 20, "duration": "once"})
    session = shop.session(
        {
            "type": "subscription_cancel",
            "subscription_cancel": {
                "subscription": subscription.id,
                "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": coupon.id}},
            },
            "after_completion": {"type": "hosted_confirmation"},
        }
    )
    assert session.flow is not None
    assert session.flow.type == "subscription_cancel"
    cancel = session.flow.subscription_cancel
    assert cancel is not None and cancel.to_dict() == {
        "subscription": subscription.id,
        "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": coupon.id}},
    }
    assert session.flow.after_completion.to_dict() == {
        "type": "hosted_confirmation",
        "hosted_confirmation": {"custom_message": None},
        "redirect": None,
    }
    missing = shop.refused(
        {
            "type": "subscription_cancel",
            "subscription_cancel": {
                "subscription": subscription.id,
                "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": "nope"}},
            },
        }
    )
    assert missing.http_status == 400
    assert missing.param == "flow_data[subscription_cancel][retention][coupon_offer][coupon]"


def test_subscription_must_be_the_customers_and_not_canceled(shop: Shop) -> None:
    stranger = shop.client.v1.customers.create(params={"name": "Stranger"}).id
    theirs = shop.subscribe(customer=stranger)
    foreign = shop.refused(
        {"type": "subscription_update", "subscription_update": {"subscription": theirs.id}}
    )
    assert foreign.param == "flow_data[subscription_update][subscription]"
    ended = shop.subscribe()
    shop.client.v1.subscriptions.cancel(ended.id)
    canceled = shop.refused(
        {"type": "subscription_pause", "subscription_pause": {"subscription": ended.id}}
    )
    assert canceled.param == "flow_data[subscription_pause][subscription]"


def test_update_and_pause_flows(shop: Shop) -> None:
    subscription = shop.subscribe()
    update = shop.session(
        {"type": "subscription_update", "subscription_update": {"subscription": subscription.id}}
    )
    assert update.flow is not None and update.flow.subscription_update is not None
    assert update.flow.subscription_update.subscription == subscription.id
    pause = shop.session(
        {"type": "subscription_pause", "subscription_pause": {"subscription": subscription.id}}
    )
    assert pause.flow is not None and pause.flow.subscription_pause is not None
    assert pause.flow.subscription_pause.subscription == subscription.id


def test_update_confirm_flow(shop: Shop) -> None:
    subscription = shop.subscribe()
    item = subscription["items"]["data"][0]["id"]
    coupon = shop.client.v1.coupons.create(
        params={"amount_off": 100, "currency": "usd", "duration": "once"}
    )
    session = shop.session(
        {
            "type": "subscription_update_confirm",
            "subscription_update_confirm": {
                "subscription": subscription.id,
                "items": [{"id": item, "price": shop.yearly, "quantity": 2}],
                "discounts": [{"coupon": coupon.id}],
            },
        }
    )
    assert session.flow is not None
    confirm = session.flow.subscription_update_confirm
    assert confirm is not None and confirm.to_dict() == {
        "subscription": subscription.id,
        "items": [{"id": item, "price": shop.yearly, "quantity": 2}],
        "discounts": [{"coupon": coupon.id, "promotion_code": None}],
    }

    other_product = shop.client.v1.products.create(params={"name": "Not offered"})
    stray = builders.price(shop.client, 700, product=other_product.id, interval="month")
    base = "flow_data[subscription_update_confirm]"
    cases: list[tuple[JSON, str]] = [
        ({"items": [{"id": "si_missing"}]}, f"{base}[items][0][id]"),
        ({"items": [{"id": item, "price": stray.id}]}, f"{base}[items][0][price]"),
        ({"items": [{"id": item, "quantity": 9}]}, f"{base}[items][0][quantity]"),
        ({"items": [{"id": item}, {"id": item}]}, f"{base}[items]"),
        (
            {"items": [{"id": item}], "discounts": [{"coupon": "nope"}]},
            f"{base}[discounts][0][coupon]",
        ),
    ]
    for body, param in cases:
        error = shop.refused(
            {
                "type": "subscription_update_confirm",
                "subscription_update_confirm": {"subscription": subscription.id, **body},
            }
        )
        assert error.param == param, body
