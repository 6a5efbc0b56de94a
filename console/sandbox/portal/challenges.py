"""Sending a customer from a page where they pay an invoice (the portal's invoice page, the hosted
invoice page) to the 3-D Secure test page, as Stripe's pages authenticate a card on the spot.

An invoice's charge with a card that asks for authentication leaves its PaymentIntent waiting
(``requires_action``); confirmed again on session with the page as ``return_url``, the intent
names the test page (``pages.three_d_secure``), which returns with ``redirect_status``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from console.sandbox.facts.errors import StripeError
from console.sandbox.portal.render import PageLocale


def challenge_url(api: Any, account: str, intent: str, payment_method: str, *,
                  return_url: str, locale: PageLocale) -> str | None:  # fmt: skip
    """The test page's URL for ``intent``, or None when it does not ask for authentication."""
    try:
        confirmed = api.call("PostPaymentIntentsIntentConfirm",
                             {"payment_method": payment_method, "return_url": return_url},
                             scope=account, intent=intent)  # fmt: skip
    except StripeError:
        return None
    action = confirmed.get("next_action") or {}
    if confirmed.get("status") != "requires_action" or "redirect_to_url" not in action:
        return None
    # Our parameter: the test page speaks the paying page's language.
    return f"{action['redirect_to_url']['url']}?{urlencode({'locale': locale.code})}"


def intent_of(error: StripeError) -> str | None:
    """The PaymentIntent a refused invoice payment names, when the card asked for 3-D Secure."""
    if error.code != "authentication_required":
        return None
    intent = error.extra.get("payment_intent") or {}
    return str(intent["id"]) if isinstance(intent, dict) and intent.get("id") else None
