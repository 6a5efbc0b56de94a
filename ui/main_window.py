"""The main window: the account banner, the error bar, a sidebar of views and the views.

The sidebar lists only views that exist; each gets Ctrl+<its number>.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.accounts import StoredAccount
from console.errors import ConsoleError
from console.gateway.client import Gateway
from console.index import IndexStore
from ui.account_banner import AccountBanner
from ui.customers.view import CustomersView
from ui.error_bar import ErrorBar


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Portal Console")
        self.resize(1200, 760)
        self.banner = AccountBanner()
        self.error_bar = ErrorBar()
        self.customers = CustomersView()
        self.customers.failed.connect(self.show_error)

        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(170)
        self.pages = QStackedWidget()
        for number, (title, page) in enumerate([("Customers", self.customers)], start=1):
            item = QListWidgetItem(f"{title}\tCtrl+{number}")
            item.setToolTip(f"{title} (Ctrl+{number})")
            self.sidebar.addItem(item)
            self.pages.addWidget(page)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.sidebar.setCurrentRow(row))
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        search = QShortcut(QKeySequence("Ctrl+K"), self)
        search.setContext(Qt.ShortcutContext.WindowShortcut)
        search.activated.connect(self.focus_customer_search)

        body = QHBoxLayout()
        body.addWidget(self.sidebar)
        body.addWidget(self.pages, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.error_bar)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)

    def focus_customer_search(self) -> None:
        self.sidebar.setCurrentRow(self.pages.indexOf(self.customers))
        self.customers.focus_search()

    def show_account(
        self, account: StoredAccount, gateway: Gateway, index: IndexStore, *, sync_now: bool = True
    ) -> None:
        self.banner.show_account(account)
        self.setWindowTitle(f"Portal Console — {account.name} ({account.mode.upper()})")
        self.customers.attach(gateway, index, sync_now=sync_now)

    def show_error(self, error: ConsoleError) -> None:
        self.error_bar.show_error(error)

    def shutdown(self) -> None:
        self.customers.shutdown()
