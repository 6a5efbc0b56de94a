"""The Customers view: a search box over the local index, the results, and a detail pane.

Every network or disk wait is an asyncio task on the qasync loop; the view keeps a handle
on each and cancels it when a newer request replaces it or the view shuts down. Errors are
not shown here: they go out through ``failed`` to the window's error bar.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.accounts import StoredAccount
from console.customers.support_view import load_customer_view
from console.errors import ConsoleError
from console.gateway.client import Gateway
from console.index import IndexStore, find_customers, recent_customers, sync
from console.portal_session.quick_view import refuse_live_mode
from ui.context import AccountContext
from ui.customers.detail import CustomerDetailPane
from ui.customers.model import PAGE_SIZE, CustomersModel
from ui.search_field import CustomerSearchField
from ui.tasks import NamedTasks
from ui.view import View

log = logging.getLogger(__name__)


class CustomersView(View):
    sync_progressed = Signal(int, object)  # customers done, estimated total or None
    sync_finished = Signal(str)  # "done", "cancelled" or "failed"
    open_portal = Signal(str)  # customer id: open the portal as this customer
    # Customer id, portal flow, subscription id: open the portal as the customer on that page.
    open_portal_flow = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gateway: Gateway | None = None
        self._index: IndexStore | None = None
        self._tasks = NamedTasks(self.failed.emit)
        self._closed = False  # shut down: tasks finishing late must not touch the widgets
        self._rebuilding = False  # the index is being rebuilt in place (events expired)
        self._query: str | None = None  # None: nothing shown yet
        self._cursor: str | None = None  # where the next page of the results starts
        self._live = False
        self._account: StoredAccount | None = None
        self._selected_id: str | None = None

        self.search = CustomerSearchField(
            self.tr("Search customers by name, email, phone or id  (Ctrl+K)")
        )
        self.search.setEnabled(False)
        self.results_label = QLabel(self.tr("Connecting…"))
        self.results_label.setStyleSheet("color: #555;")
        self.results_label.setWordWrap(True)  # a long hint must not make the window wider

        # Owned by the view (Qt parent): Python's garbage collector must not free it while the
        # table, deleted later by Qt, still points at it.
        self.model = CustomersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Fixed row heights: Qt never measures rows it does not show, however many there are.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 170)
        self.table.setColumnWidth(1, 230)
        self.detail = CustomerDetailPane()
        self.open_portal_button = QPushButton(self.tr("Open portal as customer…"))
        self.open_portal_button.setToolTip(
            self.tr("Open the customer portal as this customer (Ctrl+O or Enter)")
        )
        self.open_portal_button.setEnabled(False)
        self.portal_reason = QLabel("")
        self.portal_reason.setWordWrap(True)
        self.portal_reason.setStyleSheet("color: #8a6100;")
        self.portal_reason.hide()
        detail_actions = QHBoxLayout()
        detail_actions.setContentsMargins(0, 0, 0, 0)
        detail_actions.addWidget(self.open_portal_button)
        detail_actions.addWidget(self.portal_reason, 1)
        detail_panel = QWidget()
        detail_layout = QVBoxLayout(detail_panel)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addLayout(detail_actions)
        detail_layout.addWidget(self.detail, 1)

        self.sync_label = QLabel("")
        self.sync_bar = QProgressBar()
        self.sync_bar.setMaximumWidth(260)
        self.sync_cancel = QPushButton(self.tr("Cancel"))
        self.sync_start = QPushButton(self.tr("Sync now"))
        self.sync_start.setEnabled(False)
        self._show_sync_running(False)

        top = QVBoxLayout()
        top.addWidget(self.search)
        top.addWidget(self.results_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(detail_panel)
        splitter.setSizes([520, 480])
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_label, 1)
        sync_row.addWidget(self.sync_bar)
        sync_row.addWidget(self.sync_cancel)
        sync_row.addWidget(self.sync_start)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(sync_row)

        self.search.settled.connect(lambda _query: self._search_now())
        self.search.submitted.connect(lambda _query: self._search_now())
        self.search.walk_down.connect(self._walk_into_results)
        self.model.more_wanted.connect(self._fetch_more)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.sync_cancel.clicked.connect(self.cancel_sync)
        self.sync_start.clicked.connect(self.start_sync)
        self.open_portal_button.clicked.connect(self.request_portal)
        self.detail.portal_flow_requested.connect(self.open_portal_flow)
        # Enter on a row (Qt's "activated") and Ctrl+O anywhere in the view open the portal.
        self.table.activated.connect(lambda _index: self.request_portal())
        open_shortcut = QShortcut(QKeySequence("Ctrl+O"), self)
        open_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        open_shortcut.activated.connect(self.request_portal)

    # --- connection ---------------------------------------------------------------------------

    def attach(self, context: AccountContext, *, sync_now: bool = True) -> None:
        """Works on this account from now on; brings its index up to date unless told not to."""
        # The previous account's work stops here: a sync still running would otherwise keep
        # filling the old index while the new account never syncs.
        self._tasks.cancel_all()
        self._gateway, self._index = context.gateway, context.index
        self._live = context.live
        self.detail.portal_links = not context.live  # Stripe: test mode only
        self._account = context.account
        self._selected_id = None
        self.detail.show_hint(
            self.tr("Select a customer to see their subscriptions, invoices and more.")
        )
        self._show_portal_availability()
        self.search.setEnabled(True)
        self.sync_start.setEnabled(True)
        self._query = None
        self._search_now()  # the newest customers, until something is typed
        if sync_now:
            self.start_sync()

    def shutdown(self) -> None:
        """Cancels everything under way (the window is closing)."""
        self._closed = True
        self.search.cancel_pending()
        # Qt emits selection signals while it tears the table down; no slot may run by then.
        self.table.selectionModel().selectionChanged.disconnect(self._selection_changed)
        self._tasks.cancel_all()

    def busy(self) -> bool:
        return self._tasks.busy()

    def refresh(self) -> None:
        """Runs the current search again and reloads the selected customer (Ctrl+R)."""
        self._query = None
        self._search_now()
        if self._selected_id is not None:
            self._tasks.run("detail", self._load_detail(self._selected_id))

    def close_panel(self) -> bool:
        """Esc: clears the search if it holds anything."""
        if self.search.text():
            self.search.clear()
            self._search_now()
            return True
        return False

    # --- portal -------------------------------------------------------------------------------

    def _show_portal_availability(self) -> None:
        usable = not self._live and self._selected_id is not None
        self.open_portal_button.setEnabled(usable)
        if self._live:
            self.portal_reason.setText(
                self.tr(
                    "Not available in live mode: Stripe allows opening the portal as a "
                    "customer only with a test-mode key."
                )
            )
        self.portal_reason.setVisible(self._live)

    def request_portal(self) -> None:
        """Asks (``open_portal``) for the selected customer's portal; refused in live mode."""
        if self._selected_id is None:
            return
        try:
            refuse_live_mode(self._account)
        except ConsoleError as error:
            self.failed.emit(error)
            return
        self.open_portal.emit(self._selected_id)

    def _walk_into_results(self) -> None:
        # Down in the search box goes to the results, first row selected: search, Down, Enter.
        if self.model.rowCount() > 0:
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.table.selectionModel().hasSelection():
                self.select_row(0)

    # --- search --------------------------------------------------------------------------------

    def show_customer(self, customer_id: str) -> None:
        """Searches for ``customer_id`` (its row) and shows its support card at once."""
        self.search.setText(customer_id)
        self._search_now()
        self.detail.show_hint(self.tr("Loading {name}…").format(name=customer_id))
        self._selected_id = customer_id
        self._tasks.run("detail", self._load_detail(customer_id))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_now(self) -> None:
        self.search.cancel_pending()
        query = self.search.text().strip()
        if query == self._query and "search" in self._tasks:
            return
        self._query = query
        self._cursor = None
        self._tasks.run("search", self._search(query) if query else self._recent())

    async def _search(self, query: str) -> None:
        if self._gateway is None or self._index is None:
            return
        found = await find_customers(self._index, self._gateway, query, limit=PAGE_SIZE)
        self._cursor = found.next_cursor
        self.model.reset(found.customers, has_more=found.next_cursor is not None)
        count = len(found.customers)
        shown = f"{count}+" if found.next_cursor is not None else str(count)
        if found.source == "index":
            text = (
                self.tr("{n} customer matches “{query}” (from the local index).")
                if count == 1
                else self.tr("{n} customers match “{query}” (from the local index).")
            )
        else:
            # Stripe's search index trails its data by up to a minute (longer in incidents).
            text = (
                self.tr(
                    "{n} customer matches “{query}” (from Stripe's search, which can miss "
                    "changes of the last minute)."
                )
                if count == 1
                else self.tr(
                    "{n} customers match “{query}” (from Stripe's search, which can miss "
                    "changes of the last minute)."
                )
            )
        self.results_label.setText(text.format(n=shown, query=query))

    async def _recent(self) -> None:
        """Nothing typed: the newest customers, so there is something to pick from at once."""
        if self._gateway is None or self._index is None:
            return
        found = await recent_customers(self._index, self._gateway, limit=PAGE_SIZE)
        self._cursor = found.next_cursor
        self.model.reset(found.customers, has_more=found.next_cursor is not None)
        if not found.customers:
            self.results_label.setText(self.tr("The account has no customers yet."))
        else:
            self.results_label.setText(
                self.tr(
                    "The newest customers. Type a name, email, phone number or customer id "
                    "to search."
                )
            )

    def _fetch_more(self, _held: int) -> None:
        if self._query is None or self._cursor is None:
            self.model.append_page((), has_more=False)  # nothing after these: stop asking
            return
        self._tasks.run("more", self._more(self._query, self._cursor))

    async def _more(self, query: str, cursor: str) -> None:
        """The page after ``cursor``: one page of work, however many are shown already."""
        if self._gateway is None or self._index is None:
            return
        found = await (
            find_customers(self._index, self._gateway, query, limit=PAGE_SIZE, after=cursor)
            if query
            else recent_customers(self._index, self._gateway, limit=PAGE_SIZE, after=cursor)
        )
        if query == self._query and cursor == self._cursor:
            self._cursor = found.next_cursor
            self.model.append_page(found.customers, has_more=found.next_cursor is not None)

    # --- detail --------------------------------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        customer = self.model.customer_at(rows[0].row()) if rows else None
        self._selected_id = customer.id if customer is not None else None
        self._show_portal_availability()
        if customer is not None:
            self.detail.show_hint(
                self.tr("Loading {name}…").format(name=customer.name or customer.id)
            )
            self._tasks.run("detail", self._load_detail(customer.id))

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0, QModelIndex()))

    async def _load_detail(self, customer_id: str) -> None:
        if self._gateway is None:
            return
        try:
            view = await load_customer_view(self._gateway, customer_id)
        except ConsoleError:
            self.detail.show_hint(
                self.tr("The customer could not be loaded (see the message above).")
            )
            raise
        self.detail.show_customer(view)

    # --- sync ----------------------------------------------------------------------------------

    def _show_sync_running(self, running: bool) -> None:
        self.sync_bar.setVisible(running)
        self.sync_cancel.setVisible(running)
        self.sync_start.setVisible(not running)

    def _number(self, value: int) -> str:
        """``value`` with the UI language's digit grouping (1,000 / 1.000)."""
        return self.locale().toString(value)

    def start_sync(self) -> None:
        if "sync" not in self._tasks:
            self._tasks.run("sync", self._sync())

    def cancel_sync(self) -> None:
        task = self._tasks.get("sync")
        if task is not None:
            task.cancel()

    def _progress(self, done: int, total: int | None) -> None:
        if total:
            self.sync_bar.setRange(0, total)
            self.sync_bar.setValue(min(done, total))
            text = (
                self.tr(
                    "Rebuilding the customer index (Stripe keeps events 30 days, and the "
                    "index is older): {done} of about {total}. Search uses the old index "
                    "until then."
                )
                if self._rebuilding
                else self.tr("Syncing the customer index: {done} of about {total}")
            )
            self.sync_label.setText(text.format(done=self._number(done), total=self._number(total)))
        else:
            self.sync_bar.setRange(0, 0)  # busy indicator: Stripe gave no estimate
            text = (
                self.tr(
                    "Rebuilding the customer index (Stripe keeps events 30 days, and the "
                    "index is older): {done}. Search uses the old index until then."
                )
                if self._rebuilding
                else self.tr("Syncing the customer index: {done}")
            )
            self.sync_label.setText(text.format(done=self._number(done)))
        self.sync_progressed.emit(done, total)

    def _rebuild_started(self) -> None:
        self._rebuilding = True
        self._progress(0, None)

    async def _sync(self) -> None:
        if self._gateway is None or self._index is None:
            return
        self._show_sync_running(True)
        self.sync_bar.setRange(0, 0)
        self.sync_label.setText(self.tr("Syncing the customer index…"))
        outcome = "failed"
        self._rebuilding = False
        try:
            await sync(self._index, self._gateway, self._progress, self._rebuild_started)
            count = await asyncio.to_thread(self._index.count)
            self.sync_label.setText(
                self.tr("Customer index up to date: {count} customers.").format(
                    count=self._number(count)
                )
            )
            outcome = "done"
        except asyncio.CancelledError:
            outcome = "cancelled"
            if not self._closed:  # after shutdown the widgets may already be gone
                self.sync_label.setText(
                    self.tr(
                        "Sync cancelled. Search still works (through Stripe); Sync now resumes it."
                    )
                )
            raise
        except ConsoleError:
            self.sync_label.setText(
                self.tr("Sync failed (see the message above). Sync now retries.")
            )
            raise
        finally:
            if not self._closed:
                self._show_sync_running(False)
                self.sync_finished.emit(outcome)
