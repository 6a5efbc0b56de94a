"""The Portal configurations view against the real demo sandbox (offscreen Qt, real stripe).

Tests that change configurations use a sandbox of their own (``own_sandbox``): the shared demo
sandbox is only read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from console.configurations.model import configuration_from_stripe
from console.errors import ConsoleError, NetworkError, StripeApiError, ValidationError
from console.gateway.models import PortalConfigurationRecord
from console.sandbox import Sandbox
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests.ui.conftest import save_screenshot
from ui.configurations.dialogs import SaveSummaryDialog
from ui.configurations.fields import CheckBinding, MultiChoiceBinding, TextBinding
from ui.configurations.view import ConfigurationsView
from ui.context import AccountContext
from ui.error_bar import FieldsNeedAttentionError

UPDATE = "features[subscription_update]"


@pytest.fixture
def own_sandbox() -> Iterator[EmbeddedSandbox]:
    """A demo sandbox of this test's own, so saves do not trip other tests."""
    running = start_embedded_sandbox(None, seed="demo")
    yield running
    running.stop()


def open_view(qtbot: Any, context: AccountContext) -> ConfigurationsView:
    view = ConfigurationsView()
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    view.attach(context)
    qtbot.waitUntil(lambda: view.editor.isEnabled() and view.list.count() > 0, timeout=15_000)
    return view


def records(run: Callable[..., Any], context: AccountContext) -> list[PortalConfigurationRecord]:
    return list(run(context.gateway.list_portal_configurations()).data)


def text_field(view: ConfigurationsView, param: str) -> TextBinding:
    binding = view.editor.binding(param)
    assert isinstance(binding, TextBinding)
    return binding


def type_into(qtbot: Any, view: ConfigurationsView, param: str, text: str) -> None:
    """Replaces the field's text the way a person does: select all, then type."""
    field = text_field(view, param)
    view.editor.reveal(param)
    field.edit.selectAll()
    qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(field.edit, text)


def select(qtbot: Any, view: ConfigurationsView, name: str) -> None:
    row = next(r for r in range(view.list.count()) if view.list.item(r).text().startswith(name))
    view.list.setCurrentRow(row)
    qtbot.waitUntil(lambda: view.heading.text().startswith(name))


def offered_diff(view: ConfigurationsView) -> SaveSummaryDialog | None:
    """The diff dialog the view offers now (read through a call: a type checker would keep an
    earlier test of the attribute past the ``save()`` that changes it)."""
    return view.diff_dialog


def confirm_save(qtbot: Any, view: ConfigurationsView) -> list[tuple[str, str, str]]:
    """Saves through the diff dialog; returns the diff as shown."""
    view.save()
    dialog = view.diff_dialog
    assert dialog is not None and dialog.isVisible(), "the diff comes before any save"
    shown = dialog.rows()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "save" not in view._tasks, timeout=15_000)
    return shown


