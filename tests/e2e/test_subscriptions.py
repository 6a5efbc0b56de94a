"""Subscriptions through the stripe library: creation, changes with prorations, cancellation,
renewals and trials on the sandbox clock, items, pause and resume."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

DAY = 86_400


# -- helpers ------------------------------------------------------------------------------


def _advance_to(client: stripe.StripeClient, moment: int) -> None:
    client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", frozen_time=moment)


def _now(client: stripe.StripeClient) -> int:
    clock = client.raw_request("get", "/v1/test_helpers/sandbox_clock")
    return int(client.deserialize(clock, api_mode="V1")["now"])


def _price(
    client: stripe.StripeClient,
    amount: int = 1000,
    *,
    interval: str = "month",
    currency: str = "usd",
    product: str | None = None,
    **extra: Any,
) -> stripe.Price:
    if product is None:
        product = client.v1.products.create(params={"name": f"Plan {amount}"}).id
    params: Any = {
        "product": product,
        "currency": currency,
        "unit_amount": amount,
        "recurring": {"interval": interval, **extra.pop("recurring", {})},
        **extra,
    }
    return client.v1.prices.create(params=params)


def _customer(client: stripe.StripeClient, card: str | None = "pm_card_visa") -> stripe.Customer:
    customer = client.v1.customers.create(params={"email": "sub@example.com"})
    if card is not None:
        pm = client.v1.payment_methods.attach(card, params={"customer": customer.id})
        customer = client.v1.customers.update(
            customer.id, params={"invoice_settings": {"default_payment_method": pm.id}}
        )
    return customer


def _subscribe(
    client: stripe.StripeClient, customer: str, *prices: str, **params: Any
) -> stripe.Subscription:
    body: Any = {
        "customer": customer,
        "items": [{"price": p} for p in prices],
        "expand": ["latest_invoice"],
        **params,
    }
    return client.v1.subscriptions.create(params=body)


def _invoices(client: stripe.StripeClient, customer: str) -> list[stripe.Invoice]:
    """The customer's invoices, oldest first."""
    listed = client.v1.invoices.list(params={"customer": customer, "limit": 100})
    return list(reversed(listed.data))


def _pending(client: stripe.StripeClient, customer: str) -> list[stripe.InvoiceItem]:
    listed = client.v1.invoice_items.list(
        params={"customer": customer, "pending": True, "limit": 100}
    )
    return list(listed.data)


def _events(client: stripe.StripeClient, event_type: str, object_id: str) -> list[stripe.Event]:
    listed = client.v1.events.list(params={"type": event_type, "limit": 100})
    return [e for e in listed.data if e.data.object["id"] == object_id]


def _inv(sub: stripe.Subscription) -> stripe.Invoice:
    invoice = sub.latest_invoice
    assert isinstance(invoice, stripe.Invoice), "expand latest_invoice"
    return invoice


def _details(sub: stripe.Subscription) -> stripe.Subscription.CancellationDetails:
    details = sub.cancellation_details
    assert details is not None
    return details


def _int(value: int | None) -> int:
    assert value is not None
    return value


def _previous(client: stripe.StripeClient, event_type: str, object_id: str) -> dict[str, Any]:
    """previous_attributes of the newest event of this type about the object."""
    previous = _events(client, event_type, object_id)[0].data.previous_attributes
    assert previous is not None
    return dict(previous.to_dict())


def _period(sub: stripe.Subscription) -> tuple[int, int]:
    item = sub["items"].data[0]
    return item.current_period_start, item.current_period_end


def _subscription_of(invoice: stripe.Invoice) -> str | None:
    parent = invoice.parent
    if parent is None or parent.subscription_details is None:
        return None
    return str(parent.subscription_details.subscription)


# -- create -------------------------------------------------------------------------------


