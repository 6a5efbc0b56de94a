"""What the window remembers between runs: size, position, splitters, the last account.

Kept with QSettings in an INI file next to the account registry (the console's config
folder), so ``--data-dir`` keeps trial runs and tests away from the user's own settings.
Never a key: accounts are remembered by handle (``acct_…-test``) only.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from console.paths import AppDirs

SETTINGS_FILE = "window.ini"


class WindowSettings:
    def __init__(self, dirs: AppDirs) -> None:
        self._settings = QSettings(str(dirs.config / SETTINGS_FILE), QSettings.Format.IniFormat)

    @property
    def last_account(self) -> str | None:
        value = self._settings.value("account/last")
        return value if isinstance(value, str) and value else None

    @last_account.setter
    def last_account(self, handle: str | None) -> None:
        self._settings.setValue("account/last", handle or "")

    def save_window(self, window: QMainWindow) -> None:
        self._settings.setValue("window/geometry", window.saveGeometry())
        self._settings.setValue("window/state", window.saveState())
        for splitter in _named_splitters(window):
            self._settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        self._settings.sync()

    def restore_window(self, window: QMainWindow) -> bool:
        """Puts the window back as it was; False on a first start (nothing remembered)."""
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        self.restore_splitters(window)
        return isinstance(geometry, QByteArray)

    def restore_splitters(self, root: QWidget) -> None:
        for splitter in _named_splitters(root):
            state = self._settings.value(f"splitters/{splitter.objectName()}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)


def _named_splitters(root: QWidget) -> list[QSplitter]:
    # Only splitters with a name are remembered: a name is what finds them again next time.
    return [s for s in root.findChildren(QSplitter) if s.objectName()]
