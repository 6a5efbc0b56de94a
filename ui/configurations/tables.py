"""Fields that are lists of rows: metadata (key, value) and the pause durations offered."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import Interval, PauseInterval, PortalConfiguration, edit
from console.configurations.retention import RETENTION_COUPON_KEY
from ui.configurations.fields import Binding


class _RowsBox(QWidget):
    """A table with Add and Remove buttons under it (``beside``: to its right, at the top)."""

    def __init__(
        self, headers: list[str], add_text: str, remove_text: str, *, beside: bool = False
    ) -> None:
        super().__init__()
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(120)
        self.add = QPushButton(add_text)
        self.remove = QPushButton(remove_text)
        buttons = QVBoxLayout() if beside else QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout = QHBoxLayout(self) if beside else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)


# Keys another field of the form edits (the retention offer): not rows of the table, and kept
# as that field left them.
OWNED_KEYS = frozenset({RETENTION_COUPON_KEY})


class MetadataBinding(Binding):
    """Metadata keys and values; a row with neither is ignored, a value without a key is not."""

    def __init__(self) -> None:
        self.box = _RowsBox(
            [
                QCoreApplication.translate("ConfigurationTables", "Key"),
                QCoreApplication.translate("ConfigurationTables", "Value"),
            ],
            QCoreApplication.translate("ConfigurationTables", "Add metadata key"),
            QCoreApplication.translate("ConfigurationTables", "Remove selected"),
        )
        self.table = self.box.table
        self._was_none = True
        super().__init__(
            "metadata",
            "metadata",
            QCoreApplication.translate("ConfigurationTables", "Metadata"),
            self.box,
        )
        self.table.itemChanged.connect(self._changed)
        self.box.add.clicked.connect(self.add_row)
        self.box.remove.clicked.connect(self._remove_selected)

    def add_row(self, key: str = "", value: str = "") -> None:
        blocked = self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))
        self.table.blockSignals(blocked)
        if not key and not value:
            self.table.setCurrentCell(row, 0)
            key_item = self.table.item(row, 0)
            if key_item is not None:
                self.table.editItem(key_item)
        self._changed()

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self._changed()

    def set_value(self, value: Any) -> None:
        self._was_none = value is None
        blocked = self.table.blockSignals(True)
        self.table.setRowCount(0)
        for key, text in (value or {}).items():
            if key in OWNED_KEYS:
                continue
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(key))
            self.table.setItem(row, 1, QTableWidgetItem(text))
        self.table.blockSignals(blocked)

    def value(self) -> MappingProxyType[str, str] | None:
        pairs: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            key_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
            key = key_item.text().strip() if key_item else ""
            text = value_item.text() if value_item else ""
            if key or text:
                pairs[key] = text
        if not pairs and self._was_none:
            return None
        return MappingProxyType(pairs)

    def apply(self, config: PortalConfiguration) -> PortalConfiguration:
        owned = {k: v for k, v in (config.metadata or {}).items() if k in OWNED_KEYS}
        pairs = self.value()
        if pairs is None and not owned:
            return edit(config, self.path, None)
        return edit(config, self.path, MappingProxyType({**(pairs or {}), **owned}))


INTERVALS: tuple[Interval, ...] = ("day", "week", "month", "year")


class PauseOptionsBinding(Binding):
    """The fixed pause durations customers choose from (each an interval and a count)."""

    def __init__(self) -> None:
        self.box = _RowsBox(
            [
                QCoreApplication.translate("ConfigurationTables", "Unit"),
                QCoreApplication.translate("ConfigurationTables", "Count"),
            ],
            QCoreApplication.translate("ConfigurationTables", "Add duration"),
            QCoreApplication.translate("ConfigurationTables", "Remove selected"),
            beside=True,
        )
        self.table = self.box.table
        # About four durations tall, the header and the buttons beside it: as Stripe allows
        # few durations, it needs no more and stays under the duration choice.
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(150)
        super().__init__(
            "features[subscription_pause][duration][interval_options]",
            "features.subscription_pause.duration.interval_options",
            QCoreApplication.translate("ConfigurationTables", "Pause durations offered"),
            self.box,
        )
        self.box.add.clicked.connect(lambda: self._add(PauseInterval("month", 1), notify=True))
        self.box.remove.clicked.connect(self._remove_selected)

    def _unit_names(self) -> dict[str, str]:
        return {
            "day": QCoreApplication.translate("ConfigurationTables", "days"),
            "week": QCoreApplication.translate("ConfigurationTables", "weeks"),
            "month": QCoreApplication.translate("ConfigurationTables", "months"),
            "year": QCoreApplication.translate("ConfigurationTables", "years"),
        }

    def _add(self, option: PauseInterval, *, notify: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        unit = QComboBox()
        for value, text in self._unit_names().items():
            unit.addItem(text, value)
        found = unit.findData(option.interval)
        if found < 0:
            unit.addItem(option.interval, option.interval)
            found = unit.count() - 1
        unit.setCurrentIndex(found)
        count = QSpinBox()
        count.setRange(0, 10_000)  # the rules say what Stripe allows, with the reason
        count.setValue(option.interval_count)
        self.table.setCellWidget(row, 0, unit)
        self.table.setCellWidget(row, 1, count)
        unit.currentIndexChanged.connect(self._changed)
        count.valueChanged.connect(self._changed)
        if notify:
            self._changed()

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self._changed()

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for option in value:
            self._add(option, notify=False)

    def value(self) -> tuple[PauseInterval, ...]:
        options = []
        for row in range(self.table.rowCount()):
            unit = cast(QComboBox, self.table.cellWidget(row, 0))
            count = cast(QSpinBox, self.table.cellWidget(row, 1))
            options.append(PauseInterval(unit.currentData(), count.value()))
        return tuple(options)
