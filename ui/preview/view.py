"""The Branding preview: the portal page as a customer sees it, in any of the 40 languages.

The built-in sandbox renders every preview (``console.preview.branding``): for the open account's
configuration (picked here, or followed from the Configurations view with
``show_configuration``), or for unsaved edits (``preview_edits``), with the account's branding.
One language fills the view; side by side shows two to four. Changes are debounced, the last
good page stays visible while a new one renders ("Rendering…"), and Ctrl+R reads the branding
and configuration again. Errors go out through ``failed`` to the window's error bar.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import PortalConfiguration
from console.preview.branding import load_configuration, portal_locales
from ui.configuration_names import configuration_label, picker_order
from ui.context import AccountContext
from ui.flow_layout import FlowLayout, one_line
from ui.preview.pane import PreviewPane, locale_caption
from ui.preview.renderer import PreviewRenderer
from ui.tasks import NamedTasks
from ui.view import View

log = logging.getLogger(__name__)

MAX_SIDE_BY_SIDE = 4
SIDE_BY_SIDE_DEFAULTS = ("de", "ja", "ru", "el", "fr")


class PreviewView(View):
    rendered = Signal()  # every pane shows the newest preview

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: AccountContext | None = None
        self._tasks = NamedTasks(self.failed.emit)
        self._configuration_id: str | None = None
        self._edits: PortalConfiguration | None = None
        self._configurations: dict[str, PortalConfiguration] = {}
        self._locales = {entry.code: entry for entry in portal_locales()}

        self.configuration_picker = QComboBox()
        # As wide as a usual name, not as the longest one (the list shows them whole).
        self.configuration_picker.setMinimumContentsLength(24)
        self.configuration_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.configuration_picker.setToolTip(self.tr("The configuration to preview (Alt+C)"))
        self.locale_picker = QComboBox()
        for entry in portal_locales():
            self.locale_picker.addItem(locale_caption(entry), entry.code)
        self.locale_picker.setCurrentIndex(self.locale_picker.findData("en"))
        self.locale_picker.setMinimumContentsLength(22)
        self.locale_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.locale_picker.setToolTip(self.tr("The customer's language (Alt+L)"))
        self.side_by_side = QCheckBox(self.tr("&Side by side"))
        self.side_by_side.setToolTip(
            self.tr("Show two to four languages next to each other (Alt+S; Esc to leave)")
        )
        self.rendering = QLabel(self.tr("Rendering…"))
        self.rendering.setStyleSheet("color: #555;")
        self.rendering.setVisible(False)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a6100;")
        self.note.setVisible(False)

        self.compare_list = QListWidget()
        self.compare_list.setToolTip(
            self.tr("Check up to four languages (Space toggles the selected one)")
        )
        for entry in portal_locales():
            item = QListWidgetItem(locale_caption(entry))
            item.setToolTip(locale_caption(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.compare_list.addItem(item)
        # Long names end in "…" (full name in the tooltip) rather than under a scroll bar.
        self.compare_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.compare_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.compare_hint = QLabel(self.tr("Languages side by side (up to four):"))
        self.compare_hint.setWordWrap(True)
        self.compare_panel = QWidget()
        compare_layout = QVBoxLayout(self.compare_panel)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        compare_layout.addWidget(self.compare_hint)
        compare_layout.addWidget(self.compare_list, 1)
        self.compare_panel.setVisible(False)

        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.panes: list[PreviewPane] = []

        # Wraps onto a second line in a narrow window rather than making it wider.
        bar = FlowLayout()
        bar.addWidget(one_line(self.tr("&Configuration:"), self.configuration_picker))
        bar.addWidget(one_line(self.tr("&Language:"), self.locale_picker))
        bar.addWidget(self.side_by_side)
        bar.addWidget(self.rendering)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.compare_panel)
        splitter.addWidget(self.grid_host)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 910])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)

        self.renderer = PreviewRenderer(
            self, lambda: self.panes, self._configuration, self.failed.emit
        )
        self.renderer.report_to(self.rendering, self.note)
        self.renderer.rendered.connect(self.rendered.emit)
        self.configuration_picker.activated.connect(self._configuration_picked)
        self.locale_picker.currentIndexChanged.connect(self._locale_picked)
        self.side_by_side.toggled.connect(self._side_by_side_toggled)
        self.compare_list.itemChanged.connect(self._compare_changed)
        self._arrange([self.current_locale()])

    # --- the view API -------------------------------------------------------------------------

    def attach(self, context: AccountContext) -> None:
        """Previews this account from now on (its default configuration until told otherwise)."""
        self._context = context
        self._configuration_id = None
        self._edits = None
        self._configurations.clear()
        self.renderer.attach(context)
        self.configuration_picker.clear()
        self._tasks.run("configurations", self._load_configurations())

    def refresh(self) -> None:
        """Ctrl+R: reads branding and configurations again and renders anew."""
        if self._context is None:
            return
        self._configurations.clear()
        self.renderer.forget_loaded()
        self._tasks.run("configurations", self._load_configurations())

    def close_panel(self) -> bool:
        """Esc: leaves side by side."""
        if self.side_by_side.isChecked():
            self.side_by_side.setChecked(False)
            return True
        return False

    def shutdown(self) -> None:
        """Cancels what is under way and lets go of the web pages (the window is closing)."""
        self.rendering.setVisible(False)
        self._tasks.cancel_all()
        self.renderer.shutdown()

    def show_configuration(self, configuration_id: str) -> None:
        """Preview this saved configuration ("" is a new one: its edits follow)."""
        if not configuration_id:
            return
        self._configuration_id = configuration_id
        self._edits = None
        self._select_in_picker(configuration_id)
        self._schedule()

    def preview_edits(self, configuration: PortalConfiguration) -> None:
        """Preview a configuration as edited (maybe unsaved); renders after a short pause."""
        self._edits = configuration
        self._schedule()

    def current_locale(self) -> str:
        return str(self.locale_picker.currentData())

    def set_current_locale(self, code: str) -> None:
        index = self.locale_picker.findData(code)
        if index >= 0:
            self.locale_picker.setCurrentIndex(index)

    def show_side_by_side(self, codes: Sequence[str]) -> None:
        """Side by side with these languages (the first four known ones)."""
        chosen = [c for c in dict.fromkeys(codes) if c in self._locales][:MAX_SIDE_BY_SIDE]
        blocked = self.compare_list.blockSignals(True)
        for row in range(self.compare_list.count()):
            item = self.compare_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.compare_list.blockSignals(blocked)
        blocked = self.side_by_side.blockSignals(True)
        self.side_by_side.setChecked(True)
        self.side_by_side.blockSignals(blocked)
        self.compare_panel.setVisible(True)
        self._arrange(chosen or [self.current_locale()])
        self._schedule(at_once=True)

    def shown_locales(self) -> list[str]:
        return [pane.portal_locale.code for pane in self.panes]

    # --- choosing what to show ----------------------------------------------------------------

    def _configuration_picked(self, index: int) -> None:
        chosen = self.configuration_picker.itemData(index)
        if chosen:
            self.show_configuration(str(chosen))

    def _select_in_picker(self, configuration_id: str) -> None:
        index = self.configuration_picker.findData(configuration_id)
        if index >= 0:
            self.configuration_picker.setCurrentIndex(index)

    def _locale_picked(self, _index: int) -> None:
        if not self.side_by_side.isChecked():
            self._arrange([self.current_locale()])
            self._schedule(at_once=True)

    def _checked_locales(self) -> list[str]:
        return [
            str(self.compare_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.compare_list.count())
            if self.compare_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _side_by_side_toggled(self, on: bool) -> None:
        if on:
            current = self.current_locale()
            extra = [code for code in SIDE_BY_SIDE_DEFAULTS if code != current]
            self.show_side_by_side([current, *extra[: MAX_SIDE_BY_SIDE - 2]])
            self.compare_list.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.compare_panel.setVisible(False)
            self._arrange([self.current_locale()])
            self._schedule(at_once=True)

    def _compare_changed(self, item: QListWidgetItem) -> None:
        checked = self._checked_locales()
        if len(checked) > MAX_SIDE_BY_SIDE:
            blocked = self.compare_list.blockSignals(True)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.compare_list.blockSignals(blocked)
            self.compare_hint.setText(
                self.tr("Up to four languages side by side: uncheck one first.")
            )
            return
        self.compare_hint.setText(self.tr("Languages side by side (up to four):"))
        if checked:
            self._arrange(checked)
            self._schedule()

    def _arrange(self, codes: Sequence[str]) -> None:
        """One pane per language (kept where the language stays), laid out in a grid."""
        if [pane.portal_locale.code for pane in self.panes] == list(codes):
            return
        kept = {pane.portal_locale.code: pane for pane in self.panes}
        panes = [kept.pop(code) if code in kept else self._new_pane(code) for code in codes]
        for pane in kept.values():
            self.renderer.forget(pane)
            pane.setParent(None)
            pane.deleteLater()
        for pane in self.panes:
            self.grid.removeWidget(pane)
        columns = 1 if len(panes) == 1 else 2
        rows = (len(panes) + columns - 1) // columns
        for position, pane in enumerate(panes):
            self.grid.addWidget(pane, position // columns, position % columns)
            pane.show_caption(len(panes) > 1)
        # Equal shares for the cells in use, none for rows and columns left from a larger grid.
        for row in range(max(self.grid.rowCount(), rows)):
            self.grid.setRowStretch(row, 1 if row < rows else 0)
        for column in range(max(self.grid.columnCount(), columns)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.panes = panes

    def _new_pane(self, code: str) -> PreviewPane:
        pane = PreviewPane(self._locales[code], self.grid_host)
        self.renderer.watch(pane)
        return pane

    # --- rendering -----------------------------------------------------------------------------

    def _schedule(self, *, at_once: bool = False) -> None:
        self.renderer.schedule(at_once=at_once)

    async def _load_configurations(self) -> None:
        if self._context is None:
            return
        gateway = self._context.gateway
        page = await gateway.list_portal_configurations()
        records = sorted(page.data, key=picker_order)
        blocked = self.configuration_picker.blockSignals(True)
        self.configuration_picker.clear()
        for record in records:
            self.configuration_picker.addItem(configuration_label(record), record.id)
        self.configuration_picker.blockSignals(blocked)
        if self._configuration_id is None and records:
            self._configuration_id = records[0].id
        if self._configuration_id is not None:
            self._select_in_picker(self._configuration_id)
        self._schedule(at_once=True)

    async def _configuration(self) -> PortalConfiguration | None:
        if self._edits is not None:
            return self._edits
        if self._context is None or self._configuration_id is None:
            return None
        found = self._configurations.get(self._configuration_id)
        if found is None:
            found = await load_configuration(self._context.gateway, self._configuration_id)
            self._configurations[self._configuration_id] = found
        return found

    def is_rendering(self) -> bool:
        return self.rendering.isVisible()
