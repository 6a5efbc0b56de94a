"""The filters above the product picker: currency, interval and a product name.

They narrow what the picker shows, never what is offered. The currencies and intervals listed
are those the account sells in (its active recurring prices); each defaults to all.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from console.gateway.models import Price
from ui.flow_layout import FlowLayout, one_line

_ALL = ""  # a combo's "all" item ("" rather than None: PySide6 and None in a QVariant)


def interval_key(price: Price) -> str:
    """``month:1``: a price's billing interval as one comparable value."""
    return f"{price.recurring_interval}:{price.recurring_interval_count or 1}"


def interval_words(key: str) -> str:
    unit, _colon, count_text = key.partition(":")
    count = int(count_text or 1)
    if count == 1:
        single = {
            "day": QCoreApplication.translate("ProductPicker", "Daily"),
            "week": QCoreApplication.translate("ProductPicker", "Weekly"),
            "month": QCoreApplication.translate("ProductPicker", "Monthly"),
            "year": QCoreApplication.translate("ProductPicker", "Yearly"),
        }
        return single.get(unit, unit)
    several = {
        "day": QCoreApplication.translate("ProductPicker", "Every {count} days"),
        "week": QCoreApplication.translate("ProductPicker", "Every {count} weeks"),
        "month": QCoreApplication.translate("ProductPicker", "Every {count} months"),
        "year": QCoreApplication.translate("ProductPicker", "Every {count} years"),
    }
    return several.get(unit, "{count} " + unit).format(count=count)


_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}


class CatalogueFilter(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = QComboBox()
        self.interval = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText(QCoreApplication.translate("ProductPicker", "Product name"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(140)
        row = FlowLayout(self)
        row.addWidget(
            one_line(QCoreApplication.translate("ProductPicker", "Currency"), self.currency)
        )
        row.addWidget(
            one_line(QCoreApplication.translate("ProductPicker", "Interval"), self.interval)
        )
        row.addWidget(one_line(QCoreApplication.translate("ProductPicker", "Search"), self.search))
        self.offer(())
        self.currency.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.interval.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.search.textChanged.connect(lambda _text: self.changed.emit())

    def offer(self, prices: Iterable[Price]) -> None:
        """The choices: the currencies and intervals of ``prices``; the current ones kept."""
        listed = list(prices)
        currencies = sorted({p.currency.lower() for p in listed})
        intervals = sorted(
            {interval_key(p) for p in listed},
            key=lambda k: (_ORDER.get(k.partition(":")[0], 9), int(k.partition(":")[2] or 1)),
        )
        self._fill(
            self.currency,
            QCoreApplication.translate("ProductPicker", "All currencies"),
            [(code, code.upper()) for code in currencies],
        )
        self._fill(
            self.interval,
            QCoreApplication.translate("ProductPicker", "All intervals"),
            [(key, interval_words(key)) for key in intervals],
        )

    def _fill(self, combo: QComboBox, all_text: str, choices: list[tuple[str, str]]) -> None:
        current = combo.currentData() or _ALL
        blocked = combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, _ALL)
        for value, text in choices:
            combo.addItem(text, value)
        found = combo.findData(current)
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(blocked)

    def accepts(self, price: Price) -> bool:
        currency = self.currency.currentData() or _ALL
        interval = self.interval.currentData() or _ALL
        if currency and price.currency.lower() != currency:
            return False
        return not interval or price.type != "recurring" or interval_key(price) == interval

    def matches_name(self, name: str) -> bool:
        wanted = self.search.text().strip().casefold()
        return not wanted or wanted in name.casefold()
