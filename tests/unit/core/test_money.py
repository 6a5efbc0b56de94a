"""Stripe's integer minor units as people read them (console.money)."""

from __future__ import annotations

from decimal import Decimal

from console.money import format_amount, major_units


def test_most_currencies_count_cents_and_zero_decimal_ones_whole_units() -> None:
    assert major_units(1234, "usd") == Decimal("12.34")
    assert major_units(1234, "JPY") == Decimal(1234)


def test_amounts_are_written_the_locales_way() -> None:
    assert format_amount(123450, "usd") == "$1,234.50"
    assert format_amount(1235, "jpy") == "¥1,235"
    assert format_amount(123450, "eur", "de_DE") == "1.234,50\xa0€"


def test_no_amount_and_an_unknown_locale() -> None:
    assert format_amount(None, "usd") == "—"
    assert format_amount(500, "usd", "xx_YY") == "$5.00"
