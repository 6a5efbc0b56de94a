"""The account's portal configurations, the default one marked, one row each."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from console.gateway.models import PortalConfigurationRecord

_ID = Qt.ItemDataRole.UserRole
NEW_ID = ""  # the row of a configuration not yet created on Stripe


class ConfigurationList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Narrow on a small screen: long names end in "…", whole in the row's tooltip.
        self.setMinimumWidth(150)
        self.setSpacing(2)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def show_records(self, records: Sequence[PortalConfigurationRecord]) -> None:
        """Replaces the rows; the selection is the caller's to restore."""
        blocked = self.blockSignals(True)
        self.clear()
        for record in records:
            self.addItem(self._item(record))
        self.blockSignals(blocked)

    def _item(self, record: PortalConfigurationRecord) -> QListWidgetItem:
        name = record.name or self.tr("(no name)")
        marks = []
        if record.is_default:
            marks.append(self.tr("default"))
        if not record.active:
            marks.append(self.tr("inactive"))
        title = name + (f"  [{', '.join(marks)}]" if marks else "")
        item = QListWidgetItem(f"{'★ ' if record.is_default else ''}{title}\n{record.id}")
        item.setData(_ID, record.id)
        item.setToolTip(item.text())
        if record.is_default:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setToolTip(
                item.text()
                + "\n\n"
                + self.tr("The default configuration: sessions without one use it.")
            )
        return item

    def add_new_row(self, name: str) -> None:
        blocked = self.blockSignals(True)
        item = QListWidgetItem(self.tr("{name}\n(new, not saved yet)").format(name=name))
        item.setData(_ID, NEW_ID)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        self.addItem(item)
        self.setCurrentItem(item)
        self.blockSignals(blocked)

    def remove_new_row(self) -> None:
        row = self.row_of(NEW_ID)
        if row is not None:
            blocked = self.blockSignals(True)
            self.takeItem(row)
            self.blockSignals(blocked)

    def ids(self) -> list[str]:
        return [self.item(row).data(_ID) for row in range(self.count())]

    def row_of(self, configuration_id: str) -> int | None:
        for row in range(self.count()):
            if self.item(row).data(_ID) == configuration_id:
                return row
        return None

    def current_id(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(_ID))

    def select_id(self, configuration_id: str, *, quietly: bool = False) -> bool:
        row = self.row_of(configuration_id)
        if row is None:
            return False
        blocked = self.blockSignals(quietly)
        self.setCurrentRow(row)
        self.blockSignals(blocked)
        return True
