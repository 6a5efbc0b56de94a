"""Invoice collection methods and the state machine through the stripe library."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders

# -- collection methods and the state machine -----------------------------------------------------


def test_send_invoice_needs_days_until_due_and_is_sent(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create(
            params={"customer": customer.id, "collection_method": "send_invoice"}
        )
    assert raised.value.param == "days_until_due"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create(params={"customer": customer.id, "days_until_due": 10})
    assert raised.value.param == "days_until_due"

    draft = builders.draft(
        client, customer.id, 3000, collection_method="send_invoice", days_until_due=30
    )
    assert draft.due_date == draft.created + 30 * builders.DAY
    final = client.v1.invoices.finalize_invoice(draft.id)
    assert final.status == "open" and final.due_date == draft.created + 30 * builders.DAY
    sent = client.v1.invoices.send_invoice(final.id)
    assert sent.status == "open"
    assert "invoice.sent" in builders.event_types(client, final.id)

    automatic = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 100).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.send_invoice(automatic.id)
    assert raised.value.code == "invoice_not_editable"


def test_uncollectible_can_still_be_paid_or_voided(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    one = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 800).id)
    marked = client.v1.invoices.mark_uncollectible(one.id)
    assert marked.status == "uncollectible"
    assert marked.status_transitions.marked_uncollectible_at is not None
    assert "invoice.marked_uncollectible" in builders.event_types(client, one.id)
    paid = client.v1.invoices.pay(one.id, params={"paid_out_of_band": True})
    assert paid.status == "paid"

    two = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 800).id)
    client.v1.invoices.mark_uncollectible(two.id)
    assert client.v1.invoices.void_invoice(two.id).status == "void"


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "void_invoice"),
        ("draft", "mark_uncollectible"),
        ("open", "finalize_invoice"),
        ("void", "pay"),
        ("void", "mark_uncollectible"),
        ("paid", "void_invoice"),
        ("paid", "mark_uncollectible"),
    ],
)
def test_refused_transitions_change_nothing(
    client: stripe.StripeClient, state: str, action: str
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    invoice = builders.draft(client, customer.id, 600)
    if state != "draft":
        invoice = client.v1.invoices.finalize_invoice(invoice.id)
    if state == "void":
        invoice = client.v1.invoices.void_invoice(invoice.id)
    if state == "paid":
        invoice = client.v1.invoices.pay(invoice.id, params={"paid_out_of_band": True})
    with pytest.raises(stripe.InvalidRequestError) as raised:
        getattr(client.v1.invoices, action)(invoice.id)
    assert raised.value.code == "invoice_not_editable"
    assert raised.value.http_status == 400
    after = client.v1.invoices.retrieve(invoice.id)
    assert after.status == state
    assert after.to_dict() == invoice.to_dict()


def test_finalized_invoice_refuses_money_changes(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 600).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.update(final.id, params={"collection_method": "send_invoice"})
    assert raised.value.code == "invoice_not_editable"
    assert raised.value.param == "collection_method"
    updated = client.v1.invoices.update(final.id, params={"metadata": {"order": "42"}})
    assert updated.metadata is not None and updated.metadata.to_dict() == {"order": "42"}
    assert builders.event_types(client, final.id)[-1] == "invoice.updated"


def test_only_drafts_can_be_deleted(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    draft = builders.draft(client, customer.id, 100)
    deleted = client.v1.invoices.delete(draft.id)
    assert deleted.deleted is True and deleted.id == draft.id
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.retrieve(draft.id)
    assert raised.value.http_status == 404 and raised.value.param == "invoice"

    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 100).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.delete(final.id)
    assert raised.value.code == "invoice_not_editable"
    assert client.v1.invoices.retrieve(final.id).status == "open"


def test_list_filters_by_customer_and_status(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    draft = builders.draft(client, customer.id, 100)
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 200).id)
    every = client.v1.invoices.list(params={"customer": customer.id})
    assert [i.id for i in every.data] == [final.id, draft.id]
    opened = client.v1.invoices.list(params={"customer": customer.id, "status": "open"})
    assert [i.id for i in opened.data] == [final.id]


def test_list_filters_by_due_date_as_stripe_ranges(client: stripe.StripeClient) -> None:
    """``due_date`` takes an exact timestamp or a ``gt``/``gte``/``lt``/``lte`` hash; invoices
    charged automatically have no due date and never match."""
    customer = builders.customer(client, name="Ada Lovelace")
    soon, later = (
        builders.draft(
            client, customer.id, 100, collection_method="send_invoice", days_until_due=days
        )
        for days in (7, 30)
    )
    automatic = builders.draft(client, customer.id, 100)
    assert automatic.due_date is None and soon.due_date is not None and later.due_date is not None

    def due(bound: Any) -> list[str]:
        found = client.v1.invoices.list(params={"customer": customer.id, "due_date": bound})
        return [i.id for i in found.data]

    assert due(soon.due_date) == [soon.id]
    assert due({"gt": soon.due_date}) == [later.id]
    assert due({"gte": soon.due_date, "lte": later.due_date}) == [later.id, soon.id]
    assert due({"lt": soon.due_date}) == []
