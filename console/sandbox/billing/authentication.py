"""3-D Secure: completing or failing the challenge of an intent that ``requires_action``.

Stripe's test cards that ask for authentication (``4000002760003184``,
``pm_card_authenticationRequired``, ...) leave a PaymentIntent or SetupIntent in
``requires_action`` with a ``next_action`` naming a test page where the customer completes or
fails the challenge. The hosted page (``pages.three_d_secure``) calls :func:`complete` or
:func:`fail`:

- completed, a PaymentIntent is charged as it would have been without the challenge
  (``succeeded``, or ``requires_capture`` with manual capture; the charge's
  ``payment_method_details.card.three_d_secure`` says it was authenticated), an invoice waiting
  for it is paid; a SetupIntent succeeds and its PaymentMethod is attached to its customer;
- failed, the intent goes back to ``requires_payment_method`` with Stripe's
  ``payment_intent_authentication_failure`` / ``setup_intent_authentication_failure`` error
  (``payment_intent.payment_failed`` / ``setup_intent.setup_failed``). Stripe makes no charge
  for a failed challenge as far as its docs show; neither does the sandbox.
"""

from __future__ import annotations

from typing import Literal

from console.sandbox.billing import invoicing, payments, setup_attempts
from console.sandbox.facts.spec import JSON
from console.sandbox.state import hidden_fields
from console.sandbox.state.context import Context

Outcome = Literal["complete", "fail"]

# Stripe's messages for a failed challenge (https://docs.stripe.com/error-codes).
PAYMENT_FAILURE = {
    "code": "payment_intent_authentication_failure",
    "message": "The provided PaymentMethod has failed authentication. You can provide "
    "payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
}
SETUP_FAILURE = {
    "code": "setup_intent_authentication_failure",
    "message": "The latest attempt to set up the payment method has failed because "
    "authentication failed.",
}


def awaiting(ctx: Context, intent_id: str) -> JSON | None:
    """The intent behind a test page's URL, if it waits for a 3-D Secure challenge."""
    intent = ctx.find(intent_id)
    if intent is None or intent.get("object") not in ("payment_intent", "setup_intent"):
        return None
    if intent["status"] != "requires_action" or not is_challenge(intent.get("next_action")):
        return None
    return intent


def is_challenge(action: JSON | None) -> bool:
    """Whether ``next_action`` is the 3-D Secure challenge (not microdeposits, say)."""
    if not action:
        return False
    if action.get("type") == "redirect_to_url":
        return True
    sdk = action.get("use_stripe_sdk") or {}
    return action.get("type") == "use_stripe_sdk" and sdk.get("type") == ("three_d_secure_redirect")


def return_url(intent: JSON) -> str | None:
    """Where the customer goes after the challenge: the ``return_url`` given at confirmation."""
    redirect = (intent.get("next_action") or {}).get("redirect_to_url") or {}
    url = redirect.get("return_url")
    return str(url) if url else None


def finish(ctx: Context, intent: JSON, outcome: Outcome) -> None:
    """Complete or fail ``intent``'s challenge (it is :func:`awaiting`)."""
    pm = ctx.fetch("payment_method", str(intent["payment_method"]), param="payment_method")
    intent["next_action"] = None
    if intent["object"] == "setup_intent":
        if outcome == "complete":
            setup_attempts.succeed(ctx, intent, pm)
        else:
            setup_attempts.fail_with(ctx, intent, pm, _error(SETUP_FAILURE, pm))
        return
    if outcome == "fail":
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = _error(PAYMENT_FAILURE, pm)
        intent["payment_method"] = None
        ctx.save(intent)
        ctx.emit("payment_intent.payment_failed", intent)
        return
    intent["last_payment_error"] = None
    failure = payments.settle(ctx, intent, pm, off_session=False, authenticated=True)
    if failure is None and intent["status"] == "succeeded" and intent.get("_invoice"):
        invoicing.paid_by_intent(ctx, intent)


def _error(failure: dict[str, str], pm: JSON) -> JSON:
    code = failure["code"]
    return {
        "code": code,
        "doc_url": f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}",
        "message": failure["message"],
        "payment_method": hidden_fields.public(dict(pm)),
        "type": "invalid_request_error",
    }
