"""The Cancellation tab's pickers of the account's things: custom reasons and a retention coupon.

- ``FeedbackOptionsBinding``: the custom cancellation reasons offered
  (``…[cancellation_reason][feedback_options]``), picked by their description from the account's
  ``billing.feedback_option`` list. An id the configuration names but the account does not have,
  or has deactivated, is listed too, marked, so it can be seen and unticked.
- ``RetentionCouponBinding``: the coupon offered before a customer cancels. Stripe's
  configuration has no such field: the choice is kept in the configuration's metadata
  (``console.configurations.retention``) and used by the cancel links the console opens.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import PortalConfiguration
from console.configurations.retention import (
    RETENTION_PARAM,
    coupon_label,
    retention_coupon,
    with_retention_coupon,
)
from console.configurations.rules import Catalogue
from console.gateway.catalogue import CouponId, FeedbackOptionId
from ui.configurations.fields import PROBLEM_TEXT_STYLE, Binding
from ui.flow_layout import FlowLayout

_NONE = ""  # the coupon combo's "no offer" item
HELP_STYLE = "color: #555;"


class FeedbackOptionsBinding(Binding):
    """Custom reasons as check boxes (like the reasons Stripe words), in the order the
    configuration has them, then the account's other active ones by description."""

    def __init__(self) -> None:
        box = QWidget()
        self.options = QWidget()
        self._flow = FlowLayout(self.options)
        self.checks: list[QCheckBox] = []
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(HELP_STYLE)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.options)
        layout.addWidget(self.empty)
        self._catalogue = Catalogue()
        self._was_none = True
        self._order: tuple[str, ...] = ()
        super().__init__(
            "features[subscription_cancel][cancellation_reason][feedback_options]",
            "features.subscription_cancel.cancellation_reason.feedback_options",
            QCoreApplication.translate("CancellationPickers", "Custom reasons"),
            box,
        )

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    def set_value(self, value: Any) -> None:
        self._was_none = value is None
        self._order = tuple(value or ())
        known = self._catalogue.feedback_options
        for old in self.checks:
            self._flow.removeWidget(old)
            old.deleteLater()
        self.checks = []
        listed = list(self._order)
        if known is not None:
            listed += [
                option.id
                for option in sorted(known.values(), key=lambda o: o.description.casefold())
                if option.active and option.id not in self._order
            ]
        for option_id in listed:
            option = known.get(FeedbackOptionId(option_id)) if known is not None else None
            if option is None:
                text = QCoreApplication.translate(
                    "CancellationPickers", "{id} (not on this account)"
                ).format(id=option_id)
                if known is None:
                    text = option_id
            elif not option.active:
                text = QCoreApplication.translate(
                    "CancellationPickers", "{description} (deactivated)"
                ).format(description=option.description)
            else:
                text = option.description
            check = QCheckBox(text)
            check.setObjectName(option_id)
            check.setToolTip(option_id)
            check.setChecked(option_id in self._order)
            if known is not None and (option is None or not option.active):
                check.setStyleSheet(PROBLEM_TEXT_STYLE)
            check.toggled.connect(self._changed)
            self._flow.addWidget(check)
            self.checks.append(check)
        if known is None:
            self.empty.setText(
                QCoreApplication.translate(
                    "CancellationPickers",
                    "This key may not read the account's custom reasons; they are kept as set.",
                )
            )
        elif not listed:
            self.empty.setText(
                QCoreApplication.translate(
                    "CancellationPickers",
                    "This account has no custom reasons. Stripe's Dashboard makes them "
                    "(Settings, Customer portal).",
                )
            )
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))
        self.options.setVisible(bool(listed))

    def value(self) -> tuple[str, ...] | None:
        chosen = [check.objectName() for check in self.checks if check.isChecked()]
        kept = tuple(option for option in self._order if option in chosen)
        ids = kept + tuple(option for option in chosen if option not in kept)
        if not ids and self._was_none:
            return None
        return ids

    def tick(self, description: str, checked: bool = True) -> None:
        """Ticks the reason shown as ``description``, as a click would."""
        next(c for c in self.checks if c.text() == description).setChecked(checked)

    def shown(self) -> list[tuple[str, bool]]:
        """Each reason as shown, and whether it is ticked."""
        return [(check.text(), check.isChecked()) for check in self.checks]


class RetentionCouponBinding(Binding):
    """The coupon the console's cancel links offer first, or none."""

    def __init__(self) -> None:
        box = QWidget()
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.help = QLabel(
            QCoreApplication.translate(
                "CancellationPickers",
                "Stripe offers a coupon before a cancellation only when the link that opens "
                "the portal asks for it. The console's cancel links for this configuration "
                "offer this one; your own website has to pass it too (flow_data, "
                "subscription_cancel, retention). Kept in the metadata as {key}.",
            ).format(key=RETENTION_PARAM.removeprefix("metadata[").removesuffix("]"))
        )
        self.help.setWordWrap(True)
        self.help.setStyleSheet(HELP_STYLE)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.help)
        self._catalogue = Catalogue()
        super().__init__(
            RETENTION_PARAM,
            "metadata",
            QCoreApplication.translate("CancellationPickers", "Retention offer"),
            box,
        )
        self.combo.currentIndexChanged.connect(self._changed)

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    def load(self, config: PortalConfiguration) -> None:
        self.set_value(retention_coupon(config))

    def apply(self, config: PortalConfiguration) -> PortalConfiguration:
        return with_retention_coupon(config, self.value())

    def set_value(self, value: Any) -> None:
        blocked = self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(QCoreApplication.translate("CancellationPickers", "No offer"), _NONE)
        coupons = self._catalogue.coupons or {}
        for coupon in sorted(coupons.values(), key=lambda c: c.id.casefold()):
            if coupon.valid or coupon.id == value:
                self.combo.addItem(coupon_label(coupon), coupon.id)
                self.combo.setItemData(
                    self.combo.count() - 1, coupon.name, Qt.ItemDataRole.ToolTipRole
                )
        if value and self.combo.findData(value) < 0:
            missing = (
                QCoreApplication.translate("CancellationPickers", "{id} (not on this account)")
                if self._catalogue.coupons is not None
                else "{id}"
            )
            self.combo.addItem(missing.format(id=value), value)
        self.combo.setCurrentIndex(max(self.combo.findData(value or _NONE), 0))
        self.combo.blockSignals(blocked)

    def value(self) -> CouponId | None:
        chosen = self.combo.currentData()
        return CouponId(str(chosen)) if chosen else None

    def choose(self, coupon: str | None) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(coupon or _NONE), 0))
