"""The account and its mode, always visible: a TEST/LIVE marker nobody can miss."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from console.accounts import StoredAccount

# Stripe's own colours for the modes: orange for test data, red for real money.
_MODE_COLOUR = {"test": "#f5a623", "live": "#d13438"}
_MODE_STYLE = {
    "test": "background: #f5a623; color: #1a1a1a;",
    "live": "background: #d13438; color: white;",
}


class AccountBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountBanner")
        self.mode = QLabel()
        self.mode.setObjectName("modeMarker")
        self.account_name = QLabel()
        # Fonts and palette roles, not style sheets: they follow a light/dark palette change.
        name_font = self.account_name.font()
        name_font.setBold(True)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.2)
        self.account_name.setFont(name_font)
        self.acting_for = QLabel()
        self.acting_for.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.mode)
        layout.addWidget(self.account_name)
        layout.addWidget(self.acting_for)
        layout.addStretch(1)
        self.show_starting(self.tr("Starting the sandbox…"))

    def show_starting(self, text: str) -> None:
        self.mode.setText("")
        self.mode.hide()
        self.account_name.setText(text)
        self.acting_for.setText("")

    def show_account(self, account: StoredAccount) -> None:
        marker = self.tr("TEST MODE") if account.mode == "test" else self.tr("LIVE MODE")
        self.mode.setText(f" {marker} ")
        self.mode.setStyleSheet(
            _MODE_STYLE[account.mode] + "font-weight: bold; padding: 3px 8px; border-radius: 3px;"
        )
        self.mode.show()
        # A stripe in the mode's colour under the whole banner: seen even from the corner of an eye.
        self.setStyleSheet(
            f"#accountBanner {{ border-bottom: 3px solid {_MODE_COLOUR[account.mode]}; }}"
        )
        self.account_name.setText(f"{account.name}  ·  {account.id}")
        self.acting_for.setText(
            self.tr("acting for connected account {id}").format(id=account.connected_account_id)
            if account.connected_account_id
            else ""
        )
