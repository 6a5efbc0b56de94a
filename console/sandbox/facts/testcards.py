"""Stripe's test-mode payment details: card numbers, ``tok_``/``pm_`` tokens, test bank accounts.

Stripe's docs ("Testing") list which number does what; the sandbox reproduces that
table. A card's behaviour is decided once, when the PaymentMethod is made, and kept
on it (never the number itself): whether attaching/setting it up fails, whether
charging it fails, whether it asks for authentication.

Failures are dicts shaped like the ``error`` object Stripe answers with:
``{"code", "decline_code", "message"}`` and, for CVC and expiry, the ``param``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]

DECLINED = "Your card was declined."


def _decline(decline_code: str, message: str = DECLINED) -> JSON:
    return {"code": "card_declined", "decline_code": decline_code, "message": message}


GENERIC_DECLINE = _decline("generic_decline")
INSUFFICIENT_FUNDS = _decline("insufficient_funds", "Your card has insufficient funds.")
LOST_CARD = _decline("lost_card")
STOLEN_CARD = _decline("stolen_card")
VELOCITY = _decline(
    "card_velocity_exceeded",
    "Your card was declined for making repeated attempts too frequently or exceeding its "
    "amount limit.",
)
FRAUDULENT = _decline("fraudulent")
EXPIRED_CARD = {
    "code": "expired_card",
    "decline_code": "expired_card",
    "message": "Your card has expired.",
    "param": "exp_month",
}
INCORRECT_CVC = {
    "code": "incorrect_cvc",
    "decline_code": "incorrect_cvc",
    "message": "Your card's security code is incorrect.",
    "param": "cvc",
}
PROCESSING_ERROR = {
    "code": "processing_error",
    "decline_code": "processing_error",
    "message": "An error occurred while processing your card. Try again in a little bit.",
}
AUTHENTICATION_REQUIRED = {
    "code": "authentication_required",
    "decline_code": "authentication_required",
    "message": "Your card was declined. This transaction requires authentication.",
}


@dataclass(frozen=True)
class CardBehaviour:
    """What Stripe does with one test card."""

    funding: str = "credit"
    country: str = "US"
    # Fails when attached or set up (and therefore when charged too).
    attach_error: JSON | None = None
    # Attaches fine, fails only when charged (4000000000000341).
    charge_error: JSON | None = None
    # "always": every payment needs 3DS; "unless_setup": off-session needs it until set up;
    # "on_session": one-off payments need it, off-session ones succeed.
    authentication: str | None = None
    cvc_check: str = "pass"


_OK = CardBehaviour()

# Card numbers from Stripe's testing page and what they do.
CARDS: dict[str, CardBehaviour] = {
    "4242424242424242": _OK,
    "4000056655665556": CardBehaviour(funding="debit"),
    "5555555555554444": _OK,
    "2223003122003222": _OK,
    "5200828282828210": CardBehaviour(funding="debit"),
    "5105105105105100": CardBehaviour(funding="prepaid"),
    "378282246310005": _OK,
    "371449635398431": _OK,
    "6011111111111117": _OK,
    "6011000990139424": _OK,
    "6011981111111113": CardBehaviour(funding="debit"),
    "3056930009020004": _OK,
    "36227206271667": _OK,
    "3566002020360505": CardBehaviour(country="JP"),
    "6200000000000005": CardBehaviour(country="CN"),
    "6200000000000047": CardBehaviour(funding="debit", country="CN"),
    "6205500000000000004": CardBehaviour(country="CN"),
    "4000000760000002": CardBehaviour(country="BR"),
    "4000001240000000": CardBehaviour(country="CA"),
    "4000004840008001": CardBehaviour(country="MX"),
    "4000000360000006": CardBehaviour(country="AU"),
    "4000002500000003": CardBehaviour(country="FR"),
    "4000002760000016": CardBehaviour(country="DE"),
    "4000008260000000": CardBehaviour(country="GB"),
    "4000003920000003": CardBehaviour(country="JP"),
    "4000000000000077": _OK,
    "4000000000000002": CardBehaviour(attach_error=GENERIC_DECLINE),
    "4000000000009995": CardBehaviour(attach_error=INSUFFICIENT_FUNDS),
    "4000000000009987": CardBehaviour(attach_error=LOST_CARD),
    "4000000000009979": CardBehaviour(attach_error=STOLEN_CARD),
    "4000000000000069": CardBehaviour(attach_error=EXPIRED_CARD),
    "4000000000000127": CardBehaviour(attach_error=INCORRECT_CVC, cvc_check="fail"),
    "4000000000000119": CardBehaviour(attach_error=PROCESSING_ERROR),
    "4000000000006975": CardBehaviour(attach_error=VELOCITY),
    "4100000000000019": CardBehaviour(attach_error=FRAUDULENT),
    "4000000000000341": CardBehaviour(charge_error=GENERIC_DECLINE),
    "4000000000000101": CardBehaviour(cvc_check="fail"),
    "4000002760003184": CardBehaviour(authentication="always", country="DE"),
    "4000002500003155": CardBehaviour(authentication="unless_setup", country="FR"),
    "4000003800000446": CardBehaviour(authentication="on_session", country="GB"),
    "4000000000003220": CardBehaviour(authentication="always"),
}

# ``pm_card_*`` tokens (and the older names Stripe still accepts) -> card number.
PM_CARD_TOKENS: dict[str, str] = {
    "pm_card_visa": "4242424242424242",
    "pm_card_us": "4242424242424242",
    "pm_card_visa_debit": "4000056655665556",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_mastercard_debit": "5200828282828210",
    "pm_card_mastercard_prepaid": "5105105105105100",
    "pm_card_amex": "378282246310005",
    "pm_card_discover": "6011111111111117",
    "pm_card_diners": "3056930009020004",
    "pm_card_jcb": "3566002020360505",
    "pm_card_unionpay": "6200000000000005",
    "pm_card_br": "4000000760000002",
    "pm_card_ca": "4000001240000000",
    "pm_card_mx": "4000004840008001",
    "pm_card_au": "4000000360000006",
    "pm_card_fr": "4000002500000003",
    "pm_card_de": "4000002760000016",
    "pm_card_gb": "4000008260000000",
    "pm_card_jp": "4000003920000003",
    "pm_card_bypassPending": "4000000000000077",
    "pm_card_visa_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_visa_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_visa_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_visa_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_visa_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_visa_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_visa_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_visa_chargeDeclinedVelocityLimitExceeded": "4000000000006975",
    "pm_card_radarBlock": "4100000000000019",
    "pm_card_cvcCheckFail": "4000000000000101",
    "pm_card_chargeCustomerFail": "4000000000000341",
    "pm_card_visa_chargeCustomerFail": "4000000000000341",
    "pm_card_authenticationRequired": "4000002760003184",
    "pm_card_authenticationRequiredOnSetup": "4000002500003155",
    "pm_card_authenticationRequiredSetupForOffSession": "4000003800000446",
    "pm_card_threeDSecure2Required": "4000000000003220",
}

# ``tok_*`` card tokens follow the PaymentMethod names (tok_visa, tok_chargeDeclined...).
TOK_CARD_TOKENS: dict[str, str] = {
    "tok_" + name.removeprefix("pm_card_"): number for name, number in PM_CARD_TOKENS.items()
}


@dataclass(frozen=True)
class BankAccountBehaviour:
    """A US test bank account (routing 110000000) and how its debits end."""

    account_number: str
    charge_error: JSON | None = None


def _bank_failure(code: str, message: str) -> JSON:
    return {"code": code, "decline_code": None, "message": message}


TEST_ROUTING_NUMBER = "110000000"

US_BANK_TOKENS: dict[str, BankAccountBehaviour] = {
    "pm_usBankAccount_success": BankAccountBehaviour("000123456789"),
    "pm_usBankAccount_processing": BankAccountBehaviour("000000000009"),
    "pm_usBankAccount_accountClosed": BankAccountBehaviour(
        "000111111113",
        _bank_failure("account_closed", "The customer's bank account has been closed."),
    ),
    "pm_usBankAccount_noAccount": BankAccountBehaviour(
        "000111111116",
        _bank_failure("no_account", "The customer's bank account could not be located."),
    ),
    "pm_usBankAccount_insufficientFunds": BankAccountBehaviour(
        "000222222227",
        _bank_failure(
            "insufficient_funds",
            "The customer's account has insufficient funds to cover this payment.",
        ),
    ),
    "pm_usBankAccount_debitNotAuthorized": BankAccountBehaviour(
        "000333333335",
        _bank_failure(
            "debit_not_authorized",
            "The customer has notified their bank that this payment was unauthorized.",
        ),
    ),
    "pm_usBankAccount_invalidCurrency": BankAccountBehaviour(
        "000444444440",
        _bank_failure(
            "invalid_currency",
            "The bank was unable to process this payment because of its currency.",
        ),
    ),
}

US_BANK_ACCOUNTS: dict[str, BankAccountBehaviour] = {
    b.account_number: b for b in US_BANK_TOKENS.values()
}


def luhn_ok(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


# (prefixes, brand, display_brand, network) in the order they are tried.
_BRANDS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("34", "37"), "amex", "american_express", "amex"),
    (("4",), "visa", "visa", "visa"),
    (
        tuple(str(p) for p in range(51, 56)) + tuple(str(p) for p in range(2221, 2721)),
        "mastercard",
        "mastercard",
        "mastercard",
    ),
    (("6011", "644", "645", "646", "647", "648", "649", "65"), "discover", "discover", "discover"),
    (
        ("300", "301", "302", "303", "304", "305", "36", "38", "39"),
        "diners",
        "diners_club",
        "diners",
    ),
    (("35",), "jcb", "jcb", "jcb"),
    (("62", "81"), "unionpay", "union_pay", "unionpay"),
)


def brand_of(number: str) -> tuple[str, str, str]:
    """(brand, display_brand, network) from the number's leading digits."""
    for prefixes, brand, display, network in _BRANDS:
        if number.startswith(prefixes):
            return brand, display, network
    return "unknown", "other", "unknown"


def card_length_ok(number: str) -> bool:
    brand = brand_of(number)[0]
    if brand == "amex":
        return len(number) == 15
    if brand == "diners":
        return 14 <= len(number) <= 19
    return 13 <= len(number) <= 19


def behaviour_of(number: str) -> CardBehaviour:
    return CARDS.get(number, _OK)


def fingerprint(account: str, *parts: str) -> str:
    """The same details in the same account give the same fingerprint, as on Stripe."""
    digest = hashlib.sha256("|".join((account, *parts)).encode()).hexdigest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    value = int(digest[:24], 16)
    chars = []
    for _ in range(16):
        value, index = divmod(value, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)
