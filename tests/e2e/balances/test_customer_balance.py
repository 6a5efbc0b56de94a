"""A customer's credit balance through the stripe library: adjustments, what invoices take from
it, the ledger of transactions, and their currencies."""

from __future__ import annotations

from typing import Any

import stripe

from tests import builders


def credit(
    client: stripe.StripeClient, customer: str, amount: int, currency: str = "usd", **params: str
) -> stripe.CustomerBalanceTransaction:
    body: Any = {"amount": amount, "currency": currency, **params}
    return client.v1.customers.balance_transactions.create(customer, params=body)


def ledger(client: stripe.StripeClient, customer: str) -> list[tuple[str, int, int, str | None]]:
    """(type, amount, ending balance, invoice) of each transaction, oldest first."""
    listed = client.v1.customers.balance_transactions.list(customer, params={"limit": 100})
    return [(t.type, t.amount, t.ending_balance, id_of(t.invoice)) for t in reversed(listed.data)]


def id_of(value: object) -> str | None:
    return None if value is None else str(getattr(value, "id", value))


def test_a_credit_lowers_the_next_invoice_and_the_ledger_shows_both_steps(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace", payment_method="pm_card_visa")
    adjustment = credit(client, customer.id, -1500, description="Goodwill for the outage")
    assert (adjustment.type, adjustment.amount, adjustment.ending_balance) == (
        "adjustment",
        -1500,
        -1500,
    )
    assert adjustment.description == "Goodwill for the outage"
    after_credit = client.v1.customers.retrieve(customer.id)
    assert after_credit.balance == -1500
    assert after_credit.currency == "usd"  # the transaction's currency became the customer's
    assert builders.previous(client, "customer.updated", customer.id)["balance"] == 0

    monthly = builders.price(client, 4000)
    sub = builders.subscribe(client, customer.id, monthly.id, expand=["latest_invoice"])
    invoice = builders.latest_invoice(sub)
    assert (invoice.total, invoice.amount_due) == (4000, 2500)
    assert (invoice.starting_balance, invoice.ending_balance) == (-1500, 0)
    assert invoice.status == "paid" and invoice.amount_paid == 2500
    assert client.v1.customers.retrieve(customer.id).balance == 0
    assert ledger(client, customer.id) == [
        ("adjustment", -1500, -1500, None),
        ("applied_to_invoice", 1500, 0, invoice.id),
    ]
    by_invoice = client.v1.customers.balance_transactions.list(
        customer.id, params={"invoice": invoice.id}
    )
    assert [t.type for t in by_invoice.data] == ["applied_to_invoice"]


def test_a_credit_larger_than_the_invoice_leaves_the_rest_for_the_next_one(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    credit(client, customer.id, -5000)
    draft = builders.draft(client, customer.id, 1200)
    final = client.v1.invoices.finalize_invoice(draft.id)
    assert (final.amount_due, final.status) == (0, "paid")
    assert client.v1.customers.retrieve(customer.id).balance == -3800
    assert ledger(client, customer.id)[-1] == ("applied_to_invoice", 1200, -3800, final.id)


def test_voiding_gives_the_credit_back_as_its_own_transaction(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    credit(client, customer.id, -300)
    invoice = client.v1.invoices.finalize_invoice(
        builders.draft(
            client, customer.id, 1000, collection_method="send_invoice", days_until_due=30
        ).id
    )
    assert invoice.amount_due == 700
    client.v1.invoices.void_invoice(invoice.id)
    assert client.v1.customers.retrieve(customer.id).balance == -300
    assert ledger(client, customer.id) == [
        ("adjustment", -300, -300, None),
        ("applied_to_invoice", 300, 0, invoice.id),
        ("unapplied_from_invoice", -300, -300, invoice.id),
    ]


def test_a_debit_raises_what_the_next_invoice_asks(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    credit(client, customer.id, 250, description="Late fee")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 1000).id)
    assert final.amount_due == 1250
    assert ledger(client, customer.id)[-1] == ("applied_to_invoice", -250, 0, final.id)


def test_an_amount_below_the_minimum_charge_waits_for_the_next_invoice(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace", payment_method="pm_card_visa")
    small = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 30).id)
    assert (small.total, small.amount_due, small.status) == (30, 0, "paid")
    assert (small.starting_balance, small.ending_balance) == (0, 30)
    assert client.v1.payment_intents.list(params={"customer": customer.id}).data == []
    assert ledger(client, customer.id) == [("invoice_too_small", 30, 30, small.id)]
    assert client.v1.customers.retrieve(customer.id).balance == 30

    next_one = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 1000).id)
    assert next_one.amount_due == 1030
    assert ledger(client, customer.id)[-1] == ("applied_to_invoice", -30, 0, next_one.id)


def test_a_customer_with_a_cash_balance_is_charged_even_a_small_amount(
    client: stripe.StripeClient,
) -> None:
    """Stripe: moving a too-small amount to the balance "only occurs for customers without a
    cash_balance"."""
    customer = builders.customer(client, name="Ada Lovelace", payment_method="pm_card_visa")
    client.v1.test_helpers.customers.fund_cash_balance(
        customer.id, params={"amount": 100, "currency": "usd"}
    )
    small = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 30).id)
    assert (small.amount_due, small.ending_balance) == (30, 0)
    assert ledger(client, customer.id) == []


