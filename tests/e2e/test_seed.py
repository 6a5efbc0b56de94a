"""Seeded sandboxes as a user would check them through the ``stripe`` library: demo and scale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from console.sandbox import Sandbox
from console.sandbox.seed.demo import LOCALES, PORTAL_PAYMENT_METHODS, DemoError, seed_demo
from tests.conftest import make_client


@pytest.fixture(scope="module")
def demo() -> Iterator[Sandbox]:
    with Sandbox(":memory:", seed="demo") as running:
        yield running


@pytest.fixture(scope="module")
def demo_client(demo: Sandbox) -> stripe.StripeClient:
    return make_client(demo)


def all_customers(client: stripe.StripeClient, **options: Any) -> list[stripe.Customer]:
    return list(
        client.v1.customers.list(params={"limit": 100}, options=options).auto_paging_iter()  # type: ignore[arg-type]
    )


def all_subscriptions(client: stripe.StripeClient) -> list[stripe.Subscription]:
    return list(
        client.v1.subscriptions.list(
            params={"limit": 100, "status": "all", "expand": ["data.items.data.price"]}
        ).auto_paging_iter()
    )


def test_about_fifty_customers_in_many_locales(demo_client: stripe.StripeClient) -> None:
    customers = all_customers(demo_client)
    assert 45 <= len(customers) <= 60
    assert all(c.email and "@" in c.email and c.name for c in customers)
    locales = {locale for c in customers for locale in (c.preferred_locales or [])}
    assert set(LOCALES) <= locales


def test_branding_of_the_platform(demo_client: stripe.StripeClient) -> None:
    account = demo_client.v1.accounts.retrieve_current()
    assert account.business_profile is not None
    assert account.business_profile.name == "Northwind Cloud"
    assert account.business_profile.support_email
    assert account.settings is not None
    assert account.settings.branding.primary_color == "#1f6feb"


def test_subscriptions_cover_the_portal_cases(demo_client: stripe.StripeClient) -> None:
    subs = all_subscriptions(demo_client)
    statuses = {s.status for s in subs}
    assert {"active", "trialing", "past_due", "canceled"} <= statuses

    def products(sub: stripe.Subscription) -> set[str]:
        return {str(i.price.product) for i in sub["items"].data}

    assert any(len(products(s)) >= 2 for s in subs), "a subscription with several products"
    assert any(
        i.price.recurring is not None and i.price.recurring.usage_type == "metered"
        for s in subs
        for i in s["items"].data
    ), "a metered subscription"
    assert any(s.collection_method == "send_invoice" for s in subs)
    assert any(s.schedule for s in subs), "a subscription with a pending schedule"
    assert any(s.cancel_at_period_end for s in subs)
    assert any(s.discounts for s in subs), "a subscription with the retention coupon"
    behaviours = {i.price.tax_behavior for s in subs for i in s["items"].data}
    assert {"exclusive", "inclusive", "unspecified"} <= behaviours


def test_invoice_only_customer_with_an_open_invoice(demo_client: stripe.StripeClient) -> None:
    open_invoices = list(
        demo_client.v1.invoices.list(params={"status": "open", "limit": 100}).auto_paging_iter()
    )
    invoice_only = [
        inv
        for inv in open_invoices
        if not demo_client.v1.subscriptions.list(
            params={"customer": str(inv.customer), "status": "all"}
        ).data
    ]
    assert invoice_only, "an open invoice of a customer without subscriptions"
    assert invoice_only[0].hosted_invoice_url
    paid = demo_client.v1.invoices.list(
        params={"customer": str(invoice_only[0].customer), "limit": 100}
    ).data
    assert all(i.status != "draft" for i in paid)


def test_three_portal_configurations_one_default(demo_client: stripe.StripeClient) -> None:
    configs = demo_client.v1.billing_portal.configurations.list(params={"limit": 100}).data
    assert len(configs) == 3
    assert [c.is_default for c in configs].count(True) == 1
    default = next(c for c in configs if c.is_default)
    features = default.features
    assert features.subscription_update.enabled
    assert len(features.subscription_update.products or []) == 3
    assert features.subscription_cancel.cancellation_reason.enabled
    assert features.invoice_history.enabled and features.payment_method_update.enabled


def test_two_connected_accounts_with_customers(demo_client: stripe.StripeClient) -> None:
    accounts = demo_client.v1.accounts.list(params={"limit": 100}).data
    assert len(accounts) == 2
    for account in accounts:
        customers = all_customers(demo_client, stripe_account=account.id)
        assert len(customers) >= 3


def test_every_portal_payment_method_type_and_an_unsupported_one(
    demo_client: stripe.StripeClient,
) -> None:
    types: set[str] = set()
    defaults: set[str] = set()
    for customer in all_customers(demo_client):
        methods = demo_client.v1.customers.payment_methods.list(
            customer.id, params={"limit": 100}
        ).data
        types |= {pm.type for pm in methods}
        assert customer.invoice_settings is not None
        default = customer.invoice_settings.default_payment_method
        defaults |= {pm.type for pm in methods if pm.id == default}
    assert set(PORTAL_PAYMENT_METHODS) <= types
    assert defaults - set(PORTAL_PAYMENT_METHODS), "a default payment method the portal lacks"


def test_tax_ids(demo_client: stripe.StripeClient) -> None:
    types = set()
    for customer in all_customers(demo_client):
        types |= {t.type for t in demo_client.v1.customers.tax_ids.list(customer.id).data}
    assert {"eu_vat", "gb_vat", "au_abn"} <= types


def test_demo_content_is_deterministic(demo_client: stripe.StripeClient) -> None:
    with Sandbox(":memory:", seed="demo") as second:
        again = all_customers(make_client(second))
    first = all_customers(demo_client)
    assert sorted((c.name, c.email) for c in first) == sorted((c.name, c.email) for c in again)


def test_a_failing_demo_step_names_itself() -> None:
    with Sandbox(":memory:") as sandbox:
        client = make_client(sandbox)
        client.v1.coupons.create(params={"id": "RETENTION25", "percent_off": 5})
        with pytest.raises(DemoError) as caught:
            seed_demo(sandbox.api)
    message = str(caught.value)
    assert "retention coupon" in message
    assert "PostCoupons" in message


@pytest.mark.slow
def test_scale_seed_customers_subscriptions_and_search() -> None:
    with Sandbox(":memory:", seed="scale:2000") as sandbox:
        client = make_client(sandbox)
        customers = all_customers(client)
        assert len(customers) == 2000
        assert len({c.id for c in customers}) == 2000
        created = [c.created for c in customers]
        assert created == sorted(created, reverse=True)
        assert created[0] - created[-1] > 365 * 86_400  # spread over the past two years

        subs = list(
            client.v1.subscriptions.list(params={"limit": 100, "status": "all"}).auto_paging_iter()
        )
        assert len(subs) == 2000
        assert {str(s.customer) for s in subs} == {c.id for c in customers}
        assert {s.status for s in subs} == {"active"}

        someone = customers[1234]
        found = client.v1.customers.search(params={"query": f"email:'{someone.email}'"}).data
        assert [c.id for c in found] == [someone.id]
        last_name = str(someone.name).split()[-1]
        by_name = client.v1.customers.search(params={"query": f"name~'{last_name}'", "limit": 100})
        assert someone.id in {c.id for c in by_name.auto_paging_iter()}

        invoices = client.v1.invoices.list(params={"customer": someone.id}).data
        assert 1 <= len(invoices) <= 3
        assert all(i.status == "paid" for i in invoices)
        sub = next(s for s in subs if s.customer == someone.id)
        assert sub.latest_invoice in {i.id for i in invoices}
        item = sub["items"].data[0]
        assert invoices[0].created == item.current_period_start  # renewed at the period start
        assert item.price.created == client.v1.prices.retrieve(item.price.id).created
        assert client.v1.invoices.search(params={"query": f"subscription:'{sub.id}'"}).data, (
            "the invoices of a copied subscription are searchable by it"
        )
