"""The window on a small laptop and in German: every view fits at 1024x700 and at 800x600
without clipping, its main actions on screen; the first window is centred and sized for its
screen; icons are drawn for the screen's pixel density.

Screenshots of every view at 800x600 and 1600x1000, in English and German, go to
artifacts/screenshots/ as ``<lang>-<width>x<height>-<view>.png``, to be looked at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from console.configurations.edit import diff
from console.configurations.model import PortalConfiguration, edit
from console.configurations.rules import Catalogue
from console.configurations.summary import summarize_save
from console.i18n import use_language
from console.sandbox_launcher import EmbeddedSandbox
from tests.ui.conftest import demo_customer, german_interface, save_screenshot
from ui.configurations.dialogs import CopyDialog, SaveSummaryDialog
from ui.context import AccountContext
from ui.main_window import MainWindow
from ui.placement import first_window_geometry
from ui.preview.docked import DockedPreview
from ui.preview.view import PreviewView

REPO = Path(__file__).resolve().parents[2]
CANCEL = "features.subscription_cancel"
REASONS = ("too_expensive", "missing_features", "switched_service", "too_complex", "other")
SMALL_SIZES = ((800, 600), (1024, 700))
SCREENSHOT_SIZES = ((800, 600), (1600, 1000))
FRAME = 4  # pixels: the offscreen platform's window frame, both sides
VIEW_NAMES = ("customers", "portal-session", "configurations", "preview", "report", "coverage")
TAB_NAMES = (
    "general",
    "customer-information",
    "cancellation",
    "pause",
    "plan-switching",
    "metadata",
)


@pytest.fixture(params=["en", "de"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if request.param == "de":
        with german_interface(qapp):
            use_language("de")  # the core's words too (the autouse fixture resets it)
            yield "de"
    else:
        yield "en"


def main_actions(window: MainWindow) -> dict[str, list[QWidget]]:
    """Per view, what a person must be able to reach without scrolling."""
    customers, portal, configurations = window.customers, window.portal, window.configurations
    preview, report, coverage = window.preview, window.report, window.coverage
    return {
        "customers": [customers.search, customers.table, customers.open_portal_button],
        "portal-session": [
            portal.customer_search,
            portal.flow,
            portal.open_in_app_button,
            portal.open_in_browser_button,
        ],
        "configurations": [
            configurations.list,
            configurations.new_button,
            configurations.import_button,
            configurations.editor.tabs.tabBar(),
            configurations.preview_toggle,
            configurations.export_button,
            configurations.copy_button,
            configurations.revert_button,
            configurations.save_button,
        ],
        "preview": [preview.configuration_picker, preview.locale_picker, preview.side_by_side],
        "report": [
            report.period_choice,
            report.first_day,
            report.last_day,
            report.grouping_choice,
            report.load_button,
            report.export_button,
        ],
        "coverage": [
            coverage.configuration_picker,
            coverage.export_button,
            coverage.bars,
            coverage.counts,
            coverage.subscriptions,
            coverage.open_button,
        ],
    }


def unclipped(window: QWidget, widget: QWidget) -> str:
    """ "" if the widget is shown whole inside the window; else what is wrong."""
    if not widget.isVisible():
        return "hidden"
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    if not window.rect().contains(rect):
        return f"at {rect.getRect()}, outside the window's {window.rect().getRect()}"
    shown = widget.visibleRegion().boundingRect()
    if shown != widget.rect():
        return f"only {shown.getRect()} of {widget.rect().getRect()} shows"
    return ""


def page_scrolls(window: MainWindow) -> tuple[int, int]:
    """How far the current view's page scrolls (0, 0: the view fits the window)."""
    page = window.pages.currentWidget()
    assert isinstance(page, QScrollArea)
    return page.horizontalScrollBar().maximum(), page.verticalScrollBar().maximum()


def open_window(
    qtbot: Any, context: AccountContext, sandbox: EmbeddedSandbox, size: tuple[int, int]
) -> MainWindow:
    """The window on the demo account, every view loaded, a customer chosen."""
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.show_context(context, sync_customers=False)
    customers = window.customers
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0, timeout=15_000)
    customers.select_row(0)
    qtbot.waitUntil(customers.open_portal_button.isEnabled, timeout=15_000)
    chosen = demo_customer(sandbox, "card, Starter monthly")
    window.portal.set_customer(chosen.id)
    qtbot.waitUntil(lambda: chosen.email in window.portal.customer_label.text(), timeout=15_000)
    configurations = window.configurations
    qtbot.waitUntil(configurations.editor.isEnabled, timeout=15_000)
    report = window.report
    report.load()
    qtbot.waitUntil(lambda: report.loaded is not None, timeout=15_000)
    window.show_view(VIEW_NAMES.index("coverage"))  # it reads the subscriptions once shown
    qtbot.waitUntil(lambda: window.coverage.coverage is not None, timeout=30_000)
    window.coverage.list_subscriptions("switch_plan", "currency_mismatch")
    qtbot.waitUntil(lambda: bool(window.coverage.listed), timeout=15_000)
    # The preview renders once it is shown (web pages cost memory while hidden).
    with qtbot.waitSignal(window.preview.rendered, timeout=30_000):
        window.show_view(VIEW_NAMES.index("preview"))
    return window


