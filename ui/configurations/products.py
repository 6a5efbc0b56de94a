"""The product and price picker for plan switching (``features[subscription_update][products]``).

A tree of the account's products, each with its recurring prices: a checked product is offered
in the portal with its checked prices. Products and prices the configuration names but the
account does not have (or has archived) are shown too, so the rules' problems have a row to
point at. Under the tree, the selected product's adjustable quantity.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import AdjustableQuantity, UpdatableProduct
from console.configurations.rules import Catalogue
from console.errors import ValidationProblem
from console.gateway.models import Price, PriceId, ProductId
from console.money import FALLBACK_LOCALE, format_amount
from ui.configurations.fields import Binding
from ui.flow_layout import FlowLayout, one_line

PRODUCTS_PARAM = "features[subscription_update][products]"
_INDEX = re.compile(re.escape(PRODUCTS_PARAM) + r"\[(\d+)\]")
_ID = Qt.ItemDataRole.UserRole
_PROBLEM_BRUSH = QBrush(QColor("#a4262c"))


def price_label(price: Price, locale: str = FALLBACK_LOCALE) -> str:
    """``$9.00 / month`` (or ``/ 3 months``) for ``locale``, with the lookup key and archived
    state; amounts the one way the window writes money (console/money.py)."""
    if price.unit_amount is None:
        amount = QCoreApplication.translate("ProductPicker", "metered or tiered")
    else:
        amount = format_amount(price.unit_amount, price.currency, locale)
    count = price.recurring_interval_count or 1
    unit = price.recurring_interval or QCoreApplication.translate("ProductPicker", "once")
    every = f"{unit}" if count == 1 else f"{count} {unit}s"
    text = f"{amount} / {every}"
    if price.lookup_key:
        text += f"  ({price.lookup_key})"
    if not price.active:
        text += "  " + QCoreApplication.translate("ProductPicker", "[archived]")
    if price.type != "recurring":
        text += "  " + QCoreApplication.translate("ProductPicker", "[one-time]")
    return text


class ProductsBinding(Binding):
    """Which products (and which of their prices) customers may switch to."""

    def __init__(self) -> None:
        box = QWidget()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                QCoreApplication.translate("ProductPicker", "Product / price"),
                QCoreApplication.translate("ProductPicker", "Id"),
            ]
        )
        self.tree.setColumnWidth(0, 380)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumHeight(220)
        self.quantity_title = QLabel(
            QCoreApplication.translate(
                "ProductPicker", "Select a product to set its adjustable quantity."
            )
        )
        self.quantity_enabled = QCheckBox(
            QCoreApplication.translate("ProductPicker", "Customers may change the quantity")
        )
        self.quantity_minimum = QSpinBox()
        self.quantity_minimum.setRange(0, 99_999)
        self.quantity_maximum = QSpinBox()
        self.quantity_maximum.setRange(0, 99_999)
        self.quantity_maximum.setSpecialValueText(
            QCoreApplication.translate("ProductPicker", "no limit")
        )
        self.quantity_title.setWordWrap(True)
        # Wraps in a narrow form; each number stays with its label.
        quantity = FlowLayout()
        quantity.addWidget(self.quantity_enabled)
        quantity.addWidget(
            one_line(QCoreApplication.translate("ProductPicker", "Minimum"), self.quantity_minimum)
        )
        quantity.addWidget(
            one_line(QCoreApplication.translate("ProductPicker", "Maximum"), self.quantity_maximum)
        )
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addWidget(self.quantity_title)
        layout.addLayout(quantity)
        self._catalogue = Catalogue()
        self._quantities: dict[ProductId, AdjustableQuantity] = {}
        self._was_none = True
        self._filling = False
        super().__init__(
            PRODUCTS_PARAM,
            "features.subscription_update.products",
            QCoreApplication.translate("ProductPicker", "Products offered"),
            box,
        )
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_quantity())
        self.quantity_enabled.toggled.connect(self._quantity_edited)
        self.quantity_minimum.valueChanged.connect(self._quantity_edited)
        self.quantity_maximum.valueChanged.connect(self._quantity_edited)
        self._show_quantity()

    def _products(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    @staticmethod
    def _prices(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        children = (item.child(n) for n in range(item.childCount()))
        return [child for child in children if child is not None]

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    # --- loading ---------------------------------------------------------------------------

    def set_value(self, value: Any) -> None:
        entries: Sequence[UpdatableProduct] = value or ()
        self._was_none = value is None
        self._quantities = {e.product: e.adjustable_quantity for e in entries}
        self._filling = True
        try:
            self.tree.clear()
            chosen = {e.product: e for e in entries}
            order = [e.product for e in entries] + [
                p
                for p in self._catalogue.products
                if p not in chosen
                and any(price.type == "recurring" for price in self._catalogue.prices_of(p))
            ]
            for product in order:
                self._add_product(product, chosen.get(product))
        finally:
            self._filling = False
        self._show_quantity()

    def _add_product(self, product: ProductId, entry: UpdatableProduct | None) -> None:
        known = product in self._catalogue.products
        name = self._catalogue.products.get(product) if known else None
        title = name or product
        if not known:
            title += "  " + QCoreApplication.translate("ProductPicker", "[not on this account]")
        item = QTreeWidgetItem([title, product])
        item.setData(0, _ID, product)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if entry else Qt.CheckState.Unchecked)
        self.tree.addTopLevelItem(item)
        offered = list(entry.prices) if entry else []
        prices: list[tuple[PriceId, Price | None]] = [
            (price_id, self._catalogue.prices.get(price_id)) for price_id in offered
        ]
        prices += [
            (price.id, price)
            for price in self._catalogue.prices_of(product)
            if price.id not in offered and price.active and price.type == "recurring"
        ]
        for price_id, price in prices:
            label = (
                price_label(price, self.tree.locale().name())
                if price
                else QCoreApplication.translate(
                    "ProductPicker", "{id}  [not on this account]"
                ).format(id=price_id)
            )
            child = QTreeWidgetItem([label, price_id])
            child.setData(0, _ID, price_id)
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = price_id in offered
            child.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            item.addChild(child)
        item.setExpanded(True)

    # --- reading ---------------------------------------------------------------------------

    def value(self) -> tuple[UpdatableProduct, ...] | None:
        entries = []
        for item in self._products():
            if item.checkState(0) != Qt.CheckState.Checked:
                continue
            product = ProductId(item.data(0, _ID))
            prices = tuple(
                PriceId(child.data(0, _ID))
                for child in self._prices(item)
                if child.checkState(0) == Qt.CheckState.Checked
            )
            quantity = self._quantities.get(product, AdjustableQuantity())
            entries.append(UpdatableProduct(product, prices, quantity))
        if not entries and self._was_none:
            return None
        return tuple(entries)

    def item_for_product(self, product: str) -> QTreeWidgetItem | None:
        return next((item for item in self._products() if item.data(0, _ID) == product), None)

    def check_price(self, product: str, price: str, checked: bool = True) -> None:
        """Ticks a price (and with it its product), as a click would."""
        item = self.item_for_product(product)
        assert item is not None, f"no product {product} in the picker"
        for child in self._prices(item):
            if child.data(0, _ID) == price:
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                child.setCheckState(0, state)
                return
        raise AssertionError(f"no price {price} under {product}")

    # --- edits -----------------------------------------------------------------------------

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        parent = item.parent()
        if (
            parent is not None
            and item.checkState(0) == Qt.CheckState.Checked
            and parent.checkState(0) != Qt.CheckState.Checked
        ):
            # A price chosen means its product is offered.
            self._filling = True
            parent.setCheckState(0, Qt.CheckState.Checked)
            self._filling = False
        self._changed()

    def _current_product(self) -> ProductId | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        top = item.parent() or item
        return ProductId(top.data(0, _ID))

    def _show_quantity(self) -> None:
        product = self._current_product()
        enabled = product is not None
        for control in (self.quantity_enabled, self.quantity_minimum, self.quantity_maximum):
            control.setEnabled(enabled)
        if product is None:
            return
        quantity = self._quantities.get(product, AdjustableQuantity())
        self._filling = True
        self.quantity_enabled.setChecked(quantity.enabled)
        self.quantity_minimum.setValue(quantity.minimum)
        self.quantity_maximum.setValue(quantity.maximum or 0)
        self._filling = False
        name = self._catalogue.products.get(product) or product
        self.quantity_title.setText(
            QCoreApplication.translate("ProductPicker", "Adjustable quantity of {name}:").format(
                name=name
            )
        )

    def _quantity_edited(self, *_args: object) -> None:
        product = self._current_product()
        if self._filling or product is None:
            return
        maximum = self.quantity_maximum.value()
        self._quantities[product] = dataclasses.replace(
            self._quantities.get(product, AdjustableQuantity()),
            enabled=self.quantity_enabled.isChecked(),
            minimum=self.quantity_minimum.value(),
            maximum=maximum or None,
        )
        self._changed()

    # --- marks -----------------------------------------------------------------------------

    def mark_entries(self, problems: Sequence[ValidationProblem]) -> None:
        """Colours the products whose entry (by index in the list sent) has a problem."""
        offered = [e.product for e in self.value() or ()]
        wrong: dict[str, list[str]] = {}
        for problem in problems:
            found = _INDEX.match(problem.param)
            if found and int(found.group(1)) < len(offered):
                wrong.setdefault(offered[int(found.group(1))], []).append(problem.message)
        for item in self._products():
            tip = "\n".join(wrong.get(item.data(0, _ID)) or ())
            if item.toolTip(0) != tip:
                item.setForeground(0, _PROBLEM_BRUSH if tip else QBrush())
                item.setToolTip(0, tip)
