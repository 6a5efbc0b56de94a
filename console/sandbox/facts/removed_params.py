"""Parameters Stripe removed at this API version, and the error it answers when one is sent.

An unknown parameter gets ``parameter_unknown``; a parameter that this API version took away
gets its own code naming what replaces it, and the sandbox must answer the same, since clients
written against an older version send it. Each entry cites Stripe's changelog.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

JSON = dict[str, Any]

# The schema key under which an operation's removed parameters travel to validation.py.
REMOVED_KEY = "x-sandbox-removed"

# Stripe's changelog, endive 2026-09-30, "Removes the payment method types parameter from
# Payment Intents and Setup Intents": create, update and confirm of Payment Intents, create and
# update of Setup Intents answer 400 with code `payment_method_types_no_longer_supported`.
# The changelog gives the code, not the message; the message is ours and names the
# replacements it recommends.
_PAYMENT_METHOD_TYPES: JSON = {
    "code": "payment_method_types_no_longer_supported",
    "message": (
        "payment_method_types is no longer supported on this API version (2026-09-30.endive "
        "and later). Use dynamic payment methods, or allowed_payment_method_types to limit "
        "the payment method types (excluded_payment_method_types to leave some out)."
    ),
}

REMOVED: Mapping[str, Mapping[str, JSON]] = {
    operation: {"payment_method_types": _PAYMENT_METHOD_TYPES}
    for operation in (
        "PostPaymentIntents",
        "PostPaymentIntentsIntent",
        "PostPaymentIntentsIntentConfirm",
        "PostSetupIntents",
        "PostSetupIntentsIntent",
    )
}


def with_removed_params(operation_id: str, params_schema: JSON) -> JSON:
    """The schema, carrying the operation's removed parameters (if any) for validation."""
    removed = REMOVED.get(operation_id)
    if not removed:
        return params_schema
    return {**params_schema, REMOVED_KEY: dict(removed)}
