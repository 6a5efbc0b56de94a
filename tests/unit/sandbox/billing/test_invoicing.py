"""Collecting a subscription's invoices: the payment, the retries after a decline, the outcomes.

Stripe's "Automate payment retries": after a failed automatic payment Stripe retries on a schedule
(the sandbox's is a custom schedule of 3, 5 and 7 days, each after the attempt before it,
``invoicing.RETRY_DAYS``), shows the next one as ``next_payment_attempt``, and after the last one
does what the account's "Manage failed payments" settings say. The test card
``pm_card_chargeCustomerFail`` (4000 0000 0000 0341) attaches but declines every charge.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from console.sandbox.billing import invoicing, payment_methods, subscription_state
from console.sandbox.facts.spec import JSON
from console.sandbox.resources import subscriptions
from console.sandbox.state.opening import State
from tests.unit.sandbox.billing import builders

DAY = builders.DAY
DECLINES = "pm_card_chargeCustomerFail"


@dataclass
class Renewal:
    """A monthly subscription whose renewal charge was just attempted."""

    owner: JSON
    subscription: JSON
    invoice: JSON
    attempted_from: int
    attempted_until: int


def _renew(state: State) -> Renewal:
    """Subscribe with a good card, switch to a declining one, move the clock to the renewal."""
    with builders.transaction(state) as ctx:
        owner = builders.customer(ctx, payment_method="pm_card_visa")
        sub = builders.subscribe(ctx, owner, builders.price(ctx, 1000))
        assert sub["status"] == "active"
        owner = builders.pay_with(ctx, owner, DECLINES)
    _, end = subscription_state.current_period(sub)
    builders.advance(state, end - state.clock.now())
    attempted_until = state.clock.now()
    with builders.transaction(state) as ctx:
        invoice = builders.invoices_of(ctx, owner)[-1]
        assert invoice["billing_reason"] == "subscription_cycle"
        return Renewal(owner, builders.stored(ctx, sub), invoice, end, attempted_until)


def _retry(state: State, invoice: JSON) -> tuple[JSON, int, int]:
    """Move the clock to the invoice's next attempt: the invoice after it, and when it ran."""
    attempt = invoice["next_payment_attempt"]
    builders.advance(state, attempt - state.clock.now())
    until = state.clock.now()
    with builders.transaction(state) as ctx:
        return builders.stored(ctx, invoice), attempt, until


def test_a_failed_renewal_schedules_the_first_retry_three_days_later(state: State) -> None:
    renewal = _renew(state)
    invoice = renewal.invoice

    assert (invoice["status"], invoice["attempt_count"], invoice["attempted"]) == ("open", 1, True)
    assert (
        renewal.attempted_from + 3 * DAY
        <= invoice["next_payment_attempt"]
        <= renewal.attempted_until + 3 * DAY
    )
    # The clock acts on the invoice again at that moment.
    assert state.store.due_of(invoice["id"]) == invoice["next_payment_attempt"]
    assert renewal.subscription["status"] == "past_due"


def test_retries_follow_three_five_and_seven_days_then_stop(state: State) -> None:
    with (
        builders.listening("invoice.payment_failed") as failed,
        builders.listening("invoice.retries_exhausted") as exhausted,
    ):
        invoice = _renew(state).invoice
        assert invoicing.RETRY_DAYS == (3, 5, 7)

        for attempt, days in ((2, 5), (3, 7)):
            invoice, started, until = _retry(state, invoice)
            assert (invoice["status"], invoice["attempt_count"]) == ("open", attempt)
            assert started + days * DAY <= invoice["next_payment_attempt"] <= until + days * DAY
            assert exhausted == []

        invoice, _, _ = _retry(state, invoice)

    assert (invoice["status"], invoice["attempt_count"]) == ("open", 4)
    assert invoice["next_payment_attempt"] is None
    assert state.store.due_of(invoice["id"]) is None
    assert [i["id"] for i in exhausted] == [invoice["id"]]
    assert [i["attempt_count"] for i in failed] == [1, 2, 3, 4]


def _after_the_last_retry(state: State, **settings: str) -> tuple[JSON, JSON]:
    """A renewal declined at every attempt, with the account's ``settings`` for what follows:
    the subscription and the invoice after the last retry."""
    if settings:
        with builders.transaction(state) as ctx:
            builders.after_final_failure(ctx, **settings)
    invoice = _renew(state).invoice
    for _ in invoicing.RETRY_DAYS:
        invoice, _, _ = _retry(state, invoice)
    with builders.transaction(state) as ctx:
        sub = ctx.fetch("subscription", str(invoicing.subscription_of(invoice)))
        return sub, builders.stored(ctx, invoice)


