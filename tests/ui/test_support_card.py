"""The customer's support card from hand-built subscriptions: every portal action has a line,
pause included (an action the window did not know made it fail)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.unit.core.eligibility.test_rules import MONTHLY, PRICES, configured
from tests.unit.core.factories import customer, customer_view, subscription
from ui.customers.detail import customer_html


def card_with_everything_allowed(*, links: bool) -> str:
    config = configured(features__subscription_pause__enabled=True)
    view = customer_view(subscription(MONTHLY), configuration=config, prices=PRICES)
    return customer_html(view, portal_links=links)


def test_a_subscription_the_portal_can_pause_shows_pause_among_its_actions(
    qapp: QApplication,
) -> None:
    config = configured(features__subscription_pause__enabled=True)
    view = customer_view(subscription(MONTHLY), configuration=config, prices=PRICES)
    assert view.subscriptions[0].eligibility is not None
    assert view.subscriptions[0].eligibility.can_pause
    html = customer_html(view)
    assert "pause it" in html
    assert "font-weight:600'>✓</td><td>Pause</td>" in html


def test_statuses_and_actions_in_words_not_stripes_enums(qapp: QApplication) -> None:
    view = customer_view(
        subscription(MONTHLY, status="past_due"), configuration=configured(), prices=PRICES
    )
    html = customer_html(view)
    assert "Past due" in html and "past_due" not in html
    assert "the latest payment failed" in html
    for action in ("Switch plan", "Change quantity", "Apply a promotion code", "Pause"):
        assert action in html


def test_the_customers_last_words_on_cancelling_are_on_the_card(qapp: QApplication) -> None:
    """The latest cancellation's reason in words and the customer's own comment."""
    earlier = subscription(
        MONTHLY,
        id="sub_old",
        status="canceled",
        canceled_at=1_700_000_000,
        cancellation_feedback="too_expensive",
    )
    latest = subscription(
        MONTHLY,
        id="sub_new",
        status="canceled",
        canceled_at=1_750_000_000,
        cancellation_feedback="switched_service",
        cancellation_comment="Moved to <another> tool.",
    )
    html = customer_html(customer_view(earlier, latest, configuration=configured(), prices=PRICES))
    assert "Last cancellation (Jun 15, 2025):" in html
    assert "Switched to another service — “Moved to &lt;another&gt; tool.”" in html
    assert "Too expensive" not in html  # only the latest


def test_no_cancellation_no_line(qapp: QApplication) -> None:
    html = customer_html(customer_view(subscription(MONTHLY), configuration=None, prices=PRICES))
    assert "Last cancellation" not in html


def test_a_credit_or_a_debt_in_the_customer_balance_is_said_in_words(qapp: QApplication) -> None:
    credit = customer(balance=-1250, currency="usd")
    html = customer_html(customer_view(configuration=None, prices=PRICES, who=credit))
    assert "Credit balance: $12.50 (taken off the next invoices)" in html
    owes = customer(balance=500, currency="eur")
    html = customer_html(customer_view(configuration=None, prices=PRICES, who=owes))
    assert "Owes €5.00 (added to the next invoice)" in html
    html = customer_html(customer_view(configuration=None, prices=PRICES))
    assert "balance" not in html.lower() and "Owes" not in html
