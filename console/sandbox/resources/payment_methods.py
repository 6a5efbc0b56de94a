"""PaymentMethods: create (cards, bank debits, wallets), attach, detach, update, list.

Every type the spec allows can be created. The portal's twelve types get their
details validated the way Stripe validates them (card numbers with Luhn and expiry,
IBAN check digits, ABA routing checksums, sort codes, BSBs, CPF/CNPJ...); the
other types are accepted generically, their sub-object shaped by the schema with
what was sent.

Stripe's test tokens (``pm_card_visa``, ``pm_card_chargeDeclined``,
``pm_usBankAccount_success``...) are accepted wherever a PaymentMethod id is, and
each use makes a fresh PaymentMethod, as on Stripe.

A PaymentMethod attached to a customer is stored with ``parent=<customer id>``.
Hidden fields: ``_attach_error`` / ``_charge_error`` (how the test details fail),
``_authentication`` (3DS test cards), ``_spent`` (detached, or used once without a
customer: Stripe refuses to attach it again), ``_set_up`` (saved through a
SetupIntent), ``_verified`` (bank account verified).
"""

from __future__ import annotations

import calendar
import copy
import time
from typing import Any

from console.sandbox.facts import testcards
from console.sandbox.facts.errors import StripeError, invalid, missing_param, no_such
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON, load_document
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation
from resources import load_json

# The types the customer portal can manage (product spec; stored once in resources/).
PORTAL_TYPES: frozenset[str] = frozenset(
    entry["type"]
    for entry in load_json("stripe", "portal-payment-methods.json")["portal_payment_methods"]
)

ADDRESS_KEYS = ("city", "country", "line1", "line2", "postal_code", "state")

# Billing details Stripe insists on, per type, before it will make the PaymentMethod.
REQUIRED_BILLING: dict[str, tuple[str, ...]] = {
    "sepa_debit": ("name", "email"),
    "bacs_debit": ("name", "email", "address.line1", "address.postal_code", "address.country"),
    "au_becs_debit": ("name", "email"),
    "acss_debit": ("name", "email"),
    "nz_bank_account": ("name", "email"),
    "us_bank_account": ("name",),
    "boleto": (
        "name",
        "email",
        "address.line1",
        "address.city",
        "address.state",
        "address.postal_code",
        "address.country",
    ),
}

IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip

# Where the bank and branch codes sit in a country's BBAN: (bank start, end, branch end).
IBAN_CODES = {
    "DE": (0, 8, 8), "AT": (0, 5, 5), "FR": (0, 5, 10), "ES": (0, 4, 8), "NL": (0, 4, 4),
    "BE": (0, 3, 3), "IT": (1, 6, 11), "IE": (0, 4, 10), "PT": (0, 4, 8), "LU": (0, 3, 3),
    "FI": (0, 3, 3), "GB": (0, 4, 10),
}  # fmt: skip

NZ_BANKS = {
    "01": "ANZ Bank New Zealand",
    "02": "Bank of New Zealand",
    "03": "Westpac",
    "06": "ANZ Bank New Zealand",
    "11": "Test Bank",
    "12": "ASB Bank",
    "38": "Kiwibank",
}


# -- small validators ------------------------------------------------------------------


def _digits(value: str, *, strip: str = " -") -> str:
    for char in strip:
        value = value.replace(char, "")
    return value


def iban_ok(iban: str) -> bool:
    country = iban[:2]
    if IBAN_LENGTHS.get(country) != len(iban) or not iban[2:4].isdigit():
        return False
    if not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def aba_ok(routing: str) -> bool:
    if len(routing) != 9 or not routing.isdigit():
        return False
    d = [int(c) for c in routing]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return total % 10 == 0


def _brazil_check_digits(body: str, weights: list[int]) -> int:
    remainder = sum(int(c) * w for c, w in zip(body, weights, strict=False)) % 11
    return 0 if remainder < 2 else 11 - remainder


