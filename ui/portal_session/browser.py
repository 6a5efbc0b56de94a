"""The portal inside the app: a web view with back, reload and the page's title.

Each opened session gets a fresh off-the-record profile (no disk storage, no shared
cookies), so one customer's portal cookie can never show up in the next customer's
portal. The address bar is left out on purpose: a session URL is a credential.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class ElidedLabel(QLabel):
    """One line of plain text that ends in "…" when it does not fit, instead of making its
    row as wide as the whole text (a long page title beside the portal on a small screen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment()), text)


class PortalBrowser(QWidget):
    closed = Signal()
    load_finished = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.back = QToolButton()
        self.back.setText(self.tr("← Back"))
        self.back.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back.setToolTip(self.tr("Back (Alt+Left)"))
        self.reload = QToolButton()
        self.reload.setText(self.tr("Reload"))
        self.reload.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.reload.setToolTip(self.tr("Reload the page (F5)"))
        self.close_button = QToolButton()
        self.close_button.setText(self.tr("Close"))
        self.close_button.setToolTip(self.tr("Close the portal (Esc)"))
        self.title = ElidedLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.title.setStyleSheet("font-weight: 600;")
        self.view = QWebEngineView()
        self.placeholder = QLabel(
            self.tr(
                "The portal opens here, as the customer sees it. "
                "Choose a customer and press Open in app (Ctrl+Enter)."
            )
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #666; padding: 24px;")

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.back)
        bar.addWidget(self.reload)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.close_button)
        self._pages = QStackedLayout()
        self._pages.addWidget(self.placeholder)
        self._pages.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(self._pages, 1)

        self.back.clicked.connect(self.view.back)
        self.reload.clicked.connect(self.view.reload)
        self.close_button.clicked.connect(self.close_portal)
        self.view.loadFinished.connect(self._loaded)
        self.view.titleChanged.connect(self.title.setText)
        self.view.titleChanged.connect(self.title.setToolTip)
        self._page: QWebEnginePage | None = None
        self._show_open(False)

    def is_open(self) -> bool:
        return self._page is not None

    def open_session(self, url: str) -> None:
        """Loads ``url`` in a page of its own, on a new off-the-record profile."""
        # No storage name: off the record. The page owns the profile, so the profile goes
        # after the page (Qt requires that order).
        profile = QWebEngineProfile()
        page = QWebEnginePage(profile, self)
        profile.setParent(page)
        self._replace_page(page)
        self.title.setText(self.tr("Opening the portal…"))
        self._show_open(True)
        page.load(QUrl(url))

    def close_portal(self) -> bool:
        """Leaves the portal (its session cookie goes with the profile); False if none was open."""
        if self._page is None:
            return False
        self._replace_page(None)
        self.title.clear()
        self._show_open(False)
        self.closed.emit()
        return True

    def _replace_page(self, page: QWebEnginePage | None) -> None:
        older = self._page
        self._page = page
        if page is not None:
            self.view.setPage(page)
        else:
            self.view.setPage(QWebEnginePage(self.view))  # a blank, default-profile page
        if older is not None:
            older.deleteLater()

    def _show_open(self, is_open: bool) -> None:
        self._pages.setCurrentWidget(self.view if is_open else self.placeholder)
        for button in (self.back, self.reload, self.close_button):
            button.setEnabled(is_open)

    def _loaded(self, ok: bool) -> None:
        self.back.setEnabled(self.view.history().canGoBack())
        self.load_finished.emit(ok)
