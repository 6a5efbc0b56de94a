"""Portal coverage: what the portal lets every subscription's customer do under a configuration.

Pick a configuration: per portal action a bar (allowed, then refused by reason), the same
numbers in a table that a filter narrows, and the subscriptions behind a bar's part or a row
one click away, each opening its customer's support card. The account's subscriptions index is
brought up to date when the view is attached (progress, Cancel), then the counts are computed
from it in a worker thread; nothing here blocks the window. Export CSV saves the counts, or the
subscriptions listed.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import PortalConfiguration
from console.configurations.rules import Catalogue
from console.configurations.transfer import load_catalogue
from console.coverage.account import (
    configuration_coverage,
    configuration_impact,
    subscriptions_behind,
)
from console.coverage.counts import ALLOWED, Coverage
from console.coverage.export import coverage_csv, subscriptions_csv
from console.coverage.impact import Impact
from console.coverage.reasons import reason_label
from console.customers.support_card import ACTION_WORDS, PORTAL_ACTIONS, PortalAction
from console.gateway.client import Gateway
from console.gateway.models import PortalConfigurationRecord
from console.i18n import _ as core_words
from console.index.recovery import open_subscriptions_index
from console.index.subscription_sync import sync_subscriptions
from console.index.subscriptions_store import SubscriptionStore
from ui.configuration_names import configuration_label, picker_order
from ui.context import AccountContext
from ui.coverage.bars import ALLOWED_COLOUR, CoverageBars
from ui.csv_file import write_csv
from ui.flow_layout import FlowLayout
from ui.tasks import NamedTasks
from ui.view import View

log = logging.getLogger(__name__)

LISTED = 500  # subscriptions listed behind a number (all of them go to the CSV)


class CoverageView(View):
    open_customer = Signal(str)  # customer id: show their support card
    open_portal = Signal(str)  # customer id: the portal as that customer (test mode)
    computed = Signal()  # the counts shown are the current configuration's
    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = NamedTasks(self.failed.emit)
        self._gateway: Gateway | None = None
        self._store: SubscriptionStore | None = None
        self._synced = False  # the index has been brought up to date since it was opened
        self._records: list[PortalConfigurationRecord] = []
        self._pending: Path | None = None  # the index to open once the view is shown
        self._catalogue: Catalogue | None = None
        self.coverage: Coverage | None = None
        self._selected: tuple[PortalAction, str] | None = None  # (action, reason) listed
        self.listed: tuple[tuple[str, str], ...] = ()
        self.export_dialog: QFileDialog | None = None

        self.configuration_picker = QComboBox()
        self.configuration_picker.setAccessibleName(self.tr("Portal configuration"))
        self.configuration_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.configuration_picker.setMinimumContentsLength(28)
        self.sync_label = QLabel("")
        self.sync_label.setWordWrap(True)
        self.sync_bar = QProgressBar()
        self.sync_bar.setMaximumWidth(200)
        self.sync_cancel = QPushButton(self.tr("Cancel"))
        self.sync_start = QPushButton(self.tr("Sync now"))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setEnabled(False)
        self.summary = QLabel(self.tr("Connecting…"))
        self.summary.setWordWrap(True)

        self.bars = CoverageBars()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by action or reason"))
        self.filter.setClearButtonEnabled(True)
        self.counts_model = QStandardItemModel(0, 3, self)
        self.counts_model.setHorizontalHeaderLabels(
            [self.tr("Action"), self.tr("Allowed or reason"), self.tr("Subscriptions")]
        )
        self.counts = QTableView()
        self.counts.setModel(self.counts_model)
        self.counts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.counts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.verticalHeader().hide()
        self.counts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.counts.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents
        )
        self.counts.setColumnWidth(0, 115)
        self.counts.setWordWrap(False)
        self.listed_label = QLabel(self.tr("Click a bar or a row to list its subscriptions."))
        self.listed_label.setWordWrap(True)
        self.listed_model = QStandardItemModel(0, 2, self)
        self.listed_model.setHorizontalHeaderLabels([self.tr("Subscription"), self.tr("Customer")])
        self.subscriptions = QTableView()
        self.subscriptions.setModel(self.listed_model)
        self.subscriptions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.subscriptions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.subscriptions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.subscriptions.verticalHeader().hide()
        self.subscriptions.horizontalHeader().setStretchLastSection(True)
        self.subscriptions.setColumnWidth(0, 180)
        self.open_button = QPushButton(self.tr("Open support card"))
        self.open_button.setToolTip(self.tr("The customer's support card (Enter)"))
        self.open_button.setEnabled(False)
        self.portal_button = QPushButton(self.tr("Open the portal as this customer"))
        self.portal_button.setEnabled(False)
        self._live = False

        top = FlowLayout()
        top.addWidget(QLabel(self.tr("Configuration:")))
        top.addWidget(self.configuration_picker)
        top.addWidget(self.sync_start)
        top.addWidget(self.sync_bar)
        top.addWidget(self.sync_cancel)
        top.addWidget(self.export_button)
        counts_panel = QWidget()
        counts_layout = QVBoxLayout(counts_panel)
        counts_layout.setContentsMargins(0, 0, 0, 0)
        counts_layout.addWidget(self.filter)
        counts_layout.addWidget(self.counts, 1)
        listed_panel = QWidget()
        listed_layout = QVBoxLayout(listed_panel)
        listed_layout.setContentsMargins(0, 0, 0, 0)
        listed_layout.addWidget(self.listed_label)
        listed_layout.addWidget(self.subscriptions, 1)
        buttons = FlowLayout()
        buttons.addWidget(self.portal_button)
        buttons.addWidget(self.open_button)
        listed_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(counts_panel)
        splitter.addWidget(listed_panel)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.sync_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.bars)
        layout.addWidget(splitter, 1)
        self._show_sync_running(False)

        self.configuration_picker.currentIndexChanged.connect(lambda _i: self._compute())
        self.sync_start.clicked.connect(self.start_sync)
        self.sync_cancel.clicked.connect(self.cancel_sync)
        self.export_button.clicked.connect(self.export_csv)
        self.bars.part_clicked.connect(self.list_subscriptions)
        self.filter.textChanged.connect(lambda _text: self._fill_counts())
        self.counts.selectionModel().selectionChanged.connect(lambda *_: self._count_chosen())
        self.subscriptions.selectionModel().selectionChanged.connect(
            lambda *_: self._enable_customer_buttons()
        )
        self.subscriptions.activated.connect(lambda _index: self.open_chosen())
        self.open_button.clicked.connect(self.open_chosen)
        self.portal_button.clicked.connect(self.open_chosen_portal)
        export = QShortcut(QKeySequence("Ctrl+E"), self)
        export.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.activated.connect(self.export_csv)

    # --- the view's surface --------------------------------------------------------------------

    def attach(self, context: AccountContext) -> None:
        self._tasks.cancel_all()
        if self._store is not None:
            self._store.close()  # the old account's; closing takes no I/O worth a thread
        self._gateway = context.gateway
        self._live = context.live
        self.portal_button.setToolTip(
            self.tr("Only in test mode: in live mode the portal would show a real customer's data")
            if self._live
            else self.tr("The portal view, set to this customer, ready to open")
        )
        account = context.account
        key = account.connected_account_id or account.id
        path = context.dirs.subscriptions_index_file(key, account.mode)
        self._store = None
        self._synced = False
        self._records, self._catalogue, self.coverage = [], None, None
        self._show(None)
        # Read the subscriptions when the view is first looked at, not at start-up: the sync
        # shares the background budget with the customer index, which support needs first.
        self._pending = path
        if self.isVisible():
            self._open_pending()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._open_pending()

    def _open_pending(self) -> None:
        path, self._pending = self._pending, None
        if path is not None:
            self._tasks.run("open", self._open(path))

    def refresh(self) -> None:
        self._catalogue = None
        self._tasks.run("open", self._load_configurations())

    def shutdown(self) -> None:
        self._tasks.cancel_all()
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- loading -------------------------------------------------------------------------------

    async def _open(self, path: Path) -> None:
        self._store, rebuilt_because = await asyncio.to_thread(open_subscriptions_index, path)
        if rebuilt_because is not None:
            self.sync_label.setText(rebuilt_because)
        await self._load_configurations(compute=False)
        self.start_sync()  # counts once the index is current

    async def _load_configurations(self, *, compute: bool = True) -> None:
        if self._gateway is None:
            return
        records: list[PortalConfigurationRecord] = []
        cursor: str | None = None
        while True:
            page = await self._gateway.list_portal_configurations(starting_after=cursor)
            records += page.data
            cursor = page.next_cursor
            if cursor is None:
                break
        chosen = self.configuration_picker.currentData()
        self._records = sorted(records, key=picker_order)
        self.configuration_picker.blockSignals(True)
        self.configuration_picker.clear()
        for record in self._records:
            self.configuration_picker.addItem(configuration_label(record), record.id)
        found = self.configuration_picker.findData(chosen)
        self.configuration_picker.setCurrentIndex(max(0, found))
        self.configuration_picker.blockSignals(False)
        if not self._records:
            self.summary.setText(
                self.tr("The account has no portal configuration yet: there is nothing to count.")
            )
        elif compute and "sync" not in self._tasks:
            self._compute()

    def start_sync(self) -> None:
        if self._store is None or self._gateway is None:
            return
        self._tasks.run("sync", self._sync(self._store, self._gateway))

    def cancel_sync(self) -> None:
        self._tasks.cancel("sync")
        self._show_sync_running(False)
        self.sync_label.setText(
            self.tr("Reading subscriptions stopped; it goes on from there next time.")
        )

    async def _sync(self, store: SubscriptionStore, gateway: Gateway) -> None:
        self._show_sync_running(True)
        self.sync_label.setText(self.tr("Bringing the subscriptions index up to date…"))
        try:
            outcome = await sync_subscriptions(store, gateway, self._progress)
        except asyncio.CancelledError:
            raise  # Cancel, another account or the window closing: the widgets may be gone
        except BaseException:
            self._show_sync_running(False)
            raise
        self._show_sync_running(False)
        self._synced = True
        count = await asyncio.to_thread(store.count)
        self.sync_label.setText(
            self.tr("{n} subscriptions indexed; kept current from Stripe's events.").format(
                n=self.locale().toString(count)
            )
            if outcome.full or outcome.events_applied or count
            else self.tr("The account has no subscriptions yet.")
        )
        self._compute()

    async def impact_of_edit(
        self, saved: PortalConfiguration, edited: PortalConfiguration, catalogue: Catalogue
    ) -> Impact | None:
        """What saving ``edited`` over ``saved`` does to the account's subscriptions, for the
        configuration editor's save summary; None until the index has been read (the view
        reads it when first shown, and a save must not wait for a million subscriptions)."""
        store = self._store
        if store is None or not self._synced:
            return None
        return await configuration_impact(store, saved, edited, catalogue, saved.id)

    async def subscriptions_of_shapes(
        self, shapes: tuple[int, ...], limit: int
    ) -> tuple[tuple[str, str], ...]:
        """(subscription, customer) of up to ``limit`` indexed subscriptions of these shapes."""
        store = self._store
        if store is None:
            return ()
        return await subscriptions_behind(store, shapes, limit)

    def _progress(self, done: int, total: int | None) -> None:
        self.sync_bar.setRange(0, total or 0)
        self.sync_bar.setValue(done)
        shown = self.locale().toString(done)
        self.sync_label.setText(
            self.tr("Reading subscriptions: {done} of about {total}").format(
                done=shown, total=self.locale().toString(total)
            )
            if total
            else self.tr("Reading subscriptions: {done}").format(done=shown)
        )

    def _show_sync_running(self, running: bool) -> None:
        self.sync_bar.setVisible(running)
        self.sync_cancel.setVisible(running)
        self.sync_start.setVisible(not running)

    def _record(self) -> PortalConfigurationRecord | None:
        chosen = self.configuration_picker.currentData()
        return next((r for r in self._records if r.id == chosen), None)

    def _compute(self) -> None:
        record = self._record()
        if record is not None and self._store is not None:
            self._tasks.run("coverage", self._coverage(self._store, record))

    async def _coverage(self, store: SubscriptionStore, record: PortalConfigurationRecord) -> None:
        if self._catalogue is None and self._gateway is not None:
            self._catalogue = await load_catalogue(self._gateway, offers=False)
        coverage = await configuration_coverage(store, record, self._catalogue or Catalogue())
        self._show(coverage)
        self.computed.emit()

    # --- showing -------------------------------------------------------------------------------

    def _show(self, coverage: Coverage | None) -> None:
        self.coverage = coverage
        self.export_button.setEnabled(coverage is not None)
        self.bars.show_coverage(coverage, self._action_words, reason_label)
        self._fill_counts()
        self._selected = None
        self.listed = ()
        self.listed_model.removeRows(0, self.listed_model.rowCount())
        if coverage is None:
            return
        self.summary.setText(
            self.tr(
                "{n} subscriptions, of which the portal allows each action for the green part "
                "and refuses it for the rest, by reason (ended subscriptions not counted: {ended})."
            ).format(
                n=self.locale().toString(coverage.subscriptions),
                ended=self.locale().toString(coverage.ended),
            )
        )

    def _action_words(self, action: str) -> str:
        if action == "allowed":
            return self.tr("allowed")
        words = ACTION_WORDS.get(cast(PortalAction, action))
        return core_words(words) if words is not None else action

    def _fill_counts(self) -> None:
        self.counts_model.removeRows(0, self.counts_model.rowCount())
        if self.coverage is None:
            return
        wanted = self.filter.text().strip().lower()
        for action in PORTAL_ACTIONS:
            counted = self.coverage.actions[action]
            groups = [(ALLOWED, counted.allowed), *counted.refused.items()]
            for reason, count in groups:
                words = self._action_words("allowed") if reason == ALLOWED else reason_label(reason)
                action_words = self._action_words(action)
                if wanted and wanted not in f"{action_words} {words} {reason}".lower():
                    continue
                cells = [QStandardItem(action_words), QStandardItem(words)]
                number = QStandardItem(self.locale().toString(count))
                number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cells.append(number)
                cells[0].setData((action, reason), Qt.ItemDataRole.UserRole)
                cells[1].setData(
                    ALLOWED_COLOUR if reason == ALLOWED else self.bars.colour_of(reason),
                    Qt.ItemDataRole.DecorationRole,
                )
                self.counts_model.appendRow(cells)

    def _count_chosen(self) -> None:
        rows = self.counts.selectionModel().selectedRows()
        if rows:
            action, reason = rows[0].data(Qt.ItemDataRole.UserRole)
            self.list_subscriptions(action, reason)

    def list_subscriptions(self, action: str, reason: str) -> None:
        """Lists the subscriptions behind ``action``'s count for ``reason`` (ALLOWED: allowed)."""
        if self.coverage is None or self._store is None:
            return
        chosen = cast(PortalAction, action)
        self._selected = (chosen, reason)
        shapes = self.coverage.shapes_behind(chosen, reason)
        self._tasks.run("listed", self._list(self._store, shapes, chosen, reason))

    async def _list(
        self, store: SubscriptionStore, shapes: tuple[int, ...], action: PortalAction, reason: str
    ) -> None:
        found = await subscriptions_behind(store, shapes, LISTED + 1)
        self.listed = found[:LISTED]
        self.listed_model.removeRows(0, self.listed_model.rowCount())
        for subscription, customer in self.listed:
            self.listed_model.appendRow([QStandardItem(subscription), QStandardItem(customer)])
        assert self.coverage is not None
        counted = self.coverage.actions[action]
        total = counted.allowed if reason == ALLOWED else counted.refused.get(reason, 0)
        words = self._action_words("allowed") if reason == ALLOWED else reason_label(reason)
        text = (
            self.tr("{action}, {why}: {n} subscription")
            if total == 1
            else self.tr("{action}, {why}: {n} subscriptions")
        ).format(action=self._action_words(action), why=words, n=self.locale().toString(total))
        if total > LISTED:
            text += " " + self.tr("(the newest {shown} listed; Export CSV saves them all)").format(
                shown=self.locale().toString(LISTED)
            )
        self.listed_label.setText(text)
        if self.listed:
            self.subscriptions.selectRow(0)

    def _chosen_customer(self) -> str | None:
        rows = self.subscriptions.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.listed):
            return None
        return self.listed[rows[0].row()][1]

    def open_chosen(self) -> None:
        customer = self._chosen_customer()
        if customer is not None:
            self.open_customer.emit(customer)

    def open_chosen_portal(self) -> None:
        customer = self._chosen_customer()
        if customer is not None and not self._live:
            self.open_portal.emit(customer)

    def _enable_customer_buttons(self) -> None:
        chosen = self._chosen_customer() is not None
        self.open_button.setEnabled(chosen)
        # The portal as a customer is for test mode only (the core refuses it in live mode).
        self.portal_button.setEnabled(chosen and not self._live)

    # --- export --------------------------------------------------------------------------------

    def _export_filters(self) -> tuple[str, str]:
        return (
            self.tr("Counts per action and reason (*.csv)"),
            self.tr("Every subscription behind the chosen number (*.csv)"),
        )

    def export_csv(self) -> None:
        if self.coverage is None:
            return
        dialog = QFileDialog(self, self.tr("Export portal coverage"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        filters = self._export_filters()
        dialog.setNameFilters(list(filters) if self._selected else [filters[0]])
        dialog.setDefaultSuffix("csv")
        dialog.setDirectory(str(Path.home()))
        dialog.selectFile(f"portal-coverage-{self.coverage.configuration_id}.csv")
        dialog.fileSelected.connect(
            lambda path: self._export_to(Path(path), dialog.selectedNameFilter())
        )
        dialog.finished.connect(lambda _result: self._export_dialog_closed(dialog))
        self.export_dialog = dialog
        dialog.open()

    def _export_dialog_closed(self, dialog: QFileDialog) -> None:
        if self.export_dialog is dialog:
            self.export_dialog = None
        dialog.deleteLater()

    def _export_to(self, path: Path, name_filter: str) -> None:
        if self.coverage is None:
            return
        if name_filter == self._export_filters()[1] and self._selected and self._store:
            action, reason = self._selected
            shapes = self.coverage.shapes_behind(action, reason)
            self._tasks.run("export", self._write_listed(path, self._store, shapes))
        else:
            self._tasks.run("export", self._write(path, coverage_csv(self.coverage)))

    async def _write_listed(
        self, path: Path, store: SubscriptionStore, shapes: tuple[int, ...]
    ) -> None:
        rows = await asyncio.to_thread(store.of_shapes, shapes)
        await self._write(path, subscriptions_csv(rows))

    async def _write(self, path: Path, text: str) -> None:
        await write_csv(path, text)
        self.sync_label.setText(self.tr("Saved {path}").format(path=str(path)))
        self.exported.emit(str(path))