def cpf_ok(digits: str) -> bool:
    if len(digits) != 11 or not digits.isdigit():
        return False
    first = _brazil_check_digits(digits[:9], list(range(10, 1, -1)))
    second = _brazil_check_digits(digits[:10], list(range(11, 1, -1)))
    return digits[9:] == f"{first}{second}"


def cnpj_ok(digits: str) -> bool:
    if len(digits) != 14 or not digits.isdigit():
        return False
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _brazil_check_digits(digits[:12], weights)
    second = _brazil_check_digits(digits[:13], [6, *weights])
    return digits[12:] == f"{first}{second}"


def _bad(message: str, param: str, code: str = "payment_method_invalid_parameter") -> StripeError:
    return invalid(message, param=param, code=code)


def card_error(failure: JSON, **extra: Any) -> StripeError:
    """The 402 Stripe answers for a declined card or a failed debit."""
    body = {k: v for k, v in failure.items() if k not in ("message", "code", "param")}
    body = {k: v for k, v in body.items() if v is not None}
    return StripeError(
        failure["message"],
        status=402,
        type="card_error",
        code=failure["code"],
        param=failure.get("param"),
        **body,
        **extra,
    )


# -- billing details --------------------------------------------------------------------


def _empty_billing() -> JSON:
    return {
        "address": dict.fromkeys(ADDRESS_KEYS),
        "email": None,
        "name": None,
        "phone": None,
        "tax_id": None,
    }


def _apply_billing(billing: JSON, value: Any) -> None:
    if not isinstance(value, dict):
        return
    if "address" in value:
        address = value["address"]
        if address == "":
            billing["address"] = dict.fromkeys(ADDRESS_KEYS)
        else:
            for key in ADDRESS_KEYS:
                if key in address:
                    billing["address"][key] = address[key] or None
    for key in ("email", "name", "phone", "tax_id"):
        if key in value:
            billing[key] = value[key] or None


def _require_billing(type_: str, billing: JSON) -> None:
    for path in REQUIRED_BILLING.get(type_, ()):
        head, _, tail = path.partition(".")
        present = billing[head][tail] if tail else billing[head]
        if not present:
            bracketed = f"billing_details[{head}]" + (f"[{tail}]" if tail else "")
            raise missing_param(bracketed)


# -- per-type details -------------------------------------------------------------------


def _expiry(ctx: Context, month: Any, year: Any, *, prefix: str) -> tuple[int, int]:
    if month is None:
        raise missing_param(f"{prefix}[exp_month]")
    if year is None:
        raise missing_param(f"{prefix}[exp_year]")
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        raise card_error(
            {
                "code": "invalid_expiry_month",
                "message": "Your card's expiration month is invalid.",
                "param": f"{prefix}[exp_month]",
            }
        )
    now = time.gmtime(ctx.now())
    if year < now.tm_year or year > now.tm_year + 50:
        raise card_error(
            {
                "code": "invalid_expiry_year",
                "message": "Your card's expiration year is invalid.",
                "param": f"{prefix}[exp_year]",
            }
        )
    if year == now.tm_year and month < now.tm_mon:
        raise card_error(
            {
                "code": "invalid_expiry_month",
                "message": "Your card's expiration month is invalid.",
                "param": f"{prefix}[exp_month]",
            }
        )
    return month, year


