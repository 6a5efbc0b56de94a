"""Open the portal as a customer: from the Customers view's search to the portal, in the app
(real Qt WebEngine) or the system browser, on the real sandbox; refused in live mode."""

from __future__ import annotations

import dataclasses
import logging
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from console.errors import ConsoleError, LiveModeRefused
from console.sandbox_launcher import EmbeddedSandbox
from tests.ui.conftest import demo_customer, save_screenshot
from ui.context import AccountContext
from ui.customers.view import CustomersView
from ui.main_window import MainWindow
from ui.portal_session.view import PortalSessionView

MakeView = Callable[[AccountContext], PortalSessionView]


def _page_text(qtbot: Any, view: PortalSessionView) -> str:
    texts: list[str] = []
    view.browser.view.page().toPlainText(texts.append)
    qtbot.waitUntil(lambda: bool(texts), timeout=10_000)
    return texts[0]


@pytest.fixture
def make_view(qtbot: Any) -> Iterator[MakeView]:
    made: list[PortalSessionView] = []

    def make(context: AccountContext) -> PortalSessionView:
        view = PortalSessionView()
        qtbot.addWidget(view)
        view.resize(1200, 760)
        view.show()
        view.attach(context)
        made.append(view)
        return view

    yield make
    for view in made:
        view.shutdown()
    qtbot.wait(100)  # the closed pages go before their off-the-record profiles


def _choose(view: PortalSessionView, qtbot: Any, customer: Any) -> None:
    view.set_customer(customer.id)
    qtbot.waitUntil(lambda: customer.email in view.customer_label.text(), timeout=10_000)


