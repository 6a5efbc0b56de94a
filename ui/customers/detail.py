"""One customer's detail as a support agent reads it: subscriptions (with what the portal lets
the customer do, and why not, in plain words), invoices, payment methods and tax IDs."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from console.gateway.models import Invoice, Subscription
from console.portal.customer_view import CustomerView, SubscriptionView
from console.portal.eligibility import Action, Eligibility
from resources import load_json

_ACTION_WORDS: dict[Action, str] = {
    "update_price": "switch plans",
    "update_quantity": "change the quantity",
    "apply_promotion_code": "apply a promotion code",
    "cancel_now": "cancel at once",
    "cancel_at_period_end": "cancel at the end of the period",
    "renew": "undo the cancellation",
}
# Currencies Stripe counts in whole units (no cents): a Stripe fact stored once, in resources/.
_ZERO_DECIMAL = frozenset(
    load_json("stripe", "zero-decimal-currencies.json")["zero_decimal_currencies"]
)


def _date(timestamp: int | None) -> str:
    if timestamp is None:
        return "—"
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")


def _money(amount: int | None, currency: str) -> str:
    if amount is None:
        return "—"
    code = currency.lower()
    value = f"{amount:,}" if code in _ZERO_DECIMAL else f"{amount / 100:,.2f}"
    return f"{value} {code.upper()}"


def _plan(subscription: Subscription) -> str:
    parts = []
    for item in subscription.items:
        price = item.price
        name = price.product_name or price.nickname or price.id
        every = f" / {price.recurring_interval}" if price.recurring_interval else ""
        quantity = f" x {item.quantity}" if item.quantity and item.quantity != 1 else ""
        parts.append(f"{name} ({_money(price.unit_amount, price.currency)}{every}){quantity}")
    return ", ".join(parts) or "no items"


def portal_sentence(eligibility: Eligibility) -> str:
    """What the portal offers for the subscription, as one sentence."""
    actions = [_ACTION_WORDS[action] for action in eligibility.actions]
    if not actions:
        return "In the portal, the customer can do nothing with this subscription."
    listed = actions[0] if len(actions) == 1 else ", ".join(actions[:-1]) + " or " + actions[-1]
    only = "only " if eligibility.summary == "cancel_only" else ""
    return f"In the portal, the customer can {only}{listed}."


def _subscription_html(view: SubscriptionView) -> str:
    subscription = view.subscription
    lines = [
        f"<h3>{escape(subscription.id)} — {escape(subscription.status)}</h3>",
        f"<p>{escape(_plan(subscription))}<br>"
        f"Billing: {escape(subscription.collection_method.replace('_', ' '))}",
    ]
    if subscription.cancel_at_period_end or subscription.cancel_at:
        lines.append(f"<br>Set to end on {_date(subscription.cancel_at)}")
    if subscription.trial_end:
        lines.append(f"<br>Trial until {_date(subscription.trial_end)}")
    lines.append("</p>")
    eligibility = view.eligibility
    if eligibility is None:
        lines.append(
            "<p><i>The account has no portal configuration yet, so the portal "
            "cannot be opened.</i></p>"
        )
        return "".join(lines)
    lines.append(f"<p><b>{escape(portal_sentence(eligibility))}</b></p>")
    if eligibility.reasons:
        lines.append("<p>Why not more:</p><ul>")
        lines += [f"<li>{escape(reason.message)}</li>" for reason in eligibility.reasons]
        lines.append("</ul>")
    if eligibility.warnings:
        lines.append("<p>Good to know:</p><ul>")
        lines += [f"<li>{escape(warning.message)}</li>" for warning in eligibility.warnings]
        lines.append("</ul>")
    return "".join(lines)


def _invoice_row(invoice: Invoice) -> str:
    return (
        f"<tr><td>{escape(invoice.number or invoice.id)}</td><td>{_date(invoice.created)}</td>"
        f"<td>{escape(invoice.status or '—')}</td>"
        f"<td align='right'>{_money(invoice.total, invoice.currency)}</td>"
        f"<td align='right'>{_money(invoice.amount_remaining, invoice.currency)}</td></tr>"
    )


def customer_html(view: CustomerView) -> str:
    detail = view.detail
    customer = detail.customer
    parts = [
        f"<h2>{escape(customer.name or '(no name)')}</h2>",
        f"<p>{escape(customer.email or 'no email')} · {escape(customer.phone or 'no phone')}"
        f"<br><small>{escape(customer.id)} · customer since {_date(customer.created)}</small></p>",
    ]
    configuration = view.configuration
    if configuration is not None:
        label = configuration.name or configuration.id
        parts.append(f"<p><small>Portal configuration: {escape(label)}</small></p>")
    parts.append(f"<h2>Subscriptions ({len(view.subscriptions)})</h2>")
    parts += [_subscription_html(each) for each in view.subscriptions] or ["<p>None.</p>"]
    more = "+" if detail.more_invoices else ""
    parts.append(f"<h2>Invoices ({len(detail.invoices)}{more})</h2>")
    if detail.invoices:
        parts.append(
            "<table cellspacing='0' cellpadding='3' width='100%'>"
            "<tr><th align='left'>Number</th><th align='left'>Date</th>"
            "<th align='left'>Status</th><th align='right'>Total</th>"
            "<th align='right'>Due</th></tr>"
        )
        parts += [_invoice_row(invoice) for invoice in detail.invoices]
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    parts.append(f"<h2>Payment methods ({len(detail.payment_methods)})</h2><ul>")
    parts += [
        f"<li>{escape(pm.display)}{' — default' if pm.is_default else ''}</li>"
        for pm in detail.payment_methods
    ] or ["<li>None.</li>"]
    parts.append(f"</ul><h2>Tax IDs ({len(detail.tax_ids)})</h2><ul>")
    parts += [
        f"<li>{escape(tax.value)} ({escape(tax.type)}"
        f"{', ' + escape(tax.verification_status) if tax.verification_status else ''})</li>"
        for tax in detail.tax_ids
    ] or ["<li>None.</li>"]
    parts.append("</ul>")
    return "".join(parts)


class CustomerDetailPane(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.show_hint("Select a customer to see their subscriptions, invoices and more.")

    def show_hint(self, text: str) -> None:
        self.setHtml(f"<p style='color:#666'>{escape(text)}</p>")

    def show_customer(self, view: CustomerView) -> None:
        self.setHtml(customer_html(view))