def test_create_charges_the_first_invoice_and_is_active(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    price = _price(client, 1500)
    sub = _subscribe(client, customer.id, price.id, metadata={"plan": "pro"})
    assert sub.status == "active"
    assert sub.customer == customer.id
    assert sub.currency == "usd"
    assert sub.metadata.to_dict() == {"plan": "pro"}
    assert sub.cancellation_details is not None
    assert _details(sub).reason is None
    assert sub.billing_mode.type == "flexible"
    assert "current_period_end" not in sub
    item = sub["items"].data[0]
    assert item.price.id == price.id and item.price.unit_amount == 1500
    assert item.plan.id == price.id
    assert item.quantity == 1
    start, end = _period(sub)
    assert start == sub.start_date == sub.billing_cycle_anchor
    assert 28 * DAY <= end - start <= 31 * DAY
    invoice = sub.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert invoice.billing_reason == "subscription_create"
    assert invoice.status == "paid"
    assert invoice.total == 1500
    assert _subscription_of(invoice) == sub.id
    created = _events(client, "customer.subscription.created", sub.id)
    assert len(created) == 1 and created[0].data.object["status"] == "active"
    assert _events(client, "invoice.paid", invoice.id)
    fetched = client.v1.subscriptions.retrieve(sub.id)
    assert fetched.latest_invoice == invoice.id
    assert fetched["items"].data[0].id == item.id


def test_trial_starts_trialing_with_a_zero_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    price = _price(client, 2000)
    sub = _subscribe(client, customer.id, price.id, trial_period_days=14)
    assert sub.status == "trialing"
    assert sub.trial_start == sub.start_date
    assert sub.trial_end == _int(sub.trial_start) + 14 * DAY
    assert _period(sub) == (sub.trial_start, sub.trial_end)
    assert _inv(sub).status == "paid"
    assert _inv(sub).total == 0


def test_trial_from_plan_uses_the_price_trial(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    price = _price(client, 2000, recurring={"trial_period_days": 5})
    sub = _subscribe(client, customer.id, price.id, trial_from_plan=True)
    assert sub.status == "trialing"
    assert _int(sub.trial_end) - sub.start_date == 5 * DAY
    plain = _subscribe(client, customer.id, _price(client, 300).id)
    assert plain.status == "active" and plain.trial_end is None


def test_declined_card_leaves_the_subscription_incomplete(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, "pm_card_chargeCustomerFail")
    price = _price(client)
    sub = _subscribe(client, customer.id, price.id)
    assert sub.status == "incomplete"
    assert _inv(sub).status == "open"
    assert _inv(sub).amount_remaining == 1000


def test_error_if_incomplete_refuses_with_a_card_error_and_creates_nothing(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, "pm_card_chargeCustomerFail")
    price = _price(client)
    with pytest.raises(stripe.CardError) as raised:
        _subscribe(client, customer.id, price.id, payment_behavior="error_if_incomplete")
    assert raised.value.code == "card_declined"
    listed = client.v1.subscriptions.list(params={"customer": customer.id, "status": "all"})
    assert listed.data == []
    assert _invoices(client, customer.id) == []


def test_without_a_payment_method_the_invoice_stays_open(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, card=None)
    sub = _subscribe(client, customer.id, _price(client).id)
    assert sub.status == "incomplete"
    assert _inv(sub).status == "open"


def test_default_incomplete_waits_for_payment(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id, payment_behavior="default_incomplete")
    assert sub.status == "incomplete"
    assert _inv(sub).status == "open"
    assert _inv(sub).attempt_count == 0


def test_send_invoice_needs_days_until_due_and_is_active_with_an_open_invoice(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, card=None)
    price = _price(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _subscribe(client, customer.id, price.id, collection_method="send_invoice")
    assert raised.value.param == "days_until_due"
    sub = _subscribe(
        client, customer.id, price.id, collection_method="send_invoice", days_until_due=15
    )
    assert sub.status == "active"
    assert sub.collection_method == "send_invoice" and sub.days_until_due == 15
    invoice = _inv(sub)
    assert invoice.status == "open"
    assert invoice.due_date == invoice.created + 15 * DAY


def test_several_products_and_a_metered_price(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    seats = _price(client, 700)
    support = _price(client, 300)
    metered = _price(client, 5, recurring={"usage_type": "metered", "meter": "mtr_test_api_calls"})
    sub = client.v1.subscriptions.create(
        params={
            "customer": customer.id,
            "items": [
                {"price": seats.id, "quantity": 2},
                {"price": support.id},
                {"price": metered.id},
            ],
            "expand": ["latest_invoice"],
        }
    )
    assert sub.status == "active"
    data = sub["items"].data
    assert [i.price.id for i in data] == [seats.id, support.id, metered.id]
    assert len({i.price.product for i in data}) == 3
    assert data[2].price.recurring.usage_type == "metered"
    assert "quantity" not in data[2]
    assert _inv(sub).total == 2 * 700 + 300
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.create(
            params={"customer": customer.id, "items": [{"price": metered.id, "quantity": 3}]}
        )
    assert raised.value.param == "items[0][quantity]"


def test_prices_must_share_currency_and_interval(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    monthly = _price(client, 1000)
    for other in (_price(client, 900, currency="eur"), _price(client, 9000, interval="year")):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            _subscribe(client, customer.id, monthly.id, other.id)
        assert raised.value.param == "items"
        assert "must match across all plans" in str(raised.value.user_message)
    assert client.v1.subscriptions.list(params={"customer": customer.id}).data == []


def test_unknown_price_and_missing_customer_are_refused(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _subscribe(client, customer.id, "price_nope")
    assert raised.value.code == "resource_missing"
    assert raised.value.param == "items[0][price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _subscribe(client, "cus_nope", _price(client).id)
    assert raised.value.param == "customer"


def test_default_payment_method_must_belong_to_the_customer(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, card=None)
    other = _customer(client)
    assert other.invoice_settings is not None
    foreign = str(other.invoice_settings.default_payment_method)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _subscribe(client, customer.id, _price(client).id, default_payment_method=foreign)
    assert raised.value.param == "default_payment_method"
    own = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    sub = _subscribe(client, customer.id, _price(client).id, default_payment_method=own.id)
    assert sub.status == "active" and sub.default_payment_method == own.id


def test_price_data_makes_an_inline_price(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    product = client.v1.products.create(params={"name": "Inline"})
    sub = client.v1.subscriptions.create(
        params={
            "customer": customer.id,
            "items": [
                {
                    "price_data": {
                        "currency": "usd",
                        "product": product.id,
                        "unit_amount": 1234,
                        "recurring": {"interval": "month"},
                    }
                }
            ],
            "expand": ["latest_invoice"],
        }
    )
    price = sub["items"].data[0].price
    assert price.unit_amount == 1234 and price.product == product.id and not price.active
    assert _inv(sub).total == 1234


def test_coupon_discounts_the_first_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    coupon = client.v1.coupons.create(params={"percent_off": 25, "duration": "forever"})
    sub = _subscribe(
        client, customer.id, _price(client, 2000).id, discounts=[{"coupon": coupon.id}]
    )
    assert len(sub.discounts) == 1
    discount = client.v1.subscriptions.retrieve(sub.id, params={"expand": ["discounts"]}).discounts[
        0
    ]
    assert isinstance(discount, stripe.Discount)
    assert discount.source.coupon == coupon.id and discount.subscription == sub.id
    assert _inv(sub).total == 1500
    removed = client.v1.subscriptions.delete_discount(sub.id)
    assert removed.deleted is True
    assert client.v1.subscriptions.retrieve(sub.id).discounts == []


def test_backdated_start_charges_the_whole_time(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    now = _now(client)
    sub = _subscribe(
        client, customer.id, _price(client, 1000).id, backdate_start_date=now - 40 * DAY
    )
    assert sub.start_date == now - 40 * DAY
    start, end = _period(sub)
    assert start <= now < end
    assert _inv(sub).total == 2000  # two whole monthly periods up to the period end


def test_future_anchor_prorates_the_first_short_period(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    now = _now(client)
    anchor = now + 10 * DAY
    sub = _subscribe(client, customer.id, _price(client, 3000).id, billing_cycle_anchor=anchor)
    assert sub.billing_cycle_anchor == anchor
    assert _period(sub) == (sub.start_date, anchor)
    # 10 days of a period that would have run from about a month before the anchor.
    assert 900 <= _inv(sub).total <= 1100
    free = _subscribe(
        client,
        customer.id,
        _price(client, 3000).id,
        billing_cycle_anchor=anchor,
        proration_behavior="none",
    )
    assert _inv(free).total == 0


# -- update -------------------------------------------------------------------------------


def _halfway(client: stripe.StripeClient, sub: stripe.Subscription) -> float:
    """Move to the middle of the current period; returns the share of it left."""
    start, end = _period(sub)
    middle = start + (end - start) // 2
    _advance_to(client, middle)
    return (end - _now(client)) / (end - start)


def test_upgrade_with_create_prorations_leaves_pending_items(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    cheap, dear = _price(client, 1000), _price(client, 2000)
    sub = _subscribe(client, customer.id, cheap.id)
    left = _halfway(client, sub)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": dear.id}]}
    )
    assert updated["items"].data[0].id == item.id
    assert updated["items"].data[0].price.id == dear.id
    assert updated.latest_invoice == _inv(sub).id  # no new invoice
    pending = sorted(_pending(client, customer.id), key=lambda i: i.amount)
    assert len(pending) == 2
    credit, charge = pending
    assert credit.proration and charge.proration
    assert abs(credit.amount + 1000 * left) <= 2
    assert abs(charge.amount - 2000 * left) <= 2
    assert str(credit.description).startswith("Unused time on")
    assert str(charge.description).startswith("Remaining time on")
    previous = _previous(client, "customer.subscription.updated", sub.id)
    assert previous["items"]["data"][0]["price"]["id"] == cheap.id
    # The next renewal collects them along with the new price.
    _advance_to(client, _period(updated)[1] + 60)
    renewal = _invoices(client, customer.id)[-1]
    assert renewal.billing_reason == "subscription_cycle"
    assert abs(renewal.total - (2000 + charge.amount + credit.amount)) <= 1
    assert renewal.status == "paid"
    assert _pending(client, customer.id) == []


def test_upgrade_with_always_invoice_charges_now(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    cheap, dear = _price(client, 1000), _price(client, 2000)
    sub = _subscribe(client, customer.id, cheap.id)
    left = _halfway(client, sub)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item.id, "price": dear.id}],
            "proration_behavior": "always_invoice",
            "expand": ["latest_invoice"],
        },
    )
    invoice = _inv(updated)
    assert invoice.id != _inv(sub).id
    assert invoice.billing_reason == "subscription_update"
    assert invoice.status == "paid"
    assert abs(invoice.total - 1000 * left) <= 3
    assert _pending(client, customer.id) == []
    assert updated.status == "active"


def test_proration_none_changes_price_without_charges(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000).id)
    _halfway(client, sub)
    dear = _price(client, 2000)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": dear.id}], "proration_behavior": "none"}
    )
    assert updated["items"].data[0].price.id == dear.id
    assert _pending(client, customer.id) == []
    assert len(_invoices(client, customer.id)) == 1


def test_quantity_change_prorates_the_difference(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000).id)
    left = _halfway(client, sub)
    item = sub["items"].data[0]
    updated = client.v1.subscription_items.update(item.id, params={"quantity": 3})
    assert updated.quantity == 3
    assert updated.current_period_end == _period(sub)[1]
    pending = _pending(client, customer.id)
    total = sum(i.amount for i in pending)
    assert abs(total - 2000 * left) <= 3
    fetched = client.v1.subscriptions.retrieve(sub.id)
    assert fetched["items"].data[0].quantity == 3


def test_adding_and_deleting_items(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    base = _price(client, 1000)
    sub = _subscribe(client, customer.id, base.id)
    addon = _price(client, 500)
    added = client.v1.subscription_items.create(
        params={"subscription": sub.id, "price": addon.id, "proration_behavior": "none"}
    )
    assert added.subscription == sub.id
    assert (added.current_period_start, added.current_period_end) == _period(sub)
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
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
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
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 2500).id, trial_period_days=30)
    updated = client.v1.subscriptions.update(
        sub.id, params={"trial_end": "now", "expand": ["latest_invoice"]}
    )
    now = _now(client)
    assert updated.status == "active"
    assert abs(_int(updated.trial_end) - now) <= 2
    assert updated.billing_cycle_anchor == updated.trial_end
    start, end = _period(updated)
    assert start == updated.trial_end and 28 * DAY <= end - start <= 31 * DAY
    assert _inv(updated).total == 2500 and _inv(updated).status == "paid"
    previous = _previous(client, "customer.subscription.updated", sub.id)
    assert previous["status"] == "trialing"


def test_changing_a_trialing_subscription_charges_nothing(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000).id, trial_period_days=10)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": _price(client, 3000).id}]}
    )
    assert updated.status == "trialing"
    assert _pending(client, customer.id) == []


