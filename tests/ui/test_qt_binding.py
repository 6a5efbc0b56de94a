"""The Qt binding keeps Python's None alive: a guard for a PySide6 release that did not.

PySide6 6.12.0's wheels returned None from void methods without taking a reference on
Python 3.11, so a few thousand setter calls freed None and aborted the process. The
dependency excludes those wheels; this test fails if such a binding comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLineEdit


def test_calling_qt_setters_does_not_use_up_references_to_none(qapp: QApplication) -> None:
    field = QLineEdit()
    before = sys.getrefcount(None)
    for _ in range(2_000):
        field.setText("x")
        field.setEnabled(True)
    drift = sys.getrefcount(None) - before
    # Other code may hold a few more references meanwhile; a leak would be about -4,000.
    assert drift > -100, f"None lost {-drift} references over 4,000 Qt calls"