@pytest.mark.parametrize(
    ("settings", "subscription_status", "invoice_status"),
    [
        pytest.param({}, "past_due", "open", id="by default"),
        pytest.param(
            {"subscription_after_final_failure": "cancel"}, "canceled", "open", id="cancel"
        ),
        pytest.param(
            {
                "subscription_after_final_failure": "mark_unpaid",
                "invoice_after_final_failure": "mark_uncollectible",
            },
            "unpaid",
            "uncollectible",
            id="unpaid and uncollectible",
        ),
    ],
)
def test_after_the_last_retry_the_account_s_setting_decides(
    state: State, settings: dict[str, str], subscription_status: str, invoice_status: str
) -> None:
    """The "Manage failed payments" settings: cancel the subscription, mark it unpaid or leave
    it past due; mark the invoice uncollectible or leave it open (the sandbox's default:
    leave both)."""
    sub, invoice = _after_the_last_retry(state, **settings)

    assert (sub["status"], invoice["status"]) == (subscription_status, invoice_status)


def test_a_subscription_canceled_after_the_last_retry_says_payment_failed(state: State) -> None:
    """Stripe records a cancellation by the retry settings with the reason ``payment_failed``."""
    sub, _ = _after_the_last_retry(state, subscription_after_final_failure="cancel")

    assert sub["cancellation_details"]["reason"] == "payment_failed"
    assert sub["ended_at"] is not None


def test_a_paid_invoice_notifies_invoice_paid(state: State) -> None:
    with builders.listening("invoice.paid") as paid, builders.transaction(state) as ctx:
        owner = builders.customer(ctx, payment_method="pm_card_visa")
        sub = builders.subscribe(ctx, owner, builders.price(ctx, 1000))

    assert [(i["id"], i["status"], i["amount_paid"]) for i in paid] == [
        (sub["latest_invoice"], "paid", 1000)
    ]


def test_a_retry_with_a_replaced_card_pays_and_reactivates(state: State) -> None:
    renewal = _renew(state)
    with builders.transaction(state) as ctx:
        builders.pay_with(ctx, renewal.owner, "pm_card_visa")

    with builders.listening("invoice.paid") as paid:
        invoice, _, _ = _retry(state, renewal.invoice)

    assert (invoice["status"], invoice["attempt_count"]) == ("paid", 2)
    assert invoice["next_payment_attempt"] is None
    assert [i["id"] for i in paid] == [invoice["id"]]
    with builders.transaction(state) as ctx:
        assert builders.stored(ctx, renewal.subscription)["status"] == "active"


def test_no_retry_without_a_payment_method(state: State) -> None:
    """Stripe's retry page: "Stripe doesn't retry payments if: No payment methods are
    available."."""
    with builders.transaction(state) as ctx:
        owner = builders.customer(ctx, payment_method="pm_card_visa")
        sub = builders.subscribe(ctx, owner, builders.price(ctx, 1000))
        card = ctx.fetch("payment_method", owner["invoice_settings"]["default_payment_method"])
        payment_methods.detach_from_customer(ctx, card)
    _, end = subscription_state.current_period(sub)
    builders.advance(state, end - state.clock.now())

    with builders.transaction(state) as ctx:
        invoice = builders.invoices_of(ctx, owner)[-1]
        assert (invoice["status"], invoice["attempt_count"]) == ("open", 1)
        assert invoice["next_payment_attempt"] is None


def test_retries_charge_the_subscription_s_new_default_payment_method(state: State) -> None:
    """Stripe's retry page: "When you update payment methods after a failed payment attempt,
    update the field where the previous payment failed": the subscription's
    ``default_payment_method`` comes first, and a retry charges what it is at that retry."""
    with builders.transaction(state) as ctx:
        owner = builders.customer(ctx)
        good = payment_methods.attach_to_customer(ctx, "pm_card_visa", owner, param="pm")
        declining = payment_methods.attach_to_customer(ctx, DECLINES, owner, param="pm")
        sub = builders.subscribe(
            ctx, owner, builders.price(ctx, 1000), default_payment_method=good["id"]
        )
        assert sub["status"] == "active"
        subscriptions.update(
            ctx, {"default_payment_method": declining["id"]}, subscription_exposed_id=sub["id"]
        )
    _, end = subscription_state.current_period(sub)
    builders.advance(state, end - state.clock.now())
    with builders.transaction(state) as ctx:
        invoice = builders.invoices_of(ctx, owner)[-1]
        assert (invoice["status"], invoice["attempt_count"]) == ("open", 1)
        subscriptions.update(
            ctx, {"default_payment_method": good["id"]}, subscription_exposed_id=sub["id"]
        )

    invoice, _, _ = _retry(state, invoice)

    assert (invoice["status"], invoice["attempt_count"]) == ("paid", 2)
