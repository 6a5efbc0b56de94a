"""Creating subscriptions: the first invoice, trials, declines, incomplete, send_invoice,
several products, currencies, price_data, coupons, backdating and anchors."""

from __future__ import annotations

import pytest
import stripe

from tests import builders


def test_create_charges_the_first_invoice_and_is_active(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    price = builders.price(client, 1500)
    sub = builders.subscribe(
        client, customer.id, price.id, metadata={"plan": "pro"}, expand=["latest_invoice"]
    )
    assert sub.status == "active"
    assert sub.customer == customer.id
    assert sub.currency == "usd"
    assert sub.metadata.to_dict() == {"plan": "pro"}
    assert sub.cancellation_details is not None
    assert builders.details(sub).reason is None
    assert sub.billing_mode.type == "flexible"
    assert "current_period_end" not in sub
    item = sub["items"].data[0]
    assert item.price.id == price.id and item.price.unit_amount == 1500
    assert item.plan.id == price.id
    assert item.quantity == 1
    start, end = builders.period(sub)
    assert start == sub.start_date == sub.billing_cycle_anchor
    assert 28 * builders.DAY <= end - start <= 31 * builders.DAY
    invoice = sub.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert invoice.billing_reason == "subscription_create"
    assert invoice.status == "paid"
    assert invoice.total == 1500
    assert builders.subscription_of(invoice) == sub.id
    created = builders.events(client, "customer.subscription.created", sub.id)
    assert len(created) == 1 and created[0].data.object["status"] == "active"
    assert builders.events(client, "invoice.paid", invoice.id)
    fetched = client.v1.subscriptions.retrieve(sub.id)
    assert fetched.latest_invoice == invoice.id
    assert fetched["items"].data[0].id == item.id


def test_trial_starts_trialing_with_a_zero_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    price = builders.price(client, 2000)
    sub = builders.subscribe(
        client, customer.id, price.id, trial_period_days=14, expand=["latest_invoice"]
    )
    assert sub.status == "trialing"
    assert sub.trial_start == sub.start_date
    assert sub.trial_end == builders.present(sub.trial_start) + 14 * builders.DAY
    assert builders.period(sub) == (sub.trial_start, sub.trial_end)
    assert builders.latest_invoice(sub).status == "paid"
    assert builders.latest_invoice(sub).total == 0


def test_trial_from_plan_uses_the_price_trial(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    price = builders.price(client, 2000, recurring={"trial_period_days": 5})
    sub = builders.subscribe(
        client, customer.id, price.id, trial_from_plan=True, expand=["latest_invoice"]
    )
    assert sub.status == "trialing"
    assert builders.present(sub.trial_end) - sub.start_date == 5 * builders.DAY
    plain = builders.subscribe(
        client, customer.id, builders.price(client, 300).id, expand=["latest_invoice"]
    )
    assert plain.status == "active" and plain.trial_end is None


def test_declined_card_leaves_the_subscription_incomplete(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(
        client, email="sub@example.com", payment_method="pm_card_chargeCustomerFail"
    )
    price = builders.price(client)
    sub = builders.subscribe(client, customer.id, price.id, expand=["latest_invoice"])
    assert sub.status == "incomplete"
    assert builders.latest_invoice(sub).status == "open"
    assert builders.latest_invoice(sub).amount_remaining == 1000


def test_error_if_incomplete_refuses_with_a_card_error_and_creates_nothing(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(
        client, email="sub@example.com", payment_method="pm_card_chargeCustomerFail"
    )
    price = builders.price(client)
    with pytest.raises(stripe.CardError) as raised:
        builders.subscribe(
            client,
            customer.id,
            price.id,
            payment_behavior="error_if_incomplete",
            expand=["latest_invoice"],
        )
    assert raised.value.code == "card_declined"
    listed = client.v1.subscriptions.list(params={"customer": customer.id, "status": "all"})
    assert listed.data == []
    assert builders.invoices(client, customer.id) == []


def test_without_a_payment_method_the_invoice_stays_open(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    assert sub.status == "incomplete"
    assert builders.latest_invoice(sub).status == "open"


def test_default_incomplete_waits_for_payment(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client).id,
        payment_behavior="default_incomplete",
        expand=["latest_invoice"],
    )
    assert sub.status == "incomplete"
    assert builders.latest_invoice(sub).status == "open"
    assert builders.latest_invoice(sub).attempt_count == 0


def test_send_invoice_needs_days_until_due_and_is_active_with_an_open_invoice(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com")
    price = builders.price(client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.subscribe(
            client,
            customer.id,
            price.id,
            collection_method="send_invoice",
            expand=["latest_invoice"],
        )
    assert raised.value.param == "days_until_due"
    sub = builders.subscribe(
        client,
        customer.id,
        price.id,
        collection_method="send_invoice",
        days_until_due=15,
        expand=["latest_invoice"],
    )
    assert sub.status == "active"
    assert sub.collection_method == "send_invoice" and sub.days_until_due == 15
    invoice = builders.latest_invoice(sub)
    assert invoice.status == "open"
    assert invoice.due_date == invoice.created + 15 * builders.DAY


def test_several_products_and_a_metered_price(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    seats = builders.price(client, 700)
    support = builders.price(client, 300)
    metered = builders.price(
        client, 5, recurring={"usage_type": "metered", "meter": "mtr_test_api_calls"}
    )
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
    assert builders.latest_invoice(sub).total == 2 * 700 + 300
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.create(
            params={"customer": customer.id, "items": [{"price": metered.id, "quantity": 3}]}
        )
    assert raised.value.param == "items[0][quantity]"


def test_prices_must_share_currency_and_interval(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    monthly = builders.price(client, 1000)
    for other in (
        builders.price(client, 900, currency="eur"),
        builders.price(client, 9000, interval="year"),
    ):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            builders.subscribe(client, customer.id, monthly.id, other.id, expand=["latest_invoice"])
        assert raised.value.param == "items"
        assert "must match across all plans" in str(raised.value.user_message)
    assert client.v1.subscriptions.list(params={"customer": customer.id}).data == []


def test_unknown_price_and_missing_customer_are_refused(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.subscribe(client, customer.id, "price_nope", expand=["latest_invoice"])
    assert raised.value.code == "resource_missing"
    assert raised.value.param == "items[0][price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.subscribe(client, "cus_nope", builders.price(client).id, expand=["latest_invoice"])
    assert raised.value.param == "customer"


def test_default_payment_method_must_belong_to_the_customer(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com")
    other = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    assert other.invoice_settings is not None
    foreign = str(other.invoice_settings.default_payment_method)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.subscribe(
            client,
            customer.id,
            builders.price(client).id,
            default_payment_method=foreign,
            expand=["latest_invoice"],
        )
    assert raised.value.param == "default_payment_method"
    own = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client).id,
        default_payment_method=own.id,
        expand=["latest_invoice"],
    )
    assert sub.status == "active" and sub.default_payment_method == own.id


def test_price_data_makes_an_inline_price(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
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
    assert builders.latest_invoice(sub).total == 1234


def test_coupon_discounts_the_first_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    coupon = client.v1.coupons.create(params={"percent_off": 25, "duration": "forever"})
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 2000).id,
        discounts=[{"coupon": coupon.id}],
        expand=["latest_invoice"],
    )
    assert len(sub.discounts) == 1
    discount = client.v1.subscriptions.retrieve(sub.id, params={"expand": ["discounts"]}).discounts[
        0
    ]
    assert isinstance(discount, stripe.Discount)
    assert discount.source.coupon == coupon.id and discount.subscription == sub.id
    assert builders.latest_invoice(sub).total == 1500
    removed = client.v1.subscriptions.delete_discount(sub.id)
    assert removed.deleted is True
    assert client.v1.subscriptions.retrieve(sub.id).discounts == []


def test_backdated_start_charges_the_whole_time(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    now = builders.now(client)
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 1000).id,
        backdate_start_date=now - 40 * builders.DAY,
        expand=["latest_invoice"],
    )
    assert sub.start_date == now - 40 * builders.DAY
    start, end = builders.period(sub)
    assert start <= now < end
    assert (
        builders.latest_invoice(sub).total == 2000
    )  # two whole monthly periods up to the period end


def test_future_anchor_prorates_the_first_short_period(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    now = builders.now(client)
    anchor = now + 10 * builders.DAY
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 3000).id,
        billing_cycle_anchor=anchor,
        expand=["latest_invoice"],
    )
    assert sub.billing_cycle_anchor == anchor
    assert builders.period(sub) == (sub.start_date, anchor)
    # 10 days of a period that would have run from about a month before the anchor.
    assert 900 <= builders.latest_invoice(sub).total <= 1100
    free = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 3000).id,
        billing_cycle_anchor=anchor,
        proration_behavior="none",
        expand=["latest_invoice"],
    )
    assert builders.latest_invoice(free).total == 0
