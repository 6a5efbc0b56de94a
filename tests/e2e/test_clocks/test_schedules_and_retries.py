"""The rest of a clock customer's billing moves with its clock: schedule phases and the
retries of a failed automatic payment happen when the clock passes them, at their moments."""

from __future__ import annotations

import stripe

from tests import builders

DAY = builders.DAY
HOUR = 3_600
T0 = 1_767_225_600  # 2026-01-01 00:00:00 UTC
DECLINES_CHARGES = "4000000000000341"  # attaches, then every charge is declined


def _scheduled(client: stripe.StripeClient, clock: str, first: str, second: str) -> str:
    customer = builders.customer(client, test_clock=clock, payment_method="pm_card_visa")
    schedule = client.v1.subscription_schedules.create(
        params={
            "customer": customer.id,
            "start_date": "now",
            "phases": [
                {"items": [{"price": first}], "duration": {"interval": "month"}},
                {"items": [{"price": second}], "duration": {"interval": "month"}},
            ],
        }
    )
    assert schedule.subscription is not None
    return str(schedule.subscription)


def _price_of(client: stripe.StripeClient, subscription: str) -> str:
    return str(client.v1.subscriptions.retrieve(subscription)["items"].data[0].price.id)


def test_a_schedule_changes_phase_when_its_clock_passes_the_phase_end(
    client: stripe.StripeClient,
) -> None:
    basic = builders.price(client, 1000, product_name="Tier").id
    plus = builders.price(client, 3000, product_name="Tier").id
    moving, standing = builders.test_clock(client, T0), builders.test_clock(client, T0)
    on_moving = _scheduled(client, moving.id, basic, plus)
    on_standing = _scheduled(client, standing.id, basic, plus)

    builders.advance_test_clock(client, moving.id, T0 + 31 * DAY + 60)

    assert _price_of(client, on_moving) == plus
    assert _price_of(client, on_standing) == basic


def test_failed_payments_are_retried_at_their_moments_on_the_clock(
    client: stripe.StripeClient,
) -> None:
    clock = builders.test_clock(client, T0)
    customer = builders.customer(client, test_clock=clock.id, card_number=DECLINES_CHARGES)
    draft = builders.draft(client, customer.id, 1000, auto_advance=True)
    assert draft.created == T0

    builders.advance_test_clock(client, clock.id, T0 + HOUR + 1)
    invoice = client.v1.invoices.retrieve(draft.id)
    assert (invoice.status, invoice.attempt_count) == ("open", 1)
    assert invoice.next_payment_attempt == T0 + HOUR + 3 * DAY

    builders.advance_test_clock(client, clock.id, T0 + HOUR + 3 * DAY + 1)
    assert client.v1.invoices.retrieve(draft.id).attempt_count == 2
    failures = builders.events(client, "invoice.payment_failed", draft.id)
    assert sorted(e.created for e in failures) == [T0 + HOUR, T0 + HOUR + 3 * DAY]
