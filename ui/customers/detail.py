"""One customer's detail as a support agent reads it: subscriptions (with what the portal lets
the customer do, and why not, in plain words), invoices, payment methods and tax IDs."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from console.customers.support_card import (
    ACTION_WORDS,
    no_configuration,
    plan_words,
    subscription_card,
)
from console.customers.support_view import CustomerView, SubscriptionView
from console.dates import format_day
from console.eligibility.rules import Action, Eligibility
from console.gateway.models import Customer, Invoice, Subscription
from console.i18n import _ as core_words
from console.i18n import formatting_locale
from console.money import format_amount
from ui.cancellation_reasons import reason_label


def _action_words(action: Action) -> str:
    words: dict[Action, str] = {
        "update_price": QCoreApplication.translate("CustomerDetail", "switch plans"),
        "update_quantity": QCoreApplication.translate("CustomerDetail", "change the quantity"),
        "apply_promotion_code": QCoreApplication.translate(
            "CustomerDetail", "apply a promotion code"
        ),
        "cancel_now": QCoreApplication.translate("CustomerDetail", "cancel at once"),
        "cancel_at_period_end": QCoreApplication.translate(
            "CustomerDetail", "cancel at the end of the period"
        ),
        "renew": QCoreApplication.translate("CustomerDetail", "undo the cancellation"),
        "pause": QCoreApplication.translate("CustomerDetail", "pause it"),
    }
    return words[action]


def _status(status: str) -> tuple[str, str, str]:
    """Stripe's statuses as the Dashboard names them, each with the colours of its badge."""
    found = {
        "active": (QCoreApplication.translate("CustomerDetail", "Active"), "#d7f7c2", "#05690d"),
        "trialing": (
            QCoreApplication.translate("CustomerDetail", "Trialing"),
            "#cff5f6",
            "#0055bc",
        ),
        "past_due": (
            QCoreApplication.translate("CustomerDetail", "Past due"),
            "#ffe7f2",
            "#b3063d",
        ),
        "unpaid": (QCoreApplication.translate("CustomerDetail", "Unpaid"), "#ffe7f2", "#b3063d"),
        "incomplete": (
            QCoreApplication.translate("CustomerDetail", "Incomplete"),
            "#fcedb9",
            "#a82c00",
        ),
        "incomplete_expired": (
            QCoreApplication.translate("CustomerDetail", "Incomplete, expired"),
            "#ebeef1",
            "#545969",
        ),
        "paused": (QCoreApplication.translate("CustomerDetail", "Paused"), "#ebeef1", "#545969"),
        "canceled": (
            QCoreApplication.translate("CustomerDetail", "Canceled"),
            "#ebeef1",
            "#545969",
        ),
    }
    return found.get(status, (status, "#ebeef1", "#545969"))


def _invoice_status(status: str | None) -> str:
    found = {
        "draft": QCoreApplication.translate("CustomerDetail", "Draft"),
        "open": QCoreApplication.translate("CustomerDetail", "Open"),
        "paid": QCoreApplication.translate("CustomerDetail", "Paid"),
        "uncollectible": QCoreApplication.translate("CustomerDetail", "Uncollectible"),
        "void": QCoreApplication.translate("CustomerDetail", "Void"),
    }
    return found.get(status or "", status or "—")


def status_badge(status: str) -> str:
    """A subscription's status as a coloured badge, in Stripe's words."""
    words, background, colour = _status(status)
    return (
        f"<span style='background-color:{background}; color:{colour}; font-weight:600'>"
        f"&nbsp;{escape(words)}&nbsp;</span>"
    )


def _billing(subscription: Subscription) -> str:
    if subscription.collection_method == "send_invoice":
        return QCoreApplication.translate(
            "CustomerDetail", "Invoices are sent to the customer to pay"
        )
    return QCoreApplication.translate("CustomerDetail", "Charged automatically")


def portal_sentence(eligibility: Eligibility) -> str:
    """What the portal offers for the subscription, as one sentence."""
    actions = [_action_words(action) for action in eligibility.actions]
    if not actions:
        return QCoreApplication.translate(
            "CustomerDetail", "In the portal, the customer can do nothing with this subscription."
        )
    listed = (
        actions[0]
        if len(actions) == 1
        else QCoreApplication.translate("CustomerDetail", "{first} or {last}").format(
            first=", ".join(actions[:-1]), last=actions[-1]
        )
    )
    if eligibility.summary == "cancel_only":
        return QCoreApplication.translate(
            "CustomerDetail", "In the portal, the customer can only {actions}."
        ).format(actions=listed)
    return QCoreApplication.translate(
        "CustomerDetail", "In the portal, the customer can {actions}."
    ).format(actions=listed)


