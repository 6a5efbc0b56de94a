"""The subscriptions index against the sandbox: a full sync holds what the portal's rules read of
every subscription, and events keep it current."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
import stripe

from console.configurations.model import configuration_from_stripe
from console.configurations.transfer import load_catalogue
from console.customers.support_view import default_configuration
from console.eligibility.rules import evaluate
from console.gateway.client import Gateway
from console.gateway.models import Subscription
from console.index.subscription_sync import full_subscription_sync, sync_subscriptions
from console.index.subscriptions_store import SubscriptionStore
from console.sandbox import Sandbox
from tests import builders


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SubscriptionStore]:
    made = SubscriptionStore(tmp_path / "index" / "acct_x-test-subscriptions.sqlite3")
    yield made
    made.close()


@pytest_asyncio.fixture
async def demo_gateway(demo_sandbox: Sandbox) -> AsyncIterator[Gateway]:
    async with Gateway(
        demo_sandbox.api_key, base_url=demo_sandbox.url, requests_per_second=1000
    ) as gateway:
        yield gateway


async def _every_subscription(gateway: Gateway) -> list[Subscription]:
    """Each customer's subscriptions as ``customers show`` reads them (one customer at a time)."""
    found: list[Subscription] = []
    cursor: str | None = None
    while True:
        page = await gateway.list_customers(starting_after=cursor)
        for customer in page.data:
            found += await gateway.list_subscriptions(customer.id)
        cursor = page.next_cursor
        if cursor is None:
            return found


@pytest.mark.asyncio
async def test_full_sync_gives_the_rules_the_same_answer_as_the_api(
    demo_gateway: Gateway, store: SubscriptionStore
) -> None:
    count = await full_subscription_sync(store, demo_gateway)
    from_api = await _every_subscription(demo_gateway)
    assert count == len(from_api) > 30
    record = await default_configuration(demo_gateway)
    assert record is not None
    configuration = configuration_from_stripe(record.raw)
    catalogue = await load_catalogue(demo_gateway)
    kinds: set[str] = set()
    for subscription in from_api:
        indexed = store.get(subscription.id)
        assert indexed is not None, subscription.id
        assert indexed.customer_id == subscription.customer_id
        assert indexed.status == subscription.status
        assert indexed.default_payment_method_type == subscription.default_payment_method_type
        assert [i.price.id for i in indexed.items] == [i.price.id for i in subscription.items]
        assert [i.quantity for i in indexed.items] == [i.quantity for i in subscription.items]
        expected = evaluate(subscription, configuration, catalogue.prices)
        got = evaluate(indexed, configuration, catalogue.prices)
        assert got.actions == expected.actions, subscription.id
        assert got.reason_codes() == expected.reason_codes(), subscription.id
        kinds.update(expected.reason_codes())
    # The demo data covers the cases the coverage view groups by.
    assert {"several_products", "metered_price", "send_invoice"} <= kinds


@pytest.mark.asyncio
async def test_events_keep_the_index_current(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient, store: SubscriptionStore
) -> None:
    client = fresh_client
    product, monthly, yearly = builders.product_with_prices(client)
    kept = builders.customer(client, payment_method="pm_card_visa")
    first = builders.subscribe(client, kept.id, monthly)
    async with Gateway(
        fresh_sandbox.api_key, base_url=fresh_sandbox.url, requests_per_second=1000
    ) as gateway:
        outcome = await sync_subscriptions(store, gateway)
        assert outcome.full and store.count() == 1

        # A new subscription, a cancel at period end, a price given its tax behaviour, and
        # a customer deleted: each reaches the index by its events.
        other = builders.customer(client, payment_method="pm_card_visa")
        second = builders.subscribe(client, other.id, yearly, collection_method="send_invoice",
                                    days_until_due=30)  # fmt: skip
        client.v1.subscriptions.update(first.id, params={"cancel_at_period_end": True})
        client.v1.prices.update(monthly, params={"tax_behavior": "exclusive"})
        outcome = await sync_subscriptions(store, gateway)
        assert not outcome.full and outcome.events_applied >= 3
        changed = store.get(first.id)
        assert changed is not None and changed.cancel_at_period_end
        assert changed.items[0].price.tax_behavior == "exclusive"
        added = store.get(second.id)
        assert added is not None and added.collection_method == "send_invoice"
        assert added.default_payment_method_type == "card"  # the customer's default

        client.v1.customers.delete(other.id)
        await sync_subscriptions(store, gateway)
        assert store.get(second.id) is None
        assert store.count() == 1
    assert product.startswith("prod_")
