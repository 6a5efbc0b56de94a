"""The support card: a customer's subscriptions as a support agent reads them, per portal action.

``support_card(view)`` turns a ``CustomerView`` into plain answers: each subscription titled by
its product names, its status in words, and for each portal action whether the customer can do
it, with the reasons why not as sentences. The command line prints it (``customers show``); it
holds no Qt and no formatting of its own.

Which reasons concern which action is decided here, by reason code (``ACTIONS_BY_REASON``); a
reason on no action's line (a code not listed there, or a refused target price while others are
allowed) is still among the subscription's ``reasons``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from console.customers.support_view import CustomerView, SubscriptionView
from console.dates import format_day
from console.eligibility.rules import ENDED_STATUSES, Eligibility, Reason
from console.gateway.models import Customer, Price, Subscription
from console.i18n import N_, _, formatting_locale
from console.money import format_amount

PortalAction = Literal[
    "switch_plan",
    "change_quantity",
    "promotion_code",
    "cancel_at_period_end",
    "cancel_now",
    "pause",
    "renew",
]
PORTAL_ACTIONS: tuple[PortalAction, ...] = get_args(PortalAction)  # in the JSON's order
# Marked for translation; translate where shown: ``_(ACTION_WORDS[action])``.
ACTION_WORDS: Mapping[PortalAction, str] = {
    "switch_plan": N_("Switch plan"),
    "change_quantity": N_("Change quantity"),
    "promotion_code": N_("Apply a promotion code"),
    "cancel_at_period_end": N_("Cancel at period end"),
    "cancel_now": N_("Cancel now"),
    "pause": N_("Pause"),
    "renew": N_("Renew (undo the cancellation)"),
}

_UPDATES: tuple[PortalAction, ...] = ("switch_plan", "change_quantity", "promotion_code")
_CANCELS: tuple[PortalAction, ...] = ("cancel_at_period_end", "cancel_now")
ACTIONS_BY_REASON: Mapping[str, tuple[PortalAction, ...]] = {
    "subscription_ended": PORTAL_ACTIONS,
    "cancellation_scheduled": _CANCELS,
    "cancel_under_schedule": _CANCELS,
    "cancel_off": _CANCELS,
    **dict.fromkeys(
        (
            "several_products",
            "metered_price",
            "send_invoice",
            "unsupported_payment_method",
            "pending_schedule",
            "pending_update",
            "renew_first",
            "update_off",
            "product_not_in_configuration",
        ),
        _UPDATES,
    ),
    **dict.fromkeys(
        (
            "price_update_off",
            "tax_behavior_unspecified",
            "no_other_prices",
            "currency_mismatch",
            "tax_behavior_mismatch",
            "price_unknown",
        ),
        ("switch_plan",),
    ),
    **dict.fromkeys(("quantity_update_off", "quantity_not_adjustable"), ("change_quantity",)),
    "promotion_code_off": ("promotion_code",),
    **dict.fromkeys(
        (
            "pause_off",
            "already_paused",
            "pause_needs_active",
            "pause_after_renew",
            "pause_schedule",
        ),
        ("pause",),
    ),
}

# The rules' sentences name products and prices by id (the rules see no names).
_ID = re.compile(r"\b(?:prod|price)_[A-Za-z0-9]+")
STATUS_WORDS: Mapping[str, str] = {
    "active": N_("Active"),
    "trialing": N_("Trialing"),
    "past_due": N_("Past due: the latest payment failed"),
    "unpaid": N_("Unpaid: payments failed and retries are over"),
    "incomplete": N_("Incomplete: the first payment has not succeeded"),
    "incomplete_expired": N_("Expired before the first payment succeeded"),
    "canceled": N_("Canceled"),
    "paused": N_("Paused"),
}


def no_configuration() -> str:
    """Why nothing is offered at all: the account has not saved a portal configuration."""
    return _(
        "The account has no portal configuration yet, so the portal cannot be opened for anyone."
    )


@dataclass(frozen=True, slots=True)
class ActionVerdict:
    action: PortalAction
    allowed: bool
    reasons: tuple[str, ...]  # why not, as sentences; empty when allowed


@dataclass(frozen=True, slots=True)
class SubscriptionCard:
    subscription: Subscription
    product: str  # the product names, "Team + Priority Support"
    status: str  # in words, with its dates
    verdicts: tuple[ActionVerdict, ...]  # one per PORTAL_ACTIONS entry, in that order
    reasons: tuple[str, ...]  # every reason of the subscription, once each
    notes: tuple[str, ...]  # what will happen (the eligibility's warnings)


@dataclass(frozen=True, slots=True)
class CustomerCard:
    customer: Customer
    configuration_id: str | None
    configuration_name: str | None
    configuration_is_default: bool
    subscriptions: tuple[SubscriptionCard, ...]


def support_card(view: CustomerView) -> CustomerCard:
    record = view.configuration
    return CustomerCard(
        customer=view.detail.customer,
        configuration_id=record.id if record is not None else None,
        configuration_name=record.name if record is not None else None,
        configuration_is_default=record.is_default if record is not None else False,
        subscriptions=tuple(subscription_card(sub) for sub in view.subscriptions),
    )


def subscription_card(view: SubscriptionView) -> SubscriptionCard:
    subscription, eligibility = view.subscription, view.eligibility
    if eligibility is None:
        none = no_configuration()
        verdicts = tuple(ActionVerdict(a, False, (none,)) for a in PORTAL_ACTIONS)
        reasons: tuple[str, ...] = (none,)
        notes: tuple[str, ...] = ()
    else:
        verdicts = _verdicts(subscription, eligibility)
        reasons = _sentences(subscription, eligibility.reasons)
        notes = tuple(dict.fromkeys(w.message for w in eligibility.warnings))
    return SubscriptionCard(
        subscription=subscription,
        product=product_title(subscription),
        status=status_words(subscription),
        verdicts=verdicts,
        reasons=reasons,
        notes=notes,
    )


def product_title(subscription: Subscription) -> str:
    """The subscription's product names (a price's nickname or id when the name is unknown)."""
    names = [
        item.price.product_name or item.price.nickname or item.price.id
        for item in subscription.items
    ]
    return " + ".join(dict.fromkeys(names)) or _("(no items)")


def status_words(subscription: Subscription) -> str:
    """Stripe's status in words, with the moment that matters (trial end, scheduled end)."""
    status = subscription.status
    words = _(STATUS_WORDS[status]) if status in STATUS_WORDS else status.replace("_", " ")
    if status == "trialing" and subscription.trial_end is not None:
        words = _("Trialing until %(date)s") % {"date": format_day(subscription.trial_end)}
    scheduled = subscription.cancel_at_period_end or subscription.cancel_at is not None
    if scheduled and status not in ENDED_STATUSES:
        ends = (
            subscription.cancel_at
            if subscription.cancel_at is not None
            else _period_end(subscription)
        )
        if ends is None:
            return _("%(status)s, set to cancel") % {"status": words}
        return _("%(status)s, set to cancel on %(date)s") % {
            "status": words,
            "date": format_day(ends),
        }
    return words


