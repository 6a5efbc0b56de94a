"""What a save of a portal configuration changes, in plain words, before it is sent.

``summarize_save(before, after, catalogue)`` compares two configurations (``before`` None: a new
one) and says each change as a person reads it: "Reasons offered: added Too expensive; removed
Not used enough", "Plan switching: now on; products offered: Team ($29.00 per month, $290.00
per year)". Products and prices are named from the catalogue, amounts are written for the
user's language (``console.i18n``), choices use the editor's own labels, in quotes.

The answer is a ``SummarySection``: a title and its lines. The save dialog shows a list of
sections, so other summaries can be added beside this one (what a change does to the account's
subscriptions, say) without changing it.

Every changed field is said: a field this module has no words for yet (one the model gains
later) gets a line of its parameter and values, so a save never hides a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from console.configurations.edit import diff, display_value, parent_params
from console.configurations.model import (
    PauseInterval,
    PortalConfiguration,
    SubscriptionUpdate,
    UpdatableProduct,
)
from console.configurations.rules import Catalogue
from console.customers.support_card import INTERVALS, PLURAL_INTERVALS, price_words
from console.gateway.models import PriceId, ProductId
from console.i18n import N_, _, formatting_locale

UPDATE = "features[subscription_update]"
CANCEL = "features[subscription_cancel]"
PAUSE = "features[subscription_pause]"

# Marked for translation; translated where used. The editor's labels for the same choices.
REASON_WORDS = {
    "too_expensive": N_("Too expensive"),
    "missing_features": N_("Missing features"),
    "switched_service": N_("Switched to another service"),
    "unused": N_("Not used enough"),
    "customer_service": N_("Unhappy with customer service"),
    "too_complex": N_("Too hard to use"),
    "low_quality": N_("Quality below expectations"),
    "other": N_("Other reason"),
}
DETAIL_WORDS = {
    "email": N_("Email"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "address": N_("Billing address"),
    "shipping": N_("Shipping address"),
    "tax_id": N_("Tax IDs"),
}
UPDATE_KIND_WORDS = {
    "price": N_("Price (plan)"),
    "quantity": N_("Quantity"),
    "promotion_code": N_("Promotion code"),
}
PRORATION_WORDS = {
    "none": N_("No prorations"),
    "create_prorations": N_("Prorate (on the next invoice)"),
    "always_invoice": N_("Prorate and invoice at once"),
}
CANCEL_MODE_WORDS = {
    "at_period_end": N_("at the end of the billing period"),
    "immediately": N_("immediately"),
}
ANCHOR_WORDS = {
    "unchanged": N_("Keep the billing date"),
    "now": N_("Restart the billing cycle now"),
}
SCHEDULE_WORDS = {
    "decreasing_item_amount": N_("The amount goes down"),
    "shortening_interval": N_("The interval gets shorter"),
}
TRIAL_WORDS = {
    "end_trial": N_("A change ends the trial"),
    "continue_trial": N_("The trial continues"),
}

# The fields this module words; any other changed field gets a line of its own (see above).
_WORDED = (
    "name",
    "active",
    "default_return_url",
    "business_profile[headline]",
    "business_profile[privacy_policy_url]",
    "business_profile[terms_of_service_url]",
    "login_page[enabled]",
    "features[customer_update][enabled]",
    "features[customer_update][allowed_updates]",
    "features[invoice_history][enabled]",
    "features[payment_method_update][enabled]",
    "features[payment_method_update][payment_method_configuration]",
    f"{CANCEL}[enabled]",
    f"{CANCEL}[mode]",
    f"{CANCEL}[proration_behavior]",
    f"{CANCEL}[cancellation_reason][enabled]",
    f"{CANCEL}[cancellation_reason][options]",
    f"{CANCEL}[cancellation_reason][feedback_options]",
    f"{PAUSE}[enabled]",
    f"{PAUSE}[duration][type]",
    f"{PAUSE}[duration][interval_options]",
    f"{UPDATE}[enabled]",
    f"{UPDATE}[default_allowed_updates]",
    f"{UPDATE}[products]",
    f"{UPDATE}[proration_behavior]",
    f"{UPDATE}[billing_cycle_anchor]",
    f"{UPDATE}[schedule_at_period_end]",
    f"{UPDATE}[trial_update_behavior]",
    "metadata",
)


@dataclass(frozen=True, slots=True)
class SummarySection:
    """A titled list of plain sentences, one per change, for the save dialog."""

    title: str
    lines: tuple[str, ...] = field(default_factory=tuple)


def _words(table: Mapping[str, str], value: str | None) -> str:
    """``value``'s label in the user's language; a value without one stays as it is."""
    if value is None:
        return "—"
    return _(table[value]) if value in table else value


def _quoted(table: Mapping[str, str], value: str | None) -> str:
    return _("“%(label)s”") % {"label": _words(table, value)}


def _joined(names: Iterable[str]) -> str:
    return ", ".join(names)


def _on_off(value: bool) -> str:
    return _("on") if value else _("off")


class _Writer:
    """The sentences of one summary: "now" for a change, plain for a new configuration."""

    def __init__(
        self, creating: bool, catalogue: Catalogue, feedback_names: Mapping[str, str]
    ) -> None:
        self.creating = creating
        self.catalogue = catalogue
        self.feedback_names = feedback_names
        self.locale = formatting_locale()

    def state(self, topic: str, value: str) -> str:
        if self.creating:
            return _("%(topic)s: %(value)s") % {"topic": topic, "value": value}
        return _("%(topic)s: now %(value)s") % {"topic": topic, "value": value}

    def added_removed(
        self, topic: str, before: Sequence[str], after: Sequence[str], name: Callable[[str], str]
    ) -> list[str]:
        """ "Topic: added A, B; removed C" (in ``after``'s and ``before``'s order)."""
        added = [name(v) for v in after if v not in before]
        removed = [name(v) for v in before if v not in after]
        if self.creating:
            if not added:
                return []
            return [_("%(topic)s: %(names)s") % {"topic": topic, "names": _joined(added)}]
        parts = []
        if added:
            parts.append(_("added %(names)s") % {"names": _joined(added)})
        if removed:
            parts.append(_("removed %(names)s") % {"names": _joined(removed)})
        if not parts:
            return []
        return [_("%(topic)s: %(changes)s") % {"topic": topic, "changes": "; ".join(parts)}]

    def product(self, product: ProductId) -> str:
        return self.catalogue.products.get(product) or product

    def price(self, price: PriceId) -> str:
        known = self.catalogue.prices.get(price)
        return price if known is None else price_words(known, self.locale)

    def offered(self, entry: UpdatableProduct) -> str:
        """ "Team ($29.00 per month, $290.00 per year)"."""
        prices = _joined(self.price(p) for p in entry.prices)
        name = self.product(entry.product)
        return f"{name} ({prices})" if prices else name

    def pause_length(self, option: PauseInterval) -> str:
        if option.interval_count == 1:
            return f"1 {_words(INTERVALS, option.interval)}"
        if option.interval in PLURAL_INTERVALS:
            return _(PLURAL_INTERVALS[option.interval]) % {"count": option.interval_count}
        return f"{option.interval_count} {option.interval}"


def summarize_save(
    before: PortalConfiguration | None,
    after: PortalConfiguration,
    catalogue: Catalogue,
    *,
    feedback_names: Mapping[str, str] | None = None,
) -> SummarySection:
    """What saving ``after`` over ``before`` (None: creating it) changes, one line per topic.

    ``feedback_names`` names custom cancellation reasons (``bfo_…``) where they are known.
    """
    creating = before is None
    old = before if before is not None else PortalConfiguration()
    writer = _Writer(creating, catalogue, feedback_names or {})
    lines = [
        *_general(old, after, writer),
        *_customer(old, after, writer),
        *_cancellation(old, after, writer),
        *_pause(old, after, writer),
        *_plan_switching(old, after, writer),
        *_metadata(old, after, writer),
        *_unworded(old, after, writer),
    ]
    if creating:
        title = _("The new configuration “%(name)s”") % {"name": after.name or ""}
    else:
        title = _("What changes")
    return SummarySection(title=title, lines=tuple(lines))


def _general(old: PortalConfiguration, new: PortalConfiguration, w: _Writer) -> list[str]:
    lines = []
    if old.name != new.name and not w.creating:
        lines.append(w.state(_("Name"), _("“%(label)s”") % {"label": new.name or ""}))
    if old.active != new.active:
        lines.append(
            _("Active: now on (portal sessions may use it)")
            if new.active
            else _("Active: now off (no new portal sessions can use it)")
        )
    texts = (
        (_("Default return URL"), old.default_return_url, new.default_return_url, False),
        (
            _("Headline"),
            old.business_profile.headline,
            new.business_profile.headline,
            True,
        ),
        (
            _("Privacy policy URL"),
            old.business_profile.privacy_policy_url,
            new.business_profile.privacy_policy_url,
            False,
        ),
        (
            _("Terms of service URL"),
            old.business_profile.terms_of_service_url,
            new.business_profile.terms_of_service_url,
            False,
        ),
    )
    for topic, was, now, quote in texts:
        if (was or None) == (now or None):
            continue
        if not now:
            lines.append(_("%(topic)s: removed") % {"topic": topic})
        else:
            lines.append(w.state(topic, _("“%(label)s”") % {"label": now} if quote else now))
    if old.login_page.enabled != new.login_page.enabled:
        lines.append(w.state(_("Login page"), _on_off(new.login_page.enabled)))
    return lines


def _customer(old: PortalConfiguration, new: PortalConfiguration, w: _Writer) -> list[str]:
    lines = []
    was, now = old.features.customer_update, new.features.customer_update
    topic = _("Customers may update their details")
    if was.enabled != now.enabled:
        if now.enabled and now.allowed_updates:
            details = _joined(_words(DETAIL_WORDS, d) for d in now.allowed_updates)
            lines.append(w.state(topic, _("on (%(details)s)") % {"details": details}))
        else:
            lines.append(w.state(topic, _on_off(now.enabled)))
    elif now.enabled:
        lines += w.added_removed(
            _("Details they may update"),
            was.allowed_updates,
            now.allowed_updates,
            lambda d: _words(DETAIL_WORDS, d),
        )
    features_old, features_new = old.features, new.features
    if features_old.invoice_history.enabled != features_new.invoice_history.enabled:
        lines.append(w.state(_("Invoice history"), _on_off(features_new.invoice_history.enabled)))
    methods_old, methods_new = (
        features_old.payment_method_update,
        features_new.payment_method_update,
    )
    if methods_old.enabled != methods_new.enabled:
        lines.append(w.state(_("Updating payment methods"), _on_off(methods_new.enabled)))
    if methods_old.payment_method_configuration != methods_new.payment_method_configuration:
        lines.append(
            w.state(
                _("Payment method configuration"),
                methods_new.payment_method_configuration or _("the account's default"),
            )
        )
    return lines


def _cancellation(old: PortalConfiguration, new: PortalConfiguration, w: _Writer) -> list[str]:
    lines = []
    was, now = old.features.subscription_cancel, new.features.subscription_cancel
    topic = _("Cancellation")
    when = _words(CANCEL_MODE_WORDS, now.mode)
    if was.enabled != now.enabled:
        lines.append(
            w.state(topic, _("on, %(when)s") % {"when": when} if now.enabled else _("off"))
        )
    elif now.enabled and was.mode != now.mode:
        lines.append(w.state(topic, when))
    if now.enabled and was.proration_behavior != now.proration_behavior:
        lines.append(
            w.state(
                _("Proration when cancelling immediately"),
                _quoted(PRORATION_WORDS, now.proration_behavior),
            )
        )
    reason_was, reason_now = was.cancellation_reason, now.cancellation_reason

    def reason(value: str) -> str:
        return _words(REASON_WORDS, value)

    if reason_was.enabled != reason_now.enabled:
        if reason_now.enabled and reason_now.options:
            asked = _("on; reasons offered: %(reasons)s") % {
                "reasons": _joined(reason(r) for r in reason_now.options)
            }
        else:
            asked = _on_off(reason_now.enabled)
        lines.append(w.state(_("Asking why customers cancel"), asked))
    elif reason_now.enabled:
        lines += w.added_removed(
            _("Reasons offered"), reason_was.options, reason_now.options, reason
        )
    lines += w.added_removed(
        _("Custom reasons"),
        reason_was.feedback_options or (),
        reason_now.feedback_options or (),
        lambda option: w.feedback_names.get(option) or option,
    )
    return lines


def _pause(old: PortalConfiguration, new: PortalConfiguration, w: _Writer) -> list[str]:
    was, now = old.features.subscription_pause, new.features.subscription_pause
    if now.duration.type == "indefinite":
        how_long = _("until the customer resumes")
    else:
        lengths = _joined(w.pause_length(o) for o in now.duration.interval_options)
        how_long = _("for %(durations)s") % {"durations": lengths}
    if was.enabled != now.enabled:
        state = _("on, %(how_long)s") % {"how_long": how_long} if now.enabled else _("off")
        return [w.state(_("Pausing"), state)]
    if now.enabled and was.duration != now.duration:
        return [w.state(_("Pausing"), how_long)]
    return []


def _plan_switching(old: PortalConfiguration, new: PortalConfiguration, w: _Writer) -> list[str]:
    was, now = old.features.subscription_update, new.features.subscription_update
    lines = []
    topic = _("Plan switching")
    if was.enabled != now.enabled:
        if not now.enabled:
            return [w.state(topic, _("off"))]
        offered = _joined(w.offered(entry) for entry in now.products or ())
        state = _("on; products offered: %(products)s") % {"products": offered or "—"}
        lines.append(w.state(topic, state))
    elif not now.enabled:
        return []
    else:
        lines += _products(was, now, w)

    def kind(value: str) -> str:
        return _words(UPDATE_KIND_WORDS, value)

    lines += w.added_removed(
        _("Customers may change"), was.default_allowed_updates, now.default_allowed_updates, kind
    )
    lines += _quantities(was if was.enabled else SubscriptionUpdate(), now, w)
    choices = (
        (
            _("Proration on plan changes"),
            PRORATION_WORDS,
            was.proration_behavior,
            now.proration_behavior,
        ),
        (
            _("Billing cycle on plan changes"),
            ANCHOR_WORDS,
            was.billing_cycle_anchor,
            now.billing_cycle_anchor,
        ),
        (
            _("Plan changes during a trial"),
            TRIAL_WORDS,
            was.trial_update_behavior,
            now.trial_update_behavior,
        ),
    )
    for label, table, before, after in choices:
        if before != after and after is not None:
            lines.append(w.state(label, _quoted(table, after)))
    lines += w.added_removed(
        _("Plan changes wait for the period end when"),
        was.schedule_at_period_end,
        now.schedule_at_period_end,
        lambda condition: _quoted(SCHEDULE_WORDS, condition),
    )
    return lines


def _products(was: SubscriptionUpdate, now: SubscriptionUpdate, w: _Writer) -> list[str]:
    """Products added or removed, and the prices of a product offered before and after."""
    old = {entry.product: entry for entry in was.products or ()}
    new = {entry.product: entry for entry in now.products or ()}
    lines = []
    added = [w.offered(entry) for product, entry in new.items() if product not in old]
    if added:
        lines.append(_("Products offered: added %(products)s") % {"products": _joined(added)})
    removed = [w.product(product) for product in old if product not in new]
    if removed:
        lines.append(_("No longer offered: %(products)s") % {"products": _joined(removed)})
    for product, entry in new.items():
        before = old.get(product)
        if before is not None:
            lines += w.added_removed(
                _("Prices of %(product)s") % {"product": w.product(product)},
                before.prices,
                entry.prices,
                lambda price: w.price(PriceId(price)),
            )
    return lines


def _quantities(was: SubscriptionUpdate, now: SubscriptionUpdate, w: _Writer) -> list[str]:
    """Per product offered: whether customers may choose a quantity, and between what."""
    old = {entry.product: entry.adjustable_quantity for entry in was.products or ()}
    lines = []
    for entry in now.products or ():
        quantity = entry.adjustable_quantity
        before = old.get(entry.product)
        if quantity == before or (before is None and not quantity.enabled):
            continue
        topic = _("Quantity of %(product)s") % {"product": w.product(entry.product)}
        if not quantity.enabled:
            lines.append(w.state(topic, _("fixed")))
        elif quantity.maximum is None:
            lines.append(
                w.state(
                    topic,
                    _("the customer chooses, at least %(minimum)s") % {"minimum": quantity.minimum},
                )
            )
        else:
            lines.append(
                w.state(
                    topic,
                    _("the customer chooses, %(minimum)s to %(maximum)s")
                    % {"minimum": quantity.minimum, "maximum": quantity.maximum},
                )
            )
    return lines


def _metadata(old: PortalConfiguration, new: PortalConfiguration, w: _Writer) -> list[str]:
    was, now = old.metadata or {}, new.metadata or {}
    parts = []
    for key, value in now.items():
        if key not in was:
            parts.append(_("added %(key)s = %(value)s") % {"key": key, "value": value})
        elif was[key] != value:
            parts.append(_("%(key)s now %(value)s") % {"key": key, "value": value})
    parts += [_("removed %(key)s") % {"key": key} for key in was if key not in now]
    if not parts:
        return []
    return [_("%(topic)s: %(changes)s") % {"topic": _("Metadata"), "changes": "; ".join(parts)}]


def _unworded(old: PortalConfiguration, new: PortalConfiguration, w: _Writer) -> list[str]:
    """A line for each changed field the topics above do not word (a field added later)."""
    worded = set(_WORDED)
    lines = []
    for change in diff(old, new):
        if any(parent in worded for parent in parent_params(change.param)):
            continue
        value = change.after
        shown = _on_off(value) if isinstance(value, bool) else display_value(value)
        lines.append(w.state(change.param, shown))
    return lines