def card_details(
    ctx: Context, number: str, exp_month: int, exp_year: int, cvc: str | None, billing: JSON
) -> tuple[JSON, JSON]:
    """The ``card`` sub-object and the hidden behaviour of a (valid) card number."""
    brand, display, network = testcards.brand_of(number)
    behaviour = testcards.behaviour_of(number)
    address = billing["address"]
    card = {
        "brand": brand,
        "checks": {
            "address_line1_check": "unchecked" if address.get("line1") else None,
            "address_postal_code_check": "unchecked" if address.get("postal_code") else None,
            "cvc_check": "unchecked" if cvc else None,
        },
        "country": behaviour.country,
        "display_brand": display,
        "exp_month": exp_month,
        "exp_year": exp_year,
        "fingerprint": testcards.fingerprint(ctx.account, "card", number),
        "funding": behaviour.funding,
        "generated_from": None,
        "last4": number[-4:],
        "networks": {"available": [network], "preferred": None},
        "regulated_status": "unregulated",
        "three_d_secure_usage": {"supported": brand != "amex"},
        "wallet": None,
    }
    hidden = {
        "_attach_error": behaviour.attach_error,
        "_charge_error": behaviour.charge_error,
        "_authentication": behaviour.authentication,
        "_cvc_result": behaviour.cvc_check,
    }
    return card, hidden


def _card(ctx: Context, value: Any, billing: JSON) -> tuple[JSON, JSON]:
    if not isinstance(value, dict) or not value:
        raise missing_param("card")
    token = value.get("token")
    if token:
        if "number" in value:
            raise invalid("You cannot pass both card[token] and card[number].", param="card[token]")
        number = testcards.TOK_CARD_TOKENS.get(token)
        if number is None:
            raise no_such("token", token, param="card[token]")
        month, year = _token_expiry(ctx)
        return card_details(ctx, number, month, year, "123", billing)
    raw = value.get("number")
    if raw is None:
        raise missing_param("card[number]")
    number = _digits(str(raw))
    if not number.isdigit() or not testcards.card_length_ok(number):
        raise card_error(
            {
                "code": "invalid_number",
                "message": "Your card number is invalid.",
                "param": "card[number]",
            }
        )
    if not testcards.luhn_ok(number):
        raise card_error(
            {
                "code": "incorrect_number",
                "message": "Your card number is incorrect.",
                "param": "card[number]",
            }
        )
    month, year = _expiry(ctx, value.get("exp_month"), value.get("exp_year"), prefix="card")
    cvc = value.get("cvc")
    if cvc is not None:
        wanted = 4 if testcards.brand_of(number)[0] == "amex" else 3
        if not (cvc.isdigit() and len(cvc) == wanted):
            raise card_error(
                {
                    "code": "invalid_cvc",
                    "message": "Your card's security code is invalid.",
                    "param": "card[cvc]",
                }
            )
    card, hidden = card_details(ctx, number, month, year, cvc, billing)
    preferred = (value.get("networks") or {}).get("preferred")
    if preferred:
        card["networks"]["preferred"] = preferred
    return card, hidden


def _token_expiry(ctx: Context) -> tuple[int, int]:
    """Stripe's test tokens expire a year from now, in the current month."""
    now = time.gmtime(ctx.now())
    return now.tm_mon, now.tm_year + 1


def _sepa_debit(ctx: Context, value: JSON) -> tuple[JSON, JSON]:
    iban = _digits(str(value["iban"])).upper()
    if not iban_ok(iban):
        raise _bad(f"The IBAN you provided ({value['iban']}) is invalid.", "sepa_debit[iban]")
    country = iban[:2]
    bban = iban[4:]
    start, bank_end, branch_end = IBAN_CODES.get(country, (0, 4, 4))
    details = {
        "bank_code": bban[start:bank_end] or None,
        "branch_code": bban[bank_end:branch_end] or None,
        "country": country,
        "fingerprint": testcards.fingerprint(ctx.account, "iban", iban),
        "generated_from": {"charge": None, "setup_attempt": None},
        "last4": iban[-4:],
    }
    return details, {}