def allowed(eligibility: Eligibility) -> Mapping[PortalAction, bool]:
    """The portal's answer for each action, as the JSON output and the text lines give it."""
    return {
        "switch_plan": eligibility.can_update_price,
        "change_quantity": eligibility.can_update_quantity,
        "promotion_code": eligibility.can_apply_promotion_code,
        "cancel_at_period_end": eligibility.cancel_mode == "at_period_end",
        "cancel_now": eligibility.cancel_mode == "immediately",
        "pause": eligibility.can_pause,
        "renew": eligibility.can_renew,
    }


def refusals(
    subscription: Subscription, eligibility: Eligibility
) -> Mapping[PortalAction, tuple[str, ...]]:
    """For each action, the codes of the reasons it is refused, in the rules' order (empty when
    the portal allows it); an answer that follows from another has a code of its own
    (``UNSTATED_REASONS``). The support card's lines and the coverage counts both read this."""
    answers = allowed(eligibility)
    found: dict[PortalAction, tuple[str, ...]] = {}
    for action in PORTAL_ACTIONS:
        if answers[action]:
            found[action] = ()
            continue
        mine = [r.code for r in eligibility.reasons if action in ACTIONS_BY_REASON.get(r.code, ())]
        found[action] = tuple(dict.fromkeys(mine)) or (
            _unstated(action, subscription, eligibility),
        )
    return found


def _verdicts(subscription: Subscription, eligibility: Eligibility) -> tuple[ActionVerdict, ...]:
    verdicts = []
    for action, codes in refusals(subscription, eligibility).items():
        if not codes:
            verdicts.append(ActionVerdict(action, True, ()))
            continue
        mine = [r for r in eligibility.reasons if action in ACTIONS_BY_REASON.get(r.code, ())]
        why = _sentences(subscription, mine) or (_(UNSTATED_REASONS[codes[0]]),)
        verdicts.append(ActionVerdict(action, False, why))
    return tuple(verdicts)


# Why not, for the answers the rules give no reason for (they follow from another).
UNSTATED_REASONS: Mapping[str, str] = {
    "cancels_at_period_end": N_(
        "This configuration cancels at the end of the billing period, not at once."
    ),
    "cancels_immediately": N_(
        "This configuration cancels at once, not at the end of the billing period."
    ),
    "renew_under_schedule": N_(
        "A subscription schedule manages this subscription; the portal cannot undo its "
        "cancellation. Change the schedule in the Dashboard."
    ),
    "not_set_to_end": N_("The subscription is not set to end: there is no cancellation to undo."),
    "not_offered": N_("This portal configuration does not offer it."),
}