def answer_next_message_box(button: QMessageBox.StandardButton) -> list[str]:
    """Clicks ``button`` of the next modal message box; returns its text once shown."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            clicked = box.button(button)
            assert clicked is not None
            clicked.click()
        else:
            QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)
    return seen


# --- the list ----------------------------------------------------------------------------------


def test_list_shows_every_configuration_with_the_default_marked(
    qtbot: Any, run: Callable[..., Any], demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    stripe_has = records(run, demo_context)
    assert sorted(view.list.ids()) == sorted(r.id for r in stripe_has)
    default = next(r for r in stripe_has if r.is_default)
    for row in range(view.list.count()):
        item = view.list.item(row)
        is_default = view.list.ids()[row] == default.id
        assert ("[default]" in item.text()) is is_default
        assert item.font().bold() is is_default
    # The default is what the editor opens on.
    assert view.list.current_id() == default.id
    assert view.heading.text() == f"{default.name}  (default)"
    assert text_field(view, "default_return_url").edit.text() == default.raw["default_return_url"]
    assert not view.has_unsaved_edits()
    save_screenshot(view, "configurations_list_editor")


def test_selecting_a_configuration_shows_its_fields_and_announces_it(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    with qtbot.waitSignal(view.selected) as announced:
        select(qtbot, view, "Cancel immediately")
    assert announced.args == [view.list.current_id()]
    mode = view.editor.binding("features[subscription_cancel][mode]")
    assert mode.value() == "immediately"
    assert not view.editor.products.value()  # no plan switching in this one
    view.editor.reveal("features[subscription_cancel][mode]")
    save_screenshot(view, "configurations_cancel_tab")


# --- problems as you type, diff, save ----------------------------------------------------------


def test_an_invalid_url_is_marked_at_its_field_as_you_type_and_saving_is_refused(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    field = text_field(view, "default_return_url")
    row = field.row

    type_into(qtbot, view, "default_return_url", "northwind.example/account")
    assert not row.problem.isHidden()
    assert "is not a web address" in row.problem.text()
    assert "border" in field.edit.styleSheet()
    assert view.editor.tabs.tabText(0).startswith("⚠")
    assert row.is_changed() and "#0063b1;'>●" in row.label.text()
    save_screenshot(view, "configurations_field_problem")

    view.save()
    assert offered_diff(view) is None, "nothing is offered for saving while a problem is open"
    # The bar names the field only; the message is at the field, the rules' error underneath.
    refused = errors[-1]
    assert isinstance(refused, FieldsNeedAttentionError)
    assert refused.message == "Not saved: the field Default return URL needs attention."
    assert isinstance(refused.cause, ValidationError)
    assert refused.param == "default_return_url" and refused.code == "url_invalid"
    assert field.edit.text() == "northwind.example/account", "the edit is kept"

    type_into(qtbot, view, "default_return_url", "https://northwind.example/billing")
    assert row.problem.isHidden() and field.edit.styleSheet() == ""
    assert not view.editor.tabs.tabText(0).startswith("⚠")

    configuration_id = view.list.current_id()
    before = configuration_from_stripe(
        run(context.gateway.retrieve_portal_configuration(configuration_id)).raw
    )
    view.save()
    dialog = offered_diff(view)
    assert dialog is not None
    assert dialog.titles() == ["Default return URL"]
    dialog.reject()
    shown = confirm_save(qtbot, view)
    assert shown == [
        ("default_return_url", before.default_return_url, "https://northwind.example/billing")
    ]
    after = run(context.gateway.retrieve_portal_configuration(configuration_id))
    assert after.raw["default_return_url"] == "https://northwind.example/billing"
    assert not view.has_unsaved_edits()
    assert not row.is_changed()
    assert "Saved" in view.status.text()


def test_plan_switching_without_products_is_marked_then_products_are_picked_and_saved(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    select(qtbot, view, "Invoices only")
    switching = view.editor.binding(f"{UPDATE}[enabled]")
    assert isinstance(switching, CheckBinding)
    view.editor.reveal(f"{UPDATE}[enabled]")
    switching.check.click()
    products = view.editor.products
    kinds = view.editor.binding(f"{UPDATE}[default_allowed_updates]")
    assert isinstance(kinds, MultiChoiceBinding)
    assert "at least one product" in products.row.problem.text()
    assert "choose what customers may change" in kinds.row.problem.text()
    assert view.editor.tabs.tabText(view.editor.tabs.currentIndex()).startswith("⚠")
    save_screenshot(view, "configurations_plan_switching_problems")

    catalogue = view._catalogue
    starter = next(p for p, name in catalogue.products.items() if name == "Starter")
    by_key = {p.lookup_key: p for p in catalogue.prices_of(starter)}
    monthly, yearly = by_key["starter_monthly"], by_key["starter_yearly"]
    products.check_price(starter, monthly.id)
    products.check_price(starter, yearly.id)
    assert products.row.problem.isHidden()
    starter_item = products.item_for_product(starter)
    assert starter_item is not None
    assert starter_item.checkState(0) == Qt.CheckState.Checked, "a price ticked offers its product"

    # A product offered without a price is marked on its own row.
    team = next(p for p, name in catalogue.products.items() if name == "Team")
    team_item = products.item_for_product(team)
    assert team_item is not None
    team_item.setCheckState(0, Qt.CheckState.Checked)
    assert f"Product {team} needs at least one price." in products.row.problem.text()
    assert team_item.toolTip(0) == f"Product {team} needs at least one price."
    assert starter_item.toolTip(0) == ""
    team_item.setCheckState(0, Qt.CheckState.Unchecked)
    assert products.row.problem.isHidden() and team_item.toolTip(0) == ""

    # The quantity customers may choose, for the product selected in the tree.
    products.tree.setCurrentItem(starter_item)
    assert "Starter" in products.quantity_title.text()
    products.quantity_enabled.setChecked(True)
    products.quantity_maximum.setValue(5)
    kinds.checks["price"].setChecked(True)
    assert kinds.row.problem.isHidden()
    assert view.problems() == []
    save_screenshot(view, "configurations_products_picked")

    shown = confirm_save(qtbot, view)
    assert {change[0] for change in shown} >= {
        f"{UPDATE}[enabled]",
        f"{UPDATE}[products]",
        f"{UPDATE}[default_allowed_updates]",
    }
    saved = configuration_from_stripe(
        run(context.gateway.retrieve_portal_configuration(view.list.current_id())).raw
    )
    update = saved.features.subscription_update
    assert update.enabled and update.default_allowed_updates == ("price",)
    assert update.products is not None
    assert [(p.product, set(p.prices)) for p in update.products] == [
        (starter, {monthly.id, yearly.id})
    ]
    quantity = update.products[0].adjustable_quantity
    assert (quantity.enabled, quantity.minimum, quantity.maximum) == (True, 1, 5)


def test_a_server_refusal_marks_the_field_keeps_the_edits_and_a_retry_succeeds(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    param = "features[subscription_cancel][cancellation_reason][feedback_options]"
    reasons = view.editor.binding(param)
    view.editor.reveal(param)
    qtbot.keyClicks(reasons.row.control, "bfo_never_made")
    type_into(qtbot, view, "business_profile[headline]", "Manage your Northwind plan")
    assert view.problems() == [], "the rules cannot know which feedback options exist"

    confirm_save(qtbot, view)
    assert isinstance(errors[-1], FieldsNeedAttentionError)
    assert errors[-1].message == "Not saved: the field Custom reasons needs attention."
    refusal = errors[-1].cause
    assert isinstance(refusal, StripeApiError)
    assert refusal.type == "invalid_request_error" and refusal.code == "resource_missing"
    assert refusal.param is not None and refusal.param.startswith(param)
    assert not reasons.row.problem.isHidden(), "the refused field is marked"
    assert view.editor.tabs.currentIndex() == 2, "and shown"
    assert text_field(view, "business_profile[headline]").edit.text() == (
        "Manage your Northwind plan"
    )
    assert view.has_unsaved_edits()
    headline = run(context.gateway.retrieve_portal_configuration(view.list.current_id()))
    assert headline.raw["business_profile"]["headline"] != "Manage your Northwind plan"
    save_screenshot(view, "configurations_server_refusal")

    reasons.row.control.setFocus()
    reasons.row.control.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(reasons.row.control, Qt.Key.Key_Delete)
    assert reasons.row.problem.isHidden(), "editing the refused field clears Stripe's mark"
    confirm_save(qtbot, view)
    saved = run(context.gateway.retrieve_portal_configuration(view.list.current_id()))
    assert saved.raw["business_profile"]["headline"] == "Manage your Northwind plan"
    assert not view.has_unsaved_edits()


def test_a_save_while_the_sandbox_is_down_keeps_the_edits_and_a_retry_succeeds(
    qtbot: Any, run: Callable[..., Any], make_context: Any, tmp_path: Path
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    first = Sandbox(str(db), seed="demo").start()
    sandbox = EmbeddedSandbox(first, db)
    context = make_context(sandbox)
    view = open_view(qtbot, context)
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    type_into(qtbot, view, "business_profile[headline]", "Billing, the Northwind way")
    port = int(sandbox.url.rsplit(":", 1)[1])
    sandbox.stop()

    confirm_save(qtbot, view)
    assert isinstance(errors[-1], NetworkError)
    assert text_field(view, "business_profile[headline]").edit.text() == (
        "Billing, the Northwind way"
    )
    assert view.has_unsaved_edits()
    assert "edits are kept" in view.status.text()

    again = Sandbox(str(db), seed="demo", port=port).start()
    try:
        confirm_save(qtbot, view)
        saved = run(context.gateway.retrieve_portal_configuration(view.list.current_id()))
        assert saved.raw["business_profile"]["headline"] == "Billing, the Northwind way"
        assert not view.has_unsaved_edits()
    finally:
        again.stop()


# --- unsaved edits -----------------------------------------------------------------------------


def test_unsaved_edits_are_asked_about_and_cancel_keeps_them(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    assert view.confirm_discard(), "nothing to lose: no question"
    with qtbot.waitSignal(view.edited, timeout=2_000) as shown:
        type_into(qtbot, view, "name", "Everything on (draft)")
    assert shown.args[0].name == "Everything on (draft)"
    assert view.has_unsaved_edits()

    asked = answer_next_message_box(QMessageBox.StandardButton.Cancel)
    assert view.confirm_discard() is False
    assert asked and "unsaved changes" in asked[0]
    assert text_field(view, "name").edit.text() == "Everything on (draft)"

    # Choosing another configuration asks too; Cancel stays on the edited one.
    shown_id = view.list.current_id()
    answer_next_message_box(QMessageBox.StandardButton.Cancel)
    select_row = next(r for r, i in enumerate(view.list.ids()) if i != shown_id)
    view.list.setCurrentRow(select_row)
    assert view.list.current_id() == shown_id
    assert text_field(view, "name").edit.text() == "Everything on (draft)"

    answer_next_message_box(QMessageBox.StandardButton.Discard)
    assert view.confirm_discard() is True
    assert not view.has_unsaved_edits()
    assert text_field(view, "name").edit.text() == "Default: everything on"


def test_esc_closes_the_diff_dialog_and_saves_nothing(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    type_into(qtbot, view, "business_profile[headline]", "Not to be saved")
    view.save()
    dialog = view.diff_dialog
    assert dialog is not None and dialog.isVisible()
    save_screenshot(dialog, "configurations_diff_dialog")
    assert view.close_panel() is True
    assert not dialog.isVisible()
    assert view.close_panel() is False
    assert view.has_unsaved_edits(), "closing the diff keeps the edits"
    assert "save" not in view._tasks


# --- export and import -------------------------------------------------------------------------


@pytest.fixture
def other_sandbox() -> Iterator[EmbeddedSandbox]:
    """Another account: the same demo catalogue under new, random ids."""
    running = start_embedded_sandbox(None, seed="demo")
    yield running
    running.stop()


def test_export_then_import_into_another_account_maps_the_products(
    qtbot: Any,
    run: Callable[..., Any],
    make_context: Any,
    own_sandbox: EmbeddedSandbox,
    other_sandbox: EmbeddedSandbox,
    tmp_path: Path,
) -> None:
    source = make_context(own_sandbox)
    view = open_view(qtbot, source)
    exported = tmp_path / "default.json"
    view.export_to(exported)
    qtbot.waitUntil(lambda: "Exported" in view.status.text())
    document = json.loads(exported.read_text("utf-8"))
    assert document["configuration"]["name"] == "Default: everything on"
    assert {p["name"] for p in document["products"]} == {"Starter", "Team", "Business"}

    target = make_context(other_sandbox)
    before = records(run, target)
    other = open_view(qtbot, target)
    other.import_from(exported)
    qtbot.waitUntil(lambda: other.import_dialog is not None, timeout=15_000)
    dialog = other.import_dialog
    assert dialog is not None
    report = dialog.report.toPlainText()
    assert "Creates a new configuration “Default: everything on”" in report
    assert "by lookup key" in report
    assert records(run, target) == before, "nothing is created before Import is confirmed"
    save_screenshot(dialog, "configurations_import_report")
    dialog.confirm.click()
    qtbot.waitUntil(lambda: "Imported as" in other.status.text(), timeout=15_000)

    after = records(run, target)
    made = [r for r in after if r.id not in {b.id for b in before}]
    assert len(made) == 1 and not made[0].is_default
    assert other.list.current_id() == made[0].id
    imported = configuration_from_stripe(made[0].raw)
    catalogue = other._catalogue
    products = imported.features.subscription_update.products or ()
    assert sorted(catalogue.products[p.product] or "" for p in products) == [
        "Business",
        "Starter",
        "Team",
    ]
    for entry in products:
        assert all(catalogue.prices[price].product_id == entry.product for price in entry.prices)


def test_importing_a_broken_file_says_why_and_changes_nothing(
    qtbot: Any, run: Callable[..., Any], demo_context: AccountContext, tmp_path: Path
) -> None:
    view = open_view(qtbot, demo_context)
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    before = records(run, demo_context)

    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "portal-console/billing_portal.configuration", ', "utf-8")
    view.import_from(broken)
    qtbot.waitUntil(lambda: bool(errors), timeout=15_000)
    assert isinstance(errors[-1], ValidationError)
    assert errors[-1].code == "document_invalid"
    assert "broken.json is not JSON (line 1" in errors[-1].message

    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"schema": "something/else", "configuration": {}}), "utf-8")
    view.import_from(foreign)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=15_000)
    assert isinstance(errors[-1], ValidationError)
    assert {p.param for p in errors[-1].problems} >= {"schema", "schema_version", "configuration"}

    assert view.import_dialog is None
    assert records(run, demo_context) == before
    assert "Nothing imported" in view.status.text()


# --- copy to another account -------------------------------------------------------------------


def test_copy_to_another_account_reports_the_mapping_first_then_creates_it(
    qtbot: Any,
    run: Callable[..., Any],
    make_context: Any,
    own_sandbox: EmbeddedSandbox,
    other_sandbox: EmbeddedSandbox,
) -> None:
    source = make_context(own_sandbox)
    other = run(source.accounts.add_account(other_sandbox.api_key, base_url=other_sandbox.url))
    view = open_view(qtbot, source)
    view.open_copy_dialog()
    dialog = view.copy_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.target.count() > 1, timeout=15_000)
    labels = view.copy_target_labels()
    platform = next(i for i, text in enumerate(labels) if f"({other.id}, test)" in text)
    connected = next(i for i, text in enumerate(labels) if f"connected to {other.name}" in text)

    # A connected account has none of the plans: said in plain words, and Copy stays off.
    connected_id = labels[connected].split("(")[1].split(",")[0]
    dialog.target.setCurrentIndex(connected + 1)
    qtbot.waitUntil(lambda: "Nothing can be created" in dialog.report.toPlainText(), timeout=15_000)
    report = dialog.report.toPlainText()
    assert "on the target account" in report and "Price price_" in report
    assert not dialog.confirm.isEnabled()
    save_screenshot(dialog, "configurations_copy_unmapped")

    target_gateway = run(source.accounts.open_gateway(other))
    on_connected = target_gateway.for_connected_account(connected_id)
    connected_before = list(run(on_connected.list_portal_configurations()).data)
    before = list(run(target_gateway.list_portal_configurations()).data)
    try:
        dialog.target.setCurrentIndex(platform + 1)
        qtbot.waitUntil(dialog.confirm.isEnabled, timeout=15_000)
        assert "Creates a new configuration “Default: everything on”" in (
            dialog.report.toPlainText()
        )
        assert "by lookup key" in dialog.report.toPlainText()
        save_screenshot(dialog, "configurations_copy_report")
        dialog.confirm.click()
        qtbot.waitUntil(lambda: "Copied to" in view.status.text(), timeout=15_000)

        after = list(run(target_gateway.list_portal_configurations()).data)
        made = [r for r in after if r.id not in {b.id for b in before}]
        assert len(made) == 1
        assert made[0].name == "Default: everything on" and not made[0].is_default
        copied = configuration_from_stripe(made[0].raw)
        assert len(copied.features.subscription_update.products or ()) == 3
        assert list(run(on_connected.list_portal_configurations()).data) == connected_before
    finally:
        run(target_gateway.aclose())
