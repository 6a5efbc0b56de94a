"""Pausing collection, and resuming."""

from __future__ import annotations

import pytest
import stripe

from tests import builders


def test_pause_collection_voids_renewals(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    paused = client.v1.subscriptions.update(
        sub.id, params={"pause_collection": {"behavior": "void"}}
    )
    assert paused.pause_collection is not None
    assert paused.pause_collection.behavior == "void"
    assert paused.status == "active"
    builders.advance_to(client, builders.period(sub)[1] + 60)
    renewal = builders.invoices(client, customer.id)[-1]
    assert renewal.billing_reason == "subscription_cycle" and renewal.status == "void"
    resumed = client.v1.subscriptions.update(sub.id, params={"pause_collection": ""})
    assert resumed.pause_collection is None


def test_pause_and_resume(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 1000).id, expand=["latest_invoice"]
    )
    paused = client.v1.subscriptions.pause(sub.id, params={"type": "subscription"})
    assert paused.status == "paused"
    assert builders.events(client, "customer.subscription.paused", sub.id)
    builders.advance_to(client, builders.period(sub)[1] + 5 * builders.DAY)
    assert len(builders.invoices(client, customer.id)) == 1  # paused: no renewal
    resumed = client.v1.subscriptions.resume(
        sub.id, params={"billing_cycle_anchor": {"type": "now"}, "expand": ["latest_invoice"]}
    )
    assert resumed.status == "active"
    assert (
        builders.latest_invoice(resumed).total == 1000
        and builders.latest_invoice(resumed).status == "paid"
    )
    assert abs(builders.period(resumed)[0] - builders.now(client)) <= 2
    assert builders.events(client, "customer.subscription.resumed", sub.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.resume(sub.id)
