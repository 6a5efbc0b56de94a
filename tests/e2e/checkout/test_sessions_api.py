"""Checkout Sessions through the ``stripe`` library: what a merchant's server creates, reads,
lists and expires, and the requests Stripe refuses."""

from __future__ import annotations

import stripe

from tests import builders
from tests.e2e.checkout.helpers import CANCEL, SUCCESS, monthly, one_time, session


def test_a_subscription_session_has_its_page_totals_and_a_day_to_live(
    client: stripe.StripeClient,
) -> None:
    price = monthly(client, 1500)
    made = session(
        client,
        mode="subscription",
        line_items=[{"price": price, "quantity": 2}],
        client_reference_id="user-42",
        metadata={"order": "A-1"},
        locale="de",
    )
    assert made.id.startswith("cs_test_")
    assert (made.status, made.payment_status, made.mode) == ("open", "unpaid", "subscription")
    assert (made.amount_subtotal, made.amount_total, made.currency) == (3000, 3000, "usd")
    assert made.expires_at - made.created == 24 * 3600
    assert made.url is not None and "/c/pay/" in made.url
    assert (made.success_url, made.cancel_url) == (SUCCESS, CANCEL)
    assert (made.client_reference_id, made.locale) == ("user-42", "de")
    assert made.metadata is not None and made.metadata.to_dict() == {"order": "A-1"}
    assert made.customer is None and made.subscription is None

    items = client.v1.checkout.sessions.line_items.list(made.id)
    assert [(i.price.id if i.price else None, i.quantity, i.amount_total) for i in items.data] == [
        (price, 2, 3000)
    ]
    expanded = client.v1.checkout.sessions.retrieve(made.id, params={"expand": ["line_items"]})
    assert expanded.line_items is not None and expanded.line_items.data[0].description == "Team"


def test_a_trial_is_free_today_and_a_one_time_price_is_billed_with_it(
    client: stripe.StripeClient,
) -> None:
    made = session(
        client,
        mode="subscription",
        line_items=[
            {"price": monthly(client, 1500), "quantity": 1},
            {"price": one_time(client, 500), "quantity": 1},
        ],
        subscription_data={"trial_period_days": 14},
    )
    assert (made.amount_subtotal, made.amount_total) == (500, 500)


def test_a_coupon_comes_off_the_total(client: stripe.StripeClient) -> None:
    coupon = client.v1.coupons.create(params={"percent_off": 25, "duration": "once"})
    made = session(
        client,
        mode="payment",
        line_items=[{"price": one_time(client, 2000), "quantity": 2}],
        discounts=[{"coupon": coupon.id}],
    )
    assert (made.amount_subtotal, made.amount_total) == (4000, 3000)
    assert made.total_details is not None and made.total_details.amount_discount == 1000
    assert made.discounts is not None and made.discounts[0].coupon == coupon.id


def test_refusals_name_their_parameter(client: stripe.StripeClient) -> None:
    recurring, single = monthly(client), one_time(client)
    cases: list[tuple[dict[str, object], str]] = [
        ({"line_items": [{"price": single, "quantity": 1}]}, "mode"),
        ({"mode": "subscription"}, "line_items"),
        ({"mode": "subscription", "line_items": [{"price": single, "quantity": 1}]}, "line_items"),
        ({"mode": "payment", "line_items": [{"price": recurring, "quantity": 1}]}, "line_items"),
        ({"mode": "payment", "line_items": [{"price": single}]}, "line_items[0][quantity]"),
        (
            {
                "mode": "payment",
                "line_items": [{"price": single, "quantity": 1}],
                "customer": builders.customer(client).id,
                "customer_email": "a@example.com",
            },
            "customer_email",
        ),
        (
            {
                "mode": "subscription",
                "line_items": [{"price": recurring, "quantity": 1}],
                "customer_creation": "always",
            },
            "customer_creation",
        ),
        (
            {
                "mode": "payment",
                "line_items": [{"price": single, "quantity": 1}],
                "allow_promotion_codes": True,
                "discounts": [{"coupon": "nope"}],
            },
            "discounts",
        ),
        (
            {"mode": "payment", "line_items": [{"price": single, "quantity": 1}],
             "success_url": "javascript:alert(1)"},
            "success_url",
        ),
        ({"mode": "setup"}, "currency"),
        (
            {"mode": "payment", "line_items": [{"price": "price_missing", "quantity": 1}]},
            "line_items[0][price]",
        ),
    ]  # fmt: skip
    for params, param in cases:
        refused = builders.refused(lambda p=params: session(client, **p))  # type: ignore[misc]
        assert refused.param == param, (params, refused.user_message)


def test_expires_at_must_be_within_half_an_hour_and_a_day(client: stripe.StripeClient) -> None:
    now = builders.now(client)
    items = [{"price": one_time(client), "quantity": 1}]
    refused = builders.refused(
        lambda: session(client, mode="payment", line_items=items, expires_at=now + 600)
    )
    assert refused.param == "expires_at"
    made = session(client, mode="payment", line_items=items, expires_at=now + 3600)
    assert made.expires_at == now + 3600


def test_expire_ends_an_open_session_once(client: stripe.StripeClient) -> None:
    made = session(client, mode="payment", line_items=[{"price": one_time(client), "quantity": 1}])
    expired = client.v1.checkout.sessions.expire(made.id)
    assert (expired.status, expired.url) == ("expired", None)
    assert builders.event_types(client, made.id) == ["checkout.session.expired"]
    again = builders.refused(lambda: client.v1.checkout.sessions.expire(made.id))
    assert "status of expired" in str(again.user_message)


def test_the_clock_expires_a_session_after_a_day(fresh_client: stripe.StripeClient) -> None:
    made = session(
        fresh_client, mode="payment", line_items=[{"price": one_time(fresh_client), "quantity": 1}]
    )
    builders.advance(fresh_client, 23 * 3600)
    assert fresh_client.v1.checkout.sessions.retrieve(made.id).status == "open"
    builders.advance(fresh_client, 3600 + 1)
    assert fresh_client.v1.checkout.sessions.retrieve(made.id).status == "expired"
    assert builders.event_types(fresh_client, made.id) == ["checkout.session.expired"]


def test_list_filters_by_customer_and_status(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, email=builders.unique_email()).id
    items = [{"price": one_time(client), "quantity": 1}]
    first = session(client, mode="payment", line_items=items, customer=customer)
    second = session(client, mode="payment", line_items=items, customer=customer)
    client.v1.checkout.sessions.expire(first.id)
    mine = client.v1.checkout.sessions.list(params={"customer": customer})
    assert [s.id for s in mine.data] == [second.id, first.id]
    open_ones = client.v1.checkout.sessions.list(params={"customer": customer, "status": "open"})
    assert [s.id for s in open_ones.data] == [second.id]


def test_metadata_is_the_only_update(client: stripe.StripeClient) -> None:
    made = session(client, mode="payment", line_items=[{"price": one_time(client), "quantity": 1}])
    updated = client.v1.checkout.sessions.update(made.id, params={"metadata": {"k": "v"}})
    assert updated.metadata is not None and updated.metadata.to_dict() == {"k": "v"}
