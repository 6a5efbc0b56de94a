"""The main window: the account banner, the error bar, the sidebar of views, the menus.

Every view gets the open account through ``attach(context)``; the window routes the
shortcuts that act on "the current view" (Ctrl+S save, Ctrl+R refresh, Esc close panel) and
asks before unsaved edits would be lost (switching account, closing the window).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.accounts import StoredAccount
from console.errors import ConsoleError
from console.keyring_check import KeyringStatus
from ui.about import AboutDialog
from ui.account_banner import AccountBanner
from ui.accounts.add_dialog import AddAccountDialog
from ui.accounts.connected_dialog import ConnectedAccountDialog
from ui.configurations.view import PREVIEW_SHORTCUT, ConfigurationsView
from ui.context import AccountContext
from ui.coverage.view import CoverageView
from ui.customers.view import CustomersView
from ui.error_bar import ErrorBar
from ui.keyring_notice import KeyringNotice
from ui.placement import place_on_screen
from ui.portal_session.view import PortalSessionView
from ui.preview.view import PreviewView
from ui.report.view import CancellationReportView
from ui.settings import WindowSettings
from ui.shortcuts_dialog import ShortcutsDialog
from ui.tasks import NamedTasks
from ui.view import View
from ui.workspace import Workspace

log = logging.getLogger(__name__)


class _Page(QWidget):
    """A view in its page's scroll area, which scrolls only below the view's minimum size.

    A view whose layout wraps (word-wrapped labels, rows of buttons) has a height for each
    width; a scroll area given that height would scroll whenever the window is smaller than
    the view's preferred size, not only when it is smaller than its minimum.
    """

    def __init__(self, view: QWidget) -> None:
        super().__init__()
        layout = _NoHeightForWidth(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)


class _NoHeightForWidth(QVBoxLayout):
    # QScrollArea asks the layout of its widget, not the widget, whether it has one.
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Portal Console"))
        self.workspace: Workspace | None = None
        self.settings: WindowSettings | None = None
        self._known_accounts: tuple[StoredAccount, ...] = ()
        self._tasks = NamedTasks(self.show_error)
        self._closing_confirmed = False
        self._shut_down = False
        self.banner = AccountBanner()
        self.error_bar = ErrorBar()

        self.customers = CustomersView()
        self.portal = PortalSessionView()
        self.configurations = ConfigurationsView()
        self.preview = PreviewView()
        self.report = CancellationReportView()
        self.coverage = CoverageView()
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setStyleSheet("QListWidget#sidebar::item { padding: 7px 6px; }")
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setAccessibleName(self.tr("Views"))
        self.pages = QStackedWidget()
        self.views: list[View] = []
        self.view_actions: list[QAction] = []

        self._build_menus()
        self.add_view(self.tr("Customers"), self.customers)
        self.add_view(self.tr("Open portal as customer"), self.portal)
        self.add_view(self.tr("Portal configurations"), self.configurations)
        self.add_view(self.tr("Branding preview"), self.preview)
        self.add_view(self.tr("Cancellation report"), self.report)
        self.add_view(self.tr("Portal coverage"), self.coverage)
        self.coverage.open_customer.connect(self.open_customer)
        self.coverage.open_portal.connect(self.open_portal_for)
        self.configurations.impact_source = self.coverage.impact_of_edit
        self.configurations.subscriptions_behind = self.coverage.subscriptions_of_shapes
        # From a customer to their portal in one keystroke; the preview follows the editor.
        self.customers.open_portal.connect(self.open_portal_for)
        self.customers.open_portal_flow.connect(self.open_portal_flow_for)
        self.configurations.selected.connect(self.preview.show_configuration)
        self.configurations.edited.connect(self.preview.preview_edits)
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        # As wide as its longest title (in the interface's language), no wider: on a small
        # laptop every pixel it does not need goes to the views.
        frame = 2 * self.sidebar.frameWidth()
        self.sidebar.setFixedWidth(self.sidebar.sizeHintForColumn(0) + frame + 4)

        self.body = QWidget()
        body = QHBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.sidebar)
        body.addWidget(self.pages, 1)
        self.keyring_notice = KeyringNotice()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.error_bar)
        layout.addWidget(self.keyring_notice, 1)
        layout.addWidget(self.body, 1)
        self.setCentralWidget(central)
        # Where a first start opens; a remembered geometry replaces it (ui/settings.py).
        place_on_screen(self)

    # --- views ---------------------------------------------------------------------------------

    def add_view(self, title: str, view: View) -> None:
        """Adds ``view`` to the sidebar with the next Ctrl+<number>, and its errors to the bar."""
        number = len(self.views) + 1
        self.views.append(view)
        view.setObjectName(view.objectName() or type(view).__name__)
        # Splitters are remembered by name; a view's unnamed ones are named after it.
        for position, splitter in enumerate(view.findChildren(QSplitter)):
            if not splitter.objectName():
                splitter.setObjectName(f"{view.objectName()}.splitter{position}")
        shortcut = QKeySequence(f"Ctrl+{number}")
        keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        item = QListWidgetItem(title)
        item.setToolTip(f"{title} ({keys})")
        self.sidebar.addItem(item)
        # A view wider than a small screen scrolls instead of forcing the window wider.
        page = QScrollArea()
        page.setFrameShape(QFrame.Shape.NoFrame)
        page.setWidgetResizable(True)
        page.setWidget(_Page(view))
        self.pages.addWidget(page)
        view.failed.connect(self.show_error)
        action = QAction(title, self)
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False, row=number - 1: self.show_view(row))
        self.view_menu.insertAction(self._view_menu_end, action)
        self.view_actions.append(action)

    def show_view(self, row: int) -> None:
        self.sidebar.setCurrentRow(row)
        self.views[row].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_view(self) -> View:
        return self.views[self.pages.currentIndex()]

    def focus_customer_search(self) -> None:
        self.show_view(self.views.index(self.customers))
        self.customers.focus_search()

    def open_customer(self, customer_id: str) -> None:
        """From a list of subscriptions: the Customers view with that customer's support card."""
        self.show_view(self.views.index(self.customers))
        self.customers.show_customer(customer_id)

    def toggle_configuration_preview(self) -> None:
        """Shows or hides the preview beside the configuration form; from another view, goes
        to the form with its preview shown."""
        view = self.configurations
        if self.current_view() is not view:
            self.show_view(self.views.index(view))
            if view.preview_toggle.isChecked():
                return
        view.preview_toggle.click()

    def open_portal_for(self, customer_id: str) -> None:
        self.show_view(self.views.index(self.portal))
        self.portal.set_customer(customer_id)

    def open_portal_flow_for(self, customer_id: str, flow: str, subscription_id: str) -> None:
        """From a support card's link: the portal view, set to open that page for the customer."""
        self.show_view(self.views.index(self.portal))
        self.portal.prepare_flow(customer_id, flow, subscription_id)

    def save_current(self) -> None:
        self.current_view().save()

    def refresh_current(self) -> None:
        self.current_view().refresh()

    def close_panel(self) -> None:
        if not self.current_view().close_panel():
            self.error_bar.hide()

    def views_with_unsaved_edits(self) -> list[View]:
        return [view for view in self.views if view.has_unsaved_edits()]

    def confirm_discard(self) -> bool:
        """Asks each view with unsaved edits; False if the user chose to stay."""
        for view in self.views_with_unsaved_edits():
            self.show_view(self.views.index(view))
            if not view.confirm_discard():
                return False
        return True

    # --- menus ---------------------------------------------------------------------------------

    def _action(
        self, menu: QMenu, text: str, slot: Callable[[], object], keys: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        account = bar.addMenu(self.tr("&Account"))
        self.add_account_action = self._action(
            account, self.tr("&Add account…"), self.add_account, "Ctrl+Shift+A"
        )
        self.switch_menu = account.addMenu(self.tr("&Switch to"))
        self.switch_menu.aboutToShow.connect(self._fill_switch_menu)
        self.connected_action = self._action(
            account,
            self.tr("Act for &connected account…"),
            self.choose_connected_account,
            "Ctrl+Shift+C",
        )
        self.remove_account_action = self._action(
            account, self.tr("&Remove this account…"), self.remove_current_account
        )
        account.addSeparator()
        self._action(account, self.tr("&Quit"), self.close, "Ctrl+Q")

        actions = bar.addMenu(self.tr("&Edit"))
        self.save_action = self._action(actions, self.tr("&Save"), self.save_current, "Ctrl+S")
        self.refresh_action = self._action(
            actions, self.tr("&Refresh"), self.refresh_current, "Ctrl+R"
        )
        self.close_panel_action = self._action(
            actions, self.tr("&Close panel"), self.close_panel, "Esc"
        )

        # The current view's own buttons, as menu entries: every action is in a menu, and the
        # menu can never disagree with the buttons (it is read from them as it opens).
        self.page_menu = bar.addMenu(self.tr("Ac&tions"))
        self.page_menu.aboutToShow.connect(self._fill_page_menu)

        self.view_menu = bar.addMenu(self.tr("&View"))
        self._view_menu_end = self.view_menu.addSeparator()
        self.find_customer_action = self._action(
            self.view_menu, self.tr("&Find customer"), self.focus_customer_search, "Ctrl+K"
        )
        self.preview_action = self._action(
            self.view_menu,
            self.tr("Configuration preview"),
            self.toggle_configuration_preview,
            PREVIEW_SHORTCUT,
        )

        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("&Keyboard shortcuts"), self.show_shortcuts, "F1")
        self._action(help_menu, self.tr("&About Portal Console"), self.show_about)
        for action in self.findChildren(QAction):
            # Menu shortcuts work wherever the focus is in this window, dialogs excluded.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _fill_page_menu(self) -> None:
        self.page_menu.clear()
        view = self.current_view()
        for button in view.findChildren(QPushButton):
            if not button.text() or not button.isVisibleTo(view):
                continue
            label = button.text()
            if not button.shortcut().isEmpty():
                keys = button.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                label = f"{label}\t{keys}"
            action = self.page_menu.addAction(label)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        if self.page_menu.isEmpty():
            self.page_menu.addAction(self.tr("(nothing to do here)")).setEnabled(False)

    def show_about(self) -> None:
        AboutDialog(self).open()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.menuBar(), self).open()

    # --- accounts ------------------------------------------------------------------------------

    def show_context(self, context: AccountContext, *, sync_customers: bool = True) -> None:
        """Shows ``context``'s account in the banner and attaches every view to it.

        The customer index is brought up to date at once unless ``sync_customers`` is False.
        """
        account = context.account
        self.banner.show_account(account)
        mode = self.tr("TEST") if account.mode == "test" else self.tr("LIVE")
        self.setWindowTitle(
            self.tr("Portal Console — {name} ({mode})").format(name=account.name, mode=mode)
        )
        self.customers.attach(context, sync_now=sync_customers)
        for view in self.views:
            if view is not self.customers:
                view.attach(context)
        self.remove_account_action.setEnabled(not account.sandbox)
        if self.settings is not None:
            self.settings.last_account = account.handle

    def show_keyring_problem(self, status: KeyringStatus) -> None:
        """No account can open: the notice says why and how to fix it, in place of the views."""
        self.banner.show_starting(self.tr("No keyring to keep API keys"))
        self.body.hide()
        self.keyring_notice.show_status(status)
        self.keyring_notice.try_again.setFocus()

    def hide_keyring_problem(self) -> None:
        self.keyring_notice.hide()
        self.body.show()

    def busy(self) -> bool:
        """True while the window itself is opening, switching or removing an account."""
        return self._tasks.busy()

    def show_error(self, error: ConsoleError) -> None:
        self.error_bar.show_error(error)

    def _fill_switch_menu(self) -> None:
        self.switch_menu.clear()
        context = self.workspace.context if self.workspace is not None else None
        current = context.account if context is not None else None
        for account in self._known_accounts:
            label = f"{account.name}  ({account.mode.upper()})"
            if account.connected_account_id:
                label += f"  → {account.connected_account_id}"
            action = self.switch_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(current is not None and account.handle == current.handle)
            action.triggered.connect(lambda _c=False, chosen=account: self.switch_account(chosen))
        if not self._known_accounts:
            self.switch_menu.addAction(self.tr("(no accounts yet)")).setEnabled(False)

    async def reload_accounts(self) -> None:
        if self.workspace is not None:
            self._known_accounts = await self.workspace.accounts.list_accounts()

    def switch_account(self, account: StoredAccount) -> None:
        if self.workspace is None or not self.confirm_discard():
            return
        self._tasks.run("account", self.open_account(account))

    async def open_account(self, account: StoredAccount) -> None:
        """Opens ``account`` in every view, then closes the one it replaces."""
        assert self.workspace is not None
        previous = self.workspace.context
        self.banner.show_starting(self.tr("Opening {name}…").format(name=account.name))
        try:
            context = await self.workspace.open(account)
        except BaseException:
            if previous is not None:
                self.banner.show_account(previous.account)
            raise
        self.show_context(context)
        if context.index_rebuilt_because is not None:
            self.show_error(ConsoleError(context.index_rebuilt_because, code="index_rebuilt"))
        replaced = self.workspace.swap(context)
        if replaced is not None:
            await self.workspace.close_context(replaced)
        await self.reload_accounts()

    def add_account(self) -> None:
        if self.workspace is None:
            return
        dialog = AddAccountDialog(self.workspace.accounts, self)
        dialog.added.connect(self.switch_account)
        dialog.open()

    def choose_connected_account(self) -> None:
        if self.workspace is None or self.workspace.context is None:
            return
        dialog = ConnectedAccountDialog(
            self.workspace.accounts, self.workspace.context.account, self
        )
        dialog.chosen.connect(self.switch_account)
        dialog.open()
        dialog.load()

    def remove_current_account(self) -> None:
        if self.workspace is None or self.workspace.context is None:
            return
        account = self.workspace.context.account
        answer = QMessageBox.question(
            self,
            self.tr("Remove account"),
            self.tr(
                "Remove {name} ({mode}) from the console and delete its key from the keyring?"
                " Nothing changes in Stripe."
            ).format(name=account.name, mode=account.mode.upper()),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._tasks.run("account", self._remove(account))

    async def _remove(self, account: StoredAccount) -> None:
        assert self.workspace is not None
        await self.workspace.accounts.remove_account(account)
        await self.reload_accounts()
        fallback = next((a for a in self._known_accounts if a.sandbox), None)
        if fallback is not None and self.confirm_discard():
            await self.open_account(fallback)

    # --- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._closing_confirmed and not self.confirm_discard():
            event.ignore()
            return
        if self.settings is not None:
            self.settings.save_window(self)
        # A closed window does no more work; web views let go of their pages before Qt
        # deletes their profiles.
        self.shutdown()
        event.accept()

    def close_without_asking(self) -> None:
        """Closes even with unsaved edits (the system asked us to quit: SIGTERM, logout)."""
        unsaved = self.views_with_unsaved_edits()
        if unsaved:
            log.warning("Quitting with unsaved edits in %d view(s)", len(unsaved))
        self._closing_confirmed = True
        self.close()

    def shutdown(self) -> None:
        """Stops every view's work; safe to call again (closing and the app's exit both do)."""
        if self._shut_down:
            return
        self._shut_down = True
        self._tasks.cancel_all()
        for view in self.views:
            view.shutdown()
