"""The reasons an action is refused, as short labels for counts and charts.

The keys are the eligibility rules' reason codes as ``support_card.refusals`` files them per
action (stable: the JSON output and CSV exports use them); the labels are a few words each, in
the user's language (``reason_label``). The support card says the same reasons in sentences.
"""

from __future__ import annotations

from collections.abc import Mapping

from console.i18n import N_, _

REASON_LABELS: Mapping[str, str] = {
    "subscription_ended": N_("ended"),
    "cancellation_scheduled": N_("already set to end"),
    "cancel_under_schedule": N_("managed by a schedule"),
    "cancel_off": N_("cancelling switched off"),
    "several_products": N_("several products"),
    "metered_price": N_("metered price"),
    "send_invoice": N_("paid by invoice (send_invoice)"),
    "unsupported_payment_method": N_("unsupported payment method"),
    "pending_schedule": N_("schedule attached"),
    "pending_update": N_("pending update"),
    "renew_first": N_("set to end (renew first)"),
    "update_off": N_("plan changes switched off"),
    "product_not_in_configuration": N_("product not listed"),
    "price_update_off": N_("price switching off"),
    "tax_behavior_unspecified": N_("price without tax behaviour"),
    "no_other_prices": N_("no other price offered"),
    "currency_mismatch": N_("offered prices in another currency"),
    "tax_behavior_mismatch": N_("offered prices with another tax behaviour"),
    "price_unknown": N_("offered price not found"),
    "quantity_update_off": N_("quantity changes off"),
    "quantity_not_adjustable": N_("quantity not adjustable"),
    "promotion_code_off": N_("promotion codes off"),
    "pause_off": N_("pausing switched off"),
    "already_paused": N_("already paused"),
    "pause_needs_active": N_("not active"),
    "pause_after_renew": N_("set to end"),
    "pause_schedule": N_("schedule attached"),
    "cancels_at_period_end": N_("cancels at period end instead"),
    "cancels_immediately": N_("cancels at once instead"),
    "renew_under_schedule": N_("managed by a schedule"),
    "not_set_to_end": N_("not set to end"),
    "not_offered": N_("not offered"),
}


def reason_label(code: str) -> str:
    """A few words for ``code`` in the user's language (the code itself if it is new)."""
    label = REASON_LABELS.get(code)
    return _(label) if label is not None else code.replace("_", " ")
