"""Act on behalf of one of the platform's connected accounts (Stripe Connect), or of none."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.accounts import AccountStore, StoredAccount
from console.errors import ConsoleError
from ui.tasks import NamedTasks

_PLATFORM = ""  # the item data that means "the platform account itself"


class ConnectedAccountDialog(QDialog):
    chosen = Signal(object)  # the StoredAccount with its connected_account_id set (or cleared)

    def __init__(
        self, accounts: AccountStore, account: StoredAccount, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Act for a connected account"))
        self.setMinimumSize(460, 360)
        self._accounts = accounts
        self._account = account
        self._tasks = NamedTasks(self._show_problem)
        self.status = QLabel(
            self.tr("Loading the connected accounts of {name}…").format(name=account.name)
        )
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Act for this account"))
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.submit())
        self.list.currentItemChanged.connect(
            lambda item, _old: self.ok.setEnabled(item is not None)
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)

    def load(self) -> None:
        self._tasks.run("load", self._load())

    async def _load(self) -> None:
        found = await self._accounts.list_connected_accounts(self._account)
        self.list.clear()
        platform = QListWidgetItem(
            self.tr("{name} itself (no connected account)").format(name=self._account.name)
        )
        platform.setData(Qt.ItemDataRole.UserRole, _PLATFORM)
        self.list.addItem(platform)
        for connected in found:
            item = QListWidgetItem(f"{connected.name}  ·  {connected.id}")
            item.setData(Qt.ItemDataRole.UserRole, connected.id)
            self.list.addItem(item)
            if connected.id == self._account.connected_account_id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None:
            self.list.setCurrentItem(platform)
        self.status.setText(
            self.tr("{count} connected accounts. Choose whose data the console shows.").format(
                count=len(found)
            )
        )
        self.list.setFocus()

    def submit(self) -> None:
        item: QListWidgetItem | None = self.list.currentItem()  # None when the list is empty
        if item is None:
            return
        connected_id = item.data(Qt.ItemDataRole.UserRole) or None
        self._tasks.run("choose", self._choose(connected_id))

    async def _choose(self, connected_id: str | None) -> None:
        chosen = await self._accounts.choose_connected_account(self._account, connected_id)
        self.chosen.emit(chosen)
        self.accept()

    def _show_problem(self, error: ConsoleError) -> None:
        self.status.setText(error.message)
        self.status.setStyleSheet("color: #c0262d;")

    def done(self, result: int) -> None:
        self._tasks.cancel_all()
        super().done(result)
