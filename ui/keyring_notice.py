"""What the window shows instead of the views while the desktop has no keyring it can use.

The console keeps API keys only in the system keyring; without one no account can open, not even
the built-in sandbox's. Instead of views waiting on "Connecting…" forever, this panel says what
is missing in plain words, how to fix it on this system, and offers to try again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.keyring_check import KeyringStatus


class KeyringNotice(QFrame):
    """Hidden until ``show_status`` gets an unusable keyring; ``retry`` asks for a new check."""

    retry = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyringNotice")
        self.heading = QLabel(self.tr("Portal Console needs the system keyring"))
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        self.heading.setFont(heading_font)
        self.problem = QLabel()
        self.remedy = QLabel()
        self.detail = QLabel()
        self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.problem, self.remedy, self.detail):
            label.setWordWrap(True)
        self.try_again = QPushButton(self.tr("Try again"))
        self.try_again.setDefault(True)
        self.try_again.clicked.connect(self.retry)
        buttons = QHBoxLayout()
        buttons.addWidget(self.try_again)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.problem)
        layout.addWidget(self.remedy)
        layout.addLayout(buttons)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.hide()

    def show_status(self, status: KeyringStatus, platform: str = sys.platform) -> None:
        self.problem.setText(self._problem_text(status))
        self.remedy.setText(self._remedy_text(status, platform))
        # For whoever helps the user: which backend the keyring library chose, and its words.
        found = self.tr("Keyring found: {backend}").format(backend=status.backend)
        self.detail.setText(f"{found}\n{status.detail}" if status.detail else found)
        self.try_again.setEnabled(True)
        self.show()

    def _problem_text(self, status: KeyringStatus) -> str:
        texts = {
            "missing": self.tr(
                "No keyring was found on this desktop. Portal Console keeps API keys only in "
                "the system keyring, so no account can be opened without one."
            ),
            "unsafe": self.tr(
                "The only keyring found would keep API keys in a plain file, so Portal Console "
                "does not use it."
            ),
            "locked": self.tr("The keyring is locked, or its password prompt was closed."),
            "no_answer": self.tr("The keyring did not answer."),
            "failed": self.tr("The keyring could not store a test entry."),
        }
        return texts.get(status.problem or "", "")

    def _remedy_text(self, status: KeyringStatus, platform: str) -> str:
        if status.problem == "locked":
            if platform.startswith("linux"):
                return self.tr(
                    "Unlock the “Login” keyring: it opens when you log in to the desktop, or "
                    "open the Passwords and Keys app and unlock it there. Then choose Try again."
                )
            return self.tr("Unlock the system keychain, then choose Try again.")
        if status.problem == "no_answer":
            return self.tr(
                "If a password prompt of the keyring is open, answer it. Otherwise log out "
                "and back in, then choose Try again."
            )
        if platform.startswith("linux"):
            return self.tr(
                "Install a Secret Service keyring and log in again: on Debian or Ubuntu, run "
                "“sudo apt install gnome-keyring” and log out and back in; on KDE, turn on "
                "KWallet. A remote or headless session needs a desktop session with D-Bus."
            )
        if platform == "darwin":
            return self.tr("Sign out of macOS and back in, then choose Try again.")
        return self.tr("Sign out of Windows and back in, then choose Try again.")
