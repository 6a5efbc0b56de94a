"""Every validation rule: its param (Stripe's bracket form) and code, and all problems at once."""

from __future__ import annotations

import dataclasses

import pytest

from console.configurations.model import (
    AdjustableQuantity,
    PauseInterval,
    PortalConfiguration,
    UpdatableProduct,
    edit,
    with_metadata,
)
from console.configurations.rules import Catalogue, validate
from console.gateway.models import PriceId, ProductId
from tests.unit.core.factories import price

P = "features[subscription_update][products]"

CATALOGUE = Catalogue.from_prices(
    [
        price("price_m", interval="month"),
        price("price_y", interval="year"),
        price("price_m2", interval="month", unit_amount=2000),
        price("price_q", interval="month", interval_count=3),
        price("price_once", interval=None),
        price("price_old", interval="week", active=False),
        price("price_pro", "prod_pro"),
    ]
    + [price(f"price_{i}", f"prod_{i}") for i in range(12)]
)


def offering(*products: UpdatableProduct) -> PortalConfiguration:
    config = edit(PortalConfiguration(), "features.subscription_update.enabled", True)
    config = edit(config, "features.subscription_update.default_allowed_updates", ("price",))
    return edit(config, "features.subscription_update.products", products)


def product(name: str, *prices: str, **quantity: int | bool | None) -> UpdatableProduct:
    adjustable = AdjustableQuantity(**quantity) if quantity else AdjustableQuantity()  # type: ignore[arg-type]
    return UpdatableProduct(ProductId(name), tuple(PriceId(p) for p in prices), adjustable)


def found(config: PortalConfiguration) -> list[tuple[str, str]]:
    return [(p.param, p.code) for p in validate(config, CATALOGUE)]


def test_a_sound_configuration_has_no_problems() -> None:
    config = offering(
        product("prod_basic", "price_m", "price_y", "price_q"), product("prod_pro", "price_pro")
    )
    config = dataclasses.replace(config, name="Main", default_return_url="https://acme.example")
    assert found(config) == []


def test_at_most_ten_products() -> None:
    config = offering(*(product(f"prod_{i}", f"price_{i}") for i in range(11)))
    assert found(config) == [(P, "too_many_products")]


def test_two_prices_with_the_same_interval_in_one_product() -> None:
    config = offering(product("prod_basic", "price_m", "price_y", "price_m2"))
    problems = validate(config, CATALOGUE)
    assert [(p.param, p.code) for p in problems] == [(f"{P}[0][prices]", "duplicate_interval")]
    assert "price_m" in problems[0].message and "price_m2" in problems[0].message


def test_same_interval_with_another_count_is_fine() -> None:
    assert found(offering(product("prod_basic", "price_m", "price_q"))) == []


@pytest.mark.parametrize(
    ("price_id", "code"),
    [
        ("price_once", "price_not_recurring"),
        ("price_old", "price_inactive"),
        ("price_pro", "price_of_other_product"),
        ("price_nope", "resource_missing"),
    ],
)
def test_only_recurring_active_prices_of_the_listed_product(price_id: str, code: str) -> None:
    assert found(offering(product("prod_basic", "price_y", price_id))) == [
        (f"{P}[0][prices][1]", code)
    ]


def test_unknown_duplicate_and_priceless_products() -> None:
    config = offering(
        product("prod_basic", "price_m"), product("prod_basic", "price_y"), product("prod_ghost")
    )
    assert found(config) == [
        (f"{P}[1][product]", "duplicate_product"),
        (f"{P}[2][product]", "resource_missing"),
        (f"{P}[2][prices]", "parameter_missing"),
    ]


@pytest.mark.parametrize(
    "url", ["acme.example/privacy", "ftp://acme.example", "https://", "https://a b.example", ""]
)
def test_urls_must_be_absolute_web_addresses(url: str) -> None:
    config = PortalConfiguration(default_return_url=url)
    config = edit(config, "business_profile.privacy_policy_url", url)
    config = edit(config, "business_profile.terms_of_service_url", url)
    assert found(config) == [
        ("business_profile[privacy_policy_url]", "url_invalid"),
        ("business_profile[terms_of_service_url]", "url_invalid"),
        ("default_return_url", "url_invalid"),
    ]


def test_plain_http_is_accepted() -> None:
    assert found(PortalConfiguration(default_return_url="http://localhost:8000/back")) == []


def test_headline_and_name_lengths() -> None:
    ok = edit(PortalConfiguration(name="n" * 256), "business_profile.headline", "h" * 60)
    assert found(ok) == []
    long = edit(PortalConfiguration(name="n" * 257), "business_profile.headline", "h" * 61)
    assert found(long) == [
        ("business_profile[headline]", "string_too_long"),
        ("name", "string_too_long"),
    ]


