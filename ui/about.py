"""The About box: the app's name, version, licence notice, and the Qt it runs on.

The version comes from the installed ``portal-console`` metadata (pyproject.toml's ``version``;
the frozen app carries that metadata), the same value ``portal-console --version`` prints.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import PySide6
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from resources import path

DISTRIBUTION = "portal-console"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
LOGO_SIZE = 128  # device-independent pixels


def app_version() -> str:
    """The installed version (``0+unknown`` from a checkout that was never pip-installed)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


def app_icon() -> QIcon:
    """The app's icon in every size drawn from its SVG (resources/icons/)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(path("icons", f"{size}.png")))
    return icon


class AboutDialog(QDialog):
    """Modal; Esc or Close closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Portal Console"))
        self.setWindowIcon(app_icon())

        self.logo = QLabel()
        # Drawn from the icon's sizes for this screen's density: 256 pixels on a 2x screen.
        self.logo.setPixmap(app_icon().pixmap(QSize(LOGO_SIZE, LOGO_SIZE), self.devicePixelRatio()))
        self.logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(self.tr("Portal Console"))
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.version = QLabel(self.tr("Version {version}").format(version=app_version()))
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel(
            self.tr(
                "Run Stripe's customer portal from the desktop, with a built-in "
                "Stripe-compatible sandbox for trying things out."
            )
        )
        self.summary.setWordWrap(True)
        self.licence = QLabel(
            self.tr(
                "Proprietary software; all rights reserved by the Portal Console developers. "
                "Built with Qt and Qt for Python (PySide6), used under the GNU LGPL v3, and "
                "other open-source components under their own licences."
            )
        )
        self.licence.setWordWrap(True)
        self.licence.setStyleSheet("color: #555;")
        self.qt_versions = QLabel(
            self.tr("Qt {qt} · PySide6 {pyside}").format(qt=qVersion(), pyside=PySide6.__version__)
        )
        self.qt_versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qt_versions.setStyleSheet("color: #555;")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # The Close button carries the Escape role already; this keeps Ctrl+W working too.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.reject)

        text = QVBoxLayout()
        for label in (self.title, self.version, self.summary, self.licence, self.qt_versions):
            text.addWidget(label)
        text.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.logo)
        body.addSpacing(16)
        body.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
