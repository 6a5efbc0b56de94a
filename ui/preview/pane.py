"""One rendered preview: a caption (the language) over a web view that cannot leave the preview.

Every preview is loaded in a page of its own on a new off-the-record profile (no disk storage,
no cookies carried from one preview to the next). The new page loads behind the shown one and
replaces it only once it has loaded, so the last good page stays visible while a new one
renders, and stays if the new one fails.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from console.preview.branding import PortalLocale, stays_in_preview


class PreviewPage(QWebEnginePage):
    """A page that follows links inside its preview only; forms go nowhere.

    Links meant for a new window go nowhere too: ``createWindow`` is not overridden, and Qt's
    own answers None.
    """

    def __init__(self, profile: QWebEngineProfile, preview_url: str, parent: QWidget) -> None:
        super().__init__(profile, parent)
        self.preview_url = preview_url

    def acceptNavigationRequest(  # noqa: N802 - Qt's name
        self,
        url: QUrl | str,
        type: QWebEnginePage.NavigationType,
        isMainFrame: bool,  # noqa: N803
    ) -> bool:
        if type == QWebEnginePage.NavigationType.NavigationTypeFormSubmitted:
            return False  # the preview's forms are for looking at
        target = url.toString() if isinstance(url, QUrl) else url
        return stays_in_preview(target, self.preview_url)


def locale_caption(locale: PortalLocale) -> str:
    """The language as its speakers write it, with the English name when that differs."""
    if locale.native == locale.english:
        return locale.native
    return f"{locale.native} ({locale.english})"


class PreviewPane(QWidget):
    """Two web views stacked: the new preview loads, visible but underneath, in the back one
    and comes to the front when it has loaded, so the swap never shows an empty frame."""

    loaded = Signal(bool, str)  # the newest preview loaded (True) or failed (False), its URL

    def __init__(self, locale: PortalLocale, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.portal_locale = locale
        self.caption = QLabel(locale_caption(locale))
        self.caption.setStyleSheet("font-weight: 600; padding: 2px 4px;")
        self._views = (QWebEngineView(), QWebEngineView())
        self._stack = QStackedLayout()
        self._stack.setStackingMode(QStackedLayout.StackingMode.StackAll)
        for view in self._views:
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            self._stack.addWidget(view)
        self._front = 0
        self._stack.setCurrentIndex(self._front)
        self.setFocusProxy(self.view)
        self._shown: PreviewPage | None = None
        self._loading: PreviewPage | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addLayout(self._stack, 1)

    @property
    def view(self) -> QWebEngineView:
        """The web view in front (the one the user sees)."""
        return self._views[self._front]

    def show_caption(self, visible: bool) -> None:
        self.caption.setVisible(visible)

    def page(self) -> PreviewPage | None:
        """The page on screen (None before the first preview has loaded)."""
        return self._shown

    def preview_url(self) -> str | None:
        return None if self._shown is None else self._shown.preview_url

    def load(self, url: str) -> None:
        """Load ``url`` in a fresh page; it replaces the shown one when it has loaded."""
        # No storage name: off the record. The page owns its profile, so the profile is
        # deleted after the page (Qt requires that order).
        profile = QWebEngineProfile()
        page = PreviewPage(profile, url, self)
        profile.setParent(page)
        self._views[1 - self._front].setPage(page)
        if self._loading is not None:
            self._loading.deleteLater()
        self._loading = page
        page.loadFinished.connect(lambda ok: self._finished(page, ok))
        page.load(QUrl(url))

    def release(self) -> None:
        """Drops the pages (and their profiles) now; the views show blank pages."""
        for view in self._views:
            view.setPage(QWebEnginePage(view))
        for page in (self._loading, self._shown):
            if page is not None:
                page.deleteLater()
        self._loading = self._shown = None

    def _finished(self, page: PreviewPage, ok: bool) -> None:
        if page is not self._loading:
            return  # a later load of a shown page (a link inside the preview), or a stale one
        self._loading = None
        back = self._views[1 - self._front]
        if not ok:
            back.setPage(QWebEnginePage(back))
            page.deleteLater()
            self.loaded.emit(False, page.preview_url)
            return
        had_focus = self.view.hasFocus()
        older, self._shown = self._shown, page
        old_front = self.view
        self._front = 1 - self._front
        self._stack.setCurrentIndex(self._front)
        self.view.raise_()
        self.setFocusProxy(self.view)
        if had_focus:
            self.view.setFocus()
        old_front.setPage(QWebEnginePage(old_front))
        if older is not None:
            older.deleteLater()
        self.loaded.emit(True, page.preview_url)