def test_enabled_updates_need_allowed_updates_and_products() -> None:
    config = edit(PortalConfiguration(), "features.subscription_update.enabled", True)
    assert found(config) == [
        ("features[subscription_update][default_allowed_updates]", "parameter_missing"),
        (P, "parameter_missing"),
    ]


def test_reasons_on_need_at_least_one_option() -> None:
    config = edit(
        PortalConfiguration(), "features.subscription_cancel.cancellation_reason.enabled", True
    )
    assert found(config) == [
        ("features[subscription_cancel][cancellation_reason][options]", "parameter_missing")
    ]
    custom = edit(
        config, "features.subscription_cancel.cancellation_reason.feedback_options", ("bfo_1",)
    )
    assert found(custom) == []


@pytest.mark.parametrize(
    ("mode", "proration", "code"),
    [
        ("at_period_end", "create_prorations", "proration_requires_immediate_cancel"),
        ("immediately", "always_invoice", "proration_not_allowed"),
        ("at_period_end", "always_invoice", "proration_not_allowed"),
        ("immediately", "create_prorations", None),
        ("at_period_end", "none", None),
    ],
)
def test_cancel_proration_only_with_immediate_cancel(
    mode: str, proration: str, code: str | None
) -> None:
    config = edit(PortalConfiguration(), "features.subscription_cancel.mode", mode)
    config = edit(config, "features.subscription_cancel.proration_behavior", proration)
    expected = [("features[subscription_cancel][proration_behavior]", code)] if code else []
    assert found(config) == expected


def test_adjustable_quantity_bounds() -> None:
    config = offering(
        product("prod_basic", "price_m", enabled=True, minimum=-1, maximum=None),
        product("prod_pro", "price_pro", enabled=True, minimum=5, maximum=2),
    )
    assert found(config) == [
        (f"{P}[0][adjustable_quantity][minimum]", "quantity_bounds_invalid"),
        (f"{P}[1][adjustable_quantity][maximum]", "quantity_bounds_invalid"),
    ]


def test_pause_durations_at_most_three_years() -> None:
    options = (
        PauseInterval("month", 36),
        PauseInterval("month", 37),
        PauseInterval("day", 1096),
        PauseInterval("week", 0),
        PauseInterval("year", 3),
    )
    config = edit(PortalConfiguration(), "features.subscription_pause.enabled", True)
    config = edit(config, "features.subscription_pause.duration.interval_options", options)
    base = "features[subscription_pause][duration][interval_options]"
    assert found(config) == [
        (f"{base}[1][interval_count]", "pause_too_long"),
        (f"{base}[2][interval_count]", "pause_too_long"),
        (f"{base}[3][interval_count]", "parameter_invalid_integer"),
    ]


def test_metadata_limits() -> None:
    config = PortalConfiguration(metadata={f"k{i}": "v" for i in range(51)})
    assert found(config) == [("metadata", "metadata_too_many_keys")]
    config = with_metadata(with_metadata(PortalConfiguration(), "k" * 41, "v"), "note", "x" * 501)
    assert found(config) == [
        (f"metadata[{'k' * 41}]", "metadata_key_too_long"),
        ("metadata[note]", "metadata_value_too_long"),
    ]


def test_unknown_enum_values_from_an_import() -> None:
    config = edit(PortalConfiguration(), "features.subscription_cancel.mode", "someday")
    config = edit(config, "features.customer_update.allowed_updates", ("email", "shoe_size"))
    assert found(config) == [
        ("features[subscription_cancel][mode]", "value_unknown"),
        ("features[customer_update][allowed_updates]", "value_unknown"),
    ]


def test_every_problem_is_reported_at_once() -> None:
    config = offering(
        *(product(f"prod_{i}", f"price_{i}") for i in range(10)),
        product("prod_basic", "price_m", "price_m2", "price_once"),
    )
    config = dataclasses.replace(config, name="n" * 300, default_return_url="nope")
    config = edit(config, "features.subscription_cancel.proration_behavior", "always_invoice")
    config = with_metadata(config, "x" * 41, "v")
    assert sorted(found(config)) == sorted(
        [
            ("name", "string_too_long"),
            ("default_return_url", "url_invalid"),
            (P, "too_many_products"),
            (f"{P}[10][prices]", "duplicate_interval"),
            (f"{P}[10][prices][2]", "price_not_recurring"),
            ("features[subscription_cancel][proration_behavior]", "proration_not_allowed"),
            (f"metadata[{'x' * 41}]", "metadata_key_too_long"),
        ]
    )