def test_billing_cycle_anchor_now_restarts_the_period(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000).id)
    left = _halfway(client, sub)
    updated = client.v1.subscriptions.update(
        sub.id,
        params={"billing_cycle_anchor": {"type": "now"}, "expand": ["latest_invoice"]},
    )
    now = _now(client)
    assert abs(updated.billing_cycle_anchor - now) <= 2
    assert _period(updated)[0] == updated.billing_cycle_anchor
    # A full new period minus the credit for the unused half of the old one.
    assert abs(_inv(updated).total - (1000 - 1000 * left)) <= 3


def test_interval_change_resets_the_anchor(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    product = client.v1.products.create(params={"name": "Both"}).id
    monthly = _price(client, 1000, product=product)
    yearly = _price(client, 10000, interval="year", product=product)
    sub = _subscribe(client, customer.id, monthly.id)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id,
        params={"items": [{"id": item.id, "price": yearly.id}], "expand": ["latest_invoice"]},
    )
    start, end = _period(updated)
    assert 365 * DAY <= end - start <= 366 * DAY
    assert _inv(updated).billing_reason == "subscription_update"
    assert 8990 <= _inv(updated).total <= 10000


# -- cancellation ---------------------------------------------------------------------------


def test_cancel_now(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
    canceled = client.v1.subscriptions.cancel(
        sub.id, params={"cancellation_details": {"comment": "moving", "feedback": "too_expensive"}}
    )
    now = _now(client)
    assert canceled.status == "canceled"
    assert abs(_int(canceled.canceled_at) - now) <= 2 and abs(_int(canceled.ended_at) - now) <= 2
    assert _details(canceled).reason == "cancellation_requested"
    assert _details(canceled).comment == "moving"
    assert _details(canceled).feedback == "too_expensive"
    assert _events(client, "customer.subscription.deleted", sub.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.cancel(sub.id)
    assert client.v1.subscriptions.list(params={"customer": customer.id}).data == []
    ended = client.v1.subscriptions.list(params={"customer": customer.id, "status": "canceled"})
    assert [s.id for s in ended.data] == [sub.id]


def test_cancel_with_prorate_and_invoice_now_credits_unused_time(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000).id)
    left = _halfway(client, sub)
    client.v1.subscriptions.cancel(sub.id, params={"prorate": True, "invoice_now": True})
    final = _invoices(client, customer.id)[-1]
    assert final.id != _inv(sub).id
    assert abs(final.total + 1000 * left) <= 2


def test_cancel_at_period_end_then_the_clock_ends_it(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
    _, end = _period(sub)
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
    assert _details(updated).feedback == "unused"
    previous = _previous(client, "customer.subscription.updated", sub.id)
    assert previous["cancel_at_period_end"] is False
    assert previous["cancellation_details"]["feedback"] is None
    _advance_to(client, end - 60)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    _advance_to(client, end + 60)
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "canceled"
    assert ended.ended_at == end
    assert ended.canceled_at == updated.canceled_at
    assert _events(client, "customer.subscription.deleted", sub.id)
    assert len(_invoices(client, customer.id)) == 1  # no renewal


def test_undoing_a_scheduled_cancellation(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id, cancel_at_period_end=True)
    assert sub.cancel_at == _period(sub)[1]
    undone = client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": False})
    assert undone.cancel_at is None and undone.canceled_at is None
    _advance_to(client, _period(sub)[1] + 60)
    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "active"
    assert len(_invoices(client, customer.id)) == 2


def test_cancel_at_a_moment(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
    moment = _now(client) + 5 * DAY
    updated = client.v1.subscriptions.update(sub.id, params={"cancel_at": moment})
    assert updated.cancel_at == moment and updated.cancel_at_period_end is False
    _advance_to(client, moment + 1)
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "canceled" and ended.ended_at == moment


# -- renewals and trials on the clock -------------------------------------------------------


def test_renewal_after_one_period(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1200).id)
    start, end = _period(sub)
    _advance_to(client, end + 60)
    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "active"
    assert _period(renewed)[0] == end
    invoices = _invoices(client, customer.id)
    assert [i.billing_reason for i in invoices] == ["subscription_create", "subscription_cycle"]
    cycle = invoices[-1]
    assert cycle.status == "paid" and cycle.total == 1200
    assert renewed.latest_invoice == cycle.id
    assert (cycle.period_start, cycle.period_end) == (start, end)
    assert cycle.lines.data[0].period.start == end


def test_two_periods_at_once_make_two_renewals_in_order(
    fresh_client: stripe.StripeClient,
) -> None:
    # Two periods is as far as one advance may go (Stripe's bound on test clocks: two
    # intervals of the shortest subscription); weekly, so that both periods are equal.
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000, interval="week").id)
    start, end = _period(sub)
    _advance_to(client, end + (end - start))
    invoices = _invoices(client, customer.id)
    cycles = [i for i in invoices if i.billing_reason == "subscription_cycle"]
    assert len(cycles) == 2
    assert all(i.status == "paid" and i.total == 1000 for i in cycles)
    starts = [i.lines.data[0].period.start for i in cycles]
    assert starts == sorted(starts) and starts[0] == end
    fetched = client.v1.subscriptions.retrieve(sub.id)
    assert _period(fetched)[0] == starts[-1]
    assert fetched.latest_invoice == cycles[-1].id


