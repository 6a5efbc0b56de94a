"""Amounts as people read them: Stripe's integer minor units, formatted by Babel (CLDR).

The core's one money formatter; the window calls it too (it has no Qt).

Stripe counts most currencies in cents but some (JPY, KRW, …) in whole units; that list is a
Stripe fact kept once in resources/. Babel then writes the amount the locale's way
("$1,234.50", "1.234,50 €", "¥1,235").
"""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency

from resources import load_json

_ZERO_DECIMAL = frozenset(
    str(code)
    for code in load_json("stripe", "zero-decimal-currencies.json")["zero_decimal_currencies"]
)
FALLBACK_LOCALE = "en_US"


def major_units(amount: int, currency: str) -> Decimal:
    """Stripe's integer ``amount`` in the currency's main unit (cents to dollars, yen as is)."""
    if currency.lower() in _ZERO_DECIMAL:
        return Decimal(amount)
    return Decimal(amount) / 100


def format_amount(amount: int | None, currency: str, locale: str = FALLBACK_LOCALE) -> str:
    """``amount`` (Stripe minor units) in ``currency`` for ``locale`` ("de_DE"); "—" if None."""
    if amount is None:
        return "—"
    try:
        chosen = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        chosen = Locale.parse(FALLBACK_LOCALE)
    return str(format_currency(major_units(amount, currency), currency.upper(), locale=chosen))
