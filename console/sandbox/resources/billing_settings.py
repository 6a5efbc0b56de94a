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

from console.sandbox.billing import payments
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.registry import extra

PATH = "/v1/test_helpers/billing_settings"

SUBSCRIPTION_CHOICES = ("cancel", "mark_unpaid", "leave_past_due")
INVOICE_CHOICES = ("mark_uncollectible", "leave_past_due")


@extra("GetSandboxBillingSettings", "GET", PATH)
def retrieve(ctx: Context, params: JSON) -> JSON:
    return payments.settings_of(ctx)


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
    current = payments.settings_of(ctx)
    chosen = {key: params.get(key, current[key]) for key in payments.DEFAULTS}
    stored = ctx.find(payments.settings_id(ctx.account))
    if stored is None:
        ctx.insert(
            {
                "id": payments.settings_id(ctx.account),
                "object": payments.OBJECT,
                "created": ctx.now(),
            }
            | chosen
        )
    else:
        ctx.save(stored | chosen)
    return payments.settings_of(ctx)
