"""What the portal lets a customer do with one subscription, and every reason why not.

``evaluate(subscription, configuration, prices_by_id)`` applies the portal's rules (product
spec "Limitations", billing-portal.md §8) to a subscription as the gateway returns it and a
configuration model. Each reason and warning is a code (for the UI and tests) plus a sentence a
support agent can read to a customer.

Decisions where Stripe's documentation leaves room (kept in one place, here):

- Price, quantity and promotion-code changes all need ``subscription_update.enabled`` and the
  subscription's product among the configuration's ``products``: without it the portal has no
  "update plan" for the subscription at all.
- Quantity changes need both ``quantity`` in ``default_allowed_updates`` (the types of update
  "supported for items listed in the products attribute") and the subscription's product set to
  ``adjustable_quantity.enabled`` ("control whether the quantity of the product can be
  adjusted"), whose bounds then apply. An earlier reading accepted either one; the portal showed
  no quantity field for such a product, so the console told agents something the customer could
  not do.
- A subscription attached to a schedule is neither updated nor cancelled (nor renewed) in the
  portal: Stripe refuses to change its cancellation directly ("update the schedule instead"),
  and the portal has no way to do so through the schedule.
- Target prices are every price of every configured product except the current one; each is
  judged on its own (known to the account, same currency, same tax behaviour).
- A subscription already set to end is offered "renew" (undo) instead of a second cancel.
- Pausing: see ``_pause_reasons`` for what Stripe documents and what is our reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from console.configurations.model import CancelMode, PortalConfiguration, UpdatableProduct
from console.gateway.models import Price, PriceId, Subscription
from console.i18n import N_, _
from resources import load_json

Action = Literal[
    "update_price",
    "update_quantity",
    "apply_promotion_code",
    "cancel_now",
    "cancel_at_period_end",
    "pause",
    "renew",
]
Summary = Literal["update", "cancel_only", "renew", "nothing"]

ENDED_STATUSES = frozenset({"canceled", "incomplete_expired"})
# How the reasons name Stripe's values, in the user's language.
ENDED_WORDS = {"canceled": N_("canceled"), "incomplete_expired": N_("expired unpaid")}
TAX_WORDS = {
    "inclusive": N_("tax-inclusive"),
    "exclusive": N_("tax-exclusive"),
    "unspecified": N_("without a tax behaviour"),
}


# The statuses a subscription cannot be paused in, as the pause reason names them.
PAUSE_STATUS_WORDS = {
    "trialing": N_("in its trial"),
    "past_due": N_("past due"),
    "unpaid": N_("unpaid"),
    "incomplete": N_("incomplete (its first payment has not succeeded)"),
}


def _tax_words(behavior: str | None) -> str:
    return _(TAX_WORDS.get(behavior or "unspecified", str(behavior)))


MAX_PRODUCTS = 10


@cache
def portal_payment_method_types() -> frozenset[str]:
    """The 12 payment-method types the portal supports (shared data, resources/stripe); made
    once: coverage applies the rules to thousands of subscription shapes at a time."""
    table = load_json("stripe", "portal-payment-methods.json")
    return frozenset(str(entry["type"]) for entry in table["portal_payment_methods"])


@dataclass(frozen=True, slots=True)
class Reason:
    """Why something is not possible (or, as a warning, what will happen)."""

    code: str
    message: str
    price_id: PriceId | None = None  # set when the reason is about one target price


@dataclass(frozen=True, slots=True)
class TargetPrice:
    """A price the customer could switch to, and whether the portal will let them."""

    price_id: PriceId
    allowed: bool
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Eligibility:
    can_update_price: bool
    can_update_quantity: bool
    can_apply_promotion_code: bool
    cancel_mode: CancelMode | None  # None: the portal offers no cancel
    can_renew: bool
    can_pause: bool
    target_prices: tuple[TargetPrice, ...]
    quantity_bounds: tuple[int, int | None] | None  # (minimum, maximum) when quantity changes
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]

    @property
    def can_update(self) -> bool:
        return self.can_update_price or self.can_update_quantity or self.can_apply_promotion_code

    @property
    def can_cancel(self) -> bool:
        return self.cancel_mode is not None

    @property
    def actions(self) -> tuple[Action, ...]:
        found: list[Action] = []
        if self.can_update_price:
            found.append("update_price")
        if self.can_update_quantity:
            found.append("update_quantity")
        if self.can_apply_promotion_code:
            found.append("apply_promotion_code")
        if self.cancel_mode == "immediately":
            found.append("cancel_now")
        elif self.cancel_mode == "at_period_end":
            found.append("cancel_at_period_end")
        if self.can_pause:
            found.append("pause")
        if self.can_renew:
            found.append("renew")
        return tuple(found)

    @property
    def summary(self) -> Summary:
        if self.can_update:
            return "update"
        if self.can_cancel:
            return "cancel_only"
        if self.can_renew:
            return "renew"
        return "nothing"

    def reason_codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    def warning_codes(self) -> tuple[str, ...]:
        return tuple(warning.code for warning in self.warnings)


def evaluate(
    subscription: Subscription,
    configuration: PortalConfiguration,
    prices_by_id: Mapping[PriceId, Price],
) -> Eligibility:
    """What the portal, set up as ``configuration``, offers for ``subscription``.

    ``prices_by_id`` holds at least the configuration's prices (the targets); a target missing
    from it is reported, not guessed.
    """
    features = configuration.features
    update = features.subscription_update
    reasons: list[Reason] = []
    warnings: list[Reason] = []

    if subscription.status in ENDED_STATUSES:
        reasons.append(
            Reason(
                "subscription_ended",
                _(
                    "The subscription is %(status)s: there is nothing left to change or "
                    "cancel in the portal."
                )
                % {"status": _(ENDED_WORDS.get(subscription.status, subscription.status))},
            )
        )
        return Eligibility(
            can_update_price=False,
            can_update_quantity=False,
            can_apply_promotion_code=False,
            cancel_mode=None,
            can_renew=False,
            can_pause=False,
            target_prices=(),
            quantity_bounds=None,
            reasons=tuple(reasons),
            warnings=(),
        )

    # Cancel and renew.
    scheduled_end = subscription.cancel_at_period_end or subscription.cancel_at is not None
    cancel_mode: CancelMode | None = None
    if scheduled_end:
        reasons.append(
            Reason(
                "cancellation_scheduled",
                _(
                    "The subscription is already set to end; the portal offers to renew it "
                    "(undo the cancellation) instead of cancelling again."
                ),
            )
        )
    elif subscription.schedule_id is not None:
        reasons.append(
            Reason(
                "cancel_under_schedule",
                _(
                    "A subscription schedule (%(schedule_id)s) manages this subscription; the "
                    "portal cannot cancel it. Release or cancel the schedule in the "
                    "Dashboard."
                )
                % {"schedule_id": subscription.schedule_id},
            )
        )
    elif not features.subscription_cancel.enabled:
        reasons.append(
            Reason(
                "cancel_off",
                _("Cancelling is switched off in this portal configuration."),
            )
        )
    else:
        cancel_mode = features.subscription_cancel.mode

    # Why no update at all: the subscription's own shape, then the configuration.
    blockers = _subscription_blockers(subscription)
    if scheduled_end:
        blockers.append(
            Reason(
                "renew_first",
                _(
                    "Plan changes are not offered while the subscription is set to end; once "
                    "the customer renews it, they can change it again."
                ),
            )
        )
    product_entry = _configured_product(subscription, configuration)
    if not update.enabled:
        blockers.append(
            Reason("update_off", _("Plan changes are switched off in this portal configuration."))
        )
    elif product_entry is None and not any(b.code == "several_products" for b in blockers):
        product = _product_label(subscription)
        blockers.append(
            Reason(
                "product_not_in_configuration",
                _(
                    "The subscription's product %(product)s is not among the products this "
                    "portal configuration offers for plan changes, so the customer cannot "
                    "change it."
                )
                % {"product": product},
            )
        )
    reasons += blockers
    updatable = not blockers

    # Price changes.
    can_price = False
    targets: tuple[TargetPrice, ...] = ()
    if updatable:
        if "price" not in update.default_allowed_updates:
            reasons.append(
                Reason(
                    "price_update_off", _("Switching prices is not allowed in this configuration.")
                )
            )
        else:
            current = subscription.items[0].price
            targets = _judge_targets(current, configuration, prices_by_id)
            if (current.tax_behavior or "unspecified") == "unspecified":
                reasons.append(
                    Reason(
                        "tax_behavior_unspecified",
                        _(
                            "The current price %(id)s has no tax behaviour (unspecified); the "
                            "portal allows no price change until it is inclusive or exclusive."
                        )
                        % {"id": current.id},
                    )
                )
            elif not targets:
                reasons.append(
                    Reason(
                        "no_other_prices",
                        _("The configuration offers no price other than the current one."),
                    )
                )
            else:
                can_price = any(target.allowed for target in targets)
                reasons += [r for target in targets for r in target.reasons]

    # Quantity changes.
    can_quantity = False
    bounds: tuple[int, int | None] | None = None
    if updatable and product_entry is not None:
        adjustable = product_entry.adjustable_quantity
        if "quantity" not in update.default_allowed_updates:
            reasons.append(
                Reason(
                    "quantity_update_off",
                    _("Changing the quantity is not allowed in this configuration."),
                )
            )
        elif not adjustable.enabled:
            reasons.append(
                Reason(
                    "quantity_not_adjustable",
                    _(
                        "The configuration does not let customers adjust the quantity of "
                        "%(product)s: turn on quantity adjustment for that product."
                    )
                    % {"product": _product_label(subscription)},
                )
            )
        else:
            can_quantity = True
            bounds = (adjustable.minimum, adjustable.maximum)

    # Promotion codes.
    can_promo = False
    if updatable:
        if "promotion_code" in update.default_allowed_updates:
            can_promo = True
        else:
            reasons.append(
                Reason(
                    "promotion_code_off",
                    _("Applying promotion codes is not allowed in this configuration."),
                )
            )

    # Pausing.
    pause_reasons = _pause_reasons(subscription, configuration, scheduled_end=scheduled_end)
    reasons += pause_reasons

    warnings += _warnings(subscription, configuration, can_price or can_quantity or can_promo)
    return Eligibility(
        can_update_price=can_price,
        can_update_quantity=can_quantity,
        can_apply_promotion_code=can_promo,
        cancel_mode=cancel_mode,
        can_renew=scheduled_end and subscription.schedule_id is None,
        can_pause=not pause_reasons,
        target_prices=targets,
        quantity_bounds=bounds,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
    )


def _subscription_blockers(subscription: Subscription) -> list[Reason]:
    """What about the subscription itself makes the portal refuse any update."""
    blockers = []
    products = sorted({item.price.product_id for item in subscription.items})
    if len(products) > 1:
        blockers.append(
            Reason(
                "several_products",
                _(
                    "The subscription has %(products_count)s products (%(products)s); the "
                    "portal can only cancel such a subscription, not change it."
                )
                % {"products_count": len(products), "products": ", ".join(products)},
            )
        )
    metered = [item.price.id for item in subscription.items if item.price.usage_type == "metered"]
    if metered:
        blockers.append(
            Reason(
                "metered_price",
                _(
                    "The subscription is billed by usage (metered price %(metered)s); the "
                    "portal can only cancel it."
                )
                % {"metered": ", ".join(metered)},
            )
        )
    if subscription.collection_method == "send_invoice":
        blockers.append(
            Reason(
                "send_invoice",
                _(
                    "The subscription is paid by invoice sent to the customer (send_invoice); "
                    "the portal can only cancel it."
                ),
            )
        )
    method = subscription.default_payment_method_type
    if method is not None and method not in portal_payment_method_types():
        blockers.append(
            Reason(
                "unsupported_payment_method",
                _(
                    "The subscription is paid with %(method)s, a payment method the portal "
                    "does not support; the portal can only cancel it."
                )
                % {"method": method},
            )
        )
    if subscription.schedule_id is not None:
        blockers.append(
            Reason(
                "pending_schedule",
                _(
                    "A subscription schedule (%(schedule_id)s) controls upcoming changes; the "
                    "portal cannot update the subscription while it is attached."
                )
                % {"schedule_id": subscription.schedule_id},
            )
        )
    if subscription.pending_update:
        blockers.append(
            Reason(
                "pending_update",
                _(
                    "An earlier change is still waiting for its payment (pending update); the "
                    "portal cannot update the subscription until it is paid or expires."
                ),
            )
        )
    return blockers


def _product_label(subscription: Subscription) -> str:
    """The subscription's product as people know it: its name, else its id."""
    if not subscription.items:
        return "(none)"
    price = subscription.items[0].price
    return price.product_name or price.product_id


