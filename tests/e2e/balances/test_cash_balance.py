"""A customer's cash balance through the stripe library: reading it, its reconciliation setting,
and its transactions once Stripe's test helper has funded it."""

from __future__ import annotations

import stripe

from tests import builders


def test_an_unfunded_cash_balance_follows_the_merchant_default(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    cash = client.v1.customers.cash_balance.retrieve(customer.id)
    assert cash.object == "cash_balance" and cash.customer == customer.id
    assert cash.available is None
    assert (cash.settings.reconciliation_mode, cash.settings.using_merchant_default) == (
        "automatic",
        True,
    )
    assert client.v1.customers.cash_balance_transactions.list(customer.id).data == []
    expanded = client.v1.customers.retrieve(customer.id, params={"expand": ["cash_balance"]})
    assert expanded.cash_balance is not None
    assert expanded.cash_balance.settings.using_merchant_default is True


def test_reconciliation_mode_is_set_and_handed_back_to_the_merchant(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    manual = client.v1.customers.cash_balance.update(
        customer.id, params={"settings": {"reconciliation_mode": "manual"}}
    )
    assert (manual.settings.reconciliation_mode, manual.settings.using_merchant_default) == (
        "manual",
        False,
    )
    assert client.v1.customers.cash_balance.retrieve(customer.id).settings.reconciliation_mode == (
        "manual"
    )
    back = client.v1.customers.cash_balance.update(
        customer.id, params={"settings": {"reconciliation_mode": "merchant_default"}}
    )
    assert (back.settings.reconciliation_mode, back.settings.using_merchant_default) == (
        "automatic",
        True,
    )
    wrong = builders.refused(
        lambda: client.v1.customers.cash_balance.update(
            customer.id,
            params={"settings": {"reconciliation_mode": "sometimes"}},
        )
    )
    assert wrong.param == "settings[reconciliation_mode]"


def test_a_funded_transfer_is_available_and_listed(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    funded = client.v1.test_helpers.customers.fund_cash_balance(
        customer.id, params={"amount": 5000, "currency": "eur", "reference": "INV-0001"}
    )
    assert (funded.type, funded.net_amount, funded.ending_balance) == ("funded", 5000, 5000)
    assert funded.funded is not None
    assert funded.funded.bank_transfer.type == "eu_bank_transfer"
    assert funded.funded.bank_transfer.reference == "INV-0001"
    client.v1.test_helpers.customers.fund_cash_balance(
        customer.id, params={"amount": 700, "currency": "eur"}
    )
    cash = client.v1.customers.cash_balance.retrieve(customer.id)
    assert cash.available is not None and cash.available.to_dict() == {"eur": 5700}
    listed = client.v1.customers.cash_balance_transactions.list(customer.id)
    assert [(t.net_amount, t.ending_balance) for t in listed.data] == [(700, 5700), (5000, 5000)]
    again = client.v1.customers.cash_balance_transactions.retrieve(customer.id, funded.id)
    assert again.id == funded.id and again.currency == "eur"
    assert builders.event_types(client, funded.id) == ["customer_cash_balance_transaction.created"]
    # Funding a cash balance leaves the credit balance (the invoice one) alone.
    assert client.v1.customers.retrieve(customer.id).balance == 0


def test_funding_refusals_name_the_parameter(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    chf = builders.refused(
        lambda: client.v1.test_helpers.customers.fund_cash_balance(
            customer.id, params={"amount": 100, "currency": "chf"}
        )
    )
    assert chf.param == "currency"
    nothing = builders.refused(
        lambda: client.v1.test_helpers.customers.fund_cash_balance(
            customer.id, params={"amount": 0, "currency": "usd"}
        )
    )
    assert nothing.param == "amount"
    other = builders.customer(client, name="Grace Hopper")
    made = client.v1.test_helpers.customers.fund_cash_balance(
        customer.id, params={"amount": 100, "currency": "usd"}
    )
    foreign = builders.refused(
        lambda: client.v1.customers.cash_balance_transactions.retrieve(other.id, made.id)
    )
    assert (foreign.http_status, foreign.code) == (404, "resource_missing")


def test_a_customer_with_a_cash_balance_cannot_be_deleted(client: stripe.StripeClient) -> None:
    """Stripe: "You cannot delete a customer with any cash balances, even if the balance is 0"."""
    customer = builders.customer(client, name="Ada Lovelace")
    client.v1.test_helpers.customers.fund_cash_balance(
        customer.id, params={"amount": 100, "currency": "usd"}
    )
    refused = builders.refused(lambda: client.v1.customers.delete(customer.id))
    assert "cash balance" in str(refused.user_message)
    assert "deleted" not in client.v1.customers.retrieve(customer.id)
    unfunded = builders.customer(client, name="Grace Hopper")
    assert client.v1.customers.delete(unfunded.id).deleted is True