# The portal flow that opens on an action's page (Stripe's flow_data types).
PORTAL_FLOWS = {
    "switch_plan": "subscription_update",
    "change_quantity": "subscription_update",
    "promotion_code": "subscription_update",
    "cancel_at_period_end": "subscription_cancel",
    "cancel_now": "subscription_cancel",
    "pause": "subscription_pause",
}
LINK_SCHEME = "portal-flow"


def portal_link(flow: str, subscription_id: str) -> str:
    """The card's link for opening the portal on a flow (``portal-flow:TYPE:sub_…``)."""
    return f"{LINK_SCHEME}:{flow}:{subscription_id}"


def parse_portal_link(url: str) -> tuple[str, str] | None:
    """(flow, subscription id) from a card link; None for any other link."""
    scheme, _, rest = url.partition(":")
    flow, _, subscription_id = rest.partition(":")
    if scheme != LINK_SCHEME or not flow or not subscription_id.startswith("sub_"):
        return None
    return flow, subscription_id


def _subscription_html(view: SubscriptionView, locale: str, *, links: bool = False) -> str:
    """One subscription as the core's support card says it (the command line's ``customers
    show`` prints the same card): product and status, then each portal action with a tick or a
    cross and, for a cross, why."""
    subscription = view.subscription
    card = subscription_card(view)
    lines = [
        f"<h3>{escape(card.product)} {status_badge(subscription.status)}</h3>",
        f"<p>{escape(card.status)}<br>{escape(plan_words(subscription, locale))}"
        f"<br>{escape(_billing(subscription))}<br><small>{escape(subscription.id)}</small></p>",
    ]
    if view.eligibility is None:
        lines.append(f"<p><i>{escape(no_configuration())}</i></p>")
        return "".join(lines)
    lines.append(f"<p><b>{escape(portal_sentence(view.eligibility))}</b></p>")
    lines.append("<table cellspacing='0' cellpadding='2'>")
    for verdict in card.verdicts:
        mark, colour = ("✓", "#05690d") if verdict.allowed else ("✗", "#b3063d")
        why = "".join(f"<br><small>{escape(reason)}</small>" for reason in verdict.reasons)
        flow = PORTAL_FLOWS.get(verdict.action)
        if links and verdict.allowed and flow is not None:
            here = QCoreApplication.translate("CustomerDetail", "open the portal here")
            href = escape(portal_link(flow, subscription.id), quote=True)
            why += f" &nbsp;<a href='{href}'>{escape(here)}</a>"
        lines.append(
            f"<tr><td valign='top' style='color:{colour}; font-weight:600'>{mark}</td>"
            f"<td>{escape(core_words(ACTION_WORDS[verdict.action]))}{why}</td></tr>"
        )
    lines.append("</table>")
    if card.notes:
        good = QCoreApplication.translate("CustomerDetail", "Good to know:")
        lines.append(f"<p>{escape(good)}</p><ul>")
        lines += [f"<li>{escape(note)}</li>" for note in card.notes]
        lines.append("</ul>")
    return "".join(lines)


def last_cancellation_html(subscriptions: Sequence[Subscription]) -> str:
    """The customer's latest words on cancelling: Stripe's reason and their comment, if any."""
    said = [s for s in subscriptions if s.cancellation_feedback or s.cancellation_comment]
    if not said:
        return ""
    latest = max(said, key=lambda s: s.canceled_at or s.cancel_at or s.created)
    parts = [reason_label(latest.cancellation_feedback)] if latest.cancellation_feedback else []
    if latest.cancellation_comment:
        parts.append(f"“{latest.cancellation_comment}”")
    title = QCoreApplication.translate("CustomerDetail", "Last cancellation ({date}):").format(
        date=format_day(latest.canceled_at or latest.cancel_at)
    )
    return f"<p><b>{escape(title)}</b> {escape(' — '.join(parts))}</p>"


def _invoice_row(invoice: Invoice, locale: str) -> str:
    total = format_amount(invoice.total, invoice.currency, locale)
    due = format_amount(invoice.amount_remaining, invoice.currency, locale)
    return (
        f"<tr><td>{escape(invoice.number or invoice.id)}</td><td>{format_day(invoice.created)}</td>"
        f"<td>{escape(_invoice_status(invoice.status))}</td>"
        f"<td align='right'>{escape(total)}</td><td align='right'>{escape(due)}</td></tr>"
    )


def _heading(title: str, count: int, more: bool = False) -> str:
    shown = f"{count}+" if more else str(count)
    return f"<h2>{escape(title)} ({shown})</h2>"


def _balance_html(customer: Customer, locale: str) -> str:
    """The customer's balance as Stripe means it: negative is credit the next invoices use,
    positive is owed and added to the next invoice; nothing when there is none."""
    if not customer.balance or not customer.currency:
        return ""
    amount = format_amount(abs(customer.balance), customer.currency, locale)
    if customer.balance < 0:
        text = QCoreApplication.translate(
            "CustomerDetail", "Credit balance: {amount} (taken off the next invoices)"
        )
    else:
        text = QCoreApplication.translate(
            "CustomerDetail", "Owes {amount} (added to the next invoice)"
        )
    return f"<p>{escape(text.format(amount=amount))}</p>"