def settle(qtbot: Any, window: MainWindow, size: tuple[int, int], row: int) -> None:
    window.resize(*size)
    window.show_view(row)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=5_000)
    qtbot.wait(150)  # layouts and scroll bars follow the resize in posted events
    previews: dict[str, PreviewView | DockedPreview] = {
        "preview": window.preview,
        "configurations": window.configurations.preview,
    }
    shown = previews.get(VIEW_NAMES[row])
    if shown is not None and shown.isVisible():
        qtbot.waitUntil(lambda: not shown.is_rendering(), timeout=30_000)
        qtbot.wait(300)  # the page paints after its load


def test_every_view_fits_a_small_screen_with_its_actions_on_it(
    language: str, qtbot: Any, demo_context: AccountContext, demo_sandbox: EmbeddedSandbox
) -> None:
    window = open_window(qtbot, demo_context, demo_sandbox, SCREENSHOT_SIZES[-1])
    actions = main_actions(window)
    problems: list[str] = []
    for size in dict.fromkeys((*SCREENSHOT_SIZES, *SMALL_SIZES)):
        for row, name in enumerate(VIEW_NAMES):
            settle(qtbot, window, size, row)
            where = f"{language} {size[0]}x{size[1]} {name}"
            if size in SCREENSHOT_SIZES:
                save_screenshot(window, f"{language}-{size[0]}x{size[1]}-{name}")
            if size not in SMALL_SIZES:
                continue
            scrolls = page_scrolls(window)
            if scrolls != (0, 0):
                problems.append(f"{where}: the view is larger than the window {scrolls}")
            for widget in actions[name]:
                wrong = unclipped(window, widget)
                if wrong:
                    label = getattr(widget, "text", lambda: "")() or type(widget).__name__
                    problems.append(f"{where}: {label!r} {wrong}")
    # The preview beside the form, opened by hand on a small screen (it starts collapsed there).
    configurations = window.configurations
    settle(qtbot, window, (800, 600), VIEW_NAMES.index("configurations"))
    assert not configurations.preview.isVisible()
    configurations.preview_toggle.click()
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not configurations.preview.is_rendering(), timeout=30_000)
    assert configurations.preview.pane.page() is not None, "the page rendered earlier stays"
    qtbot.wait(300)  # the page paints after it is shown
    save_screenshot(window, f"{language}-800x600-configurations-preview-open")
    configurations.preview_toggle.click()
    # The portal opened beside the form, as a person sees it on a small screen.
    settle(qtbot, window, (800, 600), VIEW_NAMES.index("portal-session"))
    with qtbot.waitSignal(window.portal.browser.load_finished, timeout=30_000):
        window.portal.open_in_app_button.click()
    qtbot.wait(300)  # the page paints after its load
    save_screenshot(window, f"{language}-800x600-portal-session-opened")
    if page_scrolls(window) != (0, 0):
        problems.append(f"{language} 800x600 portal opened: the view is larger than the window")
    browser = window.portal.browser
    for widget in (browser.back, browser.reload, browser.close_button):
        wrong = unclipped(window, widget)
        if wrong:
            problems.append(f"{language} 800x600 portal opened: {widget.objectName()!r} {wrong}")
    assert not problems, "\n".join(problems)


def test_every_configuration_field_can_be_scrolled_to_at_800x600(
    language: str, qtbot: Any, demo_context: AccountContext, demo_sandbox: EmbeddedSandbox
) -> None:
    window = open_window(qtbot, demo_context, demo_sandbox, (800, 600))
    settle(qtbot, window, (800, 600), VIEW_NAMES.index("configurations"))
    editor = window.configurations.editor
    problems: list[str] = []
    for param, binding in editor.bindings.items():
        editor.reveal(param)
        qtbot.wait(20)
        scroll = editor.tabs.currentWidget()
        assert isinstance(scroll, QScrollArea)
        if scroll.horizontalScrollBar().maximum() > 0:
            problems.append(f"{param}: its tab scrolls sideways")
        scroll.ensureWidgetVisible(binding.row.control, 0, 0)
        qtbot.wait(20)
        if binding.row.control.visibleRegion().isEmpty():
            problems.append(f"{param}: cannot be scrolled into view")
    for index, tab in enumerate(TAB_NAMES):
        editor.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        save_screenshot(window, f"{language}-800x600-configurations-{tab}")
    assert not problems, "\n".join(problems)


