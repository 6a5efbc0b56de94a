"""A non-modal bar above the views that shows the latest error, Stripe's fields and all."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from console.errors import ConsoleError, StripeApiError


def describe(error: ConsoleError) -> str:
    """One line: the message, then Stripe's type, code and param when it sent them."""
    # Stripe's field names stay as they are: they are what support and Stripe's docs use.
    parts = [f"type {error.type}"]
    if error.code:
        parts.append(f"code {error.code}")
    if error.param:
        parts.append(f"param {error.param}")
    if isinstance(error, StripeApiError) and error.request_id:
        parts.append(f"request {error.request_id}")
    return f"{error.message} ({', '.join(parts)})"


class ErrorBar(QFrame):
    """Hidden until an error arrives; Dismiss hides it. It never takes the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBar")
        self.setStyleSheet(
            "#errorBar { background: #fde7e9; border: 1px solid #d13438; border-radius: 4px; }"
            "#errorBar QLabel { color: #8a1c1f; }"
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.dismiss = QPushButton(self.tr("Dismiss"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.dismiss)
        self.dismiss.clicked.connect(self.hide)
        self.hide()

    def show_error(self, error: ConsoleError) -> None:
        self.message.setText(describe(error))
        self.show()
