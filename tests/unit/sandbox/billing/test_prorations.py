"""Prorations of a mid-period change, as Stripe's "Prorations" page describes them.

Stripe credits the unused time of the old price and charges the remaining time of the new one,
each its own line, prorated "down to the second based on the starting timestamp of the billing
period and the timestamp of the proration's triggering event" (or ``proration_date``), rounded
to the currency's minor unit. With ``create_prorations`` they wait as pending invoice items:
"negative prorations aren't automatically refunded and positive prorations aren't immediately
billed".
"""

from __future__ import annotations

import pytest

from console.sandbox.billing import changes, invoice_items, prorations, subscription_state
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.opening import State
from tests.unit.sandbox.billing import builders


def _subscribed(ctx: Context, amount: int) -> tuple[JSON, JSON]:
    """A paid monthly subscription to a ``amount`` price: the subscription and its one item."""
    owner = builders.customer(ctx, payment_method="pm_card_visa")
    old = builders.price(ctx, amount, product_name="Basic")
    sub = builders.subscribe(ctx, owner, old)
    assert sub["status"] == "active"
    return sub, sub["items"]["data"][0]


def _change(ctx: Context, sub: JSON, entry: JSON, **options: object) -> list[JSON]:
    """Change the item as ``POST /v1/subscriptions/{id}`` with ``items`` does; the pending items."""
    changes.change_items(ctx, sub, [entry], {"proration_behavior": "create_prorations", **options})
    return invoice_items.pending_for(ctx, sub["customer"], subscription=sub["id"])


def _moment(sub: JSON, share_elapsed: float) -> int:
    start, end = subscription_state.current_period(sub)
    return start + round((end - start) * share_elapsed)


def test_an_upgrade_halfway_credits_the_old_price_and_charges_the_new(ctx: Context) -> None:
    """Stripe's own example: 10 USD to 20 USD halfway through is -5 USD and +10 USD."""
    old, new = builders.price(ctx, 1000), builders.price(ctx, 2000)
    change = prorations.ItemChange("si_1", old, 1, 1000, new, 1, 2000)
    lines = prorations.lines_for(ctx, [change], period_start=0, period_end=100, at=50)
    assert [(line.price["id"], line.amount) for line in lines] == [
        (old["id"], -500),
        (new["id"], 1000),
    ]
    assert all((line.period_start, line.period_end) == (50, 100) for line in lines)


def test_an_upgrade_mid_period_becomes_pending_items_on_the_subscription(ctx: Context) -> None:
    sub, item = _subscribed(ctx, 1000)
    new = builders.price(ctx, 2000, product_name="Pro")
    at = _moment(sub, 0.5)
    _, end = subscription_state.current_period(sub)

    pending = _change(ctx, sub, {"id": item["id"], "price": new["id"]}, proration_date=at)

    assert [(i["amount"], i["proration"]) for i in pending] == [(-500, True), (1000, True)]
    assert pending[0]["description"].startswith("Unused time on Basic after ")
    assert pending[1]["description"].startswith("Remaining time on Pro after ")
    assert all(i["period"] == {"start": at, "end": end} for i in pending)
    details = [i["parent"]["subscription_details"] for i in pending]
    assert {(d["subscription"], d["subscription_item"]) for d in details} == {
        (sub["id"], item["id"])
    }
    # Not billed now: the first invoice is still the only one.
    assert len(builders.invoices_of(ctx, ctx.fetch("customer", sub["customer"]))) == 1


@pytest.mark.parametrize(
    ("old_amount", "new_amount", "elapsed", "amounts"),
    [
        # Two thirds of 10.00 USD is 6.666..., of 20.00 USD 13.333...: rounded to the cent.
        pytest.param(1000, 2000, 1 / 3, [-667, 1333], id="rounded to the cent"),
        # Down from 20 USD to 10 USD halfway: a net credit of 5 USD.
        pytest.param(2000, 1000, 1 / 2, [-1000, 500], id="a downgrade"),
        # A proration_date later in the period: less time left to credit and to charge.
        pytest.param(1000, 2000, 3 / 4, [-250, 500], id="a later proration_date"),
    ],
)
def test_the_time_left_is_credited_at_the_old_price_and_charged_at_the_new(
    ctx: Context, old_amount: int, new_amount: int, elapsed: float, amounts: list[int]
) -> None:
    sub, item = _subscribed(ctx, old_amount)
    new = builders.price(ctx, new_amount)

    pending = _change(
        ctx, sub, {"id": item["id"], "price": new["id"]}, proration_date=_moment(sub, elapsed)
    )

    assert [i["amount"] for i in pending] == amounts


