"""Runs the real app (``ui.app.main``) and reports what its window shows once start-up settles.

Used by test_keyring_notice.py in a process of its own without a D-Bus session, as on a desktop
with no keyring. Prints one JSON line: the banner, whether the views are shown, the notice's
texts; saves a screenshot. Usage: ``python -m tests.ui.keyring_missing_app <data> <png>``.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui import app
from ui.main_window import MainWindow

SETTLE_MS = 250
GIVE_UP_MS = 30_000


def main() -> int:
    data, screenshot = sys.argv[1], sys.argv[2]
    QApplication(["portal-console"])
    waited = 0

    def report_when_settled() -> None:
        nonlocal waited
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        window = windows[0] if windows else None
        if window is None or (not window.keyring_notice.isVisible() and waited < GIVE_UP_MS):
            waited += SETTLE_MS
            QTimer.singleShot(SETTLE_MS, report_when_settled)
            return
        notice = window.keyring_notice
        window.grab().save(screenshot)
        shown = {
            "banner": window.banner.account_name.text(),
            "views_shown": window.body.isVisible(),
            "notice_shown": notice.isVisible(),
            "heading": notice.heading.text(),
            "problem": notice.problem.text(),
            "remedy": notice.remedy.text(),
            "button": notice.try_again.text(),
            "button_enabled": notice.try_again.isEnabled(),
        }
        print(json.dumps(shown), flush=True)
        window.close_without_asking()

    QTimer.singleShot(0, report_when_settled)
    return app.main(["--data-dir", data])


if __name__ == "__main__":
    sys.exit(main())