def test_balance_set_on_the_customer_is_in_the_ledger_too(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace", balance=-1000)
    client.v1.customers.update(customer.id, params={"balance": -400})
    assert ledger(client, customer.id) == [
        ("initial", -1000, -1000, None),
        ("adjustment", 600, -400, None),
    ]


def test_retrieve_and_update_change_only_description_and_metadata(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    made = credit(client, customer.id, -700, description="Refund as credit")
    changed = client.v1.customers.balance_transactions.update(
        customer.id,
        made.id,
        params={"description": "Credit for ticket 4711", "metadata": {"ticket": "4711"}},
    )
    again = client.v1.customers.balance_transactions.retrieve(customer.id, made.id)
    for seen in (changed, again):
        assert seen.description == "Credit for ticket 4711"
        assert seen.metadata is not None and seen.metadata.to_dict() == {"ticket": "4711"}
        assert (seen.amount, seen.ending_balance, seen.type) == (-700, -700, "adjustment")
    amount_too: Any = {"amount": 5}  # not a parameter update takes, past the SDK's types
    refused = builders.refused(
        lambda: client.v1.customers.balance_transactions.update(
            customer.id, made.id, params=amount_too
        )
    )
    assert (refused.param, refused.code) == ("amount", "parameter_unknown")
    assert client.v1.customers.retrieve(customer.id).balance == -700


def test_a_transaction_belongs_to_its_customer(client: stripe.StripeClient) -> None:
    owner = builders.customer(client, name="Ada Lovelace")
    other = builders.customer(client, name="Grace Hopper")
    made = credit(client, owner.id, -100)
    with_other = builders.refused(
        lambda: client.v1.customers.balance_transactions.retrieve(other.id, made.id)
    )
    assert (with_other.http_status, with_other.code) == (404, "resource_missing")
    assert made.id in str(with_other.user_message)


def test_another_currency_is_a_balance_of_its_own(client: stripe.StripeClient) -> None:
    """Stripe's multi-currency customers: the transaction's currency picks the balance."""
    customer = builders.customer(client, name="Ada Lovelace")
    credit(client, customer.id, -1000, "usd")
    euros = credit(client, customer.id, -300, "eur")
    assert euros.ending_balance == -300
    after = client.v1.customers.retrieve(customer.id, params={"expand": ["invoice_credit_balance"]})
    assert (after.currency, after.balance) == ("usd", -1000)
    assert after.invoice_credit_balance is not None
    assert after.invoice_credit_balance.to_dict() == {"usd": -1000, "eur": -300}

    client.v1.invoice_items.create(
        params={"customer": customer.id, "amount": 2000, "currency": "eur"}
    )
    eur_invoice = client.v1.invoices.create(
        params={
            "customer": customer.id,
            "currency": "eur",
            "pending_invoice_items_behavior": "include",
        }
    )
    final = client.v1.invoices.finalize_invoice(eur_invoice.id)
    assert (final.starting_balance, final.amount_due) == (-300, 1700)
    assert client.v1.customers.retrieve(customer.id).balance == -1000  # the USD credit is kept


def test_refusals_name_the_parameter(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    bad_currency = builders.refused(lambda: credit(client, customer.id, -100, "dollars"))
    assert bad_currency.param == "currency"
    no_amount = builders.refused(
        lambda: client.v1.customers.balance_transactions.create(
            customer.id,
            params={"currency": "usd"},  # type: ignore[typeddict-item]
        )
    )
    assert (no_amount.param, no_amount.code) == ("amount", "parameter_missing")
    missing = builders.refused(lambda: credit(client, "cus_missing", -100))
    assert (missing.http_status, missing.code) == (404, "resource_missing")
    assert client.v1.customers.balance_transactions.list(customer.id).data == []


def test_a_downgrade_credit_waits_in_the_balance_for_the_renewal(
    fresh_client: stripe.StripeClient,
) -> None:
    """Stripe: prorations from a downgrade can become credit that lowers the next invoice."""
    client = fresh_client
    customer = builders.customer(client, name="Ada Lovelace", payment_method="pm_card_visa")
    dear, cheap = builders.price(client, 4000), builders.price(client, 1000)
    sub = builders.subscribe(client, customer.id, dear.id, expand=["latest_invoice"])
    left = builders.halfway(client, sub)
    updated = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": sub["items"].data[0].id, "price": cheap.id}],
            "proration_behavior": "always_invoice",
            "expand": ["latest_invoice"],
        },
    )
    downgrade = builders.latest_invoice(updated)
    assert downgrade.total < 0 and abs(downgrade.total + 3000 * left) <= 3
    assert (downgrade.amount_due, downgrade.ending_balance) == (0, downgrade.total)
    credit_left = client.v1.customers.retrieve(customer.id).balance
    assert credit_left == downgrade.total
    assert ledger(client, customer.id) == [
        ("applied_to_invoice", downgrade.total, downgrade.total, downgrade.id)
    ]

    builders.advance_to(client, builders.period(sub)[1] + 3600 * 2)
    renewal = builders.invoices(client, customer.id)[-1]
    assert renewal.billing_reason == "subscription_cycle"
    assert renewal.starting_balance == credit_left
    assert renewal.amount_due == max(1000 + credit_left, 0)
    ending = builders.present(renewal.ending_balance)
    assert ledger(client, customer.id)[-1] == (
        "applied_to_invoice",
        ending - credit_left,
        ending,
        renewal.id,
    )
