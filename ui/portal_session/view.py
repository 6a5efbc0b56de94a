"""Open the portal as a customer: who, which configuration, language and flow, then in the
app or in the system browser.

The form only collects choices; ``console.portal_session.quick_view`` checks them and makes the
session, and refuses in live mode whatever the buttons say. The session URL is a
credential: it goes to the web view or the desktop's browser and nowhere else (no log, no
label, no error message).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.errors import ConsoleError, ValidationError
from console.gateway.models import PortalConfigurationRecord, PortalSession, Price, Subscription
from console.i18n import formatting_locale
from console.index import find_customers
from console.money import format_amount
from console.portal_session.quick_view import FlowType, open_portal_as_customer, refuse_live_mode
from ui.configuration_names import configuration_label, picker_order
from ui.context import AccountContext
from ui.customer_picker import CustomerPicker
from ui.portal_session.browser import PortalBrowser
from ui.portal_session.request import (
    COUPON_FLOWS,
    SUBSCRIPTION_FLOWS,
    AfterType,
    PortalRequest,
    field_of,
    flow_of,
    portal_locales,
)
from ui.tasks import NamedTasks
from ui.view import View

log = logging.getLogger(__name__)

SEARCH_LIMIT = 8
ERROR_STYLE = "color: #a4262c;"


class PortalSessionView(View):
    session_opened = Signal(str)  # "app" or "browser"; never the URL

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: AccountContext | None = None
        self._tasks = NamedTasks(self.failed.emit)
        self._customer_id: str | None = None
        self._subscriptions: tuple[Subscription, ...] = ()
        self._wanted_subscription: str | None = None  # chosen once the subscriptions load
        self._prices_loaded = False
        self._problem_labels: dict[str, QLabel] = {}
        self._cells: dict[str, QWidget] = {}
        self._fields: dict[str, QWidget] = {}  # what gets the focus when its row has a problem

        # --- customer ---
        self.customer_picker = CustomerPicker(self.tr("Name, email or customer id"))
        self.customer_search = self.customer_picker.search
        self.customer_results = self.customer_picker.matches
        self.customer_label = QLabel(self.tr("No customer chosen yet."))
        self.customer_label.setWordWrap(True)
        self.customer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        customer_box = QVBoxLayout()
        customer_box.setContentsMargins(0, 0, 0, 0)
        customer_box.addWidget(self.customer_picker)
        customer_box.addWidget(self.customer_label)

        # --- session options ---
        self.configuration = QComboBox()
        self.configuration.addItem(self.tr("The account's default"), None)
        self.language = QComboBox()
        self.language.addItem(self.tr("Automatic (the customer's language)"), "auto")
        for entry in portal_locales():
            self.language.addItem(f"{entry.native} ({entry.code})", entry.code)
            self.language.setItemData(
                self.language.count() - 1, entry.english, Qt.ItemDataRole.ToolTipRole
            )
        self.flow = QComboBox()
        flows: list[tuple[str, FlowType | None]] = [
            (self.tr("None: the portal's home page"), None),
            (self.tr("Update the payment method"), "payment_method_update"),
            (self.tr("Update the customer's details"), "customer_update"),
            (self.tr("Cancel a subscription"), "subscription_cancel"),
            (self.tr("Pause a subscription"), "subscription_pause"),
            (self.tr("Change a subscription's plan"), "subscription_update"),
            (self.tr("Confirm a prepared plan change"), "subscription_update_confirm"),
        ]
        for text, kind in flows:
            self.flow.addItem(text, kind)
        self.subscription = QComboBox()
        self.confirm_price = QComboBox()
        self.confirm_price.addItem(self.tr("Keep the current price"), None)
        self.confirm_quantity = QSpinBox()
        self.confirm_quantity.setRange(0, 10_000)
        self.confirm_quantity.setSpecialValueText(self.tr("Keep the current quantity"))
        self.coupon = QLineEdit()
        self.coupon.setPlaceholderText(self.tr("Optional coupon id, e.g. RETENTION25"))
        self.coupon.setToolTip(
            self.tr(
                "Cancel: the portal first offers this coupon to keep the customer. "
                "Plan change: the coupon applied with the change."
            )
        )
        self.after = QComboBox()
        afters: list[tuple[str, AfterType]] = [
            (self.tr("Back to the portal's home page"), "portal_homepage"),
            (self.tr("Show a confirmation message"), "hosted_confirmation"),
            (self.tr("Redirect to an address"), "redirect"),
        ]
        for text, after in afters:
            self.after.addItem(text, after)
        self.after_message = QLineEdit()
        self.after_message.setPlaceholderText(self.tr("Optional: Stripe's message if empty"))
        self.after_redirect = QLineEdit()
        self.after_redirect.setPlaceholderText("https://example.com/thanks")
        self.return_url = QLineEdit()
        self.return_url.setPlaceholderText(self.tr("The configuration's default return address"))

        # Combos as wide as about 20 characters rather than their longest entry (their lists
        # show entries whole): the form fits beside the portal on a small screen.
        for combo in (
            self.configuration,
            self.language,
            self.flow,
            self.subscription,
            self.confirm_price,
            self.after,
        ):
            combo.setMinimumContentsLength(20)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_row(self.tr("&Customer"), customer_box, "customer", self.customer_search)
        self._add_row(self.tr("C&onfiguration"), self.configuration, "configuration")
        self._add_row(self.tr("&Language"), self.language, "locale")
        self._add_row(self.tr("&Flow"), self.flow, "flow")
        self._add_row(self.tr("&Subscription"), self.subscription, "subscription")
        self._add_row(self.tr("New &price"), self.confirm_price, "items")
        self._add_row(self.tr("New &quantity"), self.confirm_quantity, "quantity")
        self._add_row(self.tr("Co&upon"), self.coupon, "coupon")
        self._add_row(self.tr("&After the flow"), self.after, "after")
        self._add_row(self.tr("&Message"), self.after_message, "after_message")
        self._add_row(self.tr("&Redirect to"), self.after_redirect, "after_redirect")
        self._add_row(self.tr("Re&turn URL"), self.return_url, "return_url")

        self.live_notice = QLabel(
            self.tr(
                "This account is in live mode. Opening the portal as a customer is only "
                "possible in test mode (Stripe's rule, for the customers' safety): use a "
                "test-mode key or the built-in sandbox."
            )
        )
        self.live_notice.setWordWrap(True)
        self.live_notice.setStyleSheet(
            "background: #fff4ce; border: 1px solid #d8a300; border-radius: 4px; padding: 6px;"
        )
        self.live_notice.hide()
        self.open_in_app_button = QPushButton(self.tr("Open in app"))
        self.open_in_app_button.setToolTip(self.tr("Open the portal here (Ctrl+Enter)"))
        self.open_in_app_button.setDefault(True)
        self.open_in_browser_button = QPushButton(self.tr("Open in browser"))
        self.open_in_browser_button.setToolTip(
            self.tr("Open the portal in the system's web browser (Ctrl+Shift+Enter)")
        )
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        self._problem_labels["general"] = self.status
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_in_app_button)
        buttons.addWidget(self.open_in_browser_button)
        buttons.addStretch(1)

        form_panel = QWidget()
        form_panel.setMinimumWidth(300)
        form_layout = QVBoxLayout(form_panel)
        heading = QLabel(self.tr("Open the portal as a customer"))
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        form_layout.addWidget(heading)
        form_layout.addLayout(self.form)
        form_layout.addWidget(self.live_notice)
        form_layout.addLayout(buttons)
        form_layout.addWidget(self.status)
        form_layout.addStretch(1)

        self.browser = PortalBrowser()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(form_panel)
        splitter.addWidget(self.browser)
        # A narrower window takes a third of what it loses from the form, the rest from the
        # portal: at 800x600 the portal keeps room for its page beside the form.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([400, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.customer_picker.wanted.connect(self._search_customers)
        self.customer_picker.chosen.connect(self.set_customer)
        self.flow.currentIndexChanged.connect(lambda _i: self._show_flow_rows())
        self.after.currentIndexChanged.connect(lambda _i: self._show_flow_rows())
        self.subscription.currentIndexChanged.connect(lambda _i: self._clear_problems())
        self.open_in_app_button.clicked.connect(self.open_in_app)
        self.open_in_browser_button.clicked.connect(self.open_in_browser)
        for keys, slot in (
            ("Ctrl+Return", self.open_in_app),
            ("Ctrl+Enter", self.open_in_app),
            ("Ctrl+Shift+Return", self.open_in_browser),
            ("Ctrl+Shift+Enter", self.open_in_browser),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._show_flow_rows()
        self._update_buttons()

    def _add_row(
        self, title: str, field: QWidget | QVBoxLayout, key: str, buddy: QWidget | None = None
    ) -> None:
        """A form row: the field with its problem line under it (hidden until there is one)."""
        problem = QLabel()
        problem.setWordWrap(True)
        problem.setStyleSheet(ERROR_STYLE)
        problem.hide()
        self._problem_labels[key] = problem
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        if isinstance(field, QWidget):
            box.addWidget(field)
        else:
            box.addLayout(field)
        box.addWidget(problem)
        label = QLabel(title)
        target = buddy if buddy is not None else field
        if isinstance(target, QWidget):
            label.setBuddy(target)
            self._fields[key] = target
        self._cells[key] = cell
        self.form.addRow(label, cell)

    # --- the view API -------------------------------------------------------------------------

    def attach(self, context: AccountContext) -> None:
        """Works on this account from now on: the form keeps nothing of the previous one."""
        self._tasks.cancel_all()
        self._context = context
        self.browser.close_portal()
        self._customer_id = None
        self._subscriptions = ()
        self._prices_loaded = False
        self.customer_picker.reset()
        self.customer_label.setText(self.tr("No customer chosen yet."))
        self._fill_subscriptions()
        while self.confirm_price.count() > 1:  # the other account's prices
            self.confirm_price.removeItem(1)
        self.live_notice.setVisible(context.live)
        self._show_flow_rows()  # reloads the prices if a plan change is chosen
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        """Reloads the configurations (and the chosen customer's subscriptions)."""
        if self._context is None:
            return
        self._start("configurations", self._load_configurations())
        if self._customer_id is not None:
            self._start("customer", self._load_customer(self._customer_id))

    def close_panel(self) -> bool:
        """Esc: stops an opening under way, else hides the results, else closes the portal."""
        if "open" in self._tasks:
            self._tasks.cancel("open")
            self.status.setText(self.tr("Opening the portal was cancelled."))
            self._update_buttons()
            return True
        if self.customer_picker.hide_matches():
            return True
        return self.browser.close_portal()

    def shutdown(self) -> None:
        self.customer_search.cancel_pending()
        self.browser.close_portal()
        self._tasks.cancel_all()

    def busy(self) -> bool:
        return self._tasks.busy()

    def focus_search(self) -> None:
        self.customer_search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.customer_search.selectAll()

    def prepare_flow(self, customer_id: str, flow: str, subscription_id: str) -> None:
        """Sets the form to open ``flow`` for one of the customer's subscriptions (a support
        card's "open the portal here"); the focus goes to Open in app, as for a customer."""
        index = self.flow.findData(flow)
        if index >= 0:
            self.flow.setCurrentIndex(index)
        self._wanted_subscription = subscription_id
        self.set_customer(customer_id)

    def set_customer(self, customer_id: str) -> None:
        """Chooses the customer (from the Customers view); the focus goes to Open in app."""
        self._customer_id = customer_id
        self.customer_results.hide()
        self.customer_label.setText(self.tr("Loading {id}…").format(id=customer_id))
        self._subscriptions = ()
        self._fill_subscriptions()
        self._clear_problems()
        self._update_buttons()
        if self._context is not None:
            self._start("customer", self._load_customer(customer_id))
        self.open_in_app_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def customer_id(self) -> str | None:
        return self._customer_id

    def _start(self, name: str, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Runs ``work`` as the task ``name`` (replacing an older one).

        A task cancelled before its first step never starts ``work``; closing it then keeps
        Python from warning that it was never awaited (closing a finished one does nothing).
        """
        task = self._tasks.run(name, work)
        task.add_done_callback(lambda _done: work.close())
        return task

    # --- loading the choices ------------------------------------------------------------------

    async def _load_configurations(self) -> None:
        if self._context is None:
            return
        gateway = self._context.gateway
        records: list[PortalConfigurationRecord] = []
        cursor: str | None = None
        while True:
            page = await gateway.list_portal_configurations(starting_after=cursor)
            records.extend(page.data)
            cursor = page.next_cursor
            if cursor is None:
                break
        chosen = self.configuration.currentData()
        self.configuration.clear()
        self.configuration.addItem(self.tr("The account's default"), None)
        for record in sorted(records, key=picker_order):
            self.configuration.addItem(configuration_label(record), record.id)
            self.configuration.setItemData(
                self.configuration.count() - 1, record.id, Qt.ItemDataRole.ToolTipRole
            )
        found = self.configuration.findData(chosen)
        self.configuration.setCurrentIndex(max(found, 0))

    async def _load_customer(self, customer_id: str) -> None:
        if self._context is None:
            return
        gateway = self._context.gateway
        try:
            customer, subscriptions = await asyncio.gather(
                gateway.retrieve_customer(customer_id), gateway.list_subscriptions(customer_id)
            )
        except ConsoleError:
            self.customer_label.setText(
                self.tr("{id} could not be loaded (see the message above).").format(id=customer_id)
            )
            raise
        if customer_id != self._customer_id:
            return
        name = customer.name or self.tr("(no name)")
        email = customer.email or self.tr("no email")
        self.customer_label.setText(
            self.tr("<b>{name}</b><br>{email}<br><small>{id}</small>").format(
                name=_escape(name), email=_escape(email), id=_escape(customer.id)
            )
        )
        self._subscriptions = subscriptions
        self._fill_subscriptions()
        self._update_buttons()

    async def _load_prices(self) -> None:
        if self._context is None:
            return
        gateway = self._context.gateway
        prices: list[Price] = []
        cursor: str | None = None
        while True:
            page = await gateway.list_prices(active=True, starting_after=cursor)
            prices.extend(page.data)
            cursor = page.next_cursor
            if cursor is None:
                break
        self._prices_loaded = True
        for price in prices:
            if price.type != "recurring":
                continue
            amount = format_amount(price.unit_amount, price.currency, formatting_locale())
            every = f" / {price.recurring_interval}" if price.recurring_interval else ""
            label = price.product_name or price.nickname or price.id
            self.confirm_price.addItem(f"{label} ({amount}{every})", price.id)

    def _fill_subscriptions(self) -> None:
        self.subscription.clear()
        if not self._subscriptions:
            self.subscription.addItem(self.tr("The customer has no subscriptions"), None)
            return
        for subscription in self._subscriptions:
            plan = ", ".join(
                item.price.product_name or item.price.nickname or item.price.id
                for item in subscription.items
            )
            self.subscription.addItem(
                f"{plan} — {subscription.status} ({subscription.id})", subscription.id
            )
        wanted = self.subscription.findData(self._wanted_subscription)
        if wanted >= 0:
            self.subscription.setCurrentIndex(wanted)
            self._wanted_subscription = None

    # --- searching a customer -----------------------------------------------------------------

    def _search_customers(self, query: str) -> None:
        if query:
            self._start("search", self._search(query))

    async def _search(self, query: str) -> None:
        if self._context is None:
            return
        found = await find_customers(
            self._context.index, self._context.gateway, query, limit=SEARCH_LIMIT
        )
        self.customer_picker.show_matches(found.customers, query)

    # --- the form -----------------------------------------------------------------------------

    def _show_flow_rows(self) -> None:
        kind = self.flow.currentData()
        after = self.after.currentData()
        rows = {
            "subscription": kind in SUBSCRIPTION_FLOWS,
            "items": kind == "subscription_update_confirm",
            "quantity": kind == "subscription_update_confirm",
            "coupon": kind in COUPON_FLOWS,
            "after": kind is not None,
            "after_message": kind is not None and after == "hosted_confirmation",
            "after_redirect": kind is not None and after == "redirect",
        }
        for key, visible in rows.items():
            self.form.setRowVisible(self._cells[key], visible)
        if kind == "subscription_update_confirm" and not self._prices_loaded:
            self._prices_loaded = True  # one load per account; refresh() is for the rest
            self._start("prices", self._load_prices())
        self._clear_problems()

    def request(self) -> PortalRequest:
        """What the form holds now."""
        subscription_id = self.subscription.currentData()
        item_id: str | None = None
        for subscription in self._subscriptions:
            if subscription.id == subscription_id and subscription.items:
                item_id = subscription.items[0].id
        quantity = self.confirm_quantity.value()
        flow_type: FlowType | None = self.flow.currentData()
        return PortalRequest(
            customer_id=self._customer_id,
            configuration=self.configuration.currentData(),
            locale=self.language.currentData(),
            flow_type=flow_type,
            subscription_id=subscription_id,
            confirm_item_id=item_id,
            confirm_price=self.confirm_price.currentData(),
            confirm_quantity=quantity or None,
            coupon=(self.coupon.text().strip() or None) if flow_type in COUPON_FLOWS else None,
            after_type=self.after.currentData(),
            after_message=self.after_message.text().strip() or None,
            after_redirect_url=self.after_redirect.text().strip() or None,
            return_url=self.return_url.text().strip() or None,
        )

    def _update_buttons(self) -> None:
        live = self._context is not None and self._context.live
        usable = self._context is not None and not live and self._customer_id is not None
        opening = "open" in self._tasks
        for button in (self.open_in_app_button, self.open_in_browser_button):
            button.setEnabled(usable and not opening)

    def _clear_problems(self) -> None:
        for key, label in self._problem_labels.items():
            label.clear()
            if key != "general":
                label.hide()

    def problem_at(self, field: str) -> str:
        """The problem shown under ``field`` (a form key such as "after_redirect"), or ""."""
        label = self._problem_labels[field]
        return label.text() if label.isVisible() else ""

    def _show_problems(self, error: ConsoleError) -> None:
        if isinstance(error, ValidationError):
            pairs = [(problem.param, problem.message) for problem in error.problems]
        else:
            pairs = [(error.param or "", error.message)]
        first: QWidget | None = None
        for param, message in pairs:
            key = field_of(param)
            label = self._problem_labels[key]
            text = label.text()
            label.setText(f"{text}\n{message}" if text else message)
            label.show()
            first = first or self._fields.get(key)
        if first is not None and first.isVisible():
            first.setFocus(Qt.FocusReason.OtherFocusReason)  # straight to what needs fixing

    # --- opening ------------------------------------------------------------------------------

    def open_in_app(self) -> None:
        self._open(self._show_in_app, "app")

    def open_in_browser(self) -> None:
        self._open(self._show_in_browser, "browser")

    def _show_in_app(self, session: PortalSession) -> None:
        self.browser.open_session(session.url)
        self.browser.view.setFocus()

    def _show_in_browser(self, session: PortalSession) -> None:
        if not QDesktopServices.openUrl(QUrl(session.url)):
            self.status.setText(self.tr("The system has no web browser to open the portal in."))

    def _open(self, show: Callable[[PortalSession], None], where: str) -> None:
        if self._context is None or "open" in self._tasks:
            return
        self._clear_problems()
        self.status.setText(self.tr("Opening the portal…"))
        task = self._start("open", self._open_session(self.request(), show, where))
        task.add_done_callback(lambda _done: self._update_buttons())
        self._update_buttons()

    async def _open_session(
        self, request: PortalRequest, show: Callable[[PortalSession], None], where: str
    ) -> None:
        try:
            context = self._context
            if context is None:
                return
            # The account's mode decides, not only the key's: a live account stays refused
            # even if its gateway were somehow given a test key.
            refuse_live_mode(context.account)
            session = await open_portal_as_customer(
                context.gateway,
                request.customer_id or "",
                configuration=request.configuration,
                locale=request.locale,
                flow=flow_of(request),
                return_url=request.return_url,
            )
        except ConsoleError as error:
            self.status.clear()
            self._show_problems(error)
            raise
        show(session)
        where_text = self.tr("in the app") if where == "app" else self.tr("in the browser")
        self.status.setText(
            self.tr("Portal session {id} opened {where}.").format(id=session.id, where=where_text)
        )
        self.session_opened.emit(where)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
