"""Invoice drafts through the stripe library: numbers, totals, credit and voiding."""

from __future__ import annotations

import pytest
import stripe

from console.sandbox import Sandbox
from tests import builders

# -- drafts, numbers, totals ----------------------------------------------------------------------


def test_draft_has_no_number_or_urls_until_finalized(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    draft = builders.draft(client, customer.id, 1200)
    assert draft.status == "draft"
    assert draft.number is None
    assert draft.hosted_invoice_url is None and draft.invoice_pdf is None
    assert draft.auto_advance is False
    assert draft.collection_method == "charge_automatically"
    assert draft.total == 1200 and draft.amount_due == 1200
    assert draft.lines.data[0].parent is not None
    assert draft.lines.data[0].parent.type == "invoice_item_details"
    assert draft.status_transitions.finalized_at is None
    assert builders.event_types(client, draft.id) == ["invoice.created"]


def test_finalize_numbers_from_prefix_and_sequence(
    sandbox: Sandbox, client: stripe.StripeClient
) -> None:
    customer = builders.customer(
        client, name="Ada Lovelace", invoice_prefix="ACME42", next_invoice_sequence=7
    )
    first = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 500).id)
    second = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 700).id)
    assert first.number == "ACME42-0007"
    assert second.number == "ACME42-0008"
    assert client.v1.customers.retrieve(customer.id).next_invoice_sequence == 9
    assert first.status == "open"
    assert first.status_transitions.finalized_at is not None
    assert first.hosted_invoice_url is not None and first.invoice_pdf is not None
    assert first.hosted_invoice_url.startswith(f"{sandbox.url}/i/")
    token = first.hosted_invoice_url.rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 random bits in URL-safe base64
    assert first.invoice_pdf == f"{first.hosted_invoice_url}/pdf"
    assert second.hosted_invoice_url != first.hosted_invoice_url
    assert "invoice.finalized" in builders.event_types(client, first.id)


def test_totals_with_coupon_promotion_code_and_customer_credit(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace", balance=-1000)
    percent = client.v1.coupons.create(params={"percent_off": 10, "duration": "once"})
    fixed = client.v1.coupons.create(
        params={"amount_off": 300, "currency": "usd", "duration": "once"}
    )
    code = client.v1.promotion_codes.create(
        params={"promotion": {"type": "coupon", "coupon": fixed.id}, "code": "TAKE3OFF"}
    )
    draft = builders.draft(
        client,
        customer.id,
        2000,
        500,
        discounts=[{"coupon": percent.id}, {"promotion_code": code.id}],
    )
    subtotal = 2000 + 500
    after_percent = subtotal - subtotal * 10 // 100
    total = after_percent - 300
    assert draft.subtotal == subtotal
    assert draft.total == total
    assert sorted(d.amount for d in draft.total_discount_amounts or []) == [250, 300]
    assert len(draft.discounts) == 2
    assert sum(a.amount for line in draft.lines.data for a in line.discount_amounts or []) == (
        subtotal - total
    )
    assert draft.total_taxes == []
    assert client.v1.promotion_codes.retrieve(code.id).times_redeemed == 1

    final = client.v1.invoices.finalize_invoice(draft.id)
    assert final.starting_balance == -1000
    assert final.amount_due == total - 1000
    assert final.ending_balance == 0
    assert client.v1.customers.retrieve(customer.id).balance == 0


def test_credit_larger_than_total_pays_the_invoice_at_once(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace", balance=-5000)
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 1200).id)
    assert final.amount_due == 0
    assert final.status == "paid"
    assert final.ending_balance == -3800
    assert client.v1.customers.retrieve(customer.id).balance == -3800
    assert builders.event_types(client, final.id)[-2:] == [
        "invoice.paid",
        "invoice.payment_succeeded",
    ]

    # Voiding an invoice gives back the credit it used; this one is paid, so it is refused.
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.void_invoice(final.id)
    assert raised.value.code == "invoice_not_editable"


def test_void_returns_the_balance_the_invoice_used(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace", balance=-300)
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 1000).id)
    assert final.amount_due == 700
    assert client.v1.customers.retrieve(customer.id).balance == 0
    voided = client.v1.invoices.void_invoice(final.id)
    assert voided.status == "void"
    assert voided.status_transitions.voided_at is not None
    assert client.v1.customers.retrieve(customer.id).balance == -300
    assert "invoice.voided" in builders.event_types(client, final.id)