def test_the_save_and_copy_dialogs_fit_a_small_screen(
    language: str, qtbot: Any, qapp: QApplication
) -> None:
    screen = qapp.primaryScreen().availableGeometry()
    assert screen.width() == 800  # the offscreen platform's: narrower than the save dialog was
    saved = edit(PortalConfiguration(name="Default: everything on"), f"{CANCEL}.enabled", True)
    saved = edit(saved, f"{CANCEL}.cancellation_reason.enabled", True)
    saved = edit(saved, f"{CANCEL}.cancellation_reason.options", ("unused", "other"))
    edited = edit(saved, f"{CANCEL}.cancellation_reason.options", REASONS)
    edited = edit(edited, f"{CANCEL}.mode", "immediately")
    edited = edit(edited, "business_profile.headline", "Manage your Northwind Cloud plan")
    changes = diff(saved, edited)
    save = SaveSummaryDialog(
        [summarize_save(saved, edited, Catalogue())],
        changes,
        [c.param.split("[")[-1].rstrip("]") for c in changes],
        configuration="Default: everything on",
        account="Sandbox (acct_1, test)",
        live=True,
        creating=False,
    )
    copy = CopyDialog("Default: everything on")
    for dialog, button, name in (
        (save, save.save_button, "save-dialog"),
        (copy, copy.confirm, "copy-dialog"),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert screen.contains(dialog.frameGeometry()), (name, dialog.frameGeometry())
        assert not unclipped(dialog, button), (name, unclipped(dialog, button))
        save_screenshot(dialog, f"{language}-800-wide-{name}")
        dialog.reject()


# --- the first window ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        # A small laptop: as much as there is.
        (QRect(0, 0, 800, 600), QRect(0, 0, 800, 600)),
        (QRect(0, 0, 1366, 740), QRect(136, 20, 1093, 700)),
        # A common screen: four fifths of it, centred.
        (QRect(0, 0, 1920, 1050), QRect(192, 105, 1536, 840)),
        # A large screen: a comfortable size, not a wall of empty space.
        (QRect(0, 0, 3840, 2100), QRect(1120, 550, 1600, 1000)),
        # A second screen to the right, with a panel at its top.
        (QRect(1920, 32, 1280, 992), QRect(2048, 131, 1024, 794)),
    ],
)
def test_the_first_window_is_sized_for_its_screen_and_centred(
    available: QRect, expected: QRect
) -> None:
    assert first_window_geometry(available, QSize(0, 0)) == expected


PROBE = """
import json
from PySide6.QtWidgets import QApplication
from ui.about import AboutDialog, app_icon
from ui.main_window import MainWindow
app = QApplication([])
window = MainWindow()
window.show()
app.processEvents()
dialog = AboutDialog(window)
frame, screen = window.frameGeometry(), window.screen().availableGeometry()
print(json.dumps({
    "frame": frame.getRect(),
    "screen": screen.getRect(),
    "logo_dpr": dialog.logo.pixmap().devicePixelRatio(),
    "logo_pixels": dialog.logo.pixmap().width(),
    "icon_pixels": app_icon().pixmap(32, 32).width(),
}))
"""


@pytest.mark.parametrize(("width", "height", "dpr"), [(1920, 1080, 1.0), (1440, 900, 2.0)])
def test_a_window_with_nothing_remembered_opens_centred_and_crisp(
    tmp_path: Path, width: int, height: int, dpr: float
) -> None:
    # A fresh process: the offscreen screen's size and density are fixed when Qt starts.
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height, "dpr": dpr}
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env={
            **{k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"},
            "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        },
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    x, y, w, h = seen["frame"]
    sx, sy, sw, sh = seen["screen"]
    assert (sw, sh) == (width, height)
    # As much room left as right, and above as below (give or take a frame's width).
    assert abs((x - sx) - (sx + sw - x - w)) <= FRAME, seen
    assert abs((y - sy) - (sy + sh - y - h)) <= FRAME, seen
    assert w <= sw and h <= sh and w >= 0.75 * sw, seen
    # Icons from the sizes drawn for this density: twice the pixels on a 2x screen.
    assert seen["logo_dpr"] == dpr
    assert seen["logo_pixels"] == 128 * dpr
    assert seen["icon_pixels"] == 32 * dpr