def _pause_reasons(
    subscription: Subscription, configuration: PortalConfiguration, *, scheduled_end: bool
) -> list[Reason]:
    """Why the portal offers no pause for the subscription (empty: it offers one).

    Documented by Stripe:
    - ``features.subscription_pause.enabled`` switches the portal's pause on ("Customers can
      only pause subscriptions in the redesigned customer portal", API reference).
    - The pause endpoint pauses an *active* subscription (changelog 2026-05-27 and 2026-09-30,
      "Pause subscriptions") and "cannot pause subscriptions with attached schedules" (API
      reference, Pause a subscription).
    - Pausing needs the subscription's flexible billing mode (same pages). The gateway does not
      read ``billing_mode``, so this rule is not checked here.

    Our reading, where the documentation says nothing about the portal:
    - Only ``active`` counts: a trialing, past-due, unpaid or incomplete subscription is not
      offered a pause, and a paused one has nothing left to pause.
    - A subscription set to end is offered "renew" instead, as for a second cancel.
    - What makes a subscription cancel-only for plan changes (several products, metered
      prices, invoices sent for manual payment, an unsupported payment method) is documented
      for updates only, so it does not block pausing.
    """
    if not configuration.features.subscription_pause.enabled:
        return [Reason("pause_off", _("Pausing is switched off in this portal configuration."))]
    reasons = []
    if subscription.status == "paused":
        reasons.append(Reason("already_paused", _("The subscription is already paused.")))
    elif subscription.status != "active":
        reasons.append(
            Reason(
                "pause_needs_active",
                _(
                    "The subscription is %(status)s; the portal offers a pause only for an "
                    "active subscription."
                )
                % {"status": _(PAUSE_STATUS_WORDS.get(subscription.status, subscription.status))},
            )
        )
    if scheduled_end:
        reasons.append(
            Reason(
                "pause_after_renew",
                _(
                    "The subscription is set to end; the portal offers to renew it, not to "
                    "pause it."
                ),
            )
        )
    if subscription.schedule_id is not None:
        reasons.append(
            Reason(
                "pause_schedule",
                _(
                    "A subscription schedule controls the subscription's upcoming changes; "
                    "Stripe cannot pause a subscription while a schedule is attached."
                ),
            )
        )
    return reasons


