"""The configurations view as an operator uses it: the portal previewed beside the form (real
Qt WebEngine, pages rendered by the real built-in sandbox), the save summary in plain words,
and a refused save said at the fields with only their names in the error bar."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.configurations.summary import SummarySection
from console.i18n import use_language
from tests.ui.conftest import german_interface, save_screenshot
from tests.ui.test_configurations_view import open_view, type_into
from ui.configurations.fields import MultiChoiceBinding
from ui.configurations.view import ConfigurationsView
from ui.context import AccountContext
from ui.main_window import MainWindow
from ui.preview.pane import PreviewPane

RENDER_TIMEOUT = 60_000
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
REASONS = "features[subscription_cancel][cancellation_reason][options]"


def page_text(qtbot: Any, pane: PreviewPane) -> str:
    page = pane.page()
    assert page is not None
    found: list[Any] = []
    page.runJavaScript("document.body.textContent", 0, found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=10_000)
    return str(found[0])


def open_wide(qtbot: Any, context: AccountContext) -> ConfigurationsView:
    """The view wide enough for the preview beside the form, its first page rendered."""
    view = ConfigurationsView()
    qtbot.addWidget(view, before_close_func=lambda v: v.shutdown())
    view.resize(1500, 900)
    with qtbot.waitSignal(view.preview.rendered, timeout=RENDER_TIMEOUT):
        view.show()
        view.attach(context)
    return view


def test_the_docked_preview_follows_an_edit_and_says_it_is_unsaved(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_wide(qtbot, demo_context)
    preview = view.preview
    assert preview.isVisible() and view.preview_toggle.isChecked()
    assert preview.state.text() == "Saved"
    assert "Northwind" in page_text(qtbot, preview.pane)
    first_page = preview.pane.preview_url()

    with qtbot.waitSignal(preview.rendered, timeout=RENDER_TIMEOUT):
        type_into(qtbot, view, "business_profile[headline]", "Plans for every Northwind team")
        # Said at once, while the new page is still on its way.
        assert preview.state.text() == "Unsaved changes — preview"
    assert preview.pane.preview_url() != first_page
    assert "Plans for every Northwind team" in page_text(qtbot, preview.pane)
    qtbot.wait(300)  # the page paints after its load
    save_screenshot(view, "configurations_docked_preview_unsaved")

    # A problem in the form: the last good page stays, and the preview says why.
    type_into(qtbot, view, "default_return_url", "northwind.example/account")
    qtbot.wait(800)  # longer than both debounces: a render would have started
    assert not preview.renderer.is_asking()
    assert preview.note.isVisible() and "problems" in preview.note.text()
    assert "Plans for every Northwind team" in page_text(qtbot, preview.pane)

    with qtbot.waitSignal(preview.rendered, timeout=RENDER_TIMEOUT):
        view.revert()
    assert preview.state.text() == "Saved" and not preview.note.isVisible()
    assert "Plans for every Northwind team" not in page_text(qtbot, preview.pane)

    # Another language: the same configuration, rendered in it.
    with qtbot.waitSignal(preview.rendered, timeout=RENDER_TIMEOUT):
        preview.locale_picker.setCurrentIndex(preview.locale_picker.findData("de"))
    page = preview.pane.page()
    assert page is not None
    languages: list[Any] = []
    page.runJavaScript("document.documentElement.lang", 0, languages.append)
    qtbot.waitUntil(lambda: bool(languages), timeout=10_000)
    assert languages[0].startswith("de")
    assert "Rechnung" in page_text(qtbot, preview.pane)


def test_the_preview_collapses_by_hand_or_on_a_narrow_screen_and_renders_when_shown(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = ConfigurationsView()
    qtbot.addWidget(view, before_close_func=lambda v: v.shutdown())
    view.resize(900, 600)
    view.show()
    view.attach(demo_context)
    qtbot.waitUntil(lambda: view.editor.isEnabled() and view.list.count() > 0, timeout=15_000)
    preview = view.preview
    assert not preview.isVisible() and not view.preview_toggle.isChecked()
    qtbot.wait(700)
    assert preview.pane.page() is None, "nothing is rendered out of sight"

    with qtbot.waitSignal(preview.rendered, timeout=RENDER_TIMEOUT):
        view.preview_toggle.click()
    assert preview.isVisible() and view.preview_toggle.isChecked()
    assert "Northwind" in page_text(qtbot, preview.pane)

    view.preview_toggle.click()
    assert not preview.isVisible()
    view.resize(1500, 900)
    qtbot.wait(50)
    assert not preview.isVisible(), "a preview hidden by hand stays hidden on a wider window"


def test_the_save_summary_names_the_changes_and_keeps_the_parameters_under_details(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    reasons = view.editor.binding(REASONS)
    assert isinstance(reasons, MultiChoiceBinding)
    view.editor.reveal(REASONS)
    reasons.checks["unused"].click()
    reasons.checks["other"].click()
    type_into(qtbot, view, "business_profile[headline]", "Manage your Northwind plan")
    view.save()
    dialog = view.diff_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.section_titles() == ["What changes"]
    assert dialog.lines() == [
        "Headline: now “Manage your Northwind plan”",
        "Reasons offered: removed Not used enough, Other reason",
    ]
    assert dialog.live_banner is None and dialog.save_button.text() == "Save"
    assert not dialog.table.isVisible(), "the parameters are one click away, not in the way"
    save_screenshot(dialog, "configurations_save_summary")
    dialog.details_button.click()
    assert dialog.table.isVisible()
    assert [row[0] for row in dialog.rows()] == ["business_profile[headline]", REASONS]
    save_screenshot(dialog, "configurations_save_summary_details")
    # Another summary can join the dialog while it is open (what the change does to the
    # account's subscriptions, once that is computed), below the configuration's own.
    dialog.add_section(SummarySection("Subscriptions", ("No subscription changes now.",)))
    assert dialog.section_titles() == ["What changes", "Subscriptions"]
    assert dialog.lines()[-1] == "No subscription changes now."
    dialog.reject()
    assert view.has_unsaved_edits()


@pytest.fixture(params=["en", "de"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if request.param == "de":
        with german_interface(qapp):
            use_language("de")
            yield "de"
    else:
        yield "en"


def test_a_refused_save_is_shown_at_the_fields_and_the_bar_only_names_them(
    language: str, qtbot: Any, demo_context: AccountContext
) -> None:
    window = MainWindow()
    # The edits are left unsaved on purpose: dropped before closing, which would ask about them.
    qtbot.addWidget(window, before_close_func=lambda w: (w.configurations.revert(), w.shutdown()))
    window.resize(1600, 1000)
    window.show()
    window.show_context(demo_context, sync_customers=False)
    view = window.configurations
    window.show_view(window.views.index(view))
    qtbot.waitUntil(view.editor.isEnabled, timeout=15_000)
    type_into(
        qtbot,
        view,
        "business_profile[headline]",
        "A headline much longer than sixty characters, which Stripe refuses",
    )
    type_into(qtbot, view, "default_return_url", "northwind.example/account")
    view.editor.tabs.setCurrentIndex(2)
    window.save_action.trigger()

    assert view.diff_dialog is None, "nothing is offered for saving"
    assert window.error_bar.isVisible()
    shown = window.error_bar.message.text()
    if language == "de":
        assert shown == (
            "Nicht gespeichert: 2 Felder brauchen Ihre Aufmerksamkeit "
            "(Überschrift, Standard-Rückkehr-URL)."
        )
    else:
        assert shown == "Not saved: 2 fields need attention (Headline, Default return URL)."
    assert "url_invalid" not in shown and "characters" not in shown
    # The messages are at the fields, the first one's tab in front; the full error for support
    # is the bar's tooltip.
    assert view.editor.tabs.currentIndex() == 0
    headline = view.editor.binding("business_profile[headline]").row
    assert not headline.problem.isHidden() and "60" in headline.problem.text()
    assert "validation_error" in window.error_bar.message.toolTip()
    save_screenshot(window, f"{language}-configurations-refused-save")

    # Ctrl+Shift+P, from the window's View menu: hides the preview, and from another view comes
    # back to the form with the preview shown.
    assert view.preview.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL_SHIFT)
    assert not view.preview.isVisible()
    window.show_view(window.views.index(window.customers))
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL_SHIFT)
    assert window.current_view() is view and view.preview.isVisible()
