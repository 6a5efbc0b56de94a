"""A non-modal bar above the views that shows the latest error, Stripe's fields and all.

An error a form already shows at its fields (``FieldsNeedAttentionError``) is said in one
plain sentence ("Not saved: 2 fields need attention (Headline, Return URL)"): the fields
carry the messages, and the bar's tooltip keeps the error in full (Stripe's type, code,
request id) for support.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from console.errors import ConsoleError, StripeApiError, headline


class FieldsNeedAttentionError(ConsoleError):
    """An error already shown at the fields it concerns; ``cause`` is the error in full."""

    type = "fields_need_attention"

    def __init__(self, message: str, cause: ConsoleError) -> None:
        super().__init__(message, code=cause.code, param=cause.param)
        self.cause = cause


def describe(error: ConsoleError) -> str:
    """Rich text: what it means in the user's words (for Stripe's errors), the message, then,
    small, Stripe's type, code, param and request id for whoever asks Stripe's support."""
    if isinstance(error, FieldsNeedAttentionError):
        return escape(error.message)
    # Stripe's field names stay as they are: they are what support and Stripe's docs use.
    parts = [f"type {error.type}"]
    if error.code:
        parts.append(f"code {error.code}")
    if error.param:
        parts.append(f"param {error.param}")
    if isinstance(error, StripeApiError) and error.request_id:
        parts.append(f"request {error.request_id}")
    meaning = headline(error)
    lines = [f"<b>{escape(meaning)}</b>"] if meaning else []
    lines.append(escape(error.message))
    details = QCoreApplication.translate("ErrorBar", "Details: {details}").format(
        details=", ".join(parts)
    )
    lines.append(f"<small>{escape(details)}</small>")
    return "<br>".join(lines)


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
        self.message.setTextFormat(Qt.TextFormat.RichText)
        # Selectable: the request id is what Stripe's support asks for.
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QPushButton(self.tr("Dismiss"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.dismiss)
        self.dismiss.clicked.connect(self.hide)
        self.hide()

    def show_error(self, error: ConsoleError) -> None:
        self.message.setText(describe(error))
        full = error.cause if isinstance(error, FieldsNeedAttentionError) else None
        self.message.setToolTip("" if full is None else describe(full))
        self.show()