def test_more_seats_prorate_the_whole_new_quantity(ctx: Context) -> None:
    """1 seat to 3 seats a quarter into the period: -7.50 for the one, +22.50 for the three."""
    sub, item = _subscribed(ctx, 1000)

    pending = _change(
        ctx, sub, {"id": item["id"], "quantity": 3}, proration_date=_moment(sub, 0.25)
    )

    assert [(i["amount"], i["quantity"]) for i in pending] == [(-750, 1), (2250, 3)]
    assert pending[1]["description"].startswith("Remaining time on 3 × Basic after ")  # noqa: RUF001


def test_a_proration_date_earlier_in_the_period_prorates_from_that_moment(state: State) -> None:
    """``proration_date``: "the proration will be calculated as though the subscription was
    updated at the given time" (the update itself happens now)."""
    with builders.transaction(state) as ctx:
        sub, item = _subscribed(ctx, 1000)
        new = builders.price(ctx, 2000)
    builders.advance(state, _moment(sub, 0.5) - state.clock.now())
    earlier = _moment(sub, 0.25)

    with builders.transaction(state) as ctx:
        sub = builders.stored(ctx, sub)
        pending = _change(ctx, sub, {"id": item["id"], "price": new["id"]}, proration_date=earlier)

    assert [i["amount"] for i in pending] == [-750, 1500]
    assert {i["period"]["start"] for i in pending} == {earlier}


@pytest.mark.parametrize("side", ["before the period", "after the period"])
def test_a_proration_date_outside_the_current_period_is_refused(ctx: Context, side: str) -> None:
    """Stripe answers "Cannot specify proration date outside of current subscription period"."""
    sub, item = _subscribed(ctx, 1000)
    new = builders.price(ctx, 2000)
    start, end = subscription_state.current_period(sub)
    outside = start - builders.DAY if side == "before the period" else end + builders.DAY

    with pytest.raises(StripeError):
        _change(ctx, sub, {"id": item["id"], "price": new["id"]}, proration_date=outside)


def test_no_proration_when_asked_for_none(ctx: Context) -> None:
    sub, item = _subscribed(ctx, 1000)
    new = builders.price(ctx, 2000)

    pending = _change(ctx, sub, {"id": item["id"], "price": new["id"]}, proration_behavior="none")

    assert pending == []


def test_metered_prices_are_not_prorated(ctx: Context) -> None:
    """Stripe: "Prorations are created only for licensed (per-seat) subscriptions because they're
    billed at the start of each billing period"; usage is billed in arrears."""
    metered = builders.price(ctx, 10, recurring={"usage_type": "metered", "meter": "mtr_test"})
    licensed = builders.price(ctx, 2000)
    change = prorations.ItemChange("si_1", metered, 0, 0, licensed, 1, 2000)
    assert prorations.lines_for(ctx, [change], period_start=0, period_end=100, at=50) == []


def test_nothing_is_left_to_prorate_at_the_period_end(ctx: Context) -> None:
    old, new = builders.price(ctx, 1000), builders.price(ctx, 2000)
    change = prorations.ItemChange("si_1", old, 1, 1000, new, 1, 2000)
    assert prorations.lines_for(ctx, [change], period_start=0, period_end=100, at=100) == []


def test_pending_prorations_are_billed_on_the_next_renewal(state: State) -> None:
    """The renewal invoice takes the pending prorations with the new period's charge."""
    with builders.transaction(state) as ctx:
        sub, item = _subscribed(ctx, 1000)
        new = builders.price(ctx, 2000)
        _change(ctx, sub, {"id": item["id"], "price": new["id"]}, proration_date=_moment(sub, 0.5))
    _, end = subscription_state.current_period(sub)

    builders.advance(state, end - state.clock.now())

    with builders.transaction(state) as ctx:
        owner = ctx.fetch("customer", sub["customer"])
        renewal = builders.invoices_of(ctx, owner)[-1]
        assert renewal["billing_reason"] == "subscription_cycle"
        assert sorted(line["amount"] for line in renewal["_lines"]) == [-500, 1000, 2000]
        assert (renewal["total"], renewal["status"]) == (2500, "paid")
        assert invoice_items.pending_for(ctx, owner["id"], subscription=sub["id"]) == []
