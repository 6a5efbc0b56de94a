"""Light or dark, as the system says: the window follows the system's colour scheme, live.

Platform themes (GNOME, KDE, macOS, Windows) usually hand Qt a matching palette; where one
does not (a bare X session, a platform theme that only reports the scheme), the console
supplies its own dark palette so text never ends up dark on dark. Colours the console sets
itself (mode marker, error bar) are chosen to read on both.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# A neutral dark palette (close to Fusion's, which Qt uses when a platform theme asks for dark).
_DARK = {
    Role.Window: "#2b2b2b",
    Role.WindowText: "#e6e6e6",
    Role.Base: "#1f1f1f",
    Role.AlternateBase: "#2f2f2f",
    Role.ToolTipBase: "#3a3a3a",
    Role.ToolTipText: "#f0f0f0",
    Role.PlaceholderText: "#9a9a9a",
    Role.Text: "#e6e6e6",
    Role.Button: "#353535",
    Role.ButtonText: "#e6e6e6",
    Role.BrightText: "#ff6b6b",
    Role.Link: "#6cb4ff",
    Role.LinkVisited: "#b99cff",
    Role.Highlight: "#2f65ca",
    Role.HighlightedText: "#ffffff",
    Role.Light: "#505050",
    Role.Midlight: "#3f3f3f",
    Role.Mid: "#2a2a2a",
    Role.Dark: "#1a1a1a",
    Role.Shadow: "#000000",
}
_DARK_DISABLED = {Role.WindowText: "#7a7a7a", Role.Text: "#7a7a7a", Role.ButtonText: "#7a7a7a"}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightness() < 128


def apply_colour_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Makes the palette match ``scheme``; leaves a platform palette alone when it already does."""
    current_dark = is_dark(app.palette())
    if scheme == Qt.ColorScheme.Dark and not current_dark:
        app.setPalette(dark_palette())
    elif scheme == Qt.ColorScheme.Light and current_dark:
        app.setPalette(app.style().standardPalette())


def follow_system_colour_scheme(app: QApplication) -> None:
    hints = QGuiApplication.styleHints()
    apply_colour_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: apply_colour_scheme(app, scheme))
