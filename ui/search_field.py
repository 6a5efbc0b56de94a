"""The customer search box both views use: search as you type, and Down into the results.

Typing starts no request by itself: ``settled`` fires once typing pauses ``SEARCH_DELAY_MS``,
so a fast typist sends one search, not one per key. Enter is ``submitted`` (the pending pause
dropped): the view searches at once or takes its first result. Down asks the view to move into
its results (``walk_down``), as a completer does; the view decides whether there is anything to
walk into.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

SEARCH_DELAY_MS = 150  # typing pauses shorter than this do not start a search


class CustomerSearchField(QLineEdit):
    settled = Signal(str)  # the text, stripped, once typing paused
    submitted = Signal(str)  # Enter: the text, stripped
    walk_down = Signal()  # Down was pressed: the view's results may take the focus

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_DELAY_MS)
        self._pause.timeout.connect(self.settle)
        self.textChanged.connect(lambda _text: self._pause.start())
        self.returnPressed.connect(self._submit)
        self.installEventFilter(self)

    def settle(self) -> None:
        """Searches now: the pending pause is over."""
        self._pause.stop()
        self.settled.emit(self.text().strip())

    def cancel_pending(self) -> None:
        self._pause.stop()

    def _submit(self) -> None:
        self._pause.stop()
        self.submitted.emit(self.text().strip())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.walk_down.emit()
            return True
        return super().eventFilter(watched, event)
