"""Prorations: what a mid-period change to a subscription's items is worth, and its invoice items.

Stripe credits the unused remainder of the old item and charges the remainder
of the new one, each as its own line ("Unused time on …", "Remaining time on
…"), prorated by the second over the item's current period and rounded to the
currency's minor unit. Where those lines go (pending invoice items, an invoice
now, nowhere) is the ``proration_behavior`` of the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from console.sandbox.billing.periods import remaining_fraction
from console.sandbox.facts.spec import JSON

if TYPE_CHECKING:
    from console.sandbox.state.context import Context

BEHAVIORS = ("create_prorations", "always_invoice", "none")


@dataclass(frozen=True)
class ItemChange:
    """One subscription item before and after a change; ``None`` price = absent on that side."""

    item_id: str
    old_price: JSON | None
    old_quantity: int
    old_amount: int
    new_price: JSON | None
    new_quantity: int
    new_amount: int


@dataclass(frozen=True)
class ProrationLine:
    item_id: str
    price: JSON
    quantity: int
    amount: int
    currency: str
    description: str
    period_start: int
    period_end: int


def rounded(value: float | Decimal) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _day(moment: int) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%d %b %Y")


def _label(ctx: Context, price: JSON, quantity: int) -> str:
    product = ctx.find(str(price.get("product") or ""))
    name = (product or {}).get("name") or price.get("nickname") or price["id"]
    return f"{quantity} × {name}" if quantity != 1 else str(name)  # noqa: RUF001 (Stripe's)


def lines_for(
    ctx: Context, changes: list[ItemChange], *, period_start: int, period_end: int, at: int
) -> list[ProrationLine]:
    """The credit and charge lines for ``changes`` made at ``at`` within one period."""
    fraction = remaining_fraction(period_start, period_end, at)
    if fraction <= 0:
        return []
    lines: list[ProrationLine] = []
    for change in changes:
        same_price = (
            change.old_price is not None
            and change.new_price is not None
            and change.old_price["id"] == change.new_price["id"]
        )
        if same_price and change.old_quantity == change.new_quantity:
            continue
        if _metered(change.old_price) or _metered(change.new_price):
            continue  # usage is billed in arrears: nothing was paid ahead to credit
        if change.old_price is not None and change.old_amount:
            lines.append(
                ProrationLine(
                    item_id=change.item_id,
                    price=change.old_price,
                    quantity=change.old_quantity,
                    amount=-rounded(change.old_amount * fraction),
                    currency=change.old_price["currency"],
                    description=(
                        f"Unused time on {_label(ctx, change.old_price, change.old_quantity)}"
                        f" after {_day(at)}"
                    ),
                    period_start=at,
                    period_end=period_end,
                )
            )
        if change.new_price is not None and change.new_amount:
            lines.append(
                ProrationLine(
                    item_id=change.item_id,
                    price=change.new_price,
                    quantity=change.new_quantity,
                    amount=rounded(change.new_amount * fraction),
                    currency=change.new_price["currency"],
                    description=(
                        f"Remaining time on {_label(ctx, change.new_price, change.new_quantity)}"
                        f" after {_day(at)}"
                    ),
                    period_start=at,
                    period_end=period_end,
                )
            )
    return lines


def _metered(price: JSON | None) -> bool:
    recurring = (price or {}).get("recurring") or {}
    return recurring.get("usage_type") == "metered"


def create_pending_items(
    ctx: Context, subscription: JSON, lines: list[ProrationLine]
) -> list[JSON]:
    """Record ``lines`` as the customer's pending invoice items, tied to the subscription."""
    from console.sandbox.resources import invoiceitems

    made: list[JSON] = []
    for line in lines:
        made.append(
            invoiceitems.create_pending(
                ctx,
                subscription["customer"],
                amount=line.amount,
                currency=line.currency,
                description=line.description,
                price=line.price,
                quantity=line.quantity,
                period_start=line.period_start,
                period_end=line.period_end,
                proration=True,
                subscription=subscription["id"],
                subscription_item=line.item_id,
            )
        )
    return made
