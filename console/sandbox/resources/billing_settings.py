"""What happens when a subscription's payment retries are used up: the sandbox's own setting.

On Stripe this is the Dashboard's "Manage failed payments for subscriptions" (Billing >
Revenue recovery > Retries): after the last retry fails, cancel the subscription, mark it
unpaid, or leave it past due; and mark the invoice uncollectible or leave it past due (open).
Stripe has no API for it, so the sandbox serves its own test helper, per account:

    GET  /v1/test_helpers/billing_settings
    POST /v1/test_helpers/billing_settings  subscription_after_final_failure=cancel|mark_unpaid|
                                            leave_past_due
                                            invoice_after_final_failure=mark_uncollectible|
                                            leave_past_due

Until it is set, both leave things past due (what the sandbox always did; which choice
Stripe gives a new account is not documented).
"""

from __future__ import annotations

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.registry import extra

OBJECT = "sandbox.billing_settings"
PATH = "/v1/test_helpers/billing_settings"

SUBSCRIPTION_CHOICES = ("cancel", "mark_unpaid", "leave_past_due")
INVOICE_CHOICES = ("mark_uncollectible", "leave_past_due")
DEFAULTS: JSON = {
    "subscription_after_final_failure": "leave_past_due",
    "invoice_after_final_failure": "leave_past_due",
}


def _settings_id(account: str) -> str:
    # One object per account; the store's ids are global, so the account is part of it.
    return f"billing_settings_{account}"


def settings_of(ctx: Context) -> JSON:
    """The account's settings (the defaults until someone sets them)."""
    stored = ctx.find(_settings_id(ctx.account))
    return {
        "object": OBJECT,
        **DEFAULTS,
        **{key: stored[key] for key in DEFAULTS if stored is not None and key in stored},
        "livemode": False,
    }


@extra("GetSandboxBillingSettings", "GET", PATH)
def retrieve(ctx: Context, params: JSON) -> JSON:
    return settings_of(ctx)


@extra(
    "PostSandboxBillingSettings",
    "POST",
    PATH,
    {
        "subscription_after_final_failure": {"type": "string", "enum": list(SUBSCRIPTION_CHOICES)},
        "invoice_after_final_failure": {"type": "string", "enum": list(INVOICE_CHOICES)},
    },
)
def update(ctx: Context, params: JSON) -> JSON:
    current = settings_of(ctx)
    chosen = {key: params.get(key, current[key]) for key in DEFAULTS}
    stored = ctx.find(_settings_id(ctx.account))
    if stored is None:
        ctx.insert(
            {"id": _settings_id(ctx.account), "object": OBJECT, "created": ctx.now()} | chosen
        )
    else:
        ctx.save(stored | chosen)
    return settings_of(ctx)