def test_failed_renewal_makes_the_subscription_past_due(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
    failing = client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer.id}
    )
    client.v1.subscriptions.update(sub.id, params={"default_payment_method": failing.id})
    _advance_to(client, _period(sub)[1] + 60)
    overdue = client.v1.subscriptions.retrieve(sub.id)
    assert overdue.status == "past_due"
    latest = client.v1.invoices.retrieve(str(overdue.latest_invoice))
    assert latest.status == "open" and latest.billing_reason == "subscription_cycle"
    previous = _previous(client, "customer.subscription.updated", sub.id)
    assert previous["status"] == "active"


def test_trial_ends_on_the_clock(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 900).id, trial_period_days=7)
    _advance_to(client, _int(sub.trial_end) - 3 * DAY + 60)
    assert _events(client, "customer.subscription.trial_will_end", sub.id)
    assert client.v1.subscriptions.retrieve(sub.id).status == "trialing"
    _advance_to(client, _int(sub.trial_end) + 60)
    active = client.v1.subscriptions.retrieve(sub.id)
    assert active.status == "active"
    start, end = _period(active)
    assert start == sub.trial_end and 28 * DAY <= end - start <= 31 * DAY
    invoice = client.v1.invoices.retrieve(str(active.latest_invoice))
    assert invoice.total == 900 and invoice.status == "paid"
    assert len(_events(client, "customer.subscription.trial_will_end", sub.id)) == 1