def _bacs_debit(ctx: Context, value: JSON) -> tuple[JSON, JSON]:
    if "sort_code" not in value:
        raise missing_param("bacs_debit[sort_code]")
    if "account_number" not in value:
        raise missing_param("bacs_debit[account_number]")
    sort_code = _digits(str(value["sort_code"]))
    account = _digits(str(value["account_number"]))
    if len(sort_code) != 6 or not sort_code.isdigit():
        raise _bad(
            "Invalid sort code: it must be 6 digits.",
            "bacs_debit[sort_code]",
            "routing_number_invalid",
        )
    if len(account) != 8 or not account.isdigit():
        raise _bad(
            "Invalid account number: it must be 8 digits.",
            "bacs_debit[account_number]",
            "account_number_invalid",
        )
    details = {
        "fingerprint": testcards.fingerprint(ctx.account, "bacs", sort_code, account),
        "last4": account[-4:],
        "sort_code": sort_code,
    }
    return details, {}


def _au_becs_debit(ctx: Context, value: JSON) -> tuple[JSON, JSON]:
    bsb = _digits(str(value["bsb_number"]))
    account = _digits(str(value["account_number"]))
    if len(bsb) != 6 or not bsb.isdigit():
        raise _bad(
            "Invalid BSB number: it must be 6 digits.",
            "au_becs_debit[bsb_number]",
            "routing_number_invalid",
        )
    if not (5 <= len(account) <= 9) or not account.isdigit():
        raise _bad(
            "Invalid account number: it must be 5 to 9 digits.",
            "au_becs_debit[account_number]",
            "account_number_invalid",
        )
    details = {
        "bsb_number": bsb,
        "fingerprint": testcards.fingerprint(ctx.account, "becs", bsb, account),
        "last4": account[-4:],
    }
    return details, {}


def _acss_debit(ctx: Context, value: JSON) -> tuple[JSON, JSON]:
    institution = _digits(str(value["institution_number"]))
    transit = _digits(str(value["transit_number"]))
    account = _digits(str(value["account_number"]))
    if len(institution) != 3 or not institution.isdigit():
        raise _bad(
            "Invalid institution number: it must be 3 digits.",
            "acss_debit[institution_number]",
            "routing_number_invalid",
        )
    if len(transit) != 5 or not transit.isdigit():
        raise _bad(
            "Invalid transit number: it must be 5 digits.",
            "acss_debit[transit_number]",
            "routing_number_invalid",
        )
    if not (7 <= len(account) <= 12) or not account.isdigit():
        raise _bad(
            "Invalid account number: it must be 7 to 12 digits.",
            "acss_debit[account_number]",
            "account_number_invalid",
        )
    details = {
        "bank_name": "STRIPE TEST BANK",
        "fingerprint": testcards.fingerprint(ctx.account, "acss", institution, transit, account),
        "institution_number": institution,
        "last4": account[-4:],
        "transit_number": transit,
    }
    return details, {}


def _us_bank_account(ctx: Context, value: JSON) -> tuple[JSON, JSON]:
    if value.get("financial_connections_account"):
        raise _bad(
            "The sandbox does not simulate Financial Connections; pass "
            "us_bank_account[routing_number] and us_bank_account[account_number] instead.",
            "us_bank_account[financial_connections_account]",
        )
    if "routing_number" not in value:
        raise missing_param("us_bank_account[routing_number]")
    if "account_number" not in value:
        raise missing_param("us_bank_account[account_number]")
    routing = _digits(str(value["routing_number"]))
    account = _digits(str(value["account_number"]))
    if not aba_ok(routing):
        raise _bad(
            f"Invalid routing number: {value['routing_number']}",
            "us_bank_account[routing_number]",
            "routing_number_invalid",
        )
    if not (4 <= len(account) <= 17) or not account.isdigit():
        raise _bad(
            "Invalid account number: it must be 4 to 17 digits.",
            "us_bank_account[account_number]",
            "account_number_invalid",
        )
    return _us_bank_details(ctx, routing, account, value)


