"""Changing subscriptions: prices, quantities and items with prorations, refusals, trials
and billing-cycle anchors."""

from __future__ import annotations

import pytest
import stripe

from tests import builders


def test_upgrade_with_create_prorations_leaves_pending_items(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    cheap, dear = builders.price(client, 1000), builders.price(client, 2000)
    sub = builders.subscribe(client, customer.id, cheap.id, expand=["latest_invoice"])
    left = builders.halfway(client, sub)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": dear.id}]}
    )
    assert updated["items"].data[0].id == item.id
    assert updated["items"].data[0].price.id == dear.id
    assert updated.latest_invoice == builders.latest_invoice(sub).id  # no new invoice
    pending = sorted(builders.pending(client, customer.id), key=lambda i: i.amount)
    assert len(pending) == 2
    credit, charge = pending
    assert credit.proration and charge.proration
    assert abs(credit.amount + 1000 * left) <= 2
    assert abs(charge.amount - 2000 * left) <= 2
    assert str(credit.description).startswith("Unused time on")
    assert str(charge.description).startswith("Remaining time on")
    previous = builders.previous(client, "customer.subscription.updated", sub.id)
    assert previous["items"]["data"][0]["price"]["id"] == cheap.id
    # The next renewal collects them along with the new price.
    builders.advance_to(client, builders.period(updated)[1] + 60)
    renewal = builders.invoices(client, customer.id)[-1]
    assert renewal.billing_reason == "subscription_cycle"
    assert abs(renewal.total - (2000 + charge.amount + credit.amount)) <= 1
    assert renewal.status == "paid"
    assert builders.pending(client, customer.id) == []


def test_upgrade_with_always_invoice_charges_now(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    cheap, dear = builders.price(client, 1000), builders.price(client, 2000)
    sub = builders.subscribe(client, customer.id, cheap.id, expand=["latest_invoice"])
    left = builders.halfway(client, sub)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item.id, "price": dear.id}],
            "proration_behavior": "always_invoice",
            "expand": ["latest_invoice"],
        },
    )
    invoice = builders.latest_invoice(updated)
    assert invoice.id != builders.latest_invoice(sub).id
    assert invoice.billing_reason == "subscription_update"
    assert invoice.status == "paid"
    assert abs(invoice.total - 1000 * left) <= 3
    assert builders.pending(client, customer.id) == []
    assert updated.status == "active"


def test_proration_none_changes_price_without_charges(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 1000).id, expand=["latest_invoice"]
    )
    builders.halfway(client, sub)
    dear = builders.price(client, 2000)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": dear.id}], "proration_behavior": "none"}
    )
    assert updated["items"].data[0].price.id == dear.id
    assert builders.pending(client, customer.id) == []
    assert len(builders.invoices(client, customer.id)) == 1


def test_quantity_change_prorates_the_difference(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 1000).id, expand=["latest_invoice"]
    )
    left = builders.halfway(client, sub)
    item = sub["items"].data[0]
    updated = client.v1.subscription_items.update(item.id, params={"quantity": 3})
    assert updated.quantity == 3
    assert updated.current_period_end == builders.period(sub)[1]
    pending = builders.pending(client, customer.id)
    total = sum(i.amount for i in pending)
    assert abs(total - 2000 * left) <= 3
    fetched = client.v1.subscriptions.retrieve(sub.id)
    assert fetched["items"].data[0].quantity == 3


