"""The main window on the sandbox: the account marker, searching, the detail, sync, errors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QDialog

from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests.ui.conftest import demo_customer, german_interface, save_screenshot
from tests.ui.test_support_card import card_with_everything_allowed
from ui.context import AccountContext
from ui.customers.model import PAGE_SIZE
from ui.customers.view import CustomersView
from ui.main_window import MainWindow

OpenWindow = Callable[..., MainWindow]


@pytest.fixture
def open_window(
    qtbot: Any, make_context: Callable[[EmbeddedSandbox], AccountContext]
) -> Iterator[OpenWindow]:
    """A main window on a running sandbox, registered as the Sandbox account like the app does."""
    opened: list[MainWindow] = []

    def open_(sandbox: EmbeddedSandbox, *, sync_now: bool = True) -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.show_context(make_context(sandbox), sync_customers=sync_now)
        opened.append(window)
        return window

    yield open_
    for window in opened:
        window.shutdown()
        qtbot.waitUntil(lambda w=window: not w.customers.busy(), timeout=10_000)


def _wait_synced(qtbot: Any, window: MainWindow) -> None:
    def synced() -> bool:
        text = window.customers.sync_label.text()
        return "up to date" in text or "Kundenindex aktuell" in text

    qtbot.waitUntil(synced, timeout=20_000)


def _shown_ids(window: MainWindow) -> list[str]:
    model = window.customers.model
    return [customer.id for row in range(model.rowCount()) if (customer := model.customer_at(row))]


def test_the_window_shows_the_test_marker_and_the_account_name(
    qtbot: Any, open_window: OpenWindow, demo_sandbox: EmbeddedSandbox
) -> None:
    window = open_window(demo_sandbox, sync_now=False)
    banner = window.banner
    assert banner.mode.isVisible()
    assert banner.mode.text().strip() == "TEST MODE"
    assert "#f5a623" in banner.mode.styleSheet()  # orange, not only words
    assert banner.account_name.text().startswith("Sandbox")
    assert "TEST" in window.windowTitle()
    assert window.sidebar.count() == len(window.views)  # only views that exist
    assert window.sidebar.item(0).text().startswith("Customers")


def test_typing_a_name_finds_the_customer_and_shows_what_the_portal_allows(
    qtbot: Any, open_window: OpenWindow, demo_sandbox: EmbeddedSandbox
) -> None:
    manual = demo_customer(demo_sandbox, "invoices sent for manual payment")
    window = open_window(demo_sandbox)
    _wait_synced(qtbot, window)
    view = window.customers

    qtbot.keyClicks(view.search, manual.name)
    qtbot.waitUntil(lambda: "local index" in view.results_label.text(), timeout=10_000)
    assert manual.id in _shown_ids(window)

    view.select_row(_shown_ids(window).index(manual.id))
    qtbot.waitUntil(lambda: "Tax IDs" in view.detail.toPlainText(), timeout=10_000)
    text = view.detail.toPlainText()
    assert manual.name in text
    assert "In the portal, the customer can only cancel" in text
    assert "the portal can only cancel it" in text  # the reason, in plain words
    assert "NL123456789B01" in text  # the tax ID
    assert "Invoices (" in text
    assert "Payment methods (" in text
    save_screenshot(window, "ui-customers")


def test_ctrl_k_focuses_the_search_box(
    qtbot: Any, open_window: OpenWindow, demo_sandbox: EmbeddedSandbox
) -> None:
    window = open_window(demo_sandbox, sync_now=False)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2_000)
    window.customers.table.setFocus()
    qtbot.waitUntil(lambda: not window.customers.search.hasFocus(), timeout=2_000)
    qtbot.keyClick(window.customers.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.customers.search.hasFocus, timeout=2_000)


def test_sync_shows_progress_and_cancel_stops_it(
    qtbot: Any, open_window: OpenWindow, big_sandbox: EmbeddedSandbox
) -> None:
    window = open_window(big_sandbox, sync_now=False)
    view = window.customers
    seen: list[tuple[int, bool]] = []
    outcomes: list[str] = []

    def cancel_after_first_page(done: int, _total: object) -> None:
        seen.append((done, view.sync_bar.isVisible() and view.sync_cancel.isVisible()))
        if done > 0 and view.sync_cancel.isVisible():
            qtbot.mouseClick(view.sync_cancel, Qt.MouseButton.LeftButton)

    view.sync_progressed.connect(cancel_after_first_page)
    view.sync_finished.connect(outcomes.append)
    qtbot.mouseClick(view.sync_start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outcomes == ["cancelled"], timeout=15_000)

    assert seen and all(visible for _done, visible in seen)
    assert seen[-1][0] == 100  # stopped after the first page of 1,000
    assert "cancelled" in view.sync_label.text()
    assert not view.sync_cancel.isVisible()
    assert view.sync_start.isVisible()


def test_an_error_appears_in_the_bar_not_in_a_dialog(qtbot: Any, open_window: OpenWindow) -> None:
    sandbox = start_embedded_sandbox(None, seed="none")
    try:
        window = open_window(sandbox, sync_now=False)
    finally:
        sandbox.stop()  # Stripe is now unreachable
    assert not window.error_bar.isVisible()

    qtbot.keyClicks(window.customers.search, "Jenny")
    qtbot.waitUntil(window.error_bar.isVisible, timeout=15_000)
    assert "type network_error" in window.error_bar.message.text()
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not [w for w in shown if isinstance(w, QDialog)]
    qtbot.mouseClick(window.error_bar.dismiss, Qt.MouseButton.LeftButton)
    assert not window.error_bar.isVisible()


def test_an_empty_search_shows_the_newest_customers_and_pages_by_cursor(
    qtbot: Any, open_window: OpenWindow, big_sandbox: EmbeddedSandbox
) -> None:
    window = open_window(big_sandbox, sync_now=False)  # not synced: Stripe's own list
    view = window.customers
    qtbot.waitUntil(lambda: "newest customers" in view.results_label.text(), timeout=10_000)
    assert view.model.rowCount() == PAGE_SIZE
    created = [c.created for row in range(PAGE_SIZE) if (c := view.model.customer_at(row))]
    assert created == sorted(created, reverse=True)

    # Scrolling to the end asks for the next page: it continues after the last row shown.
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 * PAGE_SIZE, timeout=10_000)
    ids = _shown_ids(window)
    assert len(set(ids)) == len(ids)
    created = [c.created for row in range(2 * PAGE_SIZE) if (c := view.model.customer_at(row))]
    assert created == sorted(created, reverse=True)


def test_enter_or_ctrl_o_on_a_customer_asks_for_their_portal(
    qtbot: Any,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
    demo_sandbox: EmbeddedSandbox,
) -> None:
    view = CustomersView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    view.attach(make_context(demo_sandbox), sync_now=False)
    customer = demo_customer(demo_sandbox, "five seats of Team")
    assert not view.open_portal_button.isEnabled()  # nobody selected yet
    qtbot.keyClicks(view.search, customer.email)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "match" in view.results_label.text(), timeout=10_000)
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    assert view.open_portal_button.isEnabled()
    assert not view.portal_reason.isVisible()
    with qtbot.waitSignal(view.open_portal, timeout=5_000) as asked:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert asked.args == [customer.id]
    with qtbot.waitSignal(view.open_portal, timeout=5_000) as asked:
        qtbot.keyClick(view.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert asked.args == [customer.id]
    qtbot.waitUntil(lambda: "Tax IDs" in view.detail.toPlainText(), timeout=10_000)
    view.shutdown()
    qtbot.waitUntil(lambda: not view.busy(), timeout=10_000)


def _open_card(qtbot: Any, window: MainWindow, customer: Any) -> str:
    view = window.customers
    _wait_synced(qtbot, window)
    # By email: keyClicks types ASCII reliably, and the demo's names are not all ASCII.
    qtbot.keyClicks(view.search, customer.email)
    qtbot.waitUntil(lambda: customer.id in _shown_ids(window), timeout=10_000)
    view.select_row(_shown_ids(window).index(customer.id))
    qtbot.waitUntil(lambda: customer.email in view.detail.toPlainText(), timeout=10_000)
    qtbot.waitUntil(lambda: "(" in view.detail.toPlainText(), timeout=10_000)
    return str(view.detail.toPlainText())


def test_the_support_card_says_the_subscription_and_each_portal_action_in_words(
    qtbot: Any, open_window: OpenWindow, demo_sandbox: EmbeddedSandbox
) -> None:
    """Titled by its product with Stripe's status, each action ticked or crossed: what a
    support agent reads out, without sub_ ids or past_due in the way."""
    late = demo_customer(demo_sandbox, "past due after a declined renewal")
    window = open_window(demo_sandbox)
    text = _open_card(qtbot, window, late)
    assert "Team" in text and "Past due" in text and "past_due" not in text
    assert "the latest payment failed" in text
    assert "Charged automatically" in text
    for action in ("Switch plan", "Change quantity", "Apply a promotion code", "Pause"):
        assert action in text
    assert "✓" in text or "✗" in text
    save_screenshot(window, "ui-support-card")


def test_the_support_card_in_german(
    qapp: QApplication, qtbot: Any, open_window: OpenWindow, demo_sandbox: EmbeddedSandbox
) -> None:
    late = demo_customer(demo_sandbox, "past due after a declined renewal")
    with german_interface(qapp):
        window = open_window(demo_sandbox)
        text = _open_card(qtbot, window, late)
        save_screenshot(window, "de-support-card")
    assert "Überfällig" in text and "Automatisch abgebucht" in text
    assert "Tarif wechseln" in text and "Menge ändern" in text
    assert "die letzte Zahlung ist fehlgeschlagen" in text
    assert "Switch plan" not in text and "Past due" not in text


def test_open_the_portal_here_sets_the_portal_view_to_that_page(
    qtbot: Any, open_window: OpenWindow, demo_sandbox: EmbeddedSandbox
) -> None:
    """A support agent clicks "open the portal here" beside "Cancel at period end": the portal
    view opens for that customer with the cancel flow and that subscription chosen, ready to open
    (Enter on the focused Open in app button)."""
    late = demo_customer(demo_sandbox, "past due after a declined renewal")
    window = open_window(demo_sandbox)
    _open_card(qtbot, window, late)
    html = window.customers.detail.toHtml()
    links = re.findall(r'href="(portal-flow:subscription_cancel:sub_\w+)"', html)
    assert links, "an allowed cancel has its link"
    subscription_id = links[0].rsplit(":", 1)[1]

    window.customers.detail.anchorClicked.emit(QUrl(links[0]))

    portal = window.portal
    assert window.current_view() is portal
    assert portal.flow.currentData() == "subscription_cancel"
    qtbot.waitUntil(lambda: portal.subscription.currentData() == subscription_id, timeout=10_000)
    assert portal.customer_id() == late.id


def test_no_portal_links_in_live_mode(qapp: QApplication) -> None:
    """Stripe opens the portal as a customer only in test mode: a live account's card has no
    link to click (the core refuses anyway)."""
    html = card_with_everything_allowed(links=False)
    assert "portal-flow:" not in html
    assert "portal-flow:subscription_update:" in card_with_everything_allowed(links=True)


def test_a_customer_who_cancelled_shows_their_reason_and_comment(
    qtbot: Any, open_window: OpenWindow, demo_sandbox: EmbeddedSandbox
) -> None:
    gone = demo_customer(demo_sandbox, "canceled Team subscription")
    window = open_window(demo_sandbox)
    text = _open_card(qtbot, window, gone)
    assert "Last cancellation (" in text
    assert "Switched to another service — “Moved to another tool.”" in text