def _us_bank_details(ctx: Context, routing: str, account: str, value: JSON) -> tuple[JSON, JSON]:
    test = testcards.US_BANK_ACCOUNTS.get(account) if routing == "110000000" else None
    details = {
        "account_holder_type": value.get("account_holder_type"),
        "account_type": value.get("account_type") or "checking",
        "bank_name": "STRIPE TEST BANK",
        "financial_connections_account": None,
        "fingerprint": testcards.fingerprint(ctx.account, "ach", routing, account),
        "last4": account[-4:],
        "networks": {"preferred": "ach", "supported": ["ach"]},
        "routing_number": routing,
        "status_details": None,
    }
    return details, {"_charge_error": test.charge_error if test else None}


def _boleto(ctx: Context, value: JSON) -> tuple[JSON, JSON]:
    tax_id = _digits(str(value["tax_id"]), strip=" .-/")
    if not (cpf_ok(tax_id) or cnpj_ok(tax_id)):
        raise _bad(
            "Invalid boleto[tax_id]: it must be a valid CPF (11 digits) or CNPJ (14 digits).",
            "boleto[tax_id]",
        )
    return {"tax_id": tax_id}, {}


def _nz_bank_account(ctx: Context, value: JSON) -> tuple[JSON, JSON]:
    checks = (
        ("bank_code", 2, 2),
        ("branch_code", 4, 4),
        ("account_number", 7, 8),
        ("suffix", 2, 4),
    )
    cleaned: dict[str, str] = {}
    for key, low, high in checks:
        text = _digits(str(value[key]))
        if not (low <= len(text) <= high) or not text.isdigit():
            size = f"{low}" if low == high else f"{low} to {high}"
            raise _bad(
                f"Invalid {key.replace('_', ' ')}: it must be {size} digits.",
                f"nz_bank_account[{key}]",
                "account_number_invalid" if key == "account_number" else "routing_number_invalid",
            )
        cleaned[key] = text
    details = {
        "account_holder_name": value.get("account_holder_name"),
        "bank_code": cleaned["bank_code"],
        "bank_name": NZ_BANKS.get(cleaned["bank_code"], "Test Bank"),
        "branch_code": cleaned["branch_code"],
        "last4": cleaned["account_number"][-4:],
        "suffix": cleaned["suffix"],
    }
    return details, {}


def _generic(type_: str, value: Any) -> JSON:
    """A type without special rules: the schema's fields, filled from what was sent."""
    schema = load_document()["components"]["schemas"]["payment_method"]["properties"][type_]
    sent = value if isinstance(value, dict) else {}
    return {key: sent.get(key) for key in (schema.get("properties") or {})}


def type_details(ctx: Context, type_: str, params: JSON, billing: JSON) -> tuple[JSON, JSON]:
    value = params.get(type_)
    if type_ == "card":
        return _card(ctx, value, billing)
    builders = {
        "sepa_debit": _sepa_debit,
        "bacs_debit": _bacs_debit,
        "au_becs_debit": _au_becs_debit,
        "acss_debit": _acss_debit,
        "us_bank_account": _us_bank_account,
        "boleto": _boleto,
        "nz_bank_account": _nz_bank_account,
    }
    builder = builders.get(type_)
    if builder is not None:
        if not isinstance(value, dict):
            raise missing_param(type_)
        return builder(ctx, value)
    if type_ == "link":
        return {"email": billing["email"], "persistent_token": None}, {}
    return _generic(type_, value), {}


# -- the object -------------------------------------------------------------------------


def new_payment_method(
    ctx: Context, type_: str, details: JSON, hidden: JSON, billing: JSON
) -> JSON:
    pm: JSON = {
        "id": ctx.new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": billing,
        type_: details,
        "created": ctx.now(),
        "customer": None,
        "customer_account": None,
        "livemode": False,
        "metadata": {},
        "type": type_,
    }
    pm.update(hidden)
    return pm


