"""Cancelling now, at period end or at a moment, with prorations, and undoing it."""

from __future__ import annotations

import pytest
import stripe

from tests import builders


def test_cancel_now(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    canceled = client.v1.subscriptions.cancel(
        sub.id, params={"cancellation_details": {"comment": "moving", "feedback": "too_expensive"}}
    )
    now = builders.now(client)
    assert canceled.status == "canceled"
    assert (
        abs(builders.present(canceled.canceled_at) - now) <= 2
        and abs(builders.present(canceled.ended_at) - now) <= 2
    )
    assert builders.details(canceled).reason == "cancellation_requested"
    assert builders.details(canceled).comment == "moving"
    assert builders.details(canceled).feedback == "too_expensive"
    assert builders.events(client, "customer.subscription.deleted", sub.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.cancel(sub.id)
    assert client.v1.subscriptions.list(params={"customer": customer.id}).data == []
    ended = client.v1.subscriptions.list(params={"customer": customer.id, "status": "canceled"})
    assert [s.id for s in ended.data] == [sub.id]


def test_cancel_with_prorate_and_invoice_now_credits_unused_time(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 1000).id, expand=["latest_invoice"]
    )
    left = builders.halfway(client, sub)
    client.v1.subscriptions.cancel(sub.id, params={"prorate": True, "invoice_now": True})
    final = builders.invoices(client, customer.id)[-1]
    assert final.id != builders.latest_invoice(sub).id
    assert abs(final.total + 1000 * left) <= 2


def test_cancel_at_period_end_then_the_clock_ends_it(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    _, end = builders.period(sub)
    updated = client.v1.subscriptions.update(
        sub.id,
        params={
            "cancel_at_period_end": True,
            "cancellation_details": {"feedback": "unused", "comment": "not needed"},
        },
    )
    assert updated.cancel_at_period_end is True
    assert updated.cancel_at == end
    assert updated.status == "active"
    assert builders.details(updated).feedback == "unused"
    previous = builders.previous(client, "customer.subscription.updated", sub.id)
    assert previous["cancel_at_period_end"] is False
    assert previous["cancellation_details"]["feedback"] is None
    builders.advance_to(client, end - 60)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    builders.advance_to(client, end + 60)
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "canceled"
    assert ended.ended_at == end
    assert ended.canceled_at == updated.canceled_at
    assert builders.events(client, "customer.subscription.deleted", sub.id)
    assert len(builders.invoices(client, customer.id)) == 1  # no renewal


def test_undoing_a_scheduled_cancellation(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client).id,
        cancel_at_period_end=True,
        expand=["latest_invoice"],
    )
    assert sub.cancel_at == builders.period(sub)[1]
    undone = client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": False})
    assert undone.cancel_at is None and undone.canceled_at is None
    builders.advance_to(client, builders.period(sub)[1] + 60)
    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "active"
    assert len(builders.invoices(client, customer.id)) == 2


def test_cancel_at_a_moment(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    moment = builders.now(client) + 5 * builders.DAY
    updated = client.v1.subscriptions.update(sub.id, params={"cancel_at": moment})
    assert updated.cancel_at == moment and updated.cancel_at_period_end is False
    builders.advance_to(client, moment + 1)
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "canceled" and ended.ended_at == moment