def customer_html(
    view: CustomerView, locale: str | None = None, *, portal_links: bool = False
) -> str:
    """The detail as HTML; amounts formatted for ``locale`` (e.g. "de_DE"; by default as the
    app writes dates and amounts, console.i18n.formatting_locale); with
    ``portal_links`` (test mode), each action the portal offers links to its page there."""
    locale = locale or formatting_locale()
    detail = view.detail
    customer = detail.customer
    none = escape(QCoreApplication.translate("CustomerDetail", "None."))
    since = QCoreApplication.translate("CustomerDetail", "customer since {date}").format(
        date=format_day(customer.created)
    )
    parts = [
        f"<h2>{escape(customer.name or QCoreApplication.translate('CustomerDetail', '(no name)'))}"
        "</h2>",
        f"<p>{escape(customer.email or QCoreApplication.translate('CustomerDetail', 'no email'))}"
        f" · {escape(customer.phone or QCoreApplication.translate('CustomerDetail', 'no phone'))}"
        f"<br><small>{escape(customer.id)} · {escape(since)}</small></p>",
    ]
    balance = _balance_html(customer, locale)
    if balance:
        parts.append(balance)
    configuration = view.configuration
    if configuration is not None:
        label = QCoreApplication.translate("CustomerDetail", "Portal configuration: {name}")
        name = configuration.name or configuration.id
        parts.append(f"<p><small>{escape(label.format(name=name))}</small></p>")
    parts.append(
        _heading(
            QCoreApplication.translate("CustomerDetail", "Subscriptions"), len(view.subscriptions)
        )
    )
    parts.append(last_cancellation_html([each.subscription for each in view.subscriptions]))
    parts += [
        _subscription_html(each, locale, links=portal_links) for each in view.subscriptions
    ] or [f"<p>{none}</p>"]
    parts.append(
        _heading(
            QCoreApplication.translate("CustomerDetail", "Invoices"),
            len(detail.invoices),
            detail.more_invoices,
        )
    )
    if detail.invoices:
        headers = (
            ("left", QCoreApplication.translate("CustomerDetail", "Number")),
            ("left", QCoreApplication.translate("CustomerDetail", "Date")),
            ("left", QCoreApplication.translate("CustomerDetail", "Status")),
            ("right", QCoreApplication.translate("CustomerDetail", "Total")),
            ("right", QCoreApplication.translate("CustomerDetail", "Due")),
        )
        parts.append("<table cellspacing='0' cellpadding='3' width='100%'><tr>")
        parts += [f"<th align='{side}'>{escape(text)}</th>" for side, text in headers]
        parts.append("</tr>")
        parts += [_invoice_row(invoice, locale) for invoice in detail.invoices]
        parts.append("</table>")
    else:
        parts.append(f"<p>{none}</p>")
    parts.append(
        _heading(
            QCoreApplication.translate("CustomerDetail", "Payment methods"),
            len(detail.payment_methods),
        )
    )
    default = QCoreApplication.translate("CustomerDetail", "default")
    parts.append("<ul>")
    parts += [
        f"<li>{escape(pm.display)}{' — ' + escape(default) if pm.is_default else ''}</li>"
        for pm in detail.payment_methods
    ] or [f"<li>{none}</li>"]
    parts.append("</ul>")
    parts.append(
        _heading(QCoreApplication.translate("CustomerDetail", "Tax IDs"), len(detail.tax_ids))
    )
    parts.append("<ul>")
    parts += [
        f"<li>{escape(tax.value)} ({escape(tax.type)}"
        f"{', ' + escape(tax.verification_status) if tax.verification_status else ''})</li>"
        for tax in detail.tax_ids
    ] or [f"<li>{none}</li>"]
    parts.append("</ul>")
    return "".join(parts)


class CustomerDetailPane(QTextBrowser):
    # The customer, then the portal flow and the subscription a card link asks to open.
    portal_flow_requested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.portal_links = False  # only in test mode: Stripe opens the portal as a customer there
        self._customer_id: str | None = None
        self.anchorClicked.connect(self._link_clicked)
        self.show_hint(self.tr("Select a customer to see their subscriptions, invoices and more."))

    def show_hint(self, text: str) -> None:
        self.setHtml(f"<p style='color:#666'>{escape(text)}</p>")

    def show_customer(self, view: CustomerView) -> None:
        # Amounts follow the UI's language ("C" in a bare environment: Babel's fallback).
        self._customer_id = view.detail.customer.id
        self.setHtml(customer_html(view, portal_links=self.portal_links))

    def _link_clicked(self, url: QUrl) -> None:
        found = parse_portal_link(url.toString())
        if found is not None and self._customer_id is not None and self.portal_links:
            self.portal_flow_requested.emit(self._customer_id, *found)
