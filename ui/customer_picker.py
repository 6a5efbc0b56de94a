"""A compact customer picker: the shared search box with a short list of matches under it.

The view that holds it does the searching (it owns the account and its tasks): the picker asks
with ``wanted(query)`` once typing pauses, or on Enter with no list to choose from, and shows
what comes back (``show_matches``). Down walks from the box into the list, Enter or a click
chooses (``chosen(customer_id)``), Esc in the view hides the list (``hide_matches``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from console.index import IndexedCustomer
from ui.search_field import CustomerSearchField

MATCHES_HEIGHT = 150  # about eight rows: a completer's list, not a table


class CustomerPicker(QWidget):
    wanted = Signal(str)  # search for this (stripped; empty: clear the matches)
    chosen = Signal(str)  # the customer id

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = CustomerSearchField(placeholder)
        self.matches = QListWidget()
        self.matches.setMaximumHeight(MATCHES_HEIGHT)
        self.matches.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.matches)
        self.search.settled.connect(self._ask)
        self.search.submitted.connect(lambda _query: self._choose_first())
        self.search.walk_down.connect(self._walk_into_matches)
        self.matches.itemActivated.connect(self._picked)

    def show_matches(self, customers: Sequence[IndexedCustomer], query: str) -> None:
        self.matches.clear()
        for customer in customers:
            name = customer.name or self.tr("(no name)")
            item = QListWidgetItem(f"{name} — {customer.email or ''}  ({customer.id})")
            item.setData(Qt.ItemDataRole.UserRole, customer.id)
            self.matches.addItem(item)
        if not customers:
            self.matches.addItem(self.tr("No customer matches “{q}”.").format(q=query))
        self.matches.show()

    def hide_matches(self) -> bool:
        """Hides the list if it is shown (the focus back in the box); False if it was not."""
        if not self.matches.isVisible():
            return False
        self.matches.hide()
        self.search.setFocus()
        return True

    def reset(self) -> None:
        self.search.clear()
        self.matches.clear()
        self.matches.hide()

    def _ask(self, query: str) -> None:
        if not query:
            self.matches.clear()
            self.matches.hide()
        self.wanted.emit(query)

    def _walk_into_matches(self) -> None:
        # Down in the search field walks into the list, as in a completer.
        if self.matches.isVisible() and self.matches.count():
            self.matches.setFocus()
            self.matches.setCurrentRow(0)

    def _choose_first(self) -> None:
        if self.matches.isVisible() and self.matches.count():
            self._picked(self.matches.item(0))
        else:
            self._ask(self.search.text().strip())

    def _picked(self, item: QListWidgetItem) -> None:
        customer_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(customer_id, str):
            self.matches.hide()
            self.chosen.emit(customer_id)
