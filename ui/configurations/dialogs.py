"""The dialogs of the configurations view: what a save changes, an import or copy's report.

They are window-modal and opened with ``open()`` (never ``exec()``): the view goes on when
``accepted`` fires, so the qasync loop keeps running underneath and tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console.configurations.edit import FieldChange, display_value
from console.configurations.summary import SummarySection
from ui.placement import resize_within_screen

LIVE_STYLE = (
    "background: #a4262c; color: white; font-weight: bold; padding: 6px; border-radius: 3px;"
)


def _live_banner(text: str) -> QLabel:
    banner = QLabel(text)
    banner.setWordWrap(True)
    banner.setStyleSheet(LIVE_STYLE)
    return banner


class SaveSummaryDialog(QDialog):
    """What a save changes, in plain words; the parameters one click away (Details).

    The words come in sections (``SummarySection``): the configuration's own changes first, and
    ``add_section`` for more (what the change does to the account's subscriptions, say), which
    may arrive after the dialog is open. LIVE is said in a red banner and on the Save button.
    """

    def __init__(
        self,
        sections: Sequence[SummarySection],
        changes: Sequence[FieldChange],
        titles: Sequence[str],
        *,
        configuration: str,
        account: str,
        live: bool,
        creating: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Save portal configuration"))
        resize_within_screen(self, 820, 460)
        layout = QVBoxLayout(self)
        self.live_banner: QLabel | None = None
        if live:
            self.live_banner = _live_banner(
                self.tr(
                    "LIVE MODE: this changes the portal your real customers use on {account}."
                ).format(account=account)
            )
            layout.addWidget(self.live_banner)
        if creating:
            summary = self.tr("Create the configuration “{name}” on {account} with:").format(
                name=configuration, account=account
            )
        else:
            summary = self.tr("Save {count} change(s) to “{name}” on {account}:").format(
                count=len(changes), name=configuration, account=account
            )
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self._sections: list[SummarySection] = []
        self._section_host = QWidget()
        self._section_layout = QVBoxLayout(self._section_host)
        self._section_layout.addStretch(1)
        self.sections_area = QScrollArea()
        self.sections_area.setWidgetResizable(True)
        self.sections_area.setFrameShape(QFrame.Shape.NoFrame)
        self.sections_area.setWidget(self._section_host)
        layout.addWidget(self.sections_area, 2)
        for section in sections:
            self.add_section(section)

        # The parameters as Stripe names them, for engineers and support: one click away.
        self.details_button = QPushButton(self.tr("&Details (parameters)"))
        self.details_button.setCheckable(True)
        self.details_button.setToolTip(self.tr("Each parameter the save sends, before and after"))
        self.table = QTableWidget(len(changes), 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Parameter"), self.tr("Now"), self.tr("After")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for row, (change, title) in enumerate(zip(changes, titles, strict=True)):
            parameter = QTableWidgetItem(change.param)
            parameter.setForeground(QBrush(QColor("#555")))
            self.table.setItem(row, 0, QTableWidgetItem(title))
            self.table.setItem(row, 1, parameter)
            self.table.setItem(row, 2, QTableWidgetItem(self._text(change.before)))
            self.table.setItem(row, 3, QTableWidgetItem(self._text(change.after)))
        self.table.resizeRowsToContents()
        self.table.hide()
        self.details_button.toggled.connect(self.table.setVisible)
        layout.addWidget(self.table, 3)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.save_button = QPushButton(self.tr("Save to LIVE") if live else self.tr("Save"), self)
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def add_section(
        self,
        section: SummarySection,
        lists: Sequence[Callable[[], None] | None] = (),
    ) -> None:
        """Shows one more titled list of sentences below the others; ``lists`` gives a sentence
        a *List…* button (the subscriptions behind its numbers) by its position."""
        self._sections.append(section)
        title = QLabel(section.title)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        # One row per sentence: a long one wraps under its own start, not under the bullet.
        lines = QWidget()
        grid = QGridLayout(lines)
        grid.setContentsMargins(6, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for row, line in enumerate(section.lines or ("—",)):
            text = QLabel(line)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(QLabel("•"), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, 1)
            show_list = lists[row] if row < len(lists) else None
            if show_list is not None:
                button = QPushButton(self.tr("List…"))
                button.setToolTip(self.tr("The subscriptions behind these numbers"))
                button.clicked.connect(show_list)
                grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
        position = self._section_layout.count() - 1  # above the stretch
        self._section_layout.insertWidget(position, title)
        self._section_layout.insertWidget(position + 1, lines)

    def section_titles(self) -> list[str]:
        return [section.title for section in self._sections]

    def lines(self) -> list[str]:
        """Every sentence of every section, in the order shown."""
        return [line for section in self._sections for line in section.lines]

    def _text(self, value: Any) -> str:
        if isinstance(value, bool):
            return self.tr("on") if value else self.tr("off")
        return display_value(value)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def rows(self) -> list[tuple[str, str, str]]:
        """The parameter, before and after of each row, as the table shows them."""
        return [
            (self._cell(r, 1), self._cell(r, 2), self._cell(r, 3))
            for r in range(self.table.rowCount())
        ]

    def titles(self) -> list[str]:
        """The fields' names in words, as the first column shows them."""
        return [self._cell(r, 0) for r in range(self.table.rowCount())]


class ReportDialog(QDialog):
    """A report in plain words with a confirm button, enabled only when it may go ahead."""

    def __init__(self, title: str, confirm_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        resize_within_screen(self, 720, 440)
        self.layout_ = QVBoxLayout(self)
        self.live_banner = _live_banner("")
        self.live_banner.hide()
        self.layout_.addWidget(self.live_banner)
        self.report = QTextBrowser()
        self.layout_.addWidget(self.report, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = QPushButton(confirm_text, self)
        self.confirm.setDefault(True)
        self.confirm.setEnabled(False)
        self.buttons.addButton(self.confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)

    def show_report(self, html: str, *, can_go_ahead: bool) -> None:
        self.report.setHtml(html)
        self.confirm.setEnabled(can_go_ahead)

    def show_live(self, text: str | None) -> None:
        self.live_banner.setText(text or "")
        self.live_banner.setVisible(bool(text))


class CopyDialog(ReportDialog):
    """Choose where to copy; the check of what maps (and what cannot) shows before Copy."""

    def __init__(self, configuration: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Copy portal configuration"), self.tr("Copy"), parent)
        self.heading = QLabel(
            self.tr("Copy “{name}” (as saved on Stripe) to:").format(name=configuration)
        )
        self.target = QComboBox()
        self.layout_.insertWidget(0, self.heading)
        self.layout_.insertWidget(1, self.target)
        self.report.setPlaceholderText(self.tr("Choose an account to check what can be copied."))
