"""What the main window asks of every view, and what a view does when it has nothing to say.

Every view of the sidebar is a ``View``: the window attaches the open account to it, routes
Ctrl+R, Esc and Ctrl+S to the current one, asks before closing over unsaved edits and stops
its work at the end, through these methods only (no looking up optional methods by name).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.context import AccountContext


class View(QWidget):
    """A page of the main window; subclasses override what applies to them."""

    failed = Signal(object)  # a ConsoleError, for the window's error bar

    def attach(self, context: AccountContext) -> None:
        """Shows ``context``'s account (a new account opened, or another one)."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Ctrl+R: reads the view's data from Stripe again."""
        raise NotImplementedError

    def close_panel(self) -> bool:
        """Esc: closes what the view has open; False when there was nothing to close."""
        return False

    def shutdown(self) -> None:
        """The window closes: stop every task; widgets may be gone after this."""

    def save(self) -> None:
        """Ctrl+S: most views hold nothing to save."""

    def has_unsaved_edits(self) -> bool:
        return False

    def confirm_discard(self) -> bool:
        """Asks whether unsaved edits may go; True when there are none or the user agreed."""
        return True
