"""The About box shows the name, the installed version, the licence notice and Qt's versions."""

from __future__ import annotations

from typing import Any

import PySide6
from project_info import read_project
from PySide6.QtCore import Qt, qVersion

from tests.packaging.conftest import save_screenshot
from ui.about import AboutDialog, app_icon, app_version


def test_the_about_box_shows_the_version_from_pyproject(qtbot: Any) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    version = read_project().version
    assert app_version() == version
    assert dialog.title.text() == "Portal Console"
    assert dialog.version.text() == f"Version {version}"
    assert "Proprietary" in dialog.licence.text() and "LGPL" in dialog.licence.text()
    assert qVersion() in dialog.qt_versions.text()
    assert PySide6.__version__ in dialog.qt_versions.text()
    assert not dialog.logo.pixmap().isNull()
    assert dialog.logo.pixmap().width() == 128
    save_screenshot(dialog, "about-dialog")


def test_escape_closes_the_about_box(qtbot: Any) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_app_icon_has_every_size() -> None:
    sizes = {(size.width(), size.height()) for size in app_icon().availableSizes()}
    assert {(16, 16), (32, 32), (48, 48), (256, 256), (512, 512)} <= sizes
