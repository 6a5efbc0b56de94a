"""The save summary: each change of a configuration in plain words, English and German."""

from __future__ import annotations

import dataclasses

import pytest

from console.configurations import summary as summary_module
from console.configurations.model import (
    AdjustableQuantity,
    PauseInterval,
    PortalConfiguration,
    UpdatableProduct,
    edit,
    with_metadata,
)
from console.configurations.rules import Catalogue
from console.configurations.summary import summarize_save
from console.gateway.models import PortalConfigurationId, ProductId
from console.i18n import use_language
from tests.unit.core.factories import price

TEAM_MONTHLY = price("price_team_m", "prod_team", product_name="Team", unit_amount=2900)
TEAM_YEARLY = price(
    "price_team_y", "prod_team", interval="year", product_name="Team", unit_amount=29000
)
TEAM_EUR = price(
    "price_team_eur", "prod_team", currency="eur", product_name="Team", unit_amount=2700
)
STARTER = price("price_starter_m", "prod_starter", product_name="Starter", unit_amount=900)
CATALOGUE = Catalogue.from_prices([TEAM_MONTHLY, TEAM_YEARLY, TEAM_EUR, STARTER])

SAVED = dataclasses.replace(
    PortalConfiguration(),
    id=PortalConfigurationId("bpc_1"),
    name="Default",
    default_return_url="https://acme.example/account",
)
CANCEL = "features.subscription_cancel"
UPDATE = "features.subscription_update"


def lines(before: PortalConfiguration | None, after: PortalConfiguration) -> list[str]:
    return list(summarize_save(before, after, CATALOGUE).lines)


def with_cancel_reasons(config: PortalConfiguration, *reasons: str) -> PortalConfiguration:
    config = edit(config, f"{CANCEL}.enabled", True)
    config = edit(config, f"{CANCEL}.cancellation_reason.enabled", True)
    return edit(config, f"{CANCEL}.cancellation_reason.options", reasons)


def offering(config: PortalConfiguration, *products: UpdatableProduct) -> PortalConfiguration:
    config = edit(config, f"{UPDATE}.enabled", True)
    config = edit(config, f"{UPDATE}.default_allowed_updates", ("price",))
    return edit(config, f"{UPDATE}.products", products)


TEAM = UpdatableProduct(ProductId("prod_team"), (TEAM_MONTHLY.id, TEAM_YEARLY.id))


def test_nothing_changed_says_nothing() -> None:
    summary = summarize_save(SAVED, SAVED, CATALOGUE)
    assert summary.title == "What changes"
    assert summary.lines == ()


def test_reasons_removed_are_named_as_the_editor_names_them() -> None:
    before = with_cancel_reasons(SAVED, "too_expensive", "unused", "other")
    after = edit(before, f"{CANCEL}.cancellation_reason.options", ("too_expensive", "low_quality"))
    assert lines(before, after) == [
        "Reasons offered: added Quality below expectations; removed Not used enough, Other reason"
    ]


def test_plan_switching_turned_on_names_the_products_with_their_prices() -> None:
    after = offering(SAVED, TEAM)
    assert lines(SAVED, after) == [
        "Plan switching: now on; products offered: Team ($29.00 per month, $290.00 per year)",
        "Customers may change: added Price (plan)",
    ]


def test_products_and_prices_added_and_removed_and_quantities_by_name() -> None:
    before = offering(SAVED, TEAM, UpdatableProduct(ProductId("prod_starter"), (STARTER.id,)))
    team = dataclasses.replace(
        TEAM,
        prices=(TEAM_MONTHLY.id, TEAM_EUR.id),
        adjustable_quantity=AdjustableQuantity(enabled=True, minimum=1, maximum=5),
    )
    after = edit(before, f"{UPDATE}.products", (team,))
    assert lines(before, after) == [
        "No longer offered: Starter",
        "Prices of Team: added €27.00 per month; removed $290.00 per year",
        "Quantity of Team: now the customer chooses, 1 to 5",
    ]


def test_cancellation_mode_and_proration_in_the_editors_words() -> None:
    before = edit(SAVED, f"{CANCEL}.enabled", True)
    after = edit(before, f"{CANCEL}.mode", "immediately")
    after = edit(after, f"{CANCEL}.proration_behavior", "create_prorations")
    assert lines(before, after) == [
        "Cancellation: now immediately",
        "Proration when cancelling immediately: now “Prorate (on the next invoice)”",
    ]
    assert lines(after, before) == [
        "Cancellation: now at the end of the billing period",
        "Proration when cancelling immediately: now “No prorations”",
    ]


def test_texts_pause_and_metadata() -> None:
    after = edit(SAVED, "business_profile.headline", "Manage your plan")
    after = edit(after, "default_return_url", None)
    after = edit(after, "features.subscription_pause.enabled", True)
    after = with_metadata(after, "team", "billing")
    assert lines(SAVED, after) == [
        "Default return URL: removed",
        "Headline: now “Manage your plan”",
        "Pausing: now on, for 1 month",
        "Metadata: added team = billing",
    ]


def test_pause_durations_in_words() -> None:
    before = edit(SAVED, "features.subscription_pause.enabled", True)
    after = edit(
        before,
        "features.subscription_pause.duration.interval_options",
        (PauseInterval("month", 1), PauseInterval("month", 3), PauseInterval("week", 2)),
    )
    assert lines(before, after) == ["Pausing: now for 1 month, 3 months, 2 weeks"]
    forever = edit(before, "features.subscription_pause.duration.type", "indefinite")
    assert lines(before, forever) == ["Pausing: now until the customer resumes"]
    assert lines(SAVED, forever) == ["Pausing: now on, until the customer resumes"]


def test_a_new_configuration_says_what_it_has() -> None:
    made = dataclasses.replace(offering(PortalConfiguration(name="Trial"), TEAM), id=None)
    made = edit(made, "features.invoice_history.enabled", True)
    summary = summarize_save(None, made, CATALOGUE)
    assert summary.title == "The new configuration “Trial”"
    assert list(summary.lines) == [
        "Invoice history: on",
        "Plan switching: on; products offered: Team ($29.00 per month, $290.00 per year)",
        "Customers may change: Price (plan)",
    ]


def test_a_field_without_words_is_still_said(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if the model had gained a field this module has no words for: it is said all the same.
    unworded = tuple(f for f in summary_module._WORDED if f != "login_page[enabled]")
    monkeypatch.setattr(summary_module, "_WORDED", unworded)
    changed = edit(SAVED, "login_page.enabled", True)
    assert lines(SAVED, changed) == ["Login page: now on", "login_page[enabled]: now on"]


def test_the_summary_speaks_german_with_german_amounts() -> None:
    use_language("de")
    before = with_cancel_reasons(SAVED, "unused", "other")
    after = edit(before, f"{CANCEL}.cancellation_reason.options", ("other",))
    after = offering(after, TEAM)
    after = edit(after, f"{CANCEL}.mode", "immediately")
    summary = summarize_save(before, after, CATALOGUE)
    assert summary.title == "Was sich ändert"
    assert list(summary.lines) == [
        "Kündigung: jetzt sofort",
        "Angebotene Gründe: entfernt: Zu wenig genutzt",
        "Tarifwechsel: jetzt an; angebotene Produkte: "
        "Team (29,00\xa0$ pro Monat, 290,00\xa0$ pro Jahr)",
        "Kunden dürfen ändern: neu: Preis (Tarif)",
    ]