def from_params(ctx: Context, params: JSON) -> JSON:
    type_ = params.get("type")
    if not type_:
        raise missing_param("type")
    for key, value in params.items():
        if isinstance(value, dict) and key not in (type_, "billing_details", "metadata"):
            if key in ("radar_options",):
                continue
            raise invalid(
                f"You passed `{key}` details, but the PaymentMethod's type is `{type_}`.",
                param=key,
            )
    billing = _empty_billing()
    _apply_billing(billing, params.get("billing_details"))
    _require_billing(type_, billing)
    details, hidden = type_details(ctx, type_, params, billing)
    pm = new_payment_method(ctx, type_, details, hidden, billing)
    if "metadata" in params:
        pm["metadata"] = metadata(None, params["metadata"])
    if params.get("allow_redisplay"):
        pm["allow_redisplay"] = params["allow_redisplay"]
    return pm


def _from_token(ctx: Context, token: str) -> JSON | None:
    """A fresh PaymentMethod for one of Stripe's ``pm_`` test tokens, or None."""
    number = testcards.PM_CARD_TOKENS.get(token)
    if number is not None:
        month, year = _token_expiry(ctx)
        billing = _empty_billing()
        card, hidden = card_details(ctx, number, month, year, "123", billing)
        return new_payment_method(ctx, "card", card, hidden, billing)
    bank = testcards.US_BANK_TOKENS.get(token)
    if bank is not None:
        billing = _empty_billing()
        billing["name"] = "Jenny Rosen"
        details, hidden = _us_bank_details(
            ctx,
            testcards.TEST_ROUTING_NUMBER,
            bank.account_number,
            {"account_holder_type": "individual"},
        )
        hidden["_verified"] = True
        return new_payment_method(ctx, "us_bank_account", details, hidden, billing)
    return None


def resolve(ctx: Context, pm_id: str, *, param: str) -> JSON:
    """The PaymentMethod named by an id or a test token (a token makes a new one)."""
    made = _from_token(ctx, pm_id)
    if made is not None:
        return ctx.insert(made)
    return ctx.fetch("payment_method", pm_id, param=param, kind="PaymentMethod")


def _reparent(ctx: Context, pm: JSON, parent: str | None) -> None:
    # ``parent`` is an indexed column (per-customer lists), which ``save`` leaves alone.
    ctx.store.set_parent(pm["id"], parent)
    ctx.save(pm)


def _checks_after_validation(pm: JSON) -> None:
    """Attaching runs the card's checks: what was ``unchecked`` now passes (or fails)."""
    card = pm.get("card")
    if not card:
        return
    checks = card["checks"]
    for key in ("address_line1_check", "address_postal_code_check"):
        if checks.get(key) == "unchecked":
            checks[key] = "pass"
    if checks.get("cvc_check") == "unchecked":
        checks["cvc_check"] = pm.get("_cvc_result") or "pass"


def validation_error(pm: JSON) -> JSON | None:
    """How saving this PaymentMethod fails (Stripe validates cards on attach), if it does."""
    failure = pm.get("_attach_error")
    return dict(failure) if failure else None


def charge_outcome(pm: JSON) -> JSON | None:
    """None if charging this PaymentMethod succeeds, else Stripe's error fields for it."""
    failure = pm.get("_attach_error") or pm.get("_charge_error")
    if failure is None:
        authentication = pm.get("_authentication")
        if authentication == "always" or (
            authentication == "unless_setup" and not pm.get("_set_up")
        ):
            failure = testcards.AUTHENTICATION_REQUIRED
    if failure is None:
        return None
    return {k: v for k, v in failure.items() if k != "param"}


def mark_attached(ctx: Context, pm: JSON, customer_id: str) -> None:
    _checks_after_validation(pm)
    pm["customer"] = customer_id
    _reparent(ctx, pm, customer_id)
    ctx.emit("payment_method.attached", pm)


def ensure_attachable(pm: JSON, customer_id: str, *, param: str) -> None:
    owner = pm.get("customer")
    if owner and owner != customer_id:
        raise invalid(
            "The payment method you provided has already been attached to a customer.",
            param=param,
        )
    if pm.get("_spent"):
        raise invalid(
            "This PaymentMethod was previously used without being attached to a Customer or "
            "was detached from a Customer, and may not be used again.",
            param=param,
        )