def test_a_support_agent_goes_from_an_email_to_the_portal_in_french_by_keyboard(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    window = QWidget()
    qtbot.addWidget(window)
    customers, portal = CustomersView(), PortalSessionView()
    row = QHBoxLayout(window)
    row.addWidget(customers)
    row.addWidget(portal)
    window.resize(1600, 800)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(customers.sync_finished, timeout=20_000):
        customers.attach(demo_context)  # the index, so part of an email is enough
    portal.attach(demo_context)
    customers.open_portal.connect(portal.set_customer)  # what the main window does
    try:
        customers.focus_search()  # what Ctrl+K does (the window's shortcut, tested elsewhere)
        qtbot.keyClicks(customers.search, customer.email.split("@")[0])
        qtbot.waitUntil(lambda: customers.model.rowCount() == 1, timeout=10_000)
        qtbot.keyClick(customers.search, Qt.Key.Key_Down)  # into the results, first row
        assert customers.table.hasFocus()
        with qtbot.waitSignal(customers.open_portal, timeout=5_000) as opened:
            qtbot.keyClick(customers.table, Qt.Key.Key_Return)
        assert opened.args == [customer.id]
        qtbot.waitUntil(lambda: customer.email in portal.customer_label.text(), timeout=10_000)
        assert portal.open_in_app_button.hasFocus()

        portal.language.setFocus()
        qtbot.keyClicks(portal.language, "Fran")
        assert portal.language.currentData() == "fr"
        portal.flow.setFocus()
        qtbot.keyClicks(portal.flow, "Update the p")
        assert portal.flow.currentData() == "payment_method_update"
        with qtbot.waitSignal(portal.browser.load_finished, timeout=30_000) as loaded:
            qtbot.keyClick(portal.flow, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert loaded.args == [True]

        text = _page_text(qtbot, portal)
        assert "Ajouter un moyen de paiement" in text  # the flow's page, in French
        assert "Numéro de carte" in text
        assert "Ajouter un moyen" in portal.browser.title.text()
        qtbot.wait(300)  # let the web view paint before the grab
        save_screenshot(window, "portal-session-from-customers")

        # A flow session ends at the return address; without a flow the portal's home shows
        # this customer's own details, still in French.
        portal.flow.setFocus()
        qtbot.keyClicks(portal.flow, "None")
        assert portal.flow.currentData() is None
        with qtbot.waitSignal(portal.browser.load_finished, timeout=30_000):
            qtbot.keyClick(portal.flow, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        home = _page_text(qtbot, portal)
        assert customer.email in home
        assert customer.name in home
        assert "INFORMATIONS DE FACTURATION" in home.upper()
        assert portal.browser.view.page().profile().isOffTheRecord()
    finally:
        customers.shutdown()
        portal.shutdown()
        qtbot.wait(100)


def test_the_view_with_a_customer_chosen_lists_configurations_locales_and_flows(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    qtbot.waitUntil(lambda: view.configuration.count() > 1, timeout=10_000)
    labels = [view.configuration.itemText(i) for i in range(view.configuration.count())]
    assert sum("(default)" in label for label in labels) == 1
    assert view.language.count() == 41  # automatic + the portal's 40
    assert view.language.findText("Deutsch (de)") > 0
    assert view.language.currentData() == "auto"

    view.language.setCurrentIndex(view.language.findData("en"))
    view.flow.setCurrentIndex(view.flow.findData("subscription_cancel"))
    assert view.subscription.isVisible()
    qtbot.waitUntil(lambda: view.subscription.currentData() is not None, timeout=10_000)
    assert "Starter" in view.subscription.currentText()
    view.after.setCurrentIndex(view.after.findData("hosted_confirmation"))
    assert view.after_message.isVisible() and not view.after_redirect.isVisible()
    save_screenshot(view, "portal-session-customer-chosen")

    with qtbot.waitSignal(view.browser.load_finished, timeout=30_000):
        qtbot.mouseClick(view.open_in_app_button, Qt.MouseButton.LeftButton)
    assert "Cancel subscription" in _page_text(qtbot, view)
    qtbot.wait(300)  # let the web view paint before the grab
    save_screenshot(view, "portal-session-in-app")
    assert view.close_panel()  # Esc closes the portal
    assert not view.browser.is_open()


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_in_browser_hands_a_sandbox_portal_session_to_the_desktop(
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
    demo_sandbox: EmbeddedSandbox,
    demo_context: AccountContext,
    make_view: MakeView,
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    caplog.set_level(logging.DEBUG)
    catcher = _UrlCatcher()
    # Qt's own hook for QDesktopServices.openUrl: the URL arrives here, not in a browser.
    # PySide6's stubs want the slot's name as bytes, its binding refuses bytes and takes a str.
    QDesktopServices.setUrlHandler("http", catcher, "open_url")  # type: ignore[arg-type]
    try:
        with qtbot.waitSignal(view.session_opened, timeout=10_000) as opened:
            qtbot.mouseClick(view.open_in_browser_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("http")
    assert opened.args == ["browser"]
    assert len(catcher.urls) == 1
    url = catcher.urls[0].toString()
    assert url.startswith(f"{demo_sandbox.url}/p/")
    assert not view.browser.is_open()
    assert url not in view.status.text()  # the link is a credential: never shown
    assert url not in caplog.text  # nor logged, even at debug level
    assert "bps_" in caplog.text  # (the session id is)
    assert "opened in the browser" in view.status.text()
    # It is a real session: the link opens this customer's portal.
    with urllib.request.urlopen(url) as answer:  # the sandbox, on loopback
        body = answer.read().decode()
    assert customer.email in body


def test_live_mode_disables_opening_with_the_reason_and_the_core_refuses(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    live = dataclasses.replace(
        demo_context, account=dataclasses.replace(demo_context.account, mode="live")
    )
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(live)
    _choose(view, qtbot, customer)
    assert view.live_notice.isVisible()
    assert "only possible in test mode" in view.live_notice.text()
    assert not view.open_in_app_button.isEnabled()
    assert not view.open_in_browser_button.isEnabled()

    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    view.open_in_app()  # as if the disabled button were forced
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert isinstance(errors[0], LiveModeRefused)
    assert errors[0].code == "livemode_refused"
    assert not view.browser.is_open()
    assert "test mode" in view.status.text()
    save_screenshot(view, "portal-session-live-refused")

    customers = CustomersView()
    qtbot.addWidget(customers)
    customers.resize(1000, 600)
    customers.show()
    customers.attach(live, sync_now=False)
    refused: list[ConsoleError] = []
    asked: list[str] = []
    customers.failed.connect(refused.append)
    customers.open_portal.connect(asked.append)
    qtbot.keyClicks(customers.search, customer.email)
    qtbot.waitUntil(lambda: customers.model.rowCount() == 1, timeout=10_000)
    customers.select_row(0)
    qtbot.waitUntil(lambda: "Tax IDs" in customers.detail.toPlainText(), timeout=10_000)
    assert not customers.open_portal_button.isEnabled()
    assert customers.portal_reason.isVisible()
    assert "live mode" in customers.portal_reason.text()
    qtbot.keyClick(customers.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert asked == []
    assert isinstance(refused[0], LiveModeRefused)
    save_screenshot(customers, "customers-live-portal-unavailable")
    customers.shutdown()


def test_a_bad_redirect_address_is_shown_at_its_field_and_fixing_it_opens(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    view.flow.setCurrentIndex(view.flow.findData("payment_method_update"))
    view.after.setCurrentIndex(view.after.findData("redirect"))
    qtbot.keyClicks(view.after_redirect, "example.com/thanks")
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    view.open_in_app()
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert errors[0].param == "flow_data[after_completion][redirect][return_url]"
    problem = view.problem_at("after_redirect")
    assert "web address" in problem
    assert view.after_redirect.hasFocus()  # straight to the field to fix
    assert view.after_redirect.text() == "example.com/thanks"  # the edit is kept
    assert view.flow.currentData() == "payment_method_update"
    assert not view.browser.is_open()

    view.after_redirect.setText("https://example.com/thanks")
    with qtbot.waitSignal(view.browser.load_finished, timeout=30_000):
        view.open_in_app()
    assert view.problem_at("after_redirect") == ""
    assert view.browser.is_open()


def test_a_subscription_flow_without_a_subscription_is_refused_at_the_subscription(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "invoice-only, paid invoices")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    view.flow.setCurrentIndex(view.flow.findData("subscription_pause"))
    assert view.subscription.currentText() == "The customer has no subscriptions"
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    view.open_in_app()
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    problem = view.problem_at("subscription")
    assert "subscriptions" in problem


def test_each_customer_gets_a_fresh_off_the_record_profile(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    first = demo_customer(demo_sandbox, "card, Starter monthly")
    second = demo_customer(demo_sandbox, "five seats of Team")
    view = make_view(demo_context)
    profiles = []
    for customer in (first, second):
        _choose(view, qtbot, customer)
        with qtbot.waitSignal(view.browser.load_finished, timeout=30_000):
            view.open_in_app()
        profile = view.browser.view.page().profile()
        assert profile.isOffTheRecord()
        profiles.append(profile)
        assert customer.email in _page_text(qtbot, view)
    assert profiles[0] is not profiles[1]
    assert first.email not in _page_text(qtbot, view)


def _pick_price(view: PortalSessionView, qtbot: Any, *words: str) -> None:
    def matching() -> int:
        for index in range(view.confirm_price.count()):
            text = view.confirm_price.itemText(index)
            if all(word in text for word in words) and text.startswith(words[0]):
                return index
        return -1

    qtbot.waitUntil(lambda: matching() >= 0, timeout=10_000)
    view.confirm_price.setCurrentIndex(matching())


def test_a_prepared_plan_change_opens_on_its_confirmation(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    view.language.setCurrentIndex(view.language.findData("en"))
    view.flow.setCurrentIndex(view.flow.findData("subscription_update_confirm"))
    assert view.confirm_price.isVisible() and view.confirm_quantity.isVisible()
    qtbot.waitUntil(lambda: view.subscription.currentData() is not None, timeout=10_000)
    _pick_price(view, qtbot, "Team ($29.00 / month)")  # the amount the locale's way (Babel)
    errors: list[ConsoleError] = []
    loads: list[bool] = []
    view.failed.connect(errors.append)
    view.browser.load_finished.connect(loads.append)
    view.open_in_app()
    qtbot.waitUntil(lambda: bool(errors) or bool(loads), timeout=30_000)
    assert errors == []
    assert loads == [True]
    text = _page_text(qtbot, view)
    assert "Team" in text
    assert "Confirm" in text


def test_stripes_refusal_of_a_price_is_shown_at_the_price(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    view.flow.setCurrentIndex(view.flow.findData("subscription_update_confirm"))
    qtbot.waitUntil(lambda: view.subscription.currentData() is not None, timeout=10_000)
    _pick_price(view, qtbot, "Legacy")  # closed plan: no configuration offers it
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    view.open_in_app()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert errors[0].param is not None and errors[0].param.endswith("[price]")
    assert "configuration" in view.problem_at("items")  # Stripe's reason, at the price
    assert "Legacy" in view.confirm_price.currentText()  # the choice is kept
    assert not view.browser.is_open()
    save_screenshot(view, "portal-session-price-refused")


def test_the_views_own_search_finds_a_customer_by_keyboard(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "five seats of Team")
    view = make_view(demo_context)
    view.focus_search()
    qtbot.keyClicks(view.customer_search, customer.email)
    qtbot.waitUntil(
        lambda: view.customer_results.isVisible() and view.customer_results.count() > 0,
        timeout=10_000,
    )
    qtbot.keyClick(view.customer_search, Qt.Key.Key_Down)
    assert view.customer_results.hasFocus()
    qtbot.keyClick(view.customer_results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: customer.email in view.customer_label.text(), timeout=10_000)
    assert view.customer_id() == customer.id
    assert not view.customer_results.isVisible()
    assert view.open_in_app_button.isEnabled()


def test_esc_cancels_an_opening_under_way(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    view.open_in_app()
    assert not view.open_in_app_button.isEnabled()  # one opening at a time
    assert view.close_panel()  # Esc, before the session has come back
    assert "cancelled" in view.status.text()
    assert view.open_in_app_button.isEnabled()
    qtbot.wait(300)
    assert not view.browser.is_open()
    assert not view.busy()


def test_in_the_window_ctrl_k_an_email_down_enter_and_ctrl_enter_open_the_portal(
    qtbot: Any,
    demo_sandbox: EmbeddedSandbox,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
) -> None:
    customer = demo_customer(demo_sandbox, "five seats of Team")
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    with qtbot.waitSignal(window.customers.sync_finished, timeout=20_000):
        window.show_context(make_context(demo_sandbox))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2_000)

    focused = QApplication.focusWidget() or window
    qtbot.keyClick(focused, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.customers.search.hasFocus()
    qtbot.keyClicks(window.customers.search, customer.email.split("@")[0])
    qtbot.waitUntil(lambda: window.customers.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "match" in window.customers.results_label.text(), timeout=10_000)
    qtbot.keyClick(window.customers.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.customers.table, Qt.Key.Key_Return)
    portal = window.portal
    assert window.current_view() is portal
    qtbot.waitUntil(lambda: customer.email in portal.customer_label.text(), timeout=10_000)
    assert portal.open_in_app_button.hasFocus()
    with qtbot.waitSignal(portal.browser.load_finished, timeout=30_000):
        qtbot.keyClick(
            portal.open_in_app_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert customer.email in _page_text(qtbot, portal)
    qtbot.wait(300)  # let the web view paint before the grab
    save_screenshot(window, "portal-session-in-window")


def test_a_cancel_flow_with_a_retention_coupon_opens_on_the_offer(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "Starter yearly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    view.language.setCurrentIndex(view.language.findData("en"))
    view.flow.setCurrentIndex(view.flow.findData("subscription_cancel"))
    qtbot.waitUntil(lambda: view.subscription.currentData() is not None, timeout=10_000)
    assert view.coupon.isVisible()
    qtbot.keyClicks(view.coupon, "NO_SUCH_COUPON")
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    view.open_in_app()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "NO_SUCH_COUPON" in view.problem_at("coupon")
    assert view.coupon.hasFocus()

    view.coupon.setText("RETENTION25")
    with qtbot.waitSignal(view.browser.load_finished, timeout=30_000):
        view.open_in_app()
    text = _page_text(qtbot, view)
    assert "Accept offer" in text
    assert "25%" in text
    assert view.problem_at("coupon") == ""


def test_attaching_another_account_forgets_the_customer_and_the_prices(
    qtbot: Any, demo_sandbox: EmbeddedSandbox, demo_context: AccountContext, make_view: MakeView
) -> None:
    customer = demo_customer(demo_sandbox, "card, Starter monthly")
    view = make_view(demo_context)
    _choose(view, qtbot, customer)
    view.flow.setCurrentIndex(view.flow.findData("subscription_update_confirm"))
    qtbot.waitUntil(lambda: view.confirm_price.count() > 1, timeout=10_000)
    qtbot.waitUntil(lambda: not view.busy(), timeout=10_000)  # every price is in
    prices = view.confirm_price.count()

    view.attach(demo_context)  # as when the window switches accounts
    assert view.customer_id() is None
    assert "No customer" in view.customer_label.text()
    assert not view.open_in_app_button.isEnabled()
    qtbot.waitUntil(lambda: view.confirm_price.count() == prices, timeout=10_000)
    qtbot.waitUntil(lambda: not view.busy(), timeout=10_000)  # no load left to add more
    assert view.confirm_price.count() == prices  # reloaded, not doubled