def test_adding_and_deleting_items(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    base = builders.price(client, 1000)
    sub = builders.subscribe(client, customer.id, base.id, expand=["latest_invoice"])
    addon = builders.price(client, 500)
    added = client.v1.subscription_items.create(
        params={"subscription": sub.id, "price": addon.id, "proration_behavior": "none"}
    )
    assert added.subscription == sub.id
    assert (added.current_period_start, added.current_period_end) == builders.period(sub)
    listed = client.v1.subscription_items.list(params={"subscription": sub.id})
    assert {i.id for i in listed.data} == {sub["items"].data[0].id, added.id}
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_items.create(params={"subscription": sub.id, "price": addon.id})
    assert "same price" in str(raised.value.user_message)
    updated = client.v1.subscriptions.update(
        sub.id,
        params={"items": [{"id": added.id, "deleted": True}], "proration_behavior": "none"},
    )
    assert [i.price.id for i in updated["items"].data] == [base.id]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_items.retrieve(added.id)
    assert raised.value.code == "resource_missing"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_items.delete(sub["items"].data[0].id)
    assert "at least one item" in str(raised.value.user_message)


def test_update_refusals_change_nothing(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    item = sub["items"].data[0]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.update(
            sub.id, params={"items": [{"id": item.id, "price": "price_x"}]}
        )
    assert raised.value.code == "resource_missing"
    assert raised.value.param == "items[0][price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.update(sub.id, params={"items": [{"id": "si_nope", "quantity": 2}]})
    assert raised.value.param == "items[0][id]"
    unchanged = client.v1.subscriptions.retrieve(sub.id)
    assert unchanged["items"].data[0].price.id == item.price.id
    client.v1.subscriptions.cancel(sub.id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.update(sub.id, params={"description": "too late"})
    assert "canceled subscription" in str(raised.value.user_message)
    ok = client.v1.subscriptions.update(sub.id, params={"metadata": {"note": "kept"}})
    assert ok.metadata.to_dict() == {"note": "kept"} and ok.description is None


def test_trial_end_now_ends_the_trial_and_invoices(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 2500).id,
        trial_period_days=30,
        expand=["latest_invoice"],
    )
    updated = client.v1.subscriptions.update(
        sub.id, params={"trial_end": "now", "expand": ["latest_invoice"]}
    )
    now = builders.now(client)
    assert updated.status == "active"
    assert abs(builders.present(updated.trial_end) - now) <= 2
    assert updated.billing_cycle_anchor == updated.trial_end
    start, end = builders.period(updated)
    assert start == updated.trial_end and 28 * builders.DAY <= end - start <= 31 * builders.DAY
    assert (
        builders.latest_invoice(updated).total == 2500
        and builders.latest_invoice(updated).status == "paid"
    )
    previous = builders.previous(client, "customer.subscription.updated", sub.id)
    assert previous["status"] == "trialing"


def test_changing_a_trialing_subscription_charges_nothing(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 1000).id,
        trial_period_days=10,
        expand=["latest_invoice"],
    )
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": builders.price(client, 3000).id}]}
    )
    assert updated.status == "trialing"
    assert builders.pending(client, customer.id) == []


def test_billing_cycle_anchor_now_restarts_the_period(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 1000).id, expand=["latest_invoice"]
    )
    left = builders.halfway(client, sub)
    updated = client.v1.subscriptions.update(
        sub.id,
        params={"billing_cycle_anchor": {"type": "now"}, "expand": ["latest_invoice"]},
    )
    now = builders.now(client)
    assert abs(updated.billing_cycle_anchor - now) <= 2
    assert builders.period(updated)[0] == updated.billing_cycle_anchor
    # A full new period minus the credit for the unused half of the old one.
    assert abs(builders.latest_invoice(updated).total - (1000 - 1000 * left)) <= 3


def test_interval_change_resets_the_anchor(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    product = client.v1.products.create(params={"name": "Both"}).id
    monthly = builders.price(client, 1000, product=product)
    yearly = builders.price(client, 10000, interval="year", product=product)
    sub = builders.subscribe(client, customer.id, monthly.id, expand=["latest_invoice"])
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id,
        params={"items": [{"id": item.id, "price": yearly.id}], "expand": ["latest_invoice"]},
    )
    start, end = builders.period(updated)
    assert 365 * builders.DAY <= end - start <= 366 * builders.DAY
    assert builders.latest_invoice(updated).billing_reason == "subscription_update"
    assert 8990 <= builders.latest_invoice(updated).total <= 10000