def attach_to_customer(ctx: Context, pm_id: str, customer: JSON, *, param: str) -> JSON:
    pm = resolve(ctx, pm_id, param=param)
    if pm.get("customer") == customer["id"]:
        return pm
    ensure_attachable(pm, customer["id"], param=param)
    failure = validation_error(pm)
    if failure is not None:
        raise card_error(failure)
    mark_attached(ctx, pm, customer["id"])
    return pm


def detach_from_customer(ctx: Context, pm: JSON) -> JSON:
    customer_id = pm.get("customer")
    before = snapshot(pm)
    pm["customer"] = None
    pm["_spent"] = True
    _reparent(ctx, pm, None)
    ctx.emit("payment_method.detached", pm, changed(before, pm))
    customer = ctx.find(customer_id) if customer_id else None
    if customer is not None and customer.get("object") == "customer":
        customer_before = snapshot(customer)
        if customer["invoice_settings"].get("default_payment_method") == pm["id"]:
            customer["invoice_settings"]["default_payment_method"] = None
        if customer.get("default_source") == pm["id"]:  # a card added with ``source``
            customer["default_source"] = None
        previous = changed(customer_before, customer)
        if previous:
            ctx.save(customer)
            ctx.emit("customer.updated", customer, previous)
    return pm


# -- handlers ---------------------------------------------------------------------------


@operation("PostPaymentMethods")
def create(ctx: Context, params: JSON) -> JSON:
    source_id = params.get("payment_method")
    if source_id:
        return _clone(ctx, source_id, params)
    if params.get("customer"):
        raise invalid(
            "You can only pass `customer` together with `payment_method`, to share a "
            "customer's PaymentMethod with a connected account.",
            param="customer",
        )
    pm = from_params(ctx, params)
    return ctx.insert(pm)


def _clone(ctx: Context, source_id: str, params: JSON) -> JSON:
    """Connect: copy a platform PaymentMethod (optionally a customer's) into this account."""
    source = ctx.store.get(source_id, account=ctx.platform)
    if source is None or source.get("object") != "payment_method":
        raise no_such("PaymentMethod", source_id, param="payment_method")
    customer = params.get("customer")
    if customer and source.get("customer") != customer:
        raise invalid(
            f"The PaymentMethod {source_id} does not belong to the Customer {customer}.",
            param="payment_method",
        )
    if source.get("customer") and not customer:
        raise missing_param("customer")
    clone = copy.deepcopy(source)
    clone.update(id=ctx.new_id("pm"), created=ctx.now(), customer=None, metadata={})
    clone.pop("_spent", None)
    if "metadata" in params:
        clone["metadata"] = metadata(None, params["metadata"])
    return ctx.insert(clone)


@operation("GetPaymentMethodsPaymentMethod")
def retrieve(ctx: Context, params: JSON, payment_method: str) -> JSON:
    return resolve(ctx, payment_method, param="payment_method")


@operation("PostPaymentMethodsPaymentMethod")
def update(ctx: Context, params: JSON, payment_method: str) -> JSON:
    pm = ctx.fetch("payment_method", payment_method, param="payment_method", kind="PaymentMethod")
    if not pm.get("customer"):
        raise invalid(
            "You must save this PaymentMethod to a customer before you can update it.",
            param="payment_method",
        )
    before = snapshot(pm)
    if "billing_details" in params:
        _apply_billing(pm["billing_details"], params["billing_details"])
    if "card" in params:
        _update_card(ctx, pm, params["card"])
    if "us_bank_account" in params:
        if pm["type"] != "us_bank_account":
            raise invalid(
                f"You cannot update us_bank_account details of a `{pm['type']}` PaymentMethod.",
                param="us_bank_account",
            )
        for key in ("account_holder_type", "account_type"):
            if params["us_bank_account"].get(key):
                pm["us_bank_account"][key] = params["us_bank_account"][key]
    if "metadata" in params:
        pm["metadata"] = metadata(pm.get("metadata"), params["metadata"])
    if params.get("allow_redisplay"):
        pm["allow_redisplay"] = params["allow_redisplay"]
    ctx.save(pm)
    previous = changed(before, pm)
    if previous:
        ctx.emit("payment_method.updated", pm, previous)
    return pm


