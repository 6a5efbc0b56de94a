"""Ending a trial early with ``trial_end=now`` follows ``trial_settings.end_behavior`` as the
clock's trial end does: with no payment method, ``pause`` pauses and ``cancel`` cancels,
instead of billing a card that is not there and going ``past_due``."""

from __future__ import annotations

import stripe

from tests import builders


def _trialing_without_a_card(client: stripe.StripeClient, missing: str) -> stripe.Subscription:
    customer = builders.customer(client, email="billing@example.com").id
    return builders.subscribe(
        client,
        customer,
        builders.price(client, 2500).id,
        trial_period_days=30,
        trial_settings={"end_behavior": {"missing_payment_method": missing}},
    )


def test_trial_end_now_without_a_card_pauses(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub = _trialing_without_a_card(client, "pause")
    trial_invoice = sub.latest_invoice

    ended = client.v1.subscriptions.update(sub.id, params={"trial_end": "now"})

    assert ended.status == "paused"
    assert ended.trial_end is not None and abs(ended.trial_end - builders.now(client)) <= 2
    details = ended.to_dict()["status_details"]["paused"]
    assert details["subscription"]["type"] == "trial_end_without_payment_method"
    # Nothing was billed: the only invoice is the trial's.
    assert ended.latest_invoice == trial_invoice
    assert len(client.v1.invoices.list(params={"subscription": sub.id}).data) == 1
    assert builders.events(client, "customer.subscription.paused", sub.id)
    assert not builders.events(client, "invoice.payment_failed", str(trial_invoice))


def test_trial_end_now_without_a_card_cancels(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub = _trialing_without_a_card(client, "cancel")

    ended = client.v1.subscriptions.update(sub.id, params={"trial_end": "now"})

    assert ended.status == "canceled"
    assert ended.ended_at is not None and abs(ended.ended_at - builders.now(client)) <= 2
    assert len(client.v1.invoices.list(params={"subscription": sub.id}).data) == 1
    assert builders.events(client, "customer.subscription.deleted", sub.id)


def test_trial_end_now_with_a_card_still_bills(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(
        client, email="billing@example.com", payment_method="pm_card_visa"
    ).id
    sub = builders.subscribe(
        client,
        customer,
        builders.price(client, 2500).id,
        trial_period_days=30,
        trial_settings={"end_behavior": {"missing_payment_method": "pause"}},
    )
    ended = client.v1.subscriptions.update(
        sub.id, params={"trial_end": "now", "expand": ["latest_invoice"]}
    )
    assert ended.status == "active"
    invoice = ended.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert invoice.total == 2500 and invoice.status == "paid"


def test_create_invoice_behavior_bills_and_goes_past_due(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    sub = _trialing_without_a_card(client, "create_invoice")
    ended = client.v1.subscriptions.update(sub.id, params={"trial_end": "now"})
    assert ended.status == "past_due"
