"""The preview docked beside the configuration editor: the portal as a customer will see it.

It follows the form (``show_configuration``, called as edits pause), rendered by the built-in
sandbox through the same ``PreviewRenderer`` as the Branding preview view. A badge says whether
the page shows unsaved edits ("Unsaved changes — preview") or what is saved ("Saved"); the last
good page stays while a new one renders, and while the form has problems the page waits (Stripe
would refuse such a configuration, and so would the preview). One language at a time, chosen
here; the Branding preview view shows several side by side.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from console.configurations.model import PortalConfiguration
from console.i18n import current_language
from console.preview.branding import portal_locales
from ui.context import AccountContext
from ui.flow_layout import FlowLayout, one_line
from ui.preview.pane import PreviewPane, locale_caption
from ui.preview.renderer import PreviewRenderer, show_note

UNSAVED_STYLE = "background: #fff4ce; color: #6b4e00; padding: 2px 6px; border-radius: 3px;"
SAVED_STYLE = "background: #dff6dd; color: #0e5c0e; padding: 2px 6px; border-radius: 3px;"


class DockedPreview(QWidget):
    failed = Signal(object)  # a ConsoleError, for the window's error bar
    rendered = Signal()  # the page shows the newest configuration

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._configuration: PortalConfiguration | None = None
        self._locales = {entry.code: entry for entry in portal_locales()}
        self.title = QLabel(self.tr("Preview"))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.state = QLabel()
        self.state.setAccessibleName(self.tr("Preview state"))
        self.locale_picker = QComboBox()
        for entry in portal_locales():
            self.locale_picker.addItem(locale_caption(entry), entry.code)
        first = current_language() if current_language() in self._locales else "en"
        self.locale_picker.setCurrentIndex(self.locale_picker.findData(first))
        self.locale_picker.setMinimumContentsLength(14)
        self.locale_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.locale_picker.setToolTip(self.tr("The customer's language"))
        self.rendering = QLabel(self.tr("Rendering…"))
        self.rendering.setStyleSheet("color: #555;")
        self.rendering.setVisible(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a6100;")
        self.note.setVisible(False)
        self.pane = PreviewPane(self._locales[first])
        self.pane.show_caption(False)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.state)
        top.addStretch(1)
        top.addWidget(self.rendering)
        # The language picker wraps below the title in a narrow panel rather than widening it.
        bar = FlowLayout()
        bar.addWidget(one_line(self.tr("&Language:"), self.locale_picker))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(top)
        self._layout.addLayout(bar)
        self._layout.addWidget(self.note)
        self._layout.addWidget(self.pane, 1)

        self.renderer = PreviewRenderer(self, lambda: [self.pane], self._current, self.failed.emit)
        self.renderer.watch(self.pane)
        self.renderer.report_to(self.rendering, self.note)
        self.renderer.rendered.connect(self.rendered.emit)
        self.locale_picker.currentIndexChanged.connect(self._locale_picked)
        self.mark_unsaved(False)

    # --- what the configurations view asks -----------------------------------------------------

    def attach(self, context: AccountContext) -> None:
        """Previews this account's configurations (with its branding) from now on."""
        self._configuration = None
        self.renderer.attach(context)

    def refresh(self) -> None:
        """Reads the branding and product names again and renders anew."""
        self.renderer.forget_loaded()
        if self._configuration is not None:
            self.renderer.schedule(at_once=True)

    def shutdown(self) -> None:
        self.rendering.setVisible(False)
        self.renderer.shutdown()

    def show_configuration(self, configuration: PortalConfiguration, *, has_problems: bool) -> None:
        """Shows ``configuration`` (saved or as edited) after a short pause; while the form has
        problems, the page of the last good one stays."""
        if has_problems:
            show_note(
                self.note,
                self.tr("The preview waits until the problems marked in red are fixed."),
            )
            return
        show_note(self.note, "")
        if configuration == self._configuration and self.pane.page() is not None:
            return
        self._configuration = configuration
        self.renderer.schedule()

    def mark_unsaved(self, unsaved: bool) -> None:
        """Says whether the form (and soon the page) differs from what is saved."""
        if unsaved:
            self.state.setText(self.tr("Unsaved changes — preview"))
            self.state.setStyleSheet(UNSAVED_STYLE)
        else:
            self.state.setText(self.tr("Saved"))
            self.state.setStyleSheet(SAVED_STYLE)

    def current_locale(self) -> str:
        return str(self.locale_picker.currentData())

    def is_rendering(self) -> bool:
        return self.renderer.is_busy()

    # --- inside --------------------------------------------------------------------------------

    async def _current(self) -> PortalConfiguration | None:
        return self._configuration

    def _locale_picked(self, _index: int) -> None:
        """A pane for the new language in place of the old one (a pane has one language)."""
        old = self.pane
        self.renderer.forget(old)
        self.pane = PreviewPane(self._locales[self.current_locale()])
        self.pane.show_caption(False)
        self.renderer.watch(self.pane)
        self._layout.replaceWidget(old, self.pane)
        old.release()
        old.setParent(None)
        old.deleteLater()
        self.renderer.schedule(at_once=True)
