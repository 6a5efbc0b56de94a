"""Rendering previews into panes: what the Branding preview and the docked preview share.

A ``PreviewRenderer`` gathers what a page shows (the configuration its owner gives, the account's
branding, the names and prices of the products offered; branding and product lists read once
and kept) and has the built-in sandbox render it in each pane's language
(``console.preview.branding``). Changes are debounced, only the newest render counts, and each
pane keeps its last good page while the new one loads (``PreviewPane``). Nothing renders while
the host widget is hidden (web pages cost memory and a renderer process): a change made out of
sight renders when the host is shown.

``started`` fires when a change is on its way to the screen, ``rendered`` once every pane shows
it; ``note`` says why nothing can render ("" when that is over). Errors go to ``failed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from console.configurations.model import PortalConfiguration
from console.errors import ConsoleError
from console.preview.branding import (
    AccountBranding,
    CatalogProduct,
    PreviewSource,
    load_catalog,
    read_branding,
    render_previews,
)
from ui.context import AccountContext
from ui.preview.pane import PreviewPane
from ui.tasks import NamedTasks

log = logging.getLogger(__name__)

RENDER_DELAY_MS = 300  # edits arriving closer together than this render once

ConfigurationSource = Callable[[], Awaitable[PortalConfiguration | None]]


def show_note(label: QLabel, text: str) -> None:
    """``text`` in ``label``, hidden when there is nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))


class PreviewRenderer(QObject):
    started = Signal()  # a change is on its way to the panes
    rendered = Signal()  # every pane shows the newest preview
    note = Signal(str)  # why nothing renders ("" once it can again)

    def __init__(
        self,
        host: QWidget,
        panes: Callable[[], Sequence[PreviewPane]],
        configuration: ConfigurationSource,
        failed: Callable[[ConsoleError], None],
    ) -> None:
        super().__init__(host)
        self._host = host
        self._panes = panes
        self._configuration = configuration
        self._failed = failed
        self._context: AccountContext | None = None
        self._tasks = NamedTasks(failed)
        self._branding: AccountBranding | None = None
        self._catalogs: dict[tuple[tuple[str, tuple[str, ...]], ...], tuple[CatalogProduct, ...]]
        self._catalogs = {}
        self._expected: dict[PreviewPane, str] = {}  # the URL each pane is loading
        self._asking = False  # a render is asking the sandbox
        self._generation = 0  # counts renders; only the newest one's end counts
        self._busy = False  # between ``started`` and ``rendered``
        self._stale = False  # something changed while the host was hidden
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(RENDER_DELAY_MS)
        self._debounce.timeout.connect(self._render_now)
        host.installEventFilter(self)
        # A host deleted without ``shutdown`` (its window closed): its renders end unheard,
        # as the timer and signals go with it.
        host.destroyed.connect(self._stop)

    # --- what the owner asks -------------------------------------------------------------------

    def attach(self, context: AccountContext) -> None:
        """Renders for this account from now on (its branding and products read anew)."""
        self._context = context
        self.forget_loaded()

    def forget_loaded(self) -> None:
        """Reads branding and product lists again at the next render (Ctrl+R)."""
        self._catalogs.clear()
        self._branding = None

    def report_to(self, rendering: QLabel, note: QLabel) -> None:
        """Shows ``rendering`` ("Rendering…") from a change until its page is on screen, and in
        ``note`` why nothing renders."""
        self.started.connect(lambda: rendering.setVisible(True))
        self.rendered.connect(lambda: rendering.setVisible(False))
        self.note.connect(lambda text: show_note(note, text))

    def watch(self, pane: PreviewPane) -> None:
        """Counts ``pane`` among those a render waits for."""
        pane.loaded.connect(lambda ok, url, shown=pane: self._pane_loaded(shown, ok, url))

    def forget(self, pane: PreviewPane) -> None:
        """``pane`` is going away: no render waits for it any more."""
        self._expected.pop(pane, None)

    def schedule(self, *, at_once: bool = False) -> None:
        """Renders soon (after the debounce pause), or now; when the host is shown if hidden."""
        if self._context is None:
            return
        if not self._host.isVisible():
            self._stale = True
            return
        self._set_busy(True)  # from the change on, until its page is on screen
        if at_once:
            self._debounce.stop()
            self._render_now()
        else:
            self._debounce.start()

    def is_busy(self) -> bool:
        """Between a change and its page on screen."""
        return self._busy

    def is_asking(self) -> bool:
        """A render is under way (asking the sandbox for pages)."""
        return "render" in self._tasks

    def shutdown(self) -> None:
        """Cancels what is under way and lets go of the panes' web pages."""
        self._debounce.stop()
        self._stop()
        for pane in self._panes():
            pane.release()

    def _stop(self) -> None:
        """Forgets every render under way (their ends change nothing); Python state only."""
        self._generation += 1
        self._asking = False
        self._busy = False
        self._tasks.cancel_all()
        self._expected.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._host and event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            # After the show has finished: the host counts as visible only then.
            QTimer.singleShot(0, lambda: self.schedule(at_once=True))
        return False

    # --- rendering -----------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        if busy and not self._busy:
            self._busy = True
            self.started.emit()
        elif not busy and self._busy:
            self._busy = False
            self.rendered.emit()

    def _render_now(self) -> None:
        self._generation += 1
        self._asking = True
        self._tasks.run("render", self._render(self._generation))

    async def _account_branding(self) -> AccountBranding:
        if self._branding is not None:
            return self._branding
        assert self._context is not None
        # The account's own gateway reads it (with the account's key, on Stripe or a sandbox).
        # An icon or logo that cannot be downloaded goes to the error bar and the page renders
        # without it, with the name and colours.
        self._branding = await read_branding(self._context.gateway, image_failed=self._failed)
        return self._branding

    async def _catalog(self, configuration: PortalConfiguration) -> tuple[CatalogProduct, ...]:
        assert self._context is not None
        offered = configuration.features.subscription_update.products or ()
        key = tuple((p.product, tuple(p.prices)) for p in offered)
        found = self._catalogs.get(key)
        if found is None:
            found = await load_catalog(self._context.gateway, configuration)
            self._catalogs[key] = found
        return found

    async def _render(self, generation: int) -> None:
        try:
            sandbox = None if self._context is None else self._context.sandbox
            if sandbox is None:
                self.note.emit(
                    self.tr("The built-in sandbox is not running, so nothing can render.")
                )
                return
            self.note.emit("")
            configuration = await self._configuration()
            if configuration is None:
                return
            branding, catalog = await asyncio.gather(
                self._account_branding(), self._catalog(configuration)
            )
            source = PreviewSource(configuration, branding, catalog)
            panes = list(self._panes())
            previews = await render_previews(sandbox, source, [p.portal_locale.code for p in panes])
            for pane, preview in zip(panes, previews, strict=True):
                self._expected[pane] = preview.url
                pane.load(preview.url)
        finally:
            # A replaced (cancelled) render ends after its successor began: leave the flag alone.
            if generation == self._generation:
                self._asking = False
                self._settle()

    def _pane_loaded(self, pane: PreviewPane, ok: bool, url: str) -> None:
        if self._expected.get(pane) != url:
            return  # an older preview, already replaced
        del self._expected[pane]
        if not ok:
            log.info("A preview page did not load (%s)", pane.portal_locale.code)
        self._settle()

    def _settle(self) -> None:
        """Says ``rendered`` once nothing is asked, loading or waiting for the debounce."""
        if self._asking or self._expected or self._debounce.isActive():
            return
        self._set_busy(False)
