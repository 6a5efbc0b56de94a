"""The products and prices customers may switch to (``features[subscription_update][products]``).

A tree of the account's products by name, each with its recurring prices in words ("€9.00 per
month", written by the core's ``price_words``); ids only in a quiet last column and the tooltips.
Filters above it (currency, interval, a product name) hide what the merchant is not looking
at; they never change what is offered. Products and prices the configuration names but the
account does not have (or has archived) are shown, marked in words, so the rules' problems have
a row to point at.

Under the tree, the one quantity control: whether customers may change the quantity of the
selected product, and between which bounds. The portal offers a quantity change only when the
configuration's ``default_allowed_updates`` has ``quantity`` AND the product's
``adjustable_quantity`` is on (Stripe's portal and the sandbox's agree; the console's
eligibility rules say so too), so the form writes ``quantity`` into ``default_allowed_updates``
exactly when some offered product allows it. A configuration loaded with the two out of step is
shown as it is, with a note saying what the portal will do; saving it without touching a
quantity keeps Stripe's setting unchanged (no silent change).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import (
    AdjustableQuantity,
    PortalConfiguration,
    UpdatableProduct,
    edit,
)
from console.configurations.rules import Catalogue
from console.customers.support_card import price_words
from console.errors import ValidationProblem
from console.gateway.models import Price, PriceId, ProductId
from ui.configurations.catalogue_filter import CatalogueFilter
from ui.configurations.fields import Binding
from ui.flow_layout import FlowLayout, one_line

PRODUCTS_PARAM = "features[subscription_update][products]"
KINDS_PATH = "features.subscription_update.default_allowed_updates"
_INDEX = re.compile(re.escape(PRODUCTS_PARAM) + r"\[(\d+)\]")
_ID = Qt.ItemDataRole.UserRole
_PROBLEM_BRUSH = QBrush(QColor("#a4262c"))
_QUIET_BRUSH = QBrush(QColor("#6e6e6e"))
NAME, QUANTITY, ID = 0, 1, 2
_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}


def price_text(price: Price) -> str:
    """A price as the merchant reads it: what it costs, then what is special about it."""
    text = price_words(price)
    if price.type != "recurring":
        text += "  " + QCoreApplication.translate(
            "ProductPicker", "one-time: the portal switches between recurring prices only"
        )
    elif not price.active:
        text += "  " + QCoreApplication.translate(
            "ProductPicker", "archived: customers can no longer switch to it"
        )
    return text


def quantity_text(quantity: AdjustableQuantity) -> str:
    if not quantity.enabled:
        return QCoreApplication.translate("ProductPicker", "fixed")
    if quantity.maximum is None:
        return QCoreApplication.translate("ProductPicker", "{minimum} or more").format(
            minimum=quantity.minimum
        )
    return QCoreApplication.translate("ProductPicker", "{minimum} to {maximum}").format(
        minimum=quantity.minimum, maximum=quantity.maximum
    )


class _ProductTree(QTreeWidget):
    """The ids' column only when there is room for it (they stay in the tooltips): in a
    narrow window the names and prices get the width."""

    ROOM_FOR_IDS = 720  # pixels

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        narrow = event.size().width() < self.ROOM_FOR_IDS
        if self.isColumnHidden(ID) != narrow:
            self.setColumnHidden(ID, narrow)


class ProductsBinding(Binding):
    """Which products (and which of their prices) customers may switch to, and the quantity
    they may choose of each."""

    full_width = True

    def __init__(self) -> None:
        box = QWidget()
        self.filters = CatalogueFilter()
        self.tree = _ProductTree()
        self.tree.setHeaderLabels(
            [
                QCoreApplication.translate("ProductPicker", "Product and its prices"),
                QCoreApplication.translate("ProductPicker", "Quantity"),
                QCoreApplication.translate("ProductPicker", "Id"),
            ]
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(QUANTITY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ID, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumHeight(200)
        self.hidden_note = QLabel()
        self.hidden_note.setWordWrap(True)
        self.hidden_note.setStyleSheet("color: #6e6e6e;")
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
        self.quantity_title = QLabel()
        self.quantity_title.setWordWrap(True)
        self.quantity_note = QLabel()
        self.quantity_note.setWordWrap(True)
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
        layout.addWidget(self.filters)
        layout.addWidget(self.tree)
        layout.addWidget(self.hidden_note)
        layout.addWidget(self.quantity_title)
        layout.addLayout(quantity)
        layout.addWidget(self.quantity_note)
        self._catalogue = Catalogue()
        self._quantities: dict[ProductId, AdjustableQuantity] = {}
        self._was_none = True
        self._filling = False
        # Whether the form keeps default_allowed_updates' "quantity" in step with the
        # products: always when it was loaded in step, else once a quantity is edited.
        self._in_step = True
        self._loaded_kinds_quantity = False
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
        self.filters.changed.connect(self._apply_filters)
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
        self.filters.offer(
            price
            for price in catalogue.prices.values()
            if price.type == "recurring" and price.active
        )

    # --- loading ---------------------------------------------------------------------------

    def load(self, config: PortalConfiguration) -> None:
        kinds = config.features.subscription_update.default_allowed_updates
        self._loaded_kinds_quantity = "quantity" in kinds
        super().load(config)
        self._in_step = self._loaded_kinds_quantity == self._products_allow_quantity()
        self._show_quantity_note()

    def set_value(self, value: Any) -> None:
        entries: Sequence[UpdatableProduct] = value or ()
        self._was_none = value is None
        self._quantities = {e.product: e.adjustable_quantity for e in entries}
        self._filling = True
        try:
            self.tree.clear()
            chosen = {e.product: e for e in entries}
            order = [e.product for e in entries] + sorted(
                (
                    p
                    for p in self._catalogue.products
                    if p not in chosen
                    and any(
                        price.type == "recurring" and price.active
                        for price in self._catalogue.prices_of(p)
                    )
                ),
                key=lambda p: (self._catalogue.products.get(p) or p).casefold(),
            )
            for product in order:
                self._add_product(product, chosen.get(product))
        finally:
            self._filling = False
        self._apply_filters()
        self._show_quantity()

    def _add_product(self, product: ProductId, entry: UpdatableProduct | None) -> None:
        known = product in self._catalogue.products
        title = self._catalogue.products.get(product) or product
        if not known:
            title += "  " + QCoreApplication.translate("ProductPicker", "(not on this account)")
        item = QTreeWidgetItem([title, "", product])
        item.setData(NAME, _ID, product)
        item.setToolTip(NAME, product)
        item.setForeground(ID, _QUIET_BRUSH)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(NAME, Qt.CheckState.Checked if entry else Qt.CheckState.Unchecked)
        self.tree.addTopLevelItem(item)
        self._show_product_quantity(item)
        offered = list(entry.prices) if entry else []
        prices: list[tuple[PriceId, Price | None]] = [
            (price_id, self._catalogue.prices.get(price_id)) for price_id in offered
        ]
        others = sorted(
            (
                price
                for price in self._catalogue.prices_of(product)
                if price.id not in offered and price.active and price.type == "recurring"
            ),
            key=lambda p: (p.currency, _ORDER.get(p.recurring_interval or "", 9), p.id),
        )
        prices += [(price.id, price) for price in others]
        for price_id, price in prices:
            label = (
                price_text(price)
                if price
                else QCoreApplication.translate(
                    "ProductPicker", "{id} (not on this account)"
                ).format(id=price_id)
            )
            child = QTreeWidgetItem([label, "", price_id])
            child.setData(NAME, _ID, price_id)
            tip = (
                price_id
                if price is None or not price.lookup_key
                else (f"{price_id}  ({price.lookup_key})")
            )
            child.setToolTip(NAME, tip)
            child.setForeground(ID, _QUIET_BRUSH)
            if price is None or not price.active or price.type != "recurring":
                child.setForeground(NAME, _PROBLEM_BRUSH)
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = price_id in offered
            child.setCheckState(NAME, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            item.addChild(child)
        item.setExpanded(True)

    # --- filters ---------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        hidden_offered = 0
        for item in self._products():
            name = str(item.text(NAME))
            shown_prices = 0
            for child in self._prices(item):
                price = self._catalogue.prices.get(PriceId(child.data(NAME, _ID)))
                visible = price is None or self.filters.accepts(price)
                child.setHidden(not visible)
                shown_prices += visible
                if not visible and child.checkState(NAME) == Qt.CheckState.Checked:
                    hidden_offered += 1
            wanted = self.filters.matches_name(name) and (
                shown_prices > 0 or not self._prices(item)
            )
            item.setHidden(not wanted)
            if not wanted:
                hidden_offered += sum(
                    child.checkState(NAME) == Qt.CheckState.Checked and not child.isHidden()
                    for child in self._prices(item)
                )
        self.hidden_note.setText(
            QCoreApplication.translate(
                "ProductPicker", "{count} offered price(s) are hidden by the filters."
            ).format(count=hidden_offered)
            if hidden_offered
            else ""
        )
        self.hidden_note.setVisible(bool(hidden_offered))

    # --- reading ---------------------------------------------------------------------------

    def value(self) -> tuple[UpdatableProduct, ...] | None:
        entries = []
        for item in self._products():
            if item.checkState(NAME) != Qt.CheckState.Checked:
                continue
            product = ProductId(item.data(NAME, _ID))
            prices = tuple(
                PriceId(child.data(NAME, _ID))
                for child in self._prices(item)
                if child.checkState(NAME) == Qt.CheckState.Checked
            )
            quantity = self._quantities.get(product, AdjustableQuantity())
            entries.append(UpdatableProduct(product, prices, quantity))
        if not entries and self._was_none:
            return None
        return tuple(entries)

    def _products_allow_quantity(self) -> bool:
        return any(entry.adjustable_quantity.enabled for entry in self.value() or ())

    def apply(self, config: PortalConfiguration) -> PortalConfiguration:
        """The products, and ``quantity`` in ``default_allowed_updates`` exactly when an
        offered product allows it (unless the two were loaded out of step and no quantity was
        touched since: then Stripe's setting stays as it is)."""
        config = super().apply(config)
        if not self._in_step:
            return config
        kinds = config.features.subscription_update.default_allowed_updates
        others = tuple(kind for kind in kinds if kind != "quantity")
        wanted = (*others, "quantity") if self._products_allow_quantity() else others
        if "quantity" in kinds and "quantity" in wanted:
            wanted = kinds  # keep Stripe's order: no change to show
        return edit(config, KINDS_PATH, wanted)

    def item_for_product(self, product: str) -> QTreeWidgetItem | None:
        return next((item for item in self._products() if item.data(NAME, _ID) == product), None)

    def select_product(self, product: str) -> None:
        """Selects the product's row, as a click would: the quantity control is then its own."""
        item = self.item_for_product(product)
        assert item is not None, f"no product {product} in the picker"
        self.tree.setCurrentItem(item)

    def shown_products(self) -> list[str]:
        """The products the filters leave visible, as named in the tree."""
        return [str(item.text(NAME)) for item in self._products() if not item.isHidden()]

    def check_price(self, product: str, price: str, checked: bool = True) -> None:
        """Ticks a price (and with it its product), as a click would."""
        item = self.item_for_product(product)
        assert item is not None, f"no product {product} in the picker"
        for child in self._prices(item):
            if child.data(NAME, _ID) == price:
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                child.setCheckState(NAME, state)
                return
        raise AssertionError(f"no price {price} under {product}")

    # --- edits -----------------------------------------------------------------------------

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != NAME:
            return
        parent = item.parent()
        if (
            parent is not None
            and item.checkState(NAME) == Qt.CheckState.Checked
            and parent.checkState(NAME) != Qt.CheckState.Checked
        ):
            # A price chosen means its product is offered.
            self._filling = True
            parent.setCheckState(NAME, Qt.CheckState.Checked)
            self._filling = False
        self._apply_filters()
        self._show_quantity_note()
        self._changed()

    def _current_product(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.parent() or item

    def _show_quantity(self) -> None:
        item = self._current_product()
        enabled = item is not None
        for control in (self.quantity_enabled, self.quantity_minimum, self.quantity_maximum):
            control.setEnabled(enabled)
        if item is None:
            self.quantity_title.setText(
                QCoreApplication.translate(
                    "ProductPicker", "Select a product to set the quantity customers may choose."
                )
            )
            return
        product = ProductId(item.data(NAME, _ID))
        quantity = self._quantities.get(product, AdjustableQuantity())
        self._filling = True
        self.quantity_enabled.setChecked(quantity.enabled)
        self.quantity_minimum.setValue(quantity.minimum)
        self.quantity_maximum.setValue(quantity.maximum or 0)
        self._filling = False
        for control in (self.quantity_minimum, self.quantity_maximum):
            control.setEnabled(quantity.enabled)
        name = self._catalogue.products.get(product) or product
        self.quantity_title.setText(
            QCoreApplication.translate("ProductPicker", "Quantity of {name}:").format(name=name)
        )

    def _show_product_quantity(self, item: QTreeWidgetItem) -> None:
        product = ProductId(item.data(NAME, _ID))
        item.setText(QUANTITY, quantity_text(self._quantities.get(product, AdjustableQuantity())))

    def _quantity_edited(self, *_args: object) -> None:
        item = self._current_product()
        if self._filling or item is None:
            return
        product = ProductId(item.data(NAME, _ID))
        maximum = self.quantity_maximum.value()
        self._quantities[product] = dataclasses.replace(
            self._quantities.get(product, AdjustableQuantity()),
            enabled=self.quantity_enabled.isChecked(),
            minimum=self.quantity_minimum.value(),
            maximum=maximum or None,
        )
        for control in (self.quantity_minimum, self.quantity_maximum):
            control.setEnabled(self.quantity_enabled.isChecked())
        self._in_step = True  # the merchant has said what they want
        self._show_product_quantity(item)
        self._show_quantity_note()
        self._changed()

    def _show_quantity_note(self) -> None:
        """What the portal will do about quantities, in one sentence."""
        allowing = [
            self._catalogue.products.get(entry.product) or entry.product
            for entry in self.value() or ()
            if entry.adjustable_quantity.enabled
        ]
        if not self._in_step and self._loaded_kinds_quantity:
            text = QCoreApplication.translate(
                "ProductPicker",
                "The portal offers no quantity change: Stripe's setting allows quantity "
                "changes, but no product here does. Allow it for a product, or save as it "
                "is (Stripe's setting is kept).",
            )
        elif not self._in_step:
            text = QCoreApplication.translate(
                "ProductPicker",
                "The portal offers no quantity change: {names} allow(s) it, but Stripe's "
                "setting for quantity changes is off. Edit a product's quantity to put them "
                "in step, or save as it is (kept).",
            ).format(names=", ".join(allowing))
        elif allowing:
            text = QCoreApplication.translate(
                "ProductPicker", "Customers may change the quantity of: {names}."
            ).format(names=", ".join(allowing))
        else:
            text = QCoreApplication.translate(
                "ProductPicker", "Customers cannot change quantities in the portal."
            )
        self.quantity_note.setText(text)
        self.quantity_note.setStyleSheet("" if self._in_step else "color: #8a5300;")

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
            product = str(item.data(NAME, _ID))
            tip = "\n".join(wrong.get(product) or ())
            if item.foreground(NAME) != (_PROBLEM_BRUSH if tip else QBrush()):
                item.setForeground(NAME, _PROBLEM_BRUSH if tip else QBrush())
            item.setToolTip(NAME, tip or product)
