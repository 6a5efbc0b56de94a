"""The smallest and largest amounts Stripe charges (in each currency's minor unit).

A payment intent below the minimum is refused (``amount_too_small``); an invoice whose amount
due is below it is not charged but moved to the customer's balance (``invoice_too_small``).
"""

from __future__ import annotations

MINIMUM_AMOUNT = {
    "usd": 50, "eur": 50, "gbp": 30, "aud": 50, "cad": 50, "nzd": 50, "brl": 50, "chf": 50,
    "jpy": 50, "sgd": 50, "hkd": 400, "sek": 300, "nok": 300, "dkk": 250, "mxn": 1000,
    "pln": 200, "czk": 1500, "inr": 50,
}  # fmt: skip
# Currencies the table does not list: the usual 0.50 of a two-decimal currency.
DEFAULT_MINIMUM = 50
MAXIMUM_AMOUNT = 99_999_999


def minimum_charge(currency: str) -> int:
    return MINIMUM_AMOUNT.get(currency, DEFAULT_MINIMUM)
