"""Add a Stripe account by its secret key: checked with Stripe, then kept in the OS keyring.

The key field never shows the key (password echo) and no message repeats it; a refused
key stays in the field so a typo can be fixed without pasting again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.accounts import AccountStore
from console.errors import ConsoleError, ValidationError
from ui.tasks import NamedTasks

_PROBLEM_STYLE = "color: #c0262d;"
_FIELD_PROBLEM_STYLE = "border: 2px solid #d13438; border-radius: 3px;"


class AddAccountDialog(QDialog):
    added = Signal(object)  # the StoredAccount, once Stripe accepted the key and it is kept

    def __init__(self, accounts: AccountStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a Stripe account"))
        self.setMinimumWidth(460)
        self._accounts = accounts
        self._tasks = NamedTasks(self._show_problem)

        intro = QLabel(
            self.tr(
                "Paste a secret key (sk_…) or a restricted key (rk_…) from the Stripe "
                "Dashboard. It is kept in the system keyring, never in a file."
            )
        )
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("sk_test_… or sk_live_…"))
        self.key.setAccessibleName(self.tr("API key"))
        self.server = QLineEdit()
        self.server.setPlaceholderText(self.tr("Stripe (leave empty)"))
        self.server.setToolTip(
            self.tr("Only for a Stripe-compatible server, such as another Portal Console sandbox.")
        )
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(_PROBLEM_STYLE)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText(self.tr("Add account"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("API key"), self.key)
        form.addRow(self.tr("Server"), self.server)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.key.textChanged.connect(self._clear_problem)
        self.server.textChanged.connect(self._clear_problem)

    def submit(self) -> None:
        if not self.key.text().strip():
            self._show_problem_text(self.tr("Paste the account's API key first."), self.key)
            return
        self.add_button.setEnabled(False)
        self.add_button.setText(self.tr("Checking with Stripe…"))
        self._tasks.run("add", self._add(self.key.text(), self.server.text().strip() or None))

    async def _add(self, key: str, server: str | None) -> None:
        try:
            account = await self._accounts.add_account(key, base_url=server)
        finally:
            self.add_button.setEnabled(True)
            self.add_button.setText(self.tr("Add account"))
        self.key.clear()  # the keyring has it now; the widget must not keep a copy
        self.added.emit(account)
        self.accept()

    def _show_problem(self, error: ConsoleError) -> None:
        field = self.key
        if isinstance(error, ValidationError) and error.problems:
            param = error.problems[0].param
            field = self.server if param == "base_url" else self.key
        elif error.type == "network_error":
            field = self.server
        self._show_problem_text(error.message, field)

    def _show_problem_text(self, text: str, field: QLineEdit) -> None:
        self.problem.setText(text)
        self.problem.show()
        field.setStyleSheet(_FIELD_PROBLEM_STYLE)
        field.setFocus()

    def _clear_problem(self) -> None:
        self.problem.hide()
        self.key.setStyleSheet("")
        self.server.setStyleSheet("")

    def done(self, result: int) -> None:
        self._tasks.cancel_all()
        self.key.clear()
        super().done(result)