def test_trial_end_without_a_payment_method_can_cancel(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, card=None)
    sub = _subscribe(
        client,
        customer.id,
        _price(client).id,
        trial_period_days=3,
        trial_settings={"end_behavior": {"missing_payment_method": "cancel"}},
    )
    _advance_to(client, _int(sub.trial_end) + 60)
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "canceled" and ended.ended_at == sub.trial_end


def test_incomplete_expires_after_23_hours(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client, card=None)
    sub = _subscribe(client, customer.id, _price(client).id)
    _advance_to(client, sub.created + 23 * 3600 + 60)
    expired = client.v1.subscriptions.retrieve(sub.id)
    assert expired.status == "incomplete_expired"
    assert client.v1.invoices.retrieve(_inv(sub).id).status == "void"


def test_paying_the_open_first_invoice_activates(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client, card=None)
    sub = _subscribe(client, customer.id, _price(client).id)
    pm = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    client.v1.invoices.pay(_inv(sub).id, params={"payment_method": pm.id})
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


# -- pausing ------------------------------------------------------------------------------


def test_pause_collection_voids_renewals(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
    paused = client.v1.subscriptions.update(
        sub.id, params={"pause_collection": {"behavior": "void"}}
    )
    assert paused.pause_collection is not None
    assert paused.pause_collection.behavior == "void"
    assert paused.status == "active"
    _advance_to(client, _period(sub)[1] + 60)
    renewal = _invoices(client, customer.id)[-1]
    assert renewal.billing_reason == "subscription_cycle" and renewal.status == "void"
    resumed = client.v1.subscriptions.update(sub.id, params={"pause_collection": ""})
    assert resumed.pause_collection is None


def test_pause_and_resume(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000).id)
    paused = client.v1.subscriptions.pause(sub.id, params={"type": "subscription"})
    assert paused.status == "paused"
    assert _events(client, "customer.subscription.paused", sub.id)
    _advance_to(client, _period(sub)[1] + 5 * DAY)
    assert len(_invoices(client, customer.id)) == 1  # paused: no renewal
    resumed = client.v1.subscriptions.resume(
        sub.id, params={"billing_cycle_anchor": {"type": "now"}, "expand": ["latest_invoice"]}
    )
    assert resumed.status == "active"
    assert _inv(resumed).total == 1000 and _inv(resumed).status == "paid"
    assert abs(_period(resumed)[0] - _now(client)) <= 2
    assert _events(client, "customer.subscription.resumed", sub.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.resume(sub.id)


# -- lists --------------------------------------------------------------------------------


def test_list_filters(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    a, b = _price(client, 100), _price(client, 200)
    first = _subscribe(client, customer.id, a.id)
    second = _subscribe(client, customer.id, b.id, trial_period_days=3)
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


# -- pending updates and late payments ----------------------------------------------------


def _failing_default(client: stripe.StripeClient, sub: stripe.Subscription, customer: str) -> None:
    failing = client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer}
    )
    client.v1.subscriptions.update(sub.id, params={"default_payment_method": failing.id})


