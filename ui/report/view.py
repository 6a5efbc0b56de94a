"""The Cancellation report view: a period, a grouping, Load (with progress and Cancel), the
chart of reasons over time, totals, comments, retention offers, and CSV export.

The counting is the core's (``console.report.cancellations`` and ``report_period``);
this view asks for a period, shows progress while the events are fetched, and formats the
result for the user's locale. Fetching and writing files are asyncio tasks kept by name and
cancelled when replaced or on shutdown; errors go out through ``failed``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.dates import day_pattern, format_day
from console.errors import ConsoleError
from console.report.cancellations import Report, buckets_to_csv, to_csv
from console.report.fetch import (
    FetchProgress,
    all_configurations,
    customer_names,
    fetch_with_progress,
)
from console.report.period import (
    PRESET_DAYS,
    Grouping,
    Period,
    build_report,
    custom_period,
    export_file_names,
    last_days,
    suggested_grouping,
)
from ui.context import AccountContext
from ui.csv_file import write_csv
from ui.flow_layout import FlowLayout, one_line
from ui.report import tables
from ui.report.chart import ReasonsChart, bucket_label
from ui.view import View

log = logging.getLogger(__name__)

CUSTOM = 0  # the period combo's data for "Custom dates"; presets carry their number of days


@dataclass(frozen=True, slots=True)
class LoadedReport:
    report: Report
    period: Period
    grouping: Grouping
    customer_names: Mapping[str, str]  # from the local index; ids it does not know are absent


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class CancellationReportView(View):
    progressed = Signal(int, int)  # pages fetched, events received
    load_finished = Signal(str)  # "done", "empty", "cancelled" or "failed"
    exported = Signal(str)  # the path written

    def __init__(
        self, parent: QWidget | None = None, *, now: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._context: AccountContext | None = None
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._closing = False
        self._fetched = FetchProgress(0, 0)
        self.loaded: LoadedReport | None = None
        self.page_size = 100  # events per request; tests make it small to see several pages
        self.export_dialog: QFileDialog | None = None

        self.period_choice = QComboBox()
        for days in PRESET_DAYS:
            self.period_choice.addItem(self.tr("Last {n} days").format(n=days), days)
        self.period_choice.addItem(self.tr("Custom dates"), CUSTOM)
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(day_pattern())
        self.grouping_choice = QComboBox()
        self.grouping_choice.addItem(self.tr("By day"), "day")
        self.grouping_choice.addItem(self.tr("By week"), "week")
        self.grouping_choice.addItem(self.tr("By month"), "month")
        self.load_button = QPushButton(self.tr("&Load"))
        self.load_button.setToolTip(self.tr("Fetch the events of this period (Ctrl+R)"))
        self.load_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop loading (Esc)"))
        self.export_button = QPushButton(self.tr("&Export CSV…"))
        self.export_button.setToolTip(self.tr("Save the report as CSV (Ctrl+E)"))
        self.export_button.setEnabled(False)

        # Wraps onto a second line in a narrow window (800x600, German) instead of making the
        # window wider; each label stays with its field.
        controls = FlowLayout()
        to_label = QLabel(self.tr("&To:"))
        to_label.setBuddy(self.last_day)
        for group in (
            one_line(self.tr("&Period:"), self.period_choice),
            one_line(
                self.tr("&From:"),
                self.first_day,
                to_label,
                self.last_day,
                QLabel(self.tr("(UTC days)")),
            ),
            one_line(self.tr("&Group:"), self.grouping_choice),
            one_line("", self.load_button, self.export_button),
        ):
            controls.addWidget(group)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # Stripe gives no total for events: a busy indicator
        self.progress_bar.setMaximumWidth(200)
        self.status = QLabel(self.tr("Choose a period and press Load."))
        self.status.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress_bar)
        status_row.addWidget(self.cancel_button)

        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)

        self.chart = ReasonsChart()
        self.reason_table = tables.make_table(
            [self.tr("Reason"), self.tr("Cancellations"), self.tr("Share")]
        )
        self.configuration_table = tables.make_table(
            [self.tr("Portal configuration"), self.tr("Cancellations")]
        )
        totals = QSplitter(Qt.Orientation.Horizontal)
        totals.addWidget(self.reason_table)
        totals.addWidget(self.configuration_table)
        self.comments_table = tables.make_table(
            [self.tr("Date (UTC)"), self.tr("Customer"), self.tr("Reason"), self.tr("Comment")]
        )
        self.offers_table = tables.make_table(
            [
                self.tr("Offered (UTC)"),
                self.tr("Customer"),
                self.tr("Subscription"),
                self.tr("Coupon"),
                self.tr("Outcome"),
            ]
        )
        self.details = QTabWidget()
        self.details.addTab(totals, self.tr("Totals"))
        self.details.addTab(self.comments_table, self.tr("Comments"))
        self.details.addTab(self.offers_table, self.tr("Retention offers"))
        report_page = QSplitter(Qt.Orientation.Vertical)
        report_page.addWidget(self.chart)
        report_page.addWidget(self.details)
        report_page.setSizes([340, 220])

        self.empty_message = QLabel()
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_message.setWordWrap(True)
        big = self.empty_message.font()
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.empty_message.setFont(big)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty_message)
        self.pages.addWidget(report_page)
        self._show_message(self.tr("Choose a period and press Load."))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(status_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.pages, 1)

        self._show_loading(False)
        self.period_choice.currentIndexChanged.connect(self._period_chosen)
        self.load_button.clicked.connect(self.load)
        self.cancel_button.clicked.connect(self.cancel_load)
        self.export_button.clicked.connect(self.export_csv)
        export = QShortcut(QKeySequence("Ctrl+E"), self)
        export.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.activated.connect(self.export_csv)
        self._period_chosen()

    # --- the view API ------------------------------------------------------------------------

    def attach(self, context: AccountContext) -> None:
        """Works on this account from now on; a report of another account is not kept."""
        self.shutdown()
        self._closing = False
        self._context = context
        self.loaded = None
        self.load_button.setEnabled(True)
        self.export_button.setEnabled(False)
        self.summary.clear()
        self._show_message(self.tr("Choose a period and press Load."))
        self.status.setText(self.tr("Choose a period and press Load."))

    def refresh(self) -> None:
        self.load()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # Opening the view shows the default period at once: nobody opens a report to see a
        # "press Load" hint. Later periods are loaded on request.
        super().showEvent(event)
        if self._context is not None and self.loaded is None and "load" not in self._tasks:
            self.load()

    def close_panel(self) -> bool:
        """Esc: closes the export dialog, or stops loading; True if it did either."""
        if self.export_dialog is not None and self.export_dialog.isVisible():
            self.export_dialog.reject()
            return True
        if "load" in self._tasks:
            self.cancel_load()
            return True
        return False

    def shutdown(self) -> None:
        self._closing = True
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()

    def busy(self) -> bool:
        return bool(self._tasks)

    # --- period ------------------------------------------------------------------------------

    def _period_chosen(self) -> None:
        days = int(self.period_choice.currentData())
        custom = days == CUSTOM
        self.first_day.setEnabled(custom)
        self.last_day.setEnabled(custom)
        if not custom:
            period = last_days(days, self._now())
            self.first_day.setDate(_qdate(period.first))
            self.last_day.setDate(_qdate(period.last))
            self._choose_grouping(suggested_grouping(period))
        # Custom dates start from the preset's; future days are allowed (a sandbox's clock
        # may have been moved ahead of the wall clock).

    def _choose_grouping(self, grouping: Grouping) -> None:
        self.grouping_choice.setCurrentIndex(self.grouping_choice.findData(grouping))

    def choose_custom_period(self, first: date, last: date, grouping: Grouping) -> None:
        """What a user does with the period combo, the two dates and the grouping combo."""
        self.period_choice.setCurrentIndex(self.period_choice.findData(CUSTOM))
        self.first_day.setDate(_qdate(first))
        self.last_day.setDate(_qdate(last))
        self._choose_grouping(grouping)

    def chosen_period(self) -> Period:
        """The period the controls say; a ValidationError for a custom one that makes none."""
        days = int(self.period_choice.currentData())
        if days != CUSTOM:
            return last_days(days, self._now())
        return custom_period(_pydate(self.first_day.date()), _pydate(self.last_day.date()))

    # --- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        if self._context is None:
            return
        try:
            period = self.chosen_period()
        except ConsoleError as error:
            # The dates stay as the user set them; the message says which one to change.
            self.status.setText(error.message)
            self.last_day.setFocus(Qt.FocusReason.OtherFocusReason)
            self.failed.emit(error)
            return
        grouping: Grouping = self.grouping_choice.currentData()
        older = self._tasks.pop("load", None)
        if older is not None:
            older.cancel()
        self._fetched = FetchProgress(0, 0)
        self._show_loading(True)
        self.status.setText(
            self.tr("Loading the events from {first} to {last}…").format(
                first=self._day(period.first), last=self._day(period.last)
            )
        )
        task = asyncio.get_running_loop().create_task(self._fetch_and_build(period, grouping))
        self._tasks["load"] = task
        task.add_done_callback(self._load_done)

    def cancel_load(self) -> None:
        task = self._tasks.get("load")
        if task is not None:
            task.cancel()

    async def _fetch_and_build(self, period: Period, grouping: Grouping) -> LoadedReport:
        assert self._context is not None
        gateway = self._context.gateway
        configurations = asyncio.ensure_future(all_configurations(gateway))
        try:
            events = await fetch_with_progress(gateway, period, self._page_arrived, self.page_size)
            names = await configurations
        finally:
            if configurations.done() and not configurations.cancelled():
                configurations.exception()  # seen: a failed fetch already explains the load
            configurations.cancel()
        report = await asyncio.to_thread(build_report, events, period, names, grouping)
        ids = [c.customer_id for c in report.cancellations] + [o.customer_id for o in report.offers]
        customers = await asyncio.to_thread(customer_names, self._context.index, ids)
        return LoadedReport(report, period, grouping, customers)

    def _page_arrived(self, progress: FetchProgress) -> None:
        self._fetched = progress
        self.status.setText(
            self.tr("Loading… pages fetched: {pages}, events: {events}").format(
                pages=self.locale().toString(progress.pages),
                events=self.locale().toString(progress.events),
            )
        )
        self.progressed.emit(progress.pages, progress.events)

    def _load_done(self, task: asyncio.Task[LoadedReport]) -> None:
        if self._closing or self._tasks.get("load") is not task:
            return  # replaced by a newer load, or the view is going away
        del self._tasks["load"]
        self._show_loading(False)
        if task.cancelled():
            self.status.setText(
                self.tr(
                    "Loading cancelled (pages fetched: {pages}, events: {events}). "
                    "The report shown was not changed."
                ).format(
                    pages=self.locale().toString(self._fetched.pages),
                    events=self.locale().toString(self._fetched.events),
                )
            )
            self.load_finished.emit("cancelled")
            return
        error = task.exception()
        if error is not None:
            self.status.setText(self.tr("Loading failed (see the message above). Load retries."))
            if isinstance(error, ConsoleError):
                self.failed.emit(error)
            else:
                log.error("Cancellation report failed", exc_info=error)
            self.load_finished.emit("failed")
            return
        loaded = task.result()
        self._show_report(loaded)
        self.load_finished.emit("done" if loaded.report.cancellations else "empty")

    def _show_loading(self, loading: bool) -> None:
        self.progress_bar.setVisible(loading)
        self.cancel_button.setVisible(loading)

    # --- showing the report ------------------------------------------------------------------

    def _day(self, day: date) -> str:
        return format_day(day)

    def _show_message(self, text: str) -> None:
        self.empty_message.setText(text)
        self.pages.setCurrentWidget(self.empty_message)

    def _show_report(self, loaded: LoadedReport) -> None:
        self.loaded = loaded
        report, period = loaded.report, loaded.period
        locale = self.locale()
        self.export_button.setEnabled(True)
        span = self.tr("{first} to {last}").format(
            first=self._day(period.first), last=self._day(period.last)
        )
        offers = len(report.offers)
        self.summary.setText(
            self.tr(
                "Cancellations: {cancellations} · Retention offers shown: {offers}, "
                "accepted: {accepted} · {span}"
            ).format(
                cancellations=locale.toString(len(report.cancellations)),
                offers=locale.toString(offers),
                accepted=locale.toString(report.offers_accepted),
                span=span,
            )
        )
        self.status.setText(
            self.tr("Loaded {events} events (pages fetched: {pages}).").format(
                events=locale.toString(self._fetched.events),
                pages=locale.toString(self._fetched.pages),
            )
        )
        labels = [bucket_label(b.start, loaded.grouping, locale) for b in report.buckets]
        self.chart.show_buckets(report.buckets, loaded.grouping, labels)
        tables.fill(self.reason_table, tables.reason_rows(report, locale), locale)
        tables.fill(self.configuration_table, tables.configuration_rows(report), locale)
        comments = tables.comment_rows(report, locale, loaded.customer_names)
        tables.fill(self.comments_table, comments, locale)
        tables.fill(
            self.offers_table, tables.offer_rows(report, locale, loaded.customer_names), locale
        )
        self.details.setTabText(
            1, self.tr("Comments ({n})").format(n=locale.toString(len(comments)))
        )
        self.details.setTabText(
            2, self.tr("Retention offers ({n})").format(n=locale.toString(offers))
        )
        if report.cancellations or report.offers:
            self.pages.setCurrentIndex(1)
        else:
            self._show_message(
                self.tr(
                    "No cancellations in this period ({span}).\n"
                    "No subscription was cancelled or set to end, and no retention offer "
                    "was made. Choose a longer period or another account."
                ).format(span=span)
            )

    # --- export ------------------------------------------------------------------------------

    def _export_filters(self) -> tuple[str, str]:
        return (
            self.tr("Every cancellation and retention offer (*.csv)"),
            self.tr("Totals per day, week or month, as charted (*.csv)"),
        )

    def export_csv(self) -> None:
        """Asks where to save (non-native dialog, so it looks and tests the same everywhere)."""
        if self.loaded is None:
            return
        per_event, _ = export_file_names(self.loaded.period)
        dialog = QFileDialog(self, self.tr("Export the cancellation report"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters(list(self._export_filters()))
        dialog.setDefaultSuffix("csv")
        dialog.setDirectory(str(Path.home()))
        dialog.selectFile(per_event)
        dialog.filterSelected.connect(self._export_filter_chosen)
        dialog.fileSelected.connect(
            lambda path: self._export_to(Path(path), dialog.selectedNameFilter())
        )
        dialog.finished.connect(lambda _result: self._export_dialog_closed(dialog))
        self.export_dialog = dialog
        dialog.open()

    def _export_dialog_closed(self, dialog: QFileDialog) -> None:
        if self.export_dialog is dialog:
            self.export_dialog = None  # Qt deletes it: no later call may touch it
        dialog.deleteLater()

    def _export_filter_chosen(self, name_filter: str) -> None:
        """Suggests the matching default name when the user switches between the two CSVs."""
        if self.export_dialog is None or self.loaded is None:
            return
        per_event, totals = export_file_names(self.loaded.period)
        chosen = totals if name_filter == self._export_filters()[1] else per_event
        self.export_dialog.selectFile(chosen)

    def _export_to(self, path: Path, name_filter: str) -> None:
        if self.loaded is None:
            return
        report = self.loaded.report
        totals = name_filter == self._export_filters()[1]
        text = buckets_to_csv(report) if totals else to_csv(report)
        self._run("export", self._write(path, text))

    async def _write(self, path: Path, text: str) -> None:
        await write_csv(path, text)
        self.status.setText(self.tr("Saved {path}").format(path=str(path)))
        self.exported.emit(str(path))

    def _run(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        older = self._tasks.pop(name, None)
        if older is not None:
            older.cancel()
        task = asyncio.get_running_loop().create_task(self._reporting(work))
        self._tasks[name] = task
        task.add_done_callback(lambda done: self._forget(name, done))

    def _forget(self, name: str, task: asyncio.Task[Any]) -> None:
        if self._tasks.get(name) is task:
            del self._tasks[name]

    async def _reporting(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except ConsoleError as error:
            log.info("Cancellation report: %s", error.message)
            self.status.setText(error.message)
            self.failed.emit(error)
