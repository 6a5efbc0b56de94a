"""Listing subscriptions with filters."""

from __future__ import annotations

import stripe

from tests import builders


def test_list_filters(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    a, b = builders.price(client, 100), builders.price(client, 200)
    first = builders.subscribe(client, customer.id, a.id, expand=["latest_invoice"])
    second = builders.subscribe(
        client, customer.id, b.id, trial_period_days=3, expand=["latest_invoice"]
    )
    by_price = client.v1.subscriptions.list(params={"price": a.id})
    assert [s.id for s in by_price.data] == [first.id]
    trialing = client.v1.subscriptions.list(params={"status": "trialing"})
    assert [s.id for s in trialing.data] == [second.id]
    both = client.v1.subscriptions.list(params={"customer": customer.id, "limit": 1})
    assert both.has_more and both.data[0].id == second.id
    page = client.v1.subscriptions.list(
        params={"customer": customer.id, "starting_after": second.id}
    )
    assert [s.id for s in page.data] == [first.id]
