"""The configuration editor's fields as a merchant uses them: products and prices by name with
filters, one quantity control that means what the portal does, custom reasons and a retention
coupon picked from the account's own, controls disabled with their feature, and problems said
at their field. Against the real demo sandbox (saves use a sandbox of the test's own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import stripe
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTreeWidgetItem

from console.configurations.model import configuration_from_stripe
from console.configurations.retention import RETENTION_COUPON_KEY, RETENTION_PARAM
from console.errors import ValidationProblem
from console.gateway.models import ProductId
from console.i18n import use_language
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests.ui.conftest import demo_customer, german_interface, save_screenshot
from tests.ui.test_configurations_view import confirm_save, open_view, select, type_into
from ui.configurations.cancellation_pickers import FeedbackOptionsBinding, RetentionCouponBinding
from ui.configurations.fields import CheckBinding, ChoiceBinding, MultiChoiceBinding
from ui.configurations.view import ConfigurationsView
from ui.context import AccountContext
from ui.portal_session.view import PortalSessionView

UPDATE = "features[subscription_update]"
CANCEL = "features[subscription_cancel]"
PAUSE = "features[subscription_pause]"
REASONS = f"{CANCEL}[cancellation_reason][feedback_options]"


@pytest.fixture
def own_sandbox() -> Iterator[EmbeddedSandbox]:
    running = start_embedded_sandbox(None, seed="demo")
    yield running
    running.stop()


def client(sandbox: EmbeddedSandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.url})


def product_named(view: ConfigurationsView, name: str) -> ProductId:
    return next(p for p, known in view._catalogue.products.items() if known == name)


def shown_prices(item: QTreeWidgetItem) -> list[str]:
    children = (item.child(n) for n in range(item.childCount()))
    return [c.text(0) for c in children if c is not None and not c.isHidden()]


def check(view: ConfigurationsView, param: str) -> CheckBinding:
    binding = view.editor.binding(param)
    assert isinstance(binding, CheckBinding)
    return binding


# --- products and prices by name -----------------------------------------------------------


def test_products_are_named_prices_said_in_words_and_the_filters_narrow_them(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    products = view.editor.products
    team = products.item_for_product(product_named(view, "Team"))
    assert team is not None
    assert team.text(0) == "Team" and team.checkState(0) == Qt.CheckState.Checked
    prices = shown_prices(team)
    assert "$29.00 per month" in prices and "$290.00 per year" in prices
    assert "€29.00 per month" in prices, "every currency the account sells Team in"
    assert not any("price_" in text for text in prices), "ids only in the quiet column"
    first_price = team.child(0)
    assert first_price is not None and first_price.text(2).startswith("price_")
    api = products.item_for_product(product_named(view, "API Calls"))
    assert api is not None
    assert shown_prices(api) == ["$0.20 per unit used, billed every month"]
    assert team.text(1) == "fixed", "the default configuration lets no product's quantity change"

    filters = products.filters
    currencies = [filters.currency.itemText(i) for i in range(filters.currency.count())]
    assert currencies == ["All currencies", "AUD", "BRL", "EUR", "GBP", "NZD", "USD"]
    filters.currency.setCurrentIndex(filters.currency.findData("eur"))
    assert shown_prices(team) == ["€29.00 per month", "€290.00 per year"]
    assert api.isHidden(), "API Calls is sold in USD only"
    assert "hidden by the filters" in products.hidden_note.text(), "Team's USD prices are offered"
    filters.interval.setCurrentIndex(filters.interval.findText("Yearly"))
    assert shown_prices(team) == ["€290.00 per year"]
    view.editor.reveal(products.param)
    save_screenshot(view, "configurations-products-filtered")
    filters.search.setText("star")
    assert products.shown_products() == ["Starter"]
    assert view.problems() == [] and not view.has_unsaved_edits(), "filters change nothing"


def test_an_archived_price_the_configuration_offers_is_shown_and_said_archived(
    qtbot: Any, make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    stripe_client = client(own_sandbox)
    monthly = stripe_client.v1.prices.search({"query": "lookup_key:'team_monthly'"}).data[0]
    stripe_client.v1.prices.update(monthly.id, {"active": False})
    view = open_view(qtbot, make_context(own_sandbox))
    products = view.editor.products
    team = products.item_for_product(product_named(view, "Team"))
    assert team is not None
    assert "$29.00 per month  archived: customers can no longer switch to it" in shown_prices(team)
    assert "is archived" in products.row.problem.text()
    view.editor.reveal(products.param)
    save_screenshot(view, "configurations-products-archived-price")


# --- the one quantity control ----------------------------------------------------------------


def test_one_quantity_control_writes_both_settings_the_portal_needs(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    select(qtbot, view, "Invoices only")
    view.editor.reveal(f"{UPDATE}[enabled]")
    check(view, f"{UPDATE}[enabled]").check.click()
    kinds = view.editor.binding(f"{UPDATE}[default_allowed_updates]")
    assert isinstance(kinds, MultiChoiceBinding)
    assert set(kinds.checks) == {"price", "promotion_code"}, "no second quantity switch"
    kinds.checks["price"].setChecked(True)
    products = view.editor.products
    team = product_named(view, "Team")
    by_key = {p.lookup_key: p.id for p in view._catalogue.prices_of(team)}
    products.check_price(team, by_key["team_monthly"])
    products.check_price(team, by_key["team_yearly"])
    products.select_product(team)
    assert products.quantity_title.text() == "Quantity of Team:"
    assert not products.quantity_maximum.isEnabled(), "bounds only mean something when allowed"
    products.quantity_enabled.setChecked(True)
    products.quantity_maximum.setValue(10)
    assert products.quantity_note.text() == "Customers may change the quantity of: Team."
    item = products.item_for_product(team)
    assert item is not None and item.text(1) == "1 to 10"
    assert view.problems() == []

    confirm_save(qtbot, view)
    saved = configuration_from_stripe(
        run(context.gateway.retrieve_portal_configuration(view.list.current_id())).raw
    )
    update = saved.features.subscription_update
    assert set(update.default_allowed_updates) == {"price", "quantity"}
    assert update.products is not None
    quantity = update.products[0].adjustable_quantity
    assert (quantity.enabled, quantity.minimum, quantity.maximum) == (True, 1, 10)

    # Allowing it for no product takes "quantity" out again: never one without the other.
    products.select_product(team)
    products.quantity_enabled.setChecked(False)
    assert products.quantity_note.text() == "Customers cannot change quantities in the portal."
    confirm_save(qtbot, view)
    again = configuration_from_stripe(
        run(context.gateway.retrieve_portal_configuration(view.list.current_id())).raw
    )
    assert again.features.subscription_update.default_allowed_updates == ("price",)


def test_settings_out_of_step_are_said_and_a_save_does_not_change_them(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    # The demo's default allows "quantity" but no product's quantity: the portal shows none.
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    products = view.editor.products
    assert products.quantity_note.text().startswith("The portal offers no quantity change")
    type_into(qtbot, view, "business_profile[headline]", "Manage your plan")
    shown = confirm_save(qtbot, view)
    assert [row[0] for row in shown] == ["business_profile[headline]"], "nothing silent"
    saved = run(context.gateway.retrieve_portal_configuration(view.list.current_id()))
    assert "quantity" in saved.raw["features"]["subscription_update"]["default_allowed_updates"]

    # Touching a quantity puts them in step: here, no product allows it, so "quantity" goes.
    team = product_named(view, "Team")
    products.select_product(team)
    products.quantity_enabled.setChecked(True)
    products.quantity_enabled.setChecked(False)
    current = view.current_configuration()
    assert current is not None
    assert "quantity" not in current.features.subscription_update.default_allowed_updates
    assert products.quantity_note.text() == "Customers cannot change quantities in the portal."


# --- custom reasons and the retention coupon --------------------------------------------------


def test_custom_reasons_are_picked_by_description_and_unknown_ones_marked(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    stripe_client = client(own_sandbox)
    moving = stripe_client.v1.billing.feedback_options.create({"description": "Moving abroad"})
    slow = stripe_client.v1.billing.feedback_options.create({"description": "Too slow"})
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    reasons = view.editor.binding(REASONS)
    assert isinstance(reasons, FeedbackOptionsBinding)
    assert reasons.shown() == [("Moving abroad", False), ("Too slow", False)]
    view.editor.reveal(REASONS)
    reasons.tick("Too slow")
    reasons.tick("Moving abroad")
    assert view.problems() == []
    save_screenshot(view, "configurations-cancellation-pickers")
    confirm_save(qtbot, view)
    saved = run(context.gateway.retrieve_portal_configuration(view.list.current_id()))
    chosen = saved.raw["features"]["subscription_cancel"]["cancellation_reason"]
    assert chosen["feedback_options"] == [moving.id, slow.id], "in the order listed"

    # A reason deactivated since is shown marked, with the rules' problem at the field.
    stripe_client.v1.billing.feedback_options.deactivate(slow.id)
    view.refresh()
    qtbot.waitUntil(lambda: ("Too slow (deactivated)", True) in reasons.shown(), timeout=15_000)
    assert "“Too slow” is deactivated" in reasons.row.problem.text()
    assert view.editor.general_problems.isHidden(), "a field's problem shows at the field only"
    reasons.tick("Too slow (deactivated)", checked=False)
    assert reasons.row.problem.isHidden()


def test_a_retention_coupon_is_chosen_by_name_kept_in_metadata_and_offered_on_cancel(
    qtbot: Any, run: Callable[..., Any], make_context: Any, own_sandbox: EmbeddedSandbox
) -> None:
    context = make_context(own_sandbox)
    view = open_view(qtbot, context)
    offer = view.editor.binding(RETENTION_PARAM)
    assert isinstance(offer, RetentionCouponBinding)
    choices = [offer.combo.itemText(i) for i in range(offer.combo.count())]
    assert choices[0] == "No offer"
    assert "RETENTION25: 25% off for 3 months" in choices
    assert "cancel links" in offer.help.text() and "flow_data" in offer.help.text()
    view.editor.reveal(RETENTION_PARAM)
    offer.choose("RETENTION25")
    assert view.editor.fields_changed() == [RETENTION_PARAM], "not the metadata table"
    metadata_rows = view.editor.binding("metadata")
    shown = confirm_save(qtbot, view)
    assert (f"metadata[{RETENTION_COUPON_KEY}]", "—", "RETENTION25") in shown
    configuration_id = view.list.current_id()
    saved = run(context.gateway.retrieve_portal_configuration(configuration_id))
    assert saved.raw["metadata"] == {"demo": "default", RETENTION_COUPON_KEY: "RETENTION25"}
    assert metadata_rows.value() == {"demo": "default"}, "the table keeps the merchant's keys"

    # The console's cancel link for this (the default) configuration offers it.
    portal = PortalSessionView()
    qtbot.addWidget(portal)
    portal.resize(1200, 800)
    portal.show()
    portal.attach(context)
    customer = demo_customer(own_sandbox, "Starter yearly")
    subscription = client(own_sandbox).v1.subscriptions.list({"customer": customer.id}).data[0]
    portal.language.setCurrentIndex(portal.language.findData("en"))
    portal.prepare_flow(customer.id, "subscription_cancel", subscription.id)
    qtbot.waitUntil(lambda: portal.coupon.text() == "RETENTION25", timeout=15_000)
    qtbot.waitUntil(lambda: portal.subscription.currentData() == subscription.id, timeout=10_000)
    with qtbot.waitSignal(portal.browser.load_finished, timeout=30_000):
        portal.open_in_app()
    texts: list[str] = []
    portal.browser.view.page().runJavaScript("document.body.innerText", 0, texts.append)
    qtbot.waitUntil(lambda: bool(texts), timeout=10_000)
    assert "Accept offer" in texts[0] and "25%" in texts[0]
    portal.flow.setCurrentIndex(portal.flow.findData("subscription_update_confirm"))
    assert portal.coupon.text() == "", "a retention offer is no discount for a plan change"


# --- features switch their controls ----------------------------------------------------------


def test_controls_are_disabled_with_their_feature_and_keep_their_values(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    editor = view.editor
    kinds = editor.binding(f"{UPDATE}[default_allowed_updates]")
    assert kinds.row.isEnabled() and editor.products.row.isEnabled()
    # Shown first: pausing is off in the demo's default, so its duration cannot be chosen.
    assert not editor.binding(f"{PAUSE}[duration][type]").row.isEnabled()
    check(view, f"{UPDATE}[enabled]").check.click()
    assert not kinds.row.isEnabled() and not editor.products.row.isEnabled()
    assert set(kinds.value()) >= {"price", "promotion_code"}, "values kept while off"
    reasons_on = check(view, f"{CANCEL}[cancellation_reason][enabled]")
    options = editor.binding(f"{CANCEL}[cancellation_reason][options]")
    reasons_on.check.click()
    assert not options.row.isEnabled() and not editor.binding(REASONS).row.isEnabled()
    check(view, f"{CANCEL}[enabled]").check.click()
    assert not reasons_on.row.isEnabled() and not editor.binding(RETENTION_PARAM).row.isEnabled()
    assert not editor.binding(f"{CANCEL}[mode]").row.isEnabled()
    login = check(view, "login_page[enabled]")
    assert login.value() is False and not editor.login_url.isEnabled()
    view.revert_button.click()
    select(qtbot, view, "Invoices only")
    pause_type = editor.binding(f"{PAUSE}[duration][type]")
    durations = editor.binding(f"{PAUSE}[duration][interval_options]")
    assert not pause_type.row.isEnabled() and not durations.row.isEnabled()
    check(view, f"{PAUSE}[enabled]").check.click()
    assert pause_type.row.isEnabled() and durations.row.isEnabled()
    assert isinstance(pause_type, ChoiceBinding)
    pause_type.combo.setCurrentIndex(pause_type.combo.findData("indefinite"))
    assert not durations.row.isEnabled(), "no fixed durations to offer"

    view.revert_button.click()


# --- problems in plain words -----------------------------------------------------------------


def test_a_problem_of_no_single_field_is_said_with_the_tab_title_not_the_parameter(
    qtbot: Any, demo_context: AccountContext
) -> None:
    view = open_view(qtbot, demo_context)
    editor = view.editor
    editor.show_problems(
        [
            ValidationProblem(UPDATE, "x", "Something about plan switching."),
            ValidationProblem("", "x", "Something about everything."),
            ValidationProblem("features", "x", "Something about every feature."),
            ValidationProblem(f"{UPDATE}[proration_behavior]", "x", "At its field."),
        ]
    )
    text = editor.general_problems.text()
    assert text == (
        "Plan switching: Something about plan switching.\nSomething about everything.\n"
        "Something about every feature."
    )
    assert "[" not in text and "At its field" not in text
    proration = editor.binding(f"{UPDATE}[proration_behavior]")
    assert proration.row.problem.text() == "At its field."


def test_field_problems_are_in_german_in_the_german_window(
    qtbot: Any, qapp: QApplication, demo_context: AccountContext
) -> None:
    with german_interface(qapp):  # the core's messages follow the window's language
        try:
            view = open_view(qtbot, demo_context)
            type_into(qtbot, view, "default_return_url", "not a url")
            problem = view.editor.binding("default_return_url").row.problem.text()
            offer = view.editor.binding(RETENTION_PARAM)
            assert isinstance(offer, RetentionCouponBinding)
            labels = [offer.combo.itemText(i) for i in range(offer.combo.count())]
        finally:
            use_language("en")
    assert "ist keine Webadresse" in problem, problem
    assert "RETENTION25: 25\xa0% Rabatt für 3 Monate" in labels
    assert labels[0] == "Kein Angebot"


# --- screenshots -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
def test_screenshots_of_every_tab(
    language: str, qtbot: Any, qapp: QApplication, demo_context: AccountContext
) -> None:
    def shoot() -> None:
        view = open_view(qtbot, demo_context)
        for width, height in ((1600, 1000), (800, 600)):
            view.resize(width, height)
            for index in range(view.editor.tabs.count()):
                view.editor.tabs.setCurrentIndex(index)
                qtbot.wait(30)
                save_screenshot(view, f"editor-{language}-{width}x{height}-tab{index}")

    if language == "en":
        shoot()
        return
    with german_interface(qapp):
        try:
            shoot()
        finally:
            use_language("en")