def _unstated(action: PortalAction, subscription: Subscription, eligibility: Eligibility) -> str:
    """The code of ``UNSTATED_REASONS`` that says why ``action`` is refused."""
    if action == "cancel_now" and eligibility.cancel_mode == "at_period_end":
        return "cancels_at_period_end"
    if action == "cancel_at_period_end" and eligibility.cancel_mode == "immediately":
        return "cancels_immediately"
    set_to_end = subscription.cancel_at_period_end or subscription.cancel_at is not None
    if action == "renew" and set_to_end and subscription.schedule_id is not None:
        return "renew_under_schedule"
    if action == "renew":
        return "not_set_to_end"
    return "not_offered"


def _sentences(subscription: Subscription, reasons: Sequence[Reason]) -> tuple[str, ...]:
    """The reasons' sentences, once each; several prices in another currency as one sentence;
    the subscription's own products and prices by name rather than id."""
    foreign = [r for r in reasons if r.code == "currency_mismatch"]
    names = _names(subscription)
    sentences = []
    for reason in reasons:
        if reason.code == "currency_mismatch" and len(foreign) > 1:
            if reason is foreign[0]:
                sentences.append(_currency_sentence(subscription, len(foreign)))
            continue
        sentences.append(_ID.sub(lambda found: names.get(found[0], found[0]), reason.message))
    return tuple(dict.fromkeys(sentences))


def _names(subscription: Subscription) -> dict[str, str]:
    """The ids of the subscription's products and prices, each with the name a person knows."""
    names: dict[str, str] = {}
    for item in subscription.items:
        price = item.price
        if price.product_name:
            names[price.product_id] = price.product_name
        if price.nickname or price.product_name:
            names[price.id] = (
                f'"{price.nickname}"'
                if price.nickname
                else _("the %(product)s price") % {"product": price.product_name}
            )
    return names


def _currency_sentence(subscription: Subscription, count: int) -> str:
    currency = subscription.items[0].price.currency.upper() if subscription.items else "?"
    return _(
        "%(count)s of the prices this configuration offers are not in %(currency)s, the "
        "subscription's currency, and a subscription keeps its currency."
    ) % {"count": count, "currency": currency}


def _period_end(subscription: Subscription) -> int | None:
    ends = [i.current_period_end for i in subscription.items if i.current_period_end is not None]
    return max(ends) if ends else None


# -- the plan in words ----------------------------------------------------------------------

INTERVALS = {"day": N_("day"), "week": N_("week"), "month": N_("month"), "year": N_("year")}
PLURAL_INTERVALS = {
    "day": N_("%(count)s days"),
    "week": N_("%(count)s weeks"),
    "month": N_("%(count)s months"),
    "year": N_("%(count)s years"),
}


def plan_words(subscription: Subscription, locale: str | None = None) -> str:
    """Each item's product, price and quantity: "Team, $29.00 per month, quantity 5"; amounts
    in ``locale`` (the core's language's by default)."""
    parts = []
    for item in subscription.items:
        price = item.price
        name = price.product_name or price.nickname or price.id
        part = f"{name}, {price_words(price, locale)}"
        if item.quantity and item.quantity != 1:
            part = _("%(item)s, quantity %(quantity)s") % {"item": part, "quantity": item.quantity}
        parts.append(part)
    return "; ".join(parts) or _("(no items)")


def price_words(price: Price, locale: str | None = None) -> str:
    """What a price costs, in words: "$29.00 per month", "$0.20 per unit used, billed every
    month" (metered), "priced in tiers per month" (no unit amount); amounts in ``locale``
    (the app's formatting locale by default). The plan pickers write prices so too."""
    if price.unit_amount is None:
        amount = _("priced in tiers")
    else:
        amount = format_amount(price.unit_amount, price.currency, locale or formatting_locale())
    interval = price.recurring_interval
    if interval is None:
        return _("%(amount)s once") % {"amount": amount}
    count = price.recurring_interval_count or 1
    if count == 1:
        every = _(INTERVALS[interval]) if interval in INTERVALS else interval
    elif interval in PLURAL_INTERVALS:
        every = _(PLURAL_INTERVALS[interval]) % {"count": count}
    else:
        every = f"{count} {interval}"
    if price.usage_type == "metered":
        return _("%(amount)s per unit used, billed every %(interval)s") % {
            "amount": amount,
            "interval": every,
        }
    return _("%(amount)s per %(interval)s") % {"amount": amount, "interval": every}
