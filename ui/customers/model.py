"""Search results as a table model that grows a page at a time, never a widget per row.

The model holds only what was fetched. When the view scrolls near the end, Qt asks
``fetchMore``; the model asks its owner for the next page (``more_wanted``), which
arrives later, asynchronously, through ``append_page``.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from console.dates import format_day
from console.index import IndexedCustomer

PAGE_SIZE = 100


def column_titles() -> tuple[str, ...]:
    """The header, in the UI language (read when asked: the language can change)."""
    return (
        QCoreApplication.translate("CustomersModel", "Name"),
        QCoreApplication.translate("CustomersModel", "Email"),
        QCoreApplication.translate("CustomersModel", "Phone"),
        QCoreApplication.translate("CustomersModel", "Created"),
        QCoreApplication.translate("CustomersModel", "ID"),
    )


COLUMN_COUNT = 5

_Index = QModelIndex | QPersistentModelIndex


class CustomersModel(QAbstractTableModel):
    more_wanted = Signal(int)  # rows held now: fetch the page after them (the owner's cursor)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[IndexedCustomer] = []
        self._has_more = False
        self._fetching = False

    # --- filled by the view's search task ---------------------------------------------------

    def reset(self, rows: tuple[IndexedCustomer, ...], *, has_more: bool) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._has_more = has_more
        self._fetching = False
        self.endResetModel()

    def append_page(self, rows: tuple[IndexedCustomer, ...], *, has_more: bool) -> None:
        known = {row.id for row in self._rows}
        new = [row for row in rows if row.id not in known]
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        self._has_more = has_more and bool(new)
        self._fetching = False

    def customer_at(self, row: int) -> IndexedCustomer | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt ----------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_titles()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        customer = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return customer.name or self.tr("(no name)")
        if column == 1:
            return customer.email or ""
        if column == 2:
            return customer.phone or ""
        if column == 3:
            return format_day(customer.created)
        return customer.id

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._has_more and not self._fetching

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._fetching = True
            self.more_wanted.emit(len(self._rows))
