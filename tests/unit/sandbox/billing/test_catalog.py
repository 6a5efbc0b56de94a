"""What a price costs for a quantity (``catalog.amount_for``), as Stripe's pricing docs say.

Prices are made by ``catalog.create_price`` from the parameters of ``POST /v1/prices``, so the
amounts and tiers are stored as the API stores them.
"""

from __future__ import annotations

import pytest

from console.sandbox.billing import catalog
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from tests.unit.sandbox.billing import builders

# Stripe's "Set up tiered pricing" example (Typographic, fonts per month): 1-5 at 7 USD,
# 6-10 at 6.50 USD, 11 and more at 6 USD.
FONT_TIERS: list[JSON] = [
    {"up_to": 5, "unit_amount": 700},
    {"up_to": 10, "unit_amount": 650},
    {"up_to": "inf", "unit_amount": 600},
]

# The same tiers with a flat fee each: "the flat billing amount for an entire tier, regardless of
# the number of units in the tier" (the API reference, ``tiers[].flat_amount``).
FLAT_TIERS: list[JSON] = [
    {"up_to": 5, "unit_amount": 700, "flat_amount": 1000},
    {"up_to": 10, "unit_amount": 650, "flat_amount": 500},
    {"up_to": "inf", "unit_amount": 600, "flat_amount": 0},
]


def _tiered(ctx: Context, mode: str, tiers: list[JSON]) -> JSON:
    return builders.price(
        ctx, None, product_name="Fonts", billing_scheme="tiered", tiers_mode=mode, tiers=tiers
    )


def test_per_unit_is_the_unit_amount_times_the_quantity(ctx: Context) -> None:
    seat = builders.price(ctx, 1250)
    assert catalog.amount_for(seat, 1) == 1250
    assert catalog.amount_for(seat, 4) == 5000
    assert catalog.amount_for(seat, 0) == 0


def test_a_decimal_unit_amount_is_rounded_once_on_the_total(ctx: Context) -> None:
    """``unit_amount_decimal`` is "a decimal value in cents" with up to 12 places: 3 units at
    33.3333 cents cost 99.9999 cents, charged as one dollar (not 3 times 33 cents)."""
    fraction = builders.price(ctx, None, unit_amount_decimal="33.3333")
    assert catalog.amount_for(fraction, 3) == 100
    assert catalog.amount_for(fraction, 1) == 33


@pytest.mark.parametrize(
    ("fonts", "total"),
    # Stripe's table for volume pricing: quantity, unit cost, total monthly cost.
    [(1, 700), (5, 3500), (6, 3900), (20, 12000), (25, 15000)],
)
def test_volume_tiers_price_every_unit_at_the_tier_reached(
    ctx: Context, fonts: int, total: int
) -> None:
    """Stripe: "the entire quantity (or usage) is multiplied by the unit cost of the tier": 6 fonts
    cost 39 USD (6 at 6.50 USD), 20 fonts 120 USD (20 at 6 USD)."""
    assert catalog.amount_for(_tiered(ctx, "volume", FONT_TIERS), fonts) == total


@pytest.mark.parametrize(
    ("fonts", "total"),
    [(1, 700), (5, 3500), (6, 3500 + 650), (10, 3500 + 5 * 650), (12, 3500 + 3250 + 2 * 600)],
)
def test_graduated_tiers_price_each_unit_in_its_own_tier(
    ctx: Context, fonts: int, total: int
) -> None:
    """Stripe: "the quantity is multiplied by the amount for each tier and the totals for each
    tier are summed together": 6 fonts are 5 at 7 USD plus 1 at 6.50 USD."""
    assert catalog.amount_for(_tiered(ctx, "graduated", FONT_TIERS), fonts) == total


def test_graduated_tiers_add_the_flat_fee_of_every_tier_reached(ctx: Context) -> None:
    price = _tiered(ctx, "graduated", FLAT_TIERS)
    assert catalog.amount_for(price, 3) == 3 * 700 + 1000
    # 6 units reach the second tier: both flat fees, 5 units at 7 USD and 1 at 6.50 USD.
    assert catalog.amount_for(price, 6) == 5 * 700 + 1000 + 650 + 500
    assert catalog.amount_for(price, 11) == 5 * 700 + 1000 + 5 * 650 + 500 + 600


def test_volume_tiers_add_only_the_flat_fee_of_the_tier_reached(ctx: Context) -> None:
    price = _tiered(ctx, "volume", FLAT_TIERS)
    assert catalog.amount_for(price, 3) == 3 * 700 + 1000
    assert catalog.amount_for(price, 6) == 6 * 650 + 500
    assert catalog.amount_for(price, 11) == 11 * 600


def test_tiers_with_decimal_amounts(ctx: Context) -> None:
    price = _tiered(
        ctx,
        "volume",
        [
            {"up_to": 1000, "unit_amount_decimal": "0.25"},
            {"up_to": "inf", "unit_amount_decimal": "0.2", "flat_amount_decimal": "99.4"},
        ],
    )
    assert catalog.amount_for(price, 999) == 250  # 249.75 cents
    assert catalog.amount_for(price, 2000) == 499  # 400 cents + 99.4 cents


@pytest.mark.parametrize(
    ("direction", "used", "packages"),
    [("up", 1, 1), ("up", 10, 1), ("up", 11, 2), ("down", 11, 1), ("down", 9, 0), ("down", 20, 2)],
)
def test_transform_quantity_bills_whole_packages(
    ctx: Context, direction: str, used: int, packages: int
) -> None:
    """``transform_quantity``: "divide the reported usage by a specific number and round the
    result up or down" (packs of 10 at 5 USD each here)."""
    pack = builders.price(ctx, 500, transform_quantity={"divide_by": 10, "round": direction})
    assert catalog.amount_for(pack, used) == packages * 500
