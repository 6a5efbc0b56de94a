"""How far and how the sandbox clock moves: Stripe's bound on one advance, other requests
answered while a long advance works, idempotency keys that the clock does not age."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import stripe

from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client


def _monthly_and_weekly_subscriptions(client: stripe.StripeClient) -> tuple[str, dict[str, str]]:
    """A customer with a monthly and a weekly subscription: (customer, {interval: id})."""
    customer = builders.customer(client, email="bounds@example.com", payment_method="pm_card_visa")
    product = builders.product(client, name="Plan")
    subscriptions: dict[str, str] = {}
    for interval in ("month", "week"):
        price = builders.price(client, 500, product=product.id, interval=interval)
        subscriptions[interval] = builders.subscribe(client, customer.id, price.id).id
    return customer.id, subscriptions


def test_a_huge_advance_is_refused_at_once_and_changes_nothing(
    fresh_client: stripe.StripeClient,
) -> None:
    before = builders.clock(fresh_client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.advance(fresh_client, 1_000_000_000_000)
    assert raised.value.param == "seconds"
    assert "two years" in str(raised.value.user_message)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.advance_to(fresh_client, before["now"] + 2 * 366 * builders.DAY + builders.DAY)
    assert raised.value.param == "frozen_time"
    assert builders.clock(fresh_client)["offset"] == before["offset"]
    # Without subscriptions, up to two years in one go.
    moved = builders.advance(fresh_client, 700 * builders.DAY)
    assert moved >= before["now"] + 700 * builders.DAY


def test_the_shortest_subscription_bounds_an_advance(fresh_client: stripe.StripeClient) -> None:
    customer, _subscriptions = _monthly_and_weekly_subscriptions(fresh_client)
    invoices_before = len(fresh_client.v1.invoices.list(params={"customer": customer}).data)
    before = builders.clock(fresh_client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.advance(fresh_client, 15 * builders.DAY)  # more than two weeks
    assert raised.value.param == "seconds"
    assert "every week" in str(raised.value.user_message)
    assert builders.clock(fresh_client)["offset"] == before["offset"]
    assert len(fresh_client.v1.invoices.list(params={"customer": customer}).data) == (
        invoices_before
    )
    builders.advance(fresh_client, 13 * builders.DAY)
    renewed = fresh_client.v1.invoices.list(params={"customer": customer}).data
    assert [i.billing_reason for i in renewed].count("subscription_cycle") == 1


def test_an_ended_subscription_no_longer_bounds_an_advance(
    fresh_client: stripe.StripeClient,
) -> None:
    _customer, subscriptions = _monthly_and_weekly_subscriptions(fresh_client)
    fresh_client.v1.subscriptions.cancel(subscriptions["week"])
    before = builders.clock(fresh_client)
    moved = builders.advance(fresh_client, 40 * builders.DAY)  # within two months, beyond two weeks
    assert moved >= before["now"] + 40 * builders.DAY
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.advance(fresh_client, 63 * builders.DAY)  # beyond two months from the new now
    assert "every month" in str(raised.value.user_message)


def test_a_long_advance_lets_other_requests_through() -> None:
    # Hundreds of monthly subscriptions (the scale seed): 55 days renew each once or twice,
    # some seconds of work.
    with Sandbox(":memory:", seed="scale:600") as sandbox:
        client = make_client(sandbox)
        target = builders.clock(client)["now"] + 55 * builders.DAY
        answered = threading.Event()
        failures: list[BaseException] = []

        def advance() -> None:
            try:
                builders.advance_to(client, target)
            except BaseException as error:  # reported by the test's thread
                failures.append(error)
            finally:
                answered.set()

        worker = threading.Thread(target=advance)
        worker.start()
        # Requests answered after the clock moved and before the advance answered, each
        # recording how many subscriptions were still waiting for their renewal then.
        waiting_seen: list[int] = []
        while not answered.is_set():
            now = builders.clock(client)["now"]
            page = client.v1.subscriptions.list(params={"limit": 100})
            if now >= target and not answered.is_set():
                waiting_seen.append(
                    sum(1 for s in page.data if s["items"].data[0].current_period_end <= now)
                )
        # (subscriptions.list leaves out canceled ones, whose periods no longer move.)
        worker.join()
        assert not failures
        # Served in the middle of the advance: the clock had moved, renewals were under way.
        assert any(waiting > 0 for waiting in waiting_seen), waiting_seen
        # And when the advance answered, its work was done.
        final = client.v1.subscriptions.list(params={"limit": 100}).data
        assert all(s["items"].data[0].current_period_end > target for s in final)


def test_an_idempotency_key_outlives_a_clock_advance(fresh_client: stripe.StripeClient) -> None:
    key = str(uuid.uuid4())
    first = fresh_client.v1.customers.create(
        params={"email": "once@example.com"}, options={"idempotency_key": key}
    )
    builders.advance(fresh_client, 30 * builders.DAY)
    # Stored answers are dropped by the background sweep (every 0.2 s in tests): let it run.
    time.sleep(1.0)
    again = fresh_client.v1.customers.create(
        params={"email": "once@example.com"}, options={"idempotency_key": key}
    )
    assert again.id == first.id
    found = fresh_client.v1.customers.list(params={"email": "once@example.com"}).data
    assert [c.id for c in found] == [first.id]
