"""The Portal coverage view on the demo sandbox: bars and counts per action, the subscriptions
behind a bar one click away, their customer's support card, CSV, another configuration."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import stripe
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from console.coverage.counts import ALLOWED
from console.sandbox_launcher import EmbeddedSandbox
from tests.ui.conftest import demo_customer, save_screenshot
from ui.configurations.fields import CheckBinding
from ui.configurations.impact import ImpactList
from ui.configurations.view import ConfigurationsView
from ui.context import AccountContext
from ui.coverage.view import CoverageView
from ui.main_window import MainWindow

SEVERAL_PRODUCTS = "several products (Team + Priority Support)"


def attached(qtbot: Any, context: AccountContext) -> CoverageView:
    view = CoverageView()
    qtbot.addWidget(view, before_close_func=lambda v: v.shutdown())
    view.resize(1200, 800)
    view.show()
    with qtbot.waitSignal(view.computed, timeout=30_000):
        view.attach(context)
    return view


def test_counts_add_up_and_a_bar_lists_the_subscriptions_behind_it(
    qtbot: Any, demo_context: AccountContext, demo_sandbox: EmbeddedSandbox
) -> None:
    view = attached(qtbot, demo_context)
    coverage = view.coverage
    assert coverage is not None and coverage.subscriptions > 30
    assert len(view.bars.rows) == 7
    # Every action's row of the table: allowed plus every reason, the subscriptions counted.
    totals: dict[str, int] = {}
    for row in range(view.counts_model.rowCount()):
        action, _reason = view.counts_model.item(row, 0).data(Qt.ItemDataRole.UserRole)
        totals[action] = totals.get(action, 0) + int(
            view.counts_model.item(row, 2).text().replace(",", "")
        )
    assert set(totals.values()) == {coverage.subscriptions}
    assert f"{coverage.subscriptions} subscriptions" in view.summary.text()

    # The switch-plan bar's "several products" part: one click lists the demo's subscription.
    target = next(
        (rect, row, part)
        for rect, row, part, _colour in view.bars._parts()
        if row.action == "switch_plan" and part[0] == "several_products"
    )
    qtbot.mouseClick(view.bars, Qt.MouseButton.LeftButton, pos=target[0].center())
    qtbot.waitUntil(lambda: len(view.listed) == 1, timeout=10_000)
    customer = demo_customer(demo_sandbox, SEVERAL_PRODUCTS)
    assert view.listed[0][1] == customer.id
    assert "Switch plan, several products: 1 subscription" in view.listed_label.text()
    with qtbot.waitSignal(view.open_customer) as opened:
        view.open_button.click()
    assert opened.args == [customer.id]
    # The portal as that customer, one click away too (the sandbox is test mode).
    assert view.portal_button.isEnabled()
    with qtbot.waitSignal(view.open_portal) as portal:
        view.portal_button.click()
    assert portal.args == [customer.id]

    # The filter narrows the table to the rows a word matches.
    view.filter.setText("metered")
    shown = {view.counts_model.item(row, 1).text() for row in range(view.counts_model.rowCount())}
    assert shown == {"metered price"}
    save_screenshot(view, "coverage-view-listed")


def test_csv_holds_the_counts_and_the_listed_subscriptions(
    qtbot: Any, demo_context: AccountContext, tmp_path: Path
) -> None:
    view = attached(qtbot, demo_context)
    assert view.coverage is not None
    counts = tmp_path / "counts.csv"
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view._export_to(counts, view._export_filters()[0])
    rows = list(csv.DictReader(io.StringIO(counts.read_text("utf-8"))))
    allowed = {r["action"]: int(r["subscriptions"]) for r in rows if r["outcome"] == "allowed"}
    assert allowed == {a: c.allowed for a, c in view.coverage.actions.items()}
    assert all(r["configuration"] == view.coverage.configuration_id for r in rows)

    view.list_subscriptions("cancel_at_period_end", ALLOWED)
    qtbot.waitUntil(lambda: bool(view.listed), timeout=10_000)
    listed = tmp_path / "listed.csv"
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view._export_to(listed, view._export_filters()[1])
    lines = list(csv.DictReader(io.StringIO(listed.read_text("utf-8"))))
    assert len(lines) == view.coverage.actions["cancel_at_period_end"].allowed
    assert all(line["subscription"].startswith("sub_") for line in lines)


def test_another_configuration_gives_its_own_counts(
    qtbot: Any, demo_context: AccountContext, demo_sandbox: EmbeddedSandbox
) -> None:
    view = attached(qtbot, demo_context)
    assert view.coverage is not None
    first = view.coverage
    client = stripe.StripeClient(demo_sandbox.api_key, base_addresses={"api": demo_sandbox.url})
    records = client.v1.billing_portal.configurations.list({"limit": 100}).data
    chosen = next(r for r in records if r.id != first.configuration_id)
    with qtbot.waitSignal(view.computed, timeout=15_000):
        view.configuration_picker.setCurrentIndex(view.configuration_picker.findData(chosen.id))
    assert view.coverage is not None and view.coverage.configuration_id == chosen.id
    assert view.coverage.subscriptions == first.subscriptions


def test_the_window_opens_the_support_card_of_a_listed_customer(
    qtbot: Any, demo_context: AccountContext, demo_sandbox: EmbeddedSandbox
) -> None:
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
    window.resize(1400, 900)
    window.show()
    window.show_context(demo_context, sync_customers=False)
    assert window.coverage.coverage is None  # nothing read while the view is not looked at
    with qtbot.waitSignal(window.coverage.computed, timeout=30_000):
        window.show_view(window.views.index(window.coverage))
    customer = demo_customer(demo_sandbox, SEVERAL_PRODUCTS)
    window.coverage.list_subscriptions("switch_plan", "several_products")
    qtbot.waitUntil(lambda: bool(window.coverage.listed), timeout=10_000)
    qtbot.keyClick(window.coverage.subscriptions, Qt.Key.Key_Return)
    assert window.current_view() is window.customers
    detail = window.customers.detail
    qtbot.waitUntil(lambda: customer.email in detail.toPlainText(), timeout=15_000)
    assert "Team + Priority Support" in detail.toPlainText()
    assert window.customers.search.text() == customer.id


IMPACT_TITLE = "What it does to the account's subscriptions"


def test_the_save_summary_says_what_a_change_does_to_the_subscriptions(
    qtbot: Any, demo_context: AccountContext
) -> None:
    configurations = ConfigurationsView()
    qtbot.addWidget(configurations)
    configurations.resize(1200, 760)
    configurations.show()
    configurations.attach(demo_context)
    qtbot.waitUntil(
        lambda: configurations.editor.isEnabled() and configurations.list.count() > 0,
        timeout=15_000,
    )
    coverage = CoverageView()
    qtbot.addWidget(coverage, before_close_func=lambda v: v.shutdown())
    configurations.impact_source = coverage.impact_of_edit
    configurations.subscriptions_behind = coverage.subscriptions_of_shapes
    listed: list[list[tuple[str, ...]]] = []

    def summary_after_turning_plan_switching_off() -> list[str]:
        switching = configurations.editor.binding("features[subscription_update][enabled]")
        assert isinstance(switching, CheckBinding)
        switching.check.setChecked(not switching.check.isChecked())
        configurations.save()
        dialog = configurations.diff_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: IMPACT_TITLE in dialog.section_titles(), timeout=15_000)
        said = dialog.lines()
        save_screenshot(dialog, "save-summary-impact")
        buttons = [b for b in dialog.findChildren(QPushButton) if b.text() == "List…"]
        if buttons:
            buttons[0].click()
            shown = next(d for d in dialog.findChildren(ImpactList) if d.isVisible())
            qtbot.waitUntil(lambda: shown.table.rowCount() > 0, timeout=10_000)
            listed.append(shown.rows())
            shown.reject()
        dialog.reject()
        switching.check.setChecked(not switching.check.isChecked())
        return said

    # Before the subscriptions were read, the summary says how to get the numbers.
    said = summary_after_turning_plan_switching_off()
    assert any("open Portal coverage once" in line for line in said), said

    coverage.resize(1200, 800)
    coverage.show()
    with qtbot.waitSignal(coverage.computed, timeout=30_000):
        coverage.attach(demo_context)
    assert coverage.coverage is not None
    allowed = coverage.coverage.actions["switch_plan"].allowed
    assert allowed > 0
    said = summary_after_turning_plan_switching_off()
    # Every subscription that could switch plans no longer can (the line has a minus sign).
    assert any(line.startswith(f"Switch plan: \u2212{allowed} subscription") for line in said), said
    # The first line's List… shows the subscriptions that lose plan switching, with customers.
    assert len(listed) == 1 and len(listed[0]) == allowed
    assert all(
        sub.startswith("sub_") and customer.startswith("cus_") for sub, customer, _ in listed[0]
    )
    assert {change for _, _, change in listed[0]} == {"loses it"}
