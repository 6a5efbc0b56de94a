"""A test clock's own life: made, listed, refused where Stripe refuses, deleted with everything
on it (by request, or by itself ``deletes_after`` its creation)."""

from __future__ import annotations

import pytest
import stripe

from tests import builders

DAY = builders.DAY
T0 = 1_767_225_600  # 2026-01-01 00:00:00 UTC


def test_a_new_clock_is_ready_and_listed(client: stripe.StripeClient) -> None:
    before = builders.now(client)
    clock = builders.test_clock(client, T0, name="Renewal run")

    assert (clock.object, clock.frozen_time, clock.name) == (
        "test_helpers.test_clock",
        T0,
        "Renewal run",
    )
    assert (clock.status, clock.livemode) == ("ready", False)
    assert clock.id.startswith("clock_")
    assert clock.created >= before
    assert clock.deletes_after == clock.created + 30 * DAY
    assert client.v1.test_helpers.test_clocks.retrieve(clock.id).to_dict() == clock.to_dict()
    listed = client.v1.test_helpers.test_clocks.list(params={"limit": 100})
    assert clock.id in [c.id for c in listed.data]
    assert builders.event_types(client, clock.id) == ["test_helpers.test_clock.created"]


def test_customers_and_subscriptions_list_by_clock(client: stripe.StripeClient) -> None:
    clock = builders.test_clock(client, T0)
    price = builders.price(client, 500).id
    on_clock = builders.customer(client, email=builders.unique_email(), test_clock=clock.id)
    sub = builders.subscribe(client, on_clock.id, price, payment_behavior="default_incomplete")

    customers = client.v1.customers.list(params={"test_clock": clock.id})
    subs = client.v1.subscriptions.list(params={"test_clock": clock.id, "status": "all"})
    assert [c.id for c in customers.data] == [on_clock.id]
    assert [s.id for s in subs.data] == [sub.id]


def test_a_clock_holds_three_customers(client: stripe.StripeClient) -> None:
    clock = builders.test_clock(client, T0)
    for _ in range(3):
        builders.customer(client, test_clock=clock.id)

    error = builders.refused(lambda: builders.customer(client, test_clock=clock.id))
    assert error.param == "test_clock"
    assert "3 customers" in str(error.user_message)
    listed = client.v1.customers.list(params={"test_clock": clock.id})
    assert len(listed.data) == 3


def test_a_customer_on_an_unknown_clock_is_refused(client: stripe.StripeClient) -> None:
    error = builders.refused(lambda: builders.customer(client, test_clock="clock_missing"))
    assert (error.param, error.code, error.http_status) == ("test_clock", "resource_missing", 400)


@pytest.mark.parametrize("days", [0, -1])
def test_a_clock_only_moves_forward(client: stripe.StripeClient, days: int) -> None:
    clock = builders.test_clock(client, T0)
    error = builders.refused(
        lambda: client.v1.test_helpers.test_clocks.advance(
            clock.id, params={"frozen_time": T0 + days * DAY}
        )
    )
    assert error.param == "frozen_time"
    assert client.v1.test_helpers.test_clocks.retrieve(clock.id).status == "ready"


def test_an_advance_is_bounded_by_the_clocks_shortest_subscription(
    client: stripe.StripeClient,
) -> None:
    clock = builders.test_clock(client, T0)
    customer = builders.customer(client, test_clock=clock.id, payment_method="pm_card_visa")
    builders.subscribe(client, customer.id, builders.price(client, 400, interval="week").id)
    # Another clock's monthly customer and the sandbox's own do not widen or narrow this bound.
    other = builders.test_clock(client, T0)
    builders.subscribe(
        client,
        builders.customer(client, test_clock=other.id, payment_method="pm_card_visa").id,
        builders.price(client, 400, interval="day").id,
    )

    error = builders.refused(
        lambda: client.v1.test_helpers.test_clocks.advance(
            clock.id, params={"frozen_time": T0 + 14 * DAY + 1}
        )
    )
    assert error.param == "frozen_time"
    assert "every week" in str(error.user_message)
    assert builders.advance_test_clock(client, clock.id, T0 + 14 * DAY).frozen_time == T0 + 14 * DAY


def test_a_clock_without_subscriptions_moves_two_years_at_most(client: stripe.StripeClient) -> None:
    clock = builders.test_clock(client, T0)
    two_years = 1_830_297_600  # 2028-01-01 00:00:00 UTC
    error = builders.refused(
        lambda: client.v1.test_helpers.test_clocks.advance(
            clock.id, params={"frozen_time": two_years + 1}
        )
    )
    assert error.param == "frozen_time"
    assert "two years" in str(error.user_message)
    assert builders.advance_test_clock(client, clock.id, two_years).frozen_time == two_years


def test_deleting_a_clock_deletes_its_customers_and_their_objects(
    client: stripe.StripeClient,
) -> None:
    clock = builders.test_clock(client, T0)
    customer = builders.customer(client, test_clock=clock.id, payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 800).id, expand=["latest_invoice"]
    )
    invoice = builders.latest_invoice(sub)
    outsider = builders.customer(client, email=builders.unique_email("outsider"))

    deleted = client.v1.test_helpers.test_clocks.delete(clock.id)

    assert (deleted.id, deleted.deleted) == (clock.id, True)
    for gone in (
        lambda: client.v1.test_helpers.test_clocks.retrieve(clock.id),
        lambda: client.v1.customers.retrieve(customer.id),
        lambda: client.v1.subscriptions.retrieve(sub.id),
        lambda: client.v1.invoices.retrieve(invoice.id),
    ):
        assert builders.refused(gone).http_status == 404
    assert client.v1.customers.retrieve(outsider.id).id == outsider.id
    assert builders.events(client, "test_helpers.test_clock.deleted", clock.id)


def test_a_clock_deletes_itself_after_thirty_days_of_sandbox_time(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    clock = builders.test_clock(client, T0)
    customer = builders.customer(client, test_clock=clock.id)

    builders.advance(client, 29 * DAY)
    assert client.v1.test_helpers.test_clocks.retrieve(clock.id).status == "ready"
    builders.advance(client, 2 * DAY)

    assert builders.refused(lambda: client.v1.test_helpers.test_clocks.retrieve(clock.id))
    assert builders.refused(lambda: client.v1.customers.retrieve(customer.id)).http_status == 404


def test_an_existing_customer_joins_a_new_clock_for_good(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    start = builders.now(client)
    customer = builders.customer(client, payment_method="pm_card_visa")
    weekly = builders.price(client, 300, interval="week").id
    sub = builders.subscribe(client, customer.id, weekly)

    clock = builders.test_clock(client, start, customer=customer.id)

    assert client.v1.customers.retrieve(customer.id).test_clock == clock.id
    assert client.v1.subscriptions.retrieve(sub.id).test_clock == clock.id
    builders.advance(client, 8 * DAY)
    assert builders.period(client.v1.subscriptions.retrieve(sub.id))[0] == start
    builders.advance_test_clock(client, clock.id, start + 8 * DAY)
    assert builders.period(client.v1.subscriptions.retrieve(sub.id))[0] == start + 7 * DAY
    again = builders.refused(lambda: builders.test_clock(client, start, customer=customer.id))
    assert again.param == "customer"