def _configured_product(
    subscription: Subscription, configuration: PortalConfiguration
) -> UpdatableProduct | None:
    if not subscription.items:
        return None
    product = subscription.items[0].price.product_id
    for entry in configuration.features.subscription_update.products or ():
        if entry.product == product:
            return entry
    return None


def _judge_targets(
    current: Price, configuration: PortalConfiguration, prices_by_id: Mapping[PriceId, Price]
) -> tuple[TargetPrice, ...]:
    current_tax = current.tax_behavior or "unspecified"
    judged = []
    for entry in configuration.features.subscription_update.products or ():
        for price_id in entry.prices:
            if price_id == current.id:
                continue
            price = prices_by_id.get(price_id)
            reasons: list[Reason] = []
            if price is None:
                reasons.append(
                    Reason(
                        "price_unknown",
                        _(
                            "Price %(price_id)s named by the configuration was not found on the "
                            "account."
                        )
                        % {"price_id": price_id},
                        price_id,
                    )
                )
            elif price.currency != current.currency:
                reasons.append(
                    Reason(
                        "currency_mismatch",
                        _(
                            "Price %(price_id)s is in %(currency)s but the subscription is "
                            "billed in %(billed)s; a subscription keeps its currency."
                        )
                        % {
                            "price_id": price_id,
                            "currency": price.currency.upper(),
                            "billed": current.currency.upper(),
                        },
                        price_id,
                    )
                )
            elif current_tax == "unspecified":
                pass  # reported once for the subscription, not per price
            elif (price.tax_behavior or "unspecified") != current_tax:
                reasons.append(
                    Reason(
                        "tax_behavior_mismatch",
                        _(
                            "Price %(price_id)s is %(tax_behavior)s but the current price is "
                            "%(current_tax)s; the portal only switches between prices with the "
                            "same tax behaviour."
                        )
                        % {
                            "price_id": price_id,
                            "tax_behavior": _tax_words(price.tax_behavior),
                            "current_tax": _tax_words(current_tax),
                        },
                        price_id,
                    )
                )
            allowed = not reasons and current_tax != "unspecified"
            judged.append(TargetPrice(price_id, allowed, tuple(reasons)))
    return tuple(judged)


