"""The configurations editor beyond one text field: new configurations, lists of rows, choices,
and the LIVE warning. Against a demo sandbox of each test's own (these tests save)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from PySide6.QtWidgets import QComboBox, QSpinBox, QTableWidgetItem

from console.configurations.model import PauseInterval, configuration_from_stripe
from console.errors import NetworkError
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests.ui.conftest import save_screenshot
from tests.ui.test_configurations_view import confirm_save, open_view, records, type_into
from ui.configurations.fields import CheckBinding, ChoiceBinding
from ui.configurations.tables import MetadataBinding, PauseOptionsBinding
from ui.configurations.view import ConfigurationsView
from ui.context import AccountContext

CANCEL = "features[subscription_cancel]"
PAUSE = "features[subscription_pause]"


@pytest.fixture
def own_sandbox() -> Iterator[EmbeddedSandbox]:
    running = start_embedded_sandbox(None, seed="demo")
    yield running
    running.stop()


def test_a_new_configuration_is_created_on_save_and_listed(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    before = records(run, context)
    with qtbot.waitSignal(view.selected) as announced:
        view.new_button.click()
    assert announced.args == [""]
    assert view.has_unsaved_edits(), "a configuration not on Stripe yet is unsaved"
    assert "new, not saved yet" in view.list.currentItem().text()
    type_into(qtbot, view, "name", "Support desk")

    view.save()
    dialog = view.diff_dialog
    assert dialog is not None
    assert dialog.summary.text().startswith("Create the configuration “Support desk”")
    assert ("features[invoice_history][enabled]", "off", "on") in dialog.rows()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Saved" in view.status.text(), timeout=15_000)

    after = records(run, context)
    made = [r for r in after if r.id not in {b.id for b in before}]
    assert len(made) == 1 and made[0].name == "Support desk" and not made[0].is_default
    assert made[0].raw["features"]["invoice_history"]["enabled"] is True
    assert view.list.current_id() == made[0].id
    assert "new, not saved yet" not in " ".join(
        view.list.item(r).text() for r in range(view.list.count())
    )
    assert not view.has_unsaved_edits()


def test_reverting_a_new_configuration_goes_back_to_the_default(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    default = view.list.current_id()
    view.new_button.click()
    view.revert_button.click()
    assert view.list.current_id() == default
    assert view.list.count() == len(view.list.ids()) == 3
    assert not view.has_unsaved_edits()


def test_cancellation_pause_and_metadata_are_checked_as_you_edit_and_saved(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    editor = view.editor

    # Cancellation: prorations need an immediate cancellation.
    proration = editor.binding(f"{CANCEL}[proration_behavior]")
    mode = editor.binding(f"{CANCEL}[mode]")
    assert isinstance(proration, ChoiceBinding) and isinstance(mode, ChoiceBinding)
    editor.reveal(f"{CANCEL}[proration_behavior]")
    proration.combo.setCurrentIndex(proration.combo.findData("create_prorations"))
    assert "need cancellations to happen immediately" in proration.row.problem.text()
    mode.combo.setCurrentIndex(mode.combo.findData("immediately"))
    assert proration.row.problem.isHidden()

    # Pause: at most three years, whatever the unit.
    pausing = editor.binding(f"{PAUSE}[enabled]")
    options = editor.binding(f"{PAUSE}[duration][interval_options]")
    assert isinstance(pausing, CheckBinding) and isinstance(options, PauseOptionsBinding)
    editor.reveal(f"{PAUSE}[enabled]")
    pausing.check.click()
    options.box.add.click()
    count = cast(QSpinBox, options.table.cellWidget(options.table.rowCount() - 1, 1))
    count.setValue(40)
    assert "longer than 3 years" in options.row.problem.text()
    save_screenshot(view, "configurations_pause_problem")
    unit = cast(QComboBox, options.table.cellWidget(options.table.rowCount() - 1, 0))
    count.setValue(6)
    unit.setCurrentIndex(unit.findData("week"))
    assert options.row.problem.isHidden()

    # Metadata: keys of at most 40 characters.
    metadata = editor.binding("metadata")
    assert isinstance(metadata, MetadataBinding)
    editor.reveal("metadata")
    metadata.box.add.click()
    row = metadata.table.rowCount() - 1
    metadata.table.setItem(row, 0, QTableWidgetItem("x" * 41))
    metadata.table.setItem(row, 1, QTableWidgetItem("too long a key"))
    assert "at most 40" in metadata.row.problem.text()
    cast(QTableWidgetItem, metadata.table.item(row, 0)).setText("owner")
    cast(QTableWidgetItem, metadata.table.item(row, 1)).setText("billing team")
    assert metadata.row.problem.isHidden()
    save_screenshot(view, "configurations_metadata")
    assert view.problems() == []
    assert set(editor.fields_changed()) == {
        f"{CANCEL}[proration_behavior]",
        f"{CANCEL}[mode]",
        f"{PAUSE}[enabled]",
        f"{PAUSE}[duration][interval_options]",
        "metadata",
    }
    tabs = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert [t.startswith("●") for t in tabs] == [False, False, True, True, False, True]

    shown = confirm_save(qtbot, view)
    assert ("metadata[owner]", "—", "billing team") in shown
    saved = configuration_from_stripe(
        run(context.gateway.retrieve_portal_configuration(view.list.current_id())).raw
    )
    cancel = saved.features.subscription_cancel
    assert (cancel.mode, cancel.proration_behavior) == ("immediately", "create_prorations")
    pause = saved.features.subscription_pause
    assert pause.enabled
    assert pause.duration.interval_options[-1] == PauseInterval("week", 6)
    assert saved.metadata is not None and saved.metadata["owner"] == "billing team"
    assert saved.metadata["demo"] == "default", "keys not edited are kept"


def test_saving_on_a_live_account_says_live_before_anything_is_sent(
    qtbot: Any, demo_context: AccountContext
) -> None:
    # The sandbox takes test keys only, and the view decides "live" from the account alone:
    # the demo account is presented as a live one, and the test stops at the confirmation.
    live_account = dataclasses.replace(demo_context.account, mode="live")
    live = dataclasses.replace(demo_context, account=live_account)
    assert live.live
    view = open_view(qtbot, live)
    type_into(qtbot, view, "business_profile[headline]", "Live edits")
    view.save()
    dialog = view.diff_dialog
    assert dialog is not None and dialog.live_banner is not None
    assert dialog.live_banner.text().startswith("LIVE MODE: this changes the portal your real")
    assert dialog.save_button.text() == "Save to LIVE"
    assert "LIVE" in dialog.summary.text()
    save_screenshot(dialog, "configurations_diff_dialog_live")
    dialog.reject()
    assert view.has_unsaved_edits()


def test_an_unreachable_account_is_reported_and_refresh_is_offered(
    qtbot: Any, make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    own_sandbox.stop()
    view = ConfigurationsView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed, timeout=15_000) as failure:
        view.attach(context)
    assert isinstance(failure.args[0], NetworkError)
    assert view.heading.text().startswith("The configurations could not be loaded")
    assert "Ctrl+R" in view.status.text()
    assert not view.editor.isEnabled() and not view.new_button.isEnabled()