def _update_card(ctx: Context, pm: JSON, value: JSON) -> None:
    if pm["type"] != "card":
        raise invalid(
            f"You cannot update card details of a `{pm['type']}` PaymentMethod.", param="card"
        )
    card = pm["card"]
    if "exp_month" in value or "exp_year" in value:
        month, year = _expiry(
            ctx,
            value.get("exp_month", card["exp_month"]),
            value.get("exp_year", card["exp_year"]),
            prefix="card",
        )
        card["exp_month"], card["exp_year"] = month, year
    networks = value.get("networks")
    if isinstance(networks, dict) and "preferred" in networks:
        card["networks"]["preferred"] = networks["preferred"] or None


@operation("PostPaymentMethodsPaymentMethodAttach")
def attach(ctx: Context, params: JSON, payment_method: str) -> JSON:
    customer_id = params.get("customer")
    if not customer_id:
        if params.get("customer_account"):
            raise invalid(
                "The sandbox keeps customers as Customer objects; pass `customer`.",
                param="customer_account",
            )
        raise missing_param("customer")
    customer = ctx.fetch("customer", customer_id, param="customer")
    return attach_to_customer(ctx, payment_method, customer, param="payment_method")


@operation("PostPaymentMethodsPaymentMethodDetach")
def detach(ctx: Context, params: JSON, payment_method: str) -> JSON:
    pm = ctx.fetch("payment_method", payment_method, param="payment_method", kind="PaymentMethod")
    if not pm.get("customer"):
        raise invalid(
            "The payment method you provided is not attached to a customer so detachment is "
            "impossible.",
            param="payment_method",
        )
    return detach_from_customer(ctx, pm)


def _filters(params: JSON) -> list[tuple[str, Any]]:
    where: list[tuple[str, Any]] = []
    if params.get("type"):
        where.append(("$.type", params["type"]))
    if params.get("allow_redisplay"):
        where.append(("$.allow_redisplay", params["allow_redisplay"]))
    return where


@operation("GetPaymentMethods")
def list_payment_methods(ctx: Context, params: JSON) -> JSON:
    customer = params.get("customer")
    if customer:
        ctx.fetch("customer", customer, param="customer")
    return list_objects(
        ctx,
        params,
        object_type="payment_method",
        url="/v1/payment_methods",
        parent=customer or None,
        where=_filters(params),
    )


@operation("GetCustomersCustomerPaymentMethods")
def list_for_customer(ctx: Context, params: JSON, customer: str) -> JSON:
    ctx.fetch("customer", customer, param="customer")
    return list_objects(
        ctx,
        params,
        object_type="payment_method",
        url=f"/v1/customers/{customer}/payment_methods",
        parent=customer,
        where=_filters(params),
    )


@operation("GetCustomersCustomerPaymentMethodsPaymentMethod")
def retrieve_for_customer(ctx: Context, params: JSON, customer: str, payment_method: str) -> JSON:
    ctx.fetch("customer", customer, param="customer")
    pm = ctx.fetch("payment_method", payment_method, param="payment_method", kind="PaymentMethod")
    if pm.get("customer") != customer:
        raise no_such("PaymentMethod", payment_method, param="payment_method")
    return pm


def expiry_passed(pm: JSON, now: int) -> bool:
    """True once the card's expiry month is over (at the sandbox clock)."""
    card = pm.get("card")
    if not card:
        return False
    last_day = calendar.monthrange(card["exp_year"], card["exp_month"])[1]
    end = calendar.timegm((card["exp_year"], card["exp_month"], last_day, 23, 59, 59))
    return now > end
