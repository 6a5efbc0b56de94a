"""Pending invoice items: prorations stored for the customer's next invoice, and which invoice
takes which (``invoice_items.create_pending_items``, ``pending_for``)."""

from __future__ import annotations

from console.sandbox.billing import invoice_items, prorations
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from tests.unit.sandbox.billing import builders


def _line(price: JSON, amount: int, item_id: str = "si_1") -> prorations.ProrationLine:
    return prorations.ProrationLine(
        item_id=item_id,
        price=price,
        quantity=1,
        amount=amount,
        currency="usd",
        description=f"{amount}",
        period_start=100,
        period_end=200,
    )


def _subscription(ctx: Context) -> tuple[JSON, JSON]:
    owner = builders.customer(ctx, payment_method="pm_card_visa")
    return owner, builders.subscribe(ctx, owner, builders.price(ctx, 1000))


def test_proration_lines_become_pending_items_tied_to_the_subscription(ctx: Context) -> None:
    owner, sub = _subscription(ctx)
    price = builders.price(ctx, 2000)

    made = invoice_items.create_pending_items(ctx, sub, [_line(price, -500), _line(price, 1000)])

    assert [(i["amount"], i["proration"], i["invoice"]) for i in made] == [
        (-500, True, None),
        (1000, True, None),
    ]
    assert all(i["customer"] == owner["id"] for i in made)
    assert all(i["period"] == {"start": 100, "end": 200} for i in made)
    assert {i["parent"]["subscription_details"]["subscription"] for i in made} == {sub["id"]}
    assert [i["pricing"]["price_details"]["price"] for i in made] == [price["id"]] * 2
    created = [e["data"]["object"]["id"] for e in ctx.events if e["type"] == "invoiceitem.created"]
    assert created == [i["id"] for i in made]


def test_a_subscription_s_invoice_takes_its_own_and_untied_items_oldest_first(
    ctx: Context,
) -> None:
    owner, sub = _subscription(ctx)
    other = builders.subscribe(ctx, owner, builders.price(ctx, 3000))
    price = builders.price(ctx, 2000)
    mine = invoice_items.create_pending_items(ctx, sub, [_line(price, 100)])
    theirs = invoice_items.create_pending_items(ctx, other, [_line(price, 200)])
    untied = invoice_items.create_pending(
        ctx,
        owner["id"],
        amount=300,
        currency="usd",
        description="Setup",
        price=None,
        quantity=1,
        period_start=100,
        period_end=100,
        proration=False,
        subscription=None,
        subscription_item=None,
    )

    for_sub = invoice_items.pending_for(ctx, owner["id"], subscription=sub["id"])
    for_any = invoice_items.pending_for(ctx, owner["id"], subscription=None)

    assert [i["id"] for i in for_sub] == [mine[0]["id"], untied["id"]]
    assert [i["id"] for i in for_any] == [mine[0]["id"], theirs[0]["id"], untied["id"]]