def test_pending_if_incomplete_keeps_items_until_paid(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    cheap, dear = _price(client, 1000), _price(client, 2000)
    sub = _subscribe(client, customer.id, cheap.id)
    _failing_default(client, sub, customer.id)
    item = sub["items"].data[0]
    pending = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item.id, "price": dear.id}],
            "payment_behavior": "pending_if_incomplete",
            "proration_behavior": "always_invoice",
        },
    )
    assert pending.status == "active"
    assert pending["items"].data[0].price.id == cheap.id
    assert pending.pending_update is not None
    proposed = pending.pending_update.subscription_items
    assert proposed is not None and proposed[0].price.id == dear.id
    invoice = client.v1.invoices.retrieve(str(pending.latest_invoice))
    assert invoice.status == "open"
    good = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    client.v1.invoices.pay(invoice.id, params={"payment_method": good.id})
    applied = client.v1.subscriptions.retrieve(sub.id)
    assert applied.pending_update is None
    assert applied["items"].data[0].price.id == dear.id
    assert _events(client, "customer.subscription.pending_update_applied", sub.id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.update(
            sub.id, params={"payment_behavior": "pending_if_incomplete", "description": "x"}
        )
    assert raised.value.param == "description"


def test_pending_update_expires_after_23_hours(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client, 1000).id)
    _failing_default(client, sub, customer.id)
    pending = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": sub["items"].data[0].id, "quantity": 4}],
            "payment_behavior": "pending_if_incomplete",
            "proration_behavior": "always_invoice",
        },
    )
    assert pending.pending_update is not None
    _advance_to(client, pending.pending_update.expires_at + 1)
    expired = client.v1.subscriptions.retrieve(sub.id)
    assert expired.pending_update is None
    assert expired["items"].data[0].quantity == 1
    assert client.v1.invoices.retrieve(str(pending.latest_invoice)).status == "void"
    assert _events(client, "customer.subscription.pending_update_expired", sub.id)