def _warnings(
    subscription: Subscription, configuration: PortalConfiguration, can_update: bool
) -> list[Reason]:
    features = configuration.features
    warnings = []
    if subscription.status == "trialing" and can_update:
        if features.subscription_update.trial_update_behavior == "continue_trial":
            warnings.append(
                Reason(
                    "trial_continues",
                    _(
                        "The subscription is in its trial; a change keeps the trial going "
                        "(trial_update_behavior=continue_trial) and bills at its end."
                    ),
                )
            )
        else:
            warnings.append(
                Reason(
                    "trial_ends_on_change",
                    _(
                        "The subscription is in its trial; any change the customer makes ends the "
                        "trial and creates an invoice to pay now."
                    ),
                )
            )
    products = features.subscription_update.products or ()
    if len(products) > MAX_PRODUCTS:
        warnings.append(
            Reason(
                "too_many_products",
                _(
                    "The configuration lists %(products_count)s products; the portal offers "
                    "at most %(max_products)s for plan changes."
                )
                % {"products_count": len(products), "max_products": MAX_PRODUCTS},
            )
        )
    method = subscription.default_payment_method_type
    if (
        method is not None
        and method not in portal_payment_method_types()
        and features.payment_method_update.enabled
    ):
        warnings.append(
            Reason(
                "payment_method_section_shown",
                _(
                    "The customer's %(method)s payment method is not supported by the portal, "
                    "but the payment-method section is still shown so they can add a "
                    "supported one."
                )
                % {"method": method},
            )
        )
    return warnings
