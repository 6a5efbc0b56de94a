"""Where the first window opens: centred on its screen, sized for it.

Used when nothing is remembered (a first start, or ``window.ini`` deleted); a remembered size
and position win (ui/settings.py). Four fifths of the screen's free area, at least what the
views need to be comfortable (1024x700) and at most a size that is still comfortable to read
(1600x1000); never more than the screen has.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

SHARE = 0.8
SMALLEST = QSize(1024, 700)
LARGEST = QSize(1600, 1000)


def first_window_geometry(available: QRect, minimum: QSize) -> QRect:
    """The frame's rectangle for a first window on a screen whose free area is ``available``."""
    width = max(round(available.width() * SHARE), SMALLEST.width(), minimum.width())
    height = max(round(available.height() * SHARE), SMALLEST.height(), minimum.height())
    width = min(width, LARGEST.width(), available.width())
    height = min(height, LARGEST.height(), available.height())
    left = available.x() + (available.width() - width) // 2
    top = available.y() + (available.height() - height) // 2
    return QRect(left, top, width, height)


def place_on_screen(window: QWidget) -> None:
    """Sizes and centres ``window`` on its screen (the primary one before it is shown)."""
    screen = window.screen()
    target = first_window_geometry(screen.availableGeometry(), window.minimumSizeHint())
    # The frame's size is known once the window is shown; before that it is nothing.
    frame = window.frameGeometry().size() - window.size()
    window.resize(target.size() - frame)
    window.move(target.topLeft())  # move() places the frame, resize() the inside


def resize_within_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resizes ``dialog`` to ``width`` x ``height``, or to nine tenths of its screen where that
    is less (a dialog wider than an 800x600 screen would hide its buttons)."""
    parent = dialog.parentWidget()
    available = (parent or dialog).screen().availableGeometry()
    dialog.resize(
        min(width, round(available.width() * 0.9)), min(height, round(available.height() * 0.9))
    )