def test_paying_a_past_due_invoice_makes_it_active_again(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
    _failing_default(client, sub, customer.id)
    _advance_to(client, _period(sub)[1] + 60)
    overdue = client.v1.subscriptions.retrieve(sub.id)
    assert overdue.status == "past_due"
    good = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    client.v1.invoices.pay(str(overdue.latest_invoice), params={"payment_method": good.id})
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_deleting_the_customer_cancels_its_subscriptions(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client)
    sub = _subscribe(client, customer.id, _price(client).id)
    client.v1.customers.delete(customer.id)
    assert client.v1.subscriptions.retrieve(sub.id).status == "canceled"
    assert _events(client, "customer.subscription.deleted", sub.id)


def test_a_once_coupon_covers_only_the_first_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    once = client.v1.coupons.create(
        params={"amount_off": 400, "currency": "usd", "duration": "once"}
    )
    sub = _subscribe(client, customer.id, _price(client, 1000).id, discounts=[{"coupon": once.id}])
    assert _inv(sub).total == 600
    assert len(sub.discounts) == 1  # shown until the next invoice leaves it out
    _advance_to(client, _period(sub)[1] + 60)
    renewal = _invoices(client, customer.id)[-1]
    assert renewal.billing_reason == "subscription_cycle" and renewal.total == 1000
    assert client.v1.subscriptions.retrieve(sub.id).discounts == []


def test_add_invoice_items_join_the_first_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = _customer(client)
    product = client.v1.products.create(params={"name": "Setup fee"})
    fee = client.v1.prices.create(
        params={"product": product.id, "currency": "usd", "unit_amount": 2500}
    )
    sub = _subscribe(
        client,
        customer.id,
        _price(client, 1000).id,
        add_invoice_items=[{"price": fee.id, "quantity": 2}],
    )
    assert _inv(sub).total == 1000 + 2 * 2500
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _subscribe(
            client,
            customer.id,
            _price(client, 1000).id,
            add_invoice_items=[{"price": _price(client, 5).id}],
        )
    assert raised.value.param == "add_invoice_items[0][price]"


def test_an_overdue_sent_invoice_makes_the_subscription_past_due(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = _customer(client, card=None)
    sub = _subscribe(
        client, customer.id, _price(client).id, collection_method="send_invoice", days_until_due=7
    )
    due = _int(_inv(sub).due_date)
    _advance_to(client, due - 60)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    _advance_to(client, due + 60)
    assert client.v1.subscriptions.retrieve(sub.id).status == "past_due"
    client.v1.invoices.pay(_inv(sub).id, params={"paid_out_of_band": True})
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
