"""Invoice lines through the stripe library: embedding, paging, adding, updating, removing."""

from __future__ import annotations

import pytest
import stripe

from tests import builders

# -- lines ----------------------------------------------------------------------------------------


def test_lines_embed_ten_and_page_through_the_rest(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    draft = builders.draft(client, customer.id, *range(100, 1300, 100))
    assert len(draft.lines.data) == 10 and draft.lines.has_more is True
    assert draft.total == sum(range(100, 1300, 100))
    every = list(
        client.v1.invoices.line_items.list(draft.id, params={"limit": 5}).auto_paging_iter()
    )
    assert [line.amount for line in every] == list(range(100, 1300, 100))
    rest = client.v1.invoices.line_items.list(
        draft.id, params={"starting_after": every[9].id, "limit": 5}
    )
    assert [line.id for line in rest.data] == [every[10].id, every[11].id]
    assert rest.has_more is False


def test_add_update_and_remove_lines(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    product = client.v1.products.create(params={"name": "Widget"})
    draft = client.v1.invoices.create(params={"customer": customer.id})
    added = client.v1.invoices.add_lines(
        draft.id,
        params={
            "lines": [
                {
                    "price_data": {"product": product.id, "currency": "usd", "unit_amount": 250},
                    "quantity": 3,
                    "description": "Widgets",
                },
                {"amount": 999, "description": "Setup"},
            ]
        },
    )
    assert [line.amount for line in added.lines.data] == [750, 999]
    assert added.total == 1749
    widgets = added.lines.data[0]
    assert widgets.pricing is not None and widgets.pricing.price_details is not None
    assert widgets.pricing.price_details.product == product.id

    updated = client.v1.invoices.update_lines(
        draft.id, params={"lines": [{"id": widgets.id, "quantity": 4}]}
    )
    assert updated.lines.data[0].amount == 1000 and updated.total == 1999
    line = client.v1.invoices.line_items.update(
        draft.id, widgets.id, params={"description": "Four widgets"}
    )
    assert line.description == "Four widgets"

    setup = updated.lines.data[1]
    kept = client.v1.invoices.remove_lines(
        draft.id, params={"lines": [{"id": setup.id, "behavior": "unassign"}]}
    )
    assert [line.id for line in kept.lines.data] == [widgets.id]
    assert kept.total == 1000
    pending = client.v1.invoice_items.list(params={"customer": customer.id, "pending": True})
    assert [item.amount for item in pending.data] == [999]

    updates = builders.event_types(client, draft.id).count("invoice.updated")
    assert updates == 3  # add, update, remove

    final = client.v1.invoices.finalize_invoice(draft.id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.add_lines(final.id, params={"lines": [{"amount": 5}]})
    assert raised.value.code == "invoice_not_editable"
